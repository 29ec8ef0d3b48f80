"""Offline plotly renderer for report notebooks.

Under papermill, plotly's default renderer emits only ``application/vnd.plotly.v1+json``, which
nbconvert silently drops: the exported report would have no figures. :func:`use_offline_renderer`
installs a renderer that emits, for every figure,

- ``application/vnd.plotly.v1+json`` (JupyterLab shows an interactive figure), and
- ``text/html`` made by ``plotly.io.to_html(include_plotlyjs=False)`` (what nbconvert exports).

The first figure of the kernel also carries, once, the plotly.js library inline (from the ``plotly``
Python package, never a CDN), the French plotly.js locale, and — when
``relief_analytics.geo.assets`` is available — ``window.PlotlyGeoAssets`` so geo maps render offline.
That block sits between :data:`LIBRARY_START` and :data:`LIBRARY_END` so the exporter can move it if
the cell holding it is not exported.

Usage, in the imports cell of a report notebook::

    from relief_analytics.figures.render import use_offline_renderer
    use_offline_renderer()
"""

from __future__ import annotations

import copy
import functools
import importlib
import json

import plotly.io as pio
from plotly.io._base_renderers import MimetypeRenderer

from relief_analytics.figures.theme import register_relief_template
from relief_analytics.jupyter.basemap import jupyter_figure_config
from relief_analytics.paths import ASSETS_DIR

#: Name of the renderer in ``plotly.io.renderers``.
RENDERER_NAME = "relief_offline"

#: Markers around the plotly.js block inside the first figure's ``text/html``.
LIBRARY_START = "<!-- relief:plotlyjs:start -->"
LIBRARY_END = "<!-- relief:plotlyjs:end -->"

#: plotly.js config of every figure: French locale, no plotly logo, no lasso/box select buttons,
#: no "Share chart" button (it would post the figure to an online service).
FIGURE_CONFIG = {
    "locale": "fr",
    "displaylogo": False,
    "responsive": True,
    "modeBarButtonsToRemove": ["select2d", "lasso2d", "sendChartToCloud"],
}

PLOTLY_MIMETYPE = "application/vnd.plotly.v1+json"
FRENCH_LOCALE_PATH = ASSETS_DIR / "js" / "plotly-locales" / "fr.js"


class OfflineRenderer(MimetypeRenderer):
    """Plotly renderer emitting the plotly mimetype plus self-contained, CDN-free HTML.

    plotly copies a renderer before each use, so the "library already emitted" flag lives in a
    dict shared by the copies.
    """

    def __init__(self, config: dict | None = None):
        self.config = dict(config) if config else dict(FIGURE_CONFIG)
        self._state = {"library_emitted": False}

    def reset(self) -> None:
        """Make the next figure carry the plotly.js library again."""
        self._state["library_emitted"] = False

    def to_mimebundle(self, fig_dict: dict) -> dict:
        fig_dict = fix_figure_size(fig_dict)
        figure_json = json.loads(pio.to_json(fig_dict, validate=False, remove_uids=False))
        # Only JupyterLab's plotly.js needs the base map in the config; exported HTML has
        # window.PlotlyGeoAssets (see relief_analytics.jupyter.basemap).
        figure_json["config"] = {**self.config, **jupyter_figure_config(figure_json)}
        html = pio.to_html(
            fig_dict,
            config=self.config,
            include_plotlyjs=False,
            include_mathjax=False,
            full_html=False,
            validate=False,
        )
        if not self._state["library_emitted"]:
            html = library_html() + html
            self._state["library_emitted"] = True
        return {PLOTLY_MIMETYPE: figure_json, "text/html": html}


def fix_figure_size(fig_dict: dict) -> dict:
    """Return a copy of ``fig_dict`` whose layout carries the template's width and height.

    A size set only in the template is ignored by plotly.js when the figure is drawn inside a hidden
    element (a slide not yet shown): it falls back to 700 x 450. Copying the size into the layout
    itself fixes it for slides and PDF alike. Sizes set on the figure are kept.
    """
    layout = fig_dict.get("layout") or {}
    template_layout = (layout.get("template") or {}).get("layout") or {}
    missing = {
        key: template_layout[key]
        for key in ("width", "height")
        if layout.get(key) is None and template_layout.get(key) is not None
    }
    if not missing:
        return fig_dict
    fixed = copy.copy(fig_dict)
    fixed["layout"] = {**layout, **missing}
    return fixed


@functools.cache
def library_html() -> str:
    """Return the block loading plotly.js (and the offline extras), once per document."""
    from plotly.offline import get_plotlyjs

    parts = [
        LIBRARY_START,
        "<script>window.PlotlyConfig = {MathJaxConfig: 'local'};</script>",
        geo_assets_html(),
        f"<script>{escape_script(get_plotlyjs())}</script>",
        f"<script>{french_locale_js()}</script>",
        LIBRARY_END,
    ]
    return "\n".join(part for part in parts if part)


def geo_assets_html() -> str:
    """Return ``relief_analytics.geo.assets.geo_assets_script()``, or ``""`` when not available."""
    try:
        module = importlib.import_module("relief_analytics.geo.assets")
    except ImportError:
        return ""
    make_script = getattr(module, "geo_assets_script", None)
    return make_script() if make_script is not None else ""


def french_locale_js() -> str:
    """Return a script registering plotly.js's French locale (a CommonJS module, wrapped)."""
    source = FRENCH_LOCALE_PATH.read_text(encoding="utf-8")
    return (
        "(function () { var module = {exports: {}};\n"
        f"{escape_script(source)}\n"
        "if (window.Plotly && Plotly.register) { Plotly.register(module.exports); } })();"
    )


def escape_script(source: str) -> str:
    """Make JavaScript source safe inside an inline ``<script>`` element."""
    return source.replace("</script", "<\\/script").replace("</SCRIPT", "<\\/SCRIPT")


def use_offline_renderer(*, config: dict | None = None) -> None:
    """Register the RELIEF template and the offline renderer, and make both the defaults.

    Call it once, in the imports cell of a report notebook. The next figure displayed carries the
    plotly.js library; later ones only their data.

    Parameters
    ----------
    config : dict, optional
        plotly.js config of every figure; defaults to :data:`FIGURE_CONFIG`.

    Returns nothing, so that it can be the last line of a cell without printing anything; the
    renderer is ``plotly.io.renderers["relief_offline"]``.
    """
    register_relief_template(make_default=True)
    pio.renderers[RENDERER_NAME] = OfflineRenderer(config=config)
    pio.renderers.default = RENDERER_NAME
