"""The offline plotly renderer and the RELIEF template, without a kernel."""

from __future__ import annotations

import plotly.graph_objects as go
import plotly.io as pio
import pytest

from relief_analytics.figures import render
from relief_analytics.figures.theme import (
    FIGURE_HEIGHT_PX,
    FIGURE_WIDTH_PX,
    OKABE_ITO,
    TEMPLATE_NAME,
    build_relief_template,
)


@pytest.fixture
def restore_plotly_defaults():
    renderer, template = pio.renderers.default, pio.templates.default
    yield
    pio.renderers.default, pio.templates.default = renderer, template


def test_template_is_french_colour_blind_safe_and_a4_sized():
    layout = build_relief_template().layout
    assert layout.separators == ",\u202f"
    assert tuple(layout.colorway) == OKABE_ITO
    assert (layout.width, layout.height) == (FIGURE_WIDTH_PX, FIGURE_HEIGHT_PX) == (760, 420)
    assert layout.yaxis.exponentformat == "none" and layout.yaxis.separatethousands


def test_each_figure_has_plotly_json_and_html_but_never_the_library(restore_plotly_defaults):
    assert render.use_offline_renderer() is None  # nothing printed when it ends a cell
    assert pio.renderers.default == render.RENDERER_NAME
    assert pio.templates.default == TEMPLATE_NAME

    first = go.Figure(go.Bar(x=["a"], y=[1]))._repr_mimebundle_()
    second = go.Figure(go.Bar(x=["b"], y=[2]))._repr_mimebundle_()

    for bundle in (first, second):
        assert set(bundle) == {"application/vnd.plotly.v1+json", "text/html"}
        assert "Plotly.newPlot" in bundle["text/html"]
        assert bundle["application/vnd.plotly.v1+json"]["config"]["locale"] == "fr"
        # The page loads plotly.js once (export); a notebook output only carries the figure.
        assert render.LIBRARY_START not in bundle["text/html"]
        assert "plotly.js v" not in bundle["text/html"]
        assert len(bundle["text/html"]) < 50_000
        assert "cdn" not in bundle["text/html"].lower()


def test_library_block_has_the_vendored_bundle_geo_assets_and_drawn_signal_but_no_cdn():
    html = render.library_html()
    assert html.startswith(render.LIBRARY_START) and html.endswith(render.LIBRARY_END)
    assert html.count("plotly.js v4.1.1 (relief-analytics partial bundle") == 1
    assert "'Janvier'" in html or '"Janvier"' in html  # French locale registered in the bundle
    assert "window.PlotlyGeoAssets" in html
    assert 'root.setAttribute("data-relief-drawn", "1")' in html
    assert render.DRAWN_ATTRIBUTE == "data-relief-drawn"
    assert "<script src" not in html
    assert html.count("<script") == html.count("</script>")  # nothing closes a script early
    assert 1_300_000 < len(html) < 1_800_000  # the full plotly.min.js alone is 4.86 MB


def test_template_size_is_copied_into_the_figure_layout(restore_plotly_defaults):
    render.use_offline_renderer()
    bundle = go.Figure(go.Bar(x=["a"], y=[1]))._repr_mimebundle_()
    layout = bundle["application/vnd.plotly.v1+json"]["layout"]
    assert (layout["width"], layout["height"]) == (760, 420)
    assert 'style="height:420px; width:760px;"' in bundle["text/html"]

    custom = go.Figure(go.Bar(x=["a"], y=[1]), layout={"width": 500})._repr_mimebundle_()
    assert custom["application/vnd.plotly.v1+json"]["layout"]["width"] == 500


def test_geo_assets_come_before_plotly_js_in_the_library_block():
    render.library_html.cache_clear()
    try:
        html = render.library_html()
        # the vendored base map is registered before plotly.js reads it (no CDN fetch)
        assert html.index("window.PlotlyGeoAssets") < html.index("plotly.js v")
        assert '"europe_110m"' in html
    finally:
        render.library_html.cache_clear()
