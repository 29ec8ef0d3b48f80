"""The base map of plotly geo figures inside JupyterLab, offline.

JupyterLab draws the ``application/vnd.plotly.v1+json`` output of a cell with the plotly.js bundled
in the ``jupyterlab-plotly`` extension. That plotly.js never sees the ``window.PlotlyGeoAssets``
block of exported HTML (:func:`relief_analytics.figures.geo_assets.geo_assets_script`), so for every geo
subplot it fetches ``<topojsonURL>/<scope>_<resolution>m.json``, by default from plotly's CDN:
offline, each map stays an empty frame (console: ``error while fetching topojson file at …``).

The fix chosen here: the figure's plotly.js config (``config.topojsonURL`` of the mimetype output)
is a ``data:`` URL holding the vendored topojson itself, followed by ``#``. plotly.js appends
``/<name>.json`` to it, which lands in the URL fragment and is ignored, and its ``XMLHttpRequest``
reads the JSON from the URL without any network. Why a ``data:`` URL rather than a URL served by
the Jupyter server:

- it works whatever the server's ``base_url`` and port, and with no server extension to enable;
- it works for outputs saved in a notebook that papermill executed outside any Jupyter server
  (the report build), then opened in JupyterLab (or any front end whose plotly.js honours
  ``topojsonURL``; only JupyterLab 4 with ``jupyterlab-plotly`` is tested);
- its cost is the vendored file (``europe_110m``: 38 kB) in the output of each
  geo figure, and only there: bar charts and exported HTML do not carry it.
"""

from __future__ import annotations

import functools
import re
from urllib.parse import quote

from relief_analytics.figures.geo_assets import TOPOJSON_DIR, vendored_topojson_names

#: Trace types drawn on a plotly ``geo`` subplot (they need a base topojson).
GEO_TRACE_TYPES = frozenset({"scattergeo", "choropleth"})
#: plotly.js's defaults for ``layout.geo.scope`` and ``layout.geo.resolution``.
DEFAULT_SCOPE = "world"
DEFAULT_RESOLUTION = 110

_GEO_SUBPLOT = re.compile(r"^geo\d*$")
#: Characters kept as they are in the ``data:`` URL: printable ASCII but ``%``, ``#``, space, ``<``,
#: ``>``, backquote and backslash (a topojson is mostly digits, commas and brackets, so the URL is
#: barely longer than the file).
_DATA_URL_SAFE = "!$&'()*+,-./:;=?@_~[]{}\"^|"


def figure_topojson_names(fig_dict: dict) -> set[str]:
    """Return the base topojson names plotly.js will need to draw ``fig_dict``.

    One name per geo subplot used by a trace, computed as plotly.js does
    (``<scope>_<resolution>m``, spaces of the scope replaced by ``-``), from the figure's layout,
    else its template's, else plotly.js's defaults.

    Examples
    --------
    >>> figure_topojson_names({"data": [{"type": "bar"}], "layout": {}})
    set()
    >>> figure_topojson_names(
    ...     {"data": [{"type": "choropleth"}], "layout": {"geo": {"scope": "europe"}}}
    ... )
    {'europe_110m'}
    """
    layout = fig_dict.get("layout") or {}
    template_layout = (layout.get("template") or {}).get("layout") or {}
    names = set()
    for trace in fig_dict.get("data") or []:
        if trace.get("type") not in GEO_TRACE_TYPES:
            continue
        subplot = trace.get("geo") or "geo"
        if not _GEO_SUBPLOT.match(subplot):
            continue
        geo = layout.get(subplot) or {}
        template_geo = template_layout.get(subplot) or template_layout.get("geo") or {}
        scope = geo.get("scope") or template_geo.get("scope") or DEFAULT_SCOPE
        resolution = geo.get("resolution") or template_geo.get("resolution") or DEFAULT_RESOLUTION
        names.add(f"{str(scope).replace(' ', '-')}_{int(resolution)}m")
    return names


@functools.cache
def topojson_data_url(name: str) -> str:
    """Return the ``data:`` URL of the vendored topojson ``name``, ending with ``#``.

    Whatever plotly.js appends (``/<name>.json``) falls in the fragment.

    Raises
    ------
    KeyError
        When ``name`` is not vendored under ``relief_analytics/assets/geo/topojson/``.
    """
    if name not in vendored_topojson_names():
        raise KeyError(name)
    text = (TOPOJSON_DIR / f"{name}.json").read_text(encoding="utf-8")
    return f"data:application/json,{quote(text, safe=_DATA_URL_SAFE)}#"


def jupyter_figure_config(fig_dict: dict) -> dict:
    """Return the plotly.js config entries that let JupyterLab draw ``fig_dict`` offline.

    ``{"topojsonURL": <data URL>}`` when the figure has geo subplots that all use one vendored
    topojson; ``{}`` otherwise (no geo subplot, or a scope that is not vendored, which then stays
    blank offline as before: vendor its topojson to fix it, see ``assets/geo/README.md``).
    """
    names = figure_topojson_names(fig_dict)
    if len(names) != 1:
        return {}
    (name,) = names
    if name not in vendored_topojson_names():
        return {}
    return {"topojsonURL": topojson_data_url(name)}
