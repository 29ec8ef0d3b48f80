"""What the exporters copy: plotly's figure JSON, drawn by no exporter, is left out of the copy."""

from __future__ import annotations

import copy

import nbformat

from relief_analytics.report.export import export_html, prepare_for_export

PLOTLY_JSON = "application/vnd.plotly.v1+json"
FIGURE_HTML = '<div class="plotly-graph-div" id="f1"></div>'


def _notebook(*outputs) -> nbformat.NotebookNode:
    cell = nbformat.v4.new_code_cell("figure", id="figure")
    cell.outputs = [nbformat.v4.new_output("display_data", data=data) for data in outputs]
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [cell]
    return notebook


def test_the_figure_json_is_dropped_beside_its_html_and_kept_alone():
    figure = {PLOTLY_JSON: {"data": [{"x": [1, 2], "y": [3, 4]}]}, "text/html": FIGURE_HTML}
    alone = {PLOTLY_JSON: {"data": []}, "text/plain": "Figure()"}
    notebook = _notebook(figure, alone)
    before = copy.deepcopy(notebook)

    prepared = prepare_for_export(notebook, title="Rapport 2025", slides=False)

    assert [sorted(output["data"]) for output in prepared.cells[0].outputs] == [
        ["text/html"], [PLOTLY_JSON, "text/plain"]]
    assert notebook == before  # the executed notebook is not modified


def test_the_page_is_the_same_with_or_without_the_figure_json():
    with_json = _notebook({PLOTLY_JSON: {"data": [{"x": [1], "y": [2]}]}, "text/html": FIGURE_HTML})
    without = _notebook({"text/html": FIGURE_HTML})

    page = export_html(with_json, title="Rapport 2025")

    assert page == export_html(without, title="Rapport 2025")
    assert FIGURE_HTML in page
