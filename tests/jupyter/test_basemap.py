"""The base map that JupyterLab's plotly.js gets through ``config.topojsonURL`` (no browser)."""

from __future__ import annotations

import doctest
import json
from urllib.parse import unquote

import plotly.graph_objects as go

from relief_analytics.figures import jupyter_basemap as basemap
from relief_analytics.figures.geo_assets import TOPOJSON_DIR
from relief_analytics.figures.jupyter_basemap import (
    figure_topojson_names,
    jupyter_figure_config,
    topojson_data_url,
)
from relief_analytics.figures.render import PLOTLY_MIMETYPE, OfflineRenderer

PREFIX = "data:application/json,"


def _europe_map() -> go.Figure:
    fig = go.Figure(go.Scattergeo(lon=[4.85], lat=[45.76], mode="markers"))
    fig.update_geos(scope="europe", visible=False)
    return fig


def test_data_url_holds_the_vendored_topojson_and_ends_in_a_fragment():
    url = topojson_data_url("europe_110m")
    assert url.startswith(PREFIX) and url.endswith("#")
    # What plotly.js 4 fetches: the URL + "/europe_110m.json", which falls in the fragment.
    fetched = url + "/europe_110m.json"
    body = fetched[len(PREFIX) : fetched.index("#")]
    expected = json.loads((TOPOJSON_DIR / "europe_110m.json").read_text(encoding="utf-8"))
    assert json.loads(unquote(body)) == expected
    assert body.count("#") == 0 and " " not in body


def test_topojson_names_follow_plotly_scope_and_resolution_rules():
    def names(data, layout):
        return figure_topojson_names({"data": data, "layout": layout})

    assert names([{"type": "choropleth"}], {}) == {"world_110m"}
    assert names([{"type": "scattergeo"}], {"geo": {"scope": "north america"}}) == {
        "north-america_110m"
    }
    assert names([{"type": "scattergeo"}], {"geo": {"scope": "europe", "resolution": 50}}) == {
        "europe_50m"
    }
    assert names(
        [{"type": "scattergeo", "geo": "geo2"}],
        {"geo": {"scope": "world"}, "geo2": {"scope": "europe"}},
    ) == {"europe_110m"}
    assert names(
        [{"type": "scattergeo"}], {"template": {"layout": {"geo": {"scope": "europe"}}}}
    ) == {"europe_110m"}
    assert names([{"type": "bar"}, {"type": "scatter"}], {"geo": {"scope": "europe"}}) == set()


def test_config_only_for_a_vendored_single_basemap():
    assert jupyter_figure_config(_europe_map().to_dict()) == {
        "topojsonURL": topojson_data_url("europe_110m")
    }
    world = go.Figure(go.Scattergeo(lon=[0], lat=[0]))  # world_110m is not vendored
    assert jupyter_figure_config(world.to_dict()) == {}
    assert jupyter_figure_config(go.Figure(go.Bar(y=[1])).to_dict()) == {}


def test_renderer_puts_the_basemap_in_the_plotly_output_only():
    renderer = OfflineRenderer()
    renderer.to_mimebundle(go.Figure(go.Bar(y=[1])).to_dict())  # the library goes with the first
    bar = renderer.to_mimebundle(go.Figure(go.Bar(y=[2])).to_dict())
    geo = renderer.to_mimebundle(_europe_map().to_dict())

    assert "topojsonURL" not in bar[PLOTLY_MIMETYPE]["config"]
    assert geo[PLOTLY_MIMETYPE]["config"]["topojsonURL"] == topojson_data_url("europe_110m")
    assert geo[PLOTLY_MIMETYPE]["config"]["locale"] == "fr"
    # Exported HTML draws from window.PlotlyGeoAssets: no copy of the base map per figure.
    assert "topojsonURL" not in geo["text/html"]
    assert PREFIX not in geo["text/html"]


def test_docstring_examples():
    assert doctest.testmod(basemap, optionflags=doctest.ELLIPSIS).failed == 0
