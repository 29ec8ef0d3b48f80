"""Fixtures of the report tests: one shared execution of a small figure notebook, its exports, Chromium.

Executing a notebook costs a kernel start (~1-3 s), so the notebook with figures is executed once
per session and its HTML / slides exports are shared by the tests that read them.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import nbformat
import pytest
from report_helpers import figure_notebook_cells, write_notebook

from relief_analytics.report.pdf import find_browser


@pytest.fixture(scope="session")
def report_tmp() -> Path:
    path = Path(tempfile.mkdtemp(prefix="relief-report-tests-"))
    yield path
    shutil.rmtree(path, ignore_errors=True)


@pytest.fixture(scope="session")
def executed_figure_notebook(report_tmp: Path) -> nbformat.NotebookNode:
    """The figure notebook executed once with papermill (annee=2025)."""
    from relief_analytics.report.execute import (
        ensure_kernel_name,
        kernel_environment,
        run_notebook,
    )

    source = write_notebook(report_tmp / "figures.ipynb", figure_notebook_cells())
    with kernel_environment():
        return run_notebook(
            source,
            report_tmp / "figures.executed.ipynb",
            parameters={"annee": 2025, "dossier_donnees": str(report_tmp)},
            kernel_name=ensure_kernel_name(),
        )


@pytest.fixture(scope="session")
def report_html(executed_figure_notebook, report_tmp: Path) -> Path:
    from relief_analytics.report.export import export_html

    path = report_tmp / "rapport_test_2025.html"
    path.write_text(
        export_html(executed_figure_notebook, title="Rapport de test 2025"), encoding="utf-8"
    )
    return path


@pytest.fixture(scope="session")
def slides_html(executed_figure_notebook, report_tmp: Path) -> Path:
    from relief_analytics.report.export import export_slides

    path = report_tmp / "presentation_test_2025.html"
    path.write_text(
        export_slides(executed_figure_notebook, title="Présentation test 2025"), encoding="utf-8"
    )
    return path


@pytest.fixture(scope="session")
def browser() -> Path:
    path = find_browser(None)
    if path is None:
        pytest.skip("no Chromium/Chrome on this machine")
    return path
