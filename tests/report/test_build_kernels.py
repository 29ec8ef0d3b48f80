"""A build runs more notebooks than it starts kernels, and no report sees another one's names."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest
from report_helpers import code, markdown, parameters_cell, write_notebook

from relief_analytics.report.build import build_reports
from relief_analytics.report.catalog import ReportSpec

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from factories import write_dataset  # noqa: E402

NAMES = ("rapport_activite", "exploration_lieux", "presentation_ag", "qualite_donnees")


@pytest.mark.slow
def test_four_reports_run_in_two_kernels_each_from_a_clean_namespace(tmp_path):
    dataset = write_dataset(tmp_path / "donnees")
    notebooks = tmp_path / "notebooks"
    notebooks.mkdir()
    specs = []
    for name in NAMES:
        notebook = write_notebook(notebooks / f"{name}.ipynb", [
            markdown(f"# {name}"),
            parameters_cell(annee=2025),
            code("import os\n"
                 "print(f\"noyau {os.getpid()} ; déjà défini : {'reste' in globals()} ; "
                 "cellule {get_ipython().execution_count}\")\n"
                 "reste = annee"),
        ])
        specs.append(ReportSpec(name, name, ("html",), notebook=notebook))

    result = build_reports(dataset_dir=dataset, year=2025, reports_dir=tmp_path / "rapports",
                           progress=lambda line: None, catalog=specs, browser=None, workers=2)

    assert result.ok, [outcome.error for outcome in result.failed]
    shown = {name: re.search(r"noyau (\d+) ; déjà défini : (\w+) ; cellule (\d+)",
                             (result.year_dir / f"{name}_2025.html").read_text(encoding="utf-8"))
             for name in NAMES}
    # nothing left by a previous report; each counts its cells from 1, as a fresh kernel would
    assert {match.group(2) for match in shown.values()} == {"False"}
    assert len({match.group(3) for match in shown.values()}) == 1
    assert len({match.group(1) for match in shown.values()}) <= 2  # four notebooks, two kernels
