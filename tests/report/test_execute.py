"""French description of a failed cell, numbered as in the source notebook."""

from __future__ import annotations

import nbformat
from papermill.exceptions import PapermillExecutionError

from relief_analytics.report.execute import _runs_this_python, describe_cell_failure


def test_cell_number_ignores_the_injected_parameters_cell():
    injected = nbformat.v4.new_code_cell("annee = 2025")
    injected.metadata["tags"] = ["injected-parameters"]
    executed = nbformat.v4.new_notebook()
    executed.cells = [
        nbformat.v4.new_markdown_cell("# Titre"),
        nbformat.v4.new_code_cell("annee = 2024"),
        injected,
        nbformat.v4.new_code_cell("\n\nboom()"),
    ]
    error = PapermillExecutionError(
        3, 2, "\n\nboom()", "NameError", "name 'boom' is not defined", []
    )
    assert describe_cell_failure(error, executed) == (
        "erreur dans la cellule n° 3 « boom() » — NameError : name 'boom' is not defined"
    )


def test_bare_python_names_mean_this_interpreter():
    assert _runs_this_python("python3")
    assert not _runs_this_python("/opt/autre/bin/python3")
