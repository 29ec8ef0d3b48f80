"""The layers point down only: `make lint` (lint-imports) fails when a lower layer imports a higher one."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from relief_analytics.paths import PACKAGE_DIR, PROJECT_DIR

LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"

pytestmark = pytest.mark.skipif(not LINT_IMPORTS.exists(), reason="import-linter absent (make install)")


def run_linter(root: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(root)}
    return subprocess.run([str(LINT_IMPORTS), "--no-cache"], cwd=root, env=env, capture_output=True,
                          text=True, timeout=120)


@pytest.fixture
def copy_of_project(tmp_path: Path) -> Path:
    shutil.copytree(PACKAGE_DIR, tmp_path / "relief_analytics",
                    ignore=shutil.ignore_patterns("__pycache__", "assets"))
    shutil.copy(PROJECT_DIR / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path


def test_the_project_keeps_its_contracts(copy_of_project: Path):
    result = run_linter(copy_of_project)
    assert result.returncode == 0, result.stdout
    assert "0 broken" in result.stdout


@pytest.mark.parametrize(("lower", "higher"), [
    ("geo/normalize.py", "relief_analytics.figures.maps"),
    ("indicators/series.py", "relief_analytics.context"),
    ("load/read.py", "relief_analytics.indicators.lieux"),
    ("formatting.py", "relief_analytics.display.blocks"),
    ("report/build.py", "relief_analytics.site.build"),
    ("export/opendata.py", "relief_analytics.site.pages"),
])
def test_a_lower_layer_importing_a_higher_one_fails(copy_of_project: Path, lower: str, higher: str):
    module = copy_of_project / "relief_analytics" / lower
    module.write_text(module.read_text(encoding="utf-8") + f"\nimport {higher}  # noqa\n",
                      encoding="utf-8")
    result = run_linter(copy_of_project)
    assert result.returncode != 0
    assert "BROKEN" in result.stdout
    assert higher in result.stdout


IMPORTERS = "Importers (stage 0, upstream of load) import only load, schemas and geo"
EXPORT_EDGE = "Export is the output edge: nothing below it imports it"
DISPLAY_BUILDER = ("Display (in the notebooks' kernel) and the builder (in the relief process) never import "
                   "each other")
PACKAGE_ROOT = "Package-root modules import no layer"
SITE_DISPLAY = "The public site is built in the relief process: it never imports the kernel's display"


def one_line(text: str) -> str:
    """lint-imports wraps long contract names over several lines."""
    return " ".join(text.split())


@pytest.mark.parametrize(("module_path", "imported", "contract"), [
    ("importers/base.py", "relief_analytics.indicators.lieux", IMPORTERS),
    ("importers/events.py", "relief_analytics.context.populations", IMPORTERS),
    ("context/populations.py", "relief_analytics.export.opendata", EXPORT_EDGE),
    ("indicators/public_lieux.py", "relief_analytics.export.templates", EXPORT_EDGE),
    ("display/tiles.py", "relief_analytics.report.xlsx", DISPLAY_BUILDER),
    ("report/xlsx.py", "relief_analytics.display.blocks", DISPLAY_BUILDER),
    ("cli_common.py", "relief_analytics.load.config", PACKAGE_ROOT),
    ("safety.py", "relief_analytics.schemas", PACKAGE_ROOT),
    ("site/pages.py", "relief_analytics.display.tiles", SITE_DISPLAY),
    ("paths.py", "relief_analytics.site.data", PACKAGE_ROOT),
])
def test_a_planted_violation_breaks_the_contract_that_forbids_it(
    copy_of_project: Path, module_path: str, imported: str, contract: str,
):
    module = copy_of_project / "relief_analytics" / module_path
    module.write_text(module.read_text(encoding="utf-8") + f"\nimport {imported}  # noqa\n",
                      encoding="utf-8")
    result = run_linter(copy_of_project)
    assert result.returncode != 0
    assert f"{contract} BROKEN" in one_line(result.stdout)
    assert imported in result.stdout


def test_no_module_of_the_package_is_part_of_an_import_cycle():
    grimp = pytest.importorskip("grimp")  # installed with import-linter
    graph = grimp.build_graph("relief_analytics", cache_dir=None)
    cycles = [
        (module, other) for module in graph.modules for other in graph.modules
        if module < other and graph.chain_exists(module, other) and graph.chain_exists(other, module)
    ]
    assert cycles == []


def notebook_imports(path: Path) -> set[str]:
    """Modules of the package imported by the code cells of the notebook at ``path``."""
    import ast
    import json

    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    found = set()
    for cell in cells:
        if cell["cell_type"] != "code":
            continue
        source = "".join(cell["source"])
        tree = ast.parse("\n".join(line for line in source.splitlines() if not line.lstrip().startswith("%")))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module == "relief_analytics":
                found |= {f"relief_analytics.{a.name}" for a in node.names}
            elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("relief_analytics."):
                found.add(node.module)
            elif isinstance(node, ast.Import):
                found |= {a.name for a in node.names if a.name.startswith("relief_analytics")}
    return found


#: What a notebook's kernel may import: the display helpers, the layers below the builder and the
#: package-root utilities.
KERNEL_SIDE = ("relief_analytics.display", "relief_analytics.figures", "relief_analytics.context",
               "relief_analytics.indicators", "relief_analytics.formatting", "relief_analytics.text")


def test_the_notebooks_import_the_display_side_never_the_builder():
    notebooks = sorted((PROJECT_DIR / "notebooks").glob("*.ipynb"))
    assert notebooks
    outside = {
        path.name: sorted(m for m in notebook_imports(path)
                          if not any(m == side or m.startswith(side + ".") for side in KERNEL_SIDE))
        for path in notebooks
    }
    assert {name: modules for name, modules in outside.items() if modules} == {}
    assert any("relief_analytics.display.blocks" in notebook_imports(p) for p in notebooks)


def test_a_notebook_importing_the_builder_is_seen(tmp_path: Path):
    notebook = tmp_path / "n.ipynb"
    notebook.write_text('{"cells": [{"cell_type": "code", "source": ["%matplotlib inline\\n", '
                        '"from relief_analytics.report.xlsx import write_workbook\\n", '
                        '"from relief_analytics import formatting"]}]}', encoding="utf-8")
    assert notebook_imports(notebook) == {"relief_analytics.report.xlsx", "relief_analytics.formatting"}
