"""Figures of notebooks run by the build: the page only, without JupyterLab's figure JSON."""

from __future__ import annotations

import json
import re

import plotly.graph_objects as go
import plotly.io as pio
import pytest

from relief_analytics.figures import render
from relief_analytics.report.catalog import CATALOG


@pytest.fixture
def restore_plotly_defaults():
    renderer, template = pio.renderers.default, pio.templates.default
    yield
    pio.renderers.default, pio.templates.default = renderer, template


def _figure_html(bundle: dict) -> str:
    # the div id is random: compare the rest
    return re.sub(r'[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}', "ID",
                  bundle["text/html"])


def test_without_lab_figures_a_figure_is_its_html_alone_and_the_same_html(restore_plotly_defaults):
    figure = go.Figure(go.Bar(x=["Ain", "Isère"], y=[3, 5]))
    render.use_offline_renderer()
    lab = figure._repr_mimebundle_()
    render.use_offline_renderer(lab_figures=False)
    built = figure._repr_mimebundle_()

    assert set(lab) == {render.PLOTLY_MIMETYPE, "text/html"}
    assert set(built) == {"text/html"}
    assert _figure_html(built) == _figure_html(lab)
    assert "Is\\u00e8re" in built["text/html"]  # plotly escapes non-ASCII in its JSON


@pytest.mark.parametrize("spec", CATALOG, ids=lambda spec: spec.name)
def test_a_notebook_drawing_figures_leaves_out_the_lab_figures_under_the_build(spec):
    # the build passes a context file (``contexte``); opened in JupyterLab, contexte is "" and
    # the interactive figures are there
    cells = json.loads(spec.notebook_path.read_text(encoding="utf-8"))["cells"]
    calls = [line for cell in cells if cell["cell_type"] == "code"
             for line in "".join(cell["source"]).splitlines()
             if line.startswith("use_offline_renderer(")]
    assert all(line.startswith("use_offline_renderer(lab_figures=not contexte)") for line in calls)
