"""Offline plotly renderer for report notebooks, and the plotly.js block of exported pages.

Under papermill, plotly's default renderer emits only ``application/vnd.plotly.v1+json``, which
nbconvert silently drops: the exported report would have no figures. :func:`use_offline_renderer`
installs a renderer that emits, for every figure,

- ``application/vnd.plotly.v1+json`` (JupyterLab draws an interactive figure with its own plotly
  extension), and
- ``text/html`` made by ``plotly.io.to_html(include_plotlyjs=False)`` (what nbconvert exports).

No figure output carries plotly.js itself, so an executed notebook stays light. The exporter
(:mod:`relief_analytics.report.export`) puts :func:`library_html` once into the page head: the
vendored partial plotly.js bundle (``assets/js/plotly/``, French locale included), the offline geo
assets (``window.PlotlyGeoAssets``) and the "figures drawn" signal that the PDF printer waits for
(:data:`DRAWN_ATTRIBUTE` on ``<html>``, set once every ``Plotly.newPlot`` promise has settled).

Usage, in the imports cell of a report notebook::

    from relief_analytics.figures.render import use_offline_renderer
    use_offline_renderer()
"""

from __future__ import annotations

import copy
import functools
import json

import plotly.io as pio
from plotly.io._base_renderers import MimetypeRenderer

from relief_analytics.figures.geo_assets import geo_assets_script
from relief_analytics.figures.jupyter_basemap import jupyter_figure_config
from relief_analytics.figures.theme import register_relief_template
from relief_analytics.paths import ASSETS_DIR

#: Name of the renderer in ``plotly.io.renderers``.
RENDERER_NAME = "relief_offline"

#: Markers around the plotly.js block of a page (older executed notebooks carry it in an output).
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

#: Vendored partial plotly.js bundle (built by ``scripts/plotly_bundle``; French locale included).
PLOTLY_BUNDLE_PATH = ASSETS_DIR / "js" / "plotly" / "plotly-relief.min.js"
#: Trace types registered in the bundle (``scatter`` comes with plotly.js's core).
BUNDLED_TRACE_TYPES = ("scatter", "bar", "pie", "scattergeo", "choropleth")

#: ``data-relief-drawn`` on ``<html>``: "1" once every figure of the page has been drawn.
DRAWN_ATTRIBUTE = "data-relief-drawn"

#: Counts the ``Plotly.newPlot`` calls of the page; when the page has loaded and every promise has
#: settled (drawn or failed), marks ``<html data-relief-drawn="1">`` after two animation frames.
DRAWN_SIGNAL_JS = """(function () {
  var root = document.documentElement, pending = [];
  if (window.Plotly && Plotly.newPlot) {
    var newPlot = Plotly.newPlot;
    Plotly.newPlot = function () {
      var drawn = newPlot.apply(this, arguments);
      pending.push(drawn);
      return drawn;
    };
  }
  function settle(promise) {
    return Promise.resolve(promise).then(function () {}, function () {});
  }
  function frame() {
    return new Promise(function (resolve) {
      var done = false;
      function finish() { if (!done) { done = true; resolve(); } }
      if (window.requestAnimationFrame) { requestAnimationFrame(finish); }
      setTimeout(finish, 100);
    });
  }
  function markDrawn() {
    var count = pending.length;
    Promise.all(pending.map(settle)).then(frame).then(frame).then(function () {
      if (pending.length !== count) { markDrawn(); return; }
      root.setAttribute("data-relief-drawn", "1");
    });
  }
  if (document.readyState === "complete") { markDrawn(); }
  else { window.addEventListener("load", markDrawn); }
})();"""


class OfflineRenderer(MimetypeRenderer):
    """Plotly renderer emitting the plotly mimetype plus self-contained, CDN-free HTML.

    It subclasses plotly's ``MimetypeRenderer`` on purpose: ``plotly.io.renderers`` only accepts
    instances of its renderer classes, and plotly figures display through that registry
    (``Figure._ipython_display_`` calls ``plotly.io.show``), so IPython's own formatters never
    see them. plotly exposes no public base class for a custom renderer.

    The ``text/html`` part holds the figure's ``<div>`` and its ``Plotly.newPlot`` call only: the
    page that shows it loads plotly.js once (:func:`library_html`).
    """

    def __init__(self, config: dict | None = None, *, lab_figures: bool = True):
        self.config = dict(config) if config else dict(FIGURE_CONFIG)
        self.lab_figures = lab_figures

    def to_mimebundle(self, fig_dict: dict) -> dict:
        fig_dict = fix_figure_size(fig_dict)
        html = pio.to_html(
            fig_dict,
            config=self.config,
            include_plotlyjs=False,
            include_mathjax=False,
            full_html=False,
            validate=False,
        )
        if not self.lab_figures:
            return {"text/html": html}
        figure_json = json.loads(pio.to_json(fig_dict, validate=False, remove_uids=False))
        # Only JupyterLab's plotly.js needs the base map in the config; exported HTML has
        # window.PlotlyGeoAssets (see relief_analytics.figures.jupyter_basemap).
        figure_json["config"] = {**self.config, **jupyter_figure_config(figure_json)}
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
    """Return the block a page puts once in its head, before any figure.

    It holds, between :data:`LIBRARY_START` and :data:`LIBRARY_END`: the offline geo assets, the
    vendored plotly.js bundle (French locale registered) and :data:`DRAWN_SIGNAL_JS`.
    """
    parts = [
        LIBRARY_START,
        "<script>window.PlotlyConfig = {MathJaxConfig: 'local'};</script>",
        geo_assets_html(),
        f"<script>{escape_script(plotly_bundle_js())}</script>",
        f"<script>{DRAWN_SIGNAL_JS}</script>",
        LIBRARY_END,
    ]
    return "\n".join(part for part in parts if part)


@functools.cache
def plotly_bundle_js() -> str:
    """Return the source of the vendored partial plotly.js bundle."""
    return PLOTLY_BUNDLE_PATH.read_text(encoding="utf-8")


def geo_assets_html() -> str:
    """The offline geo assets script (:func:`relief_analytics.figures.geo_assets.geo_assets_script`)."""
    return geo_assets_script()


def escape_script(source: str) -> str:
    """Make JavaScript source safe inside an inline ``<script>`` element."""
    return source.replace("</script", "<\\/script").replace("</SCRIPT", "<\\/SCRIPT")


def use_offline_renderer(*, config: dict | None = None, lab_figures: bool = True) -> None:
    """Register the RELIEF template and the offline renderer, and make both the defaults.

    Call it once, in the imports cell of a report notebook. Figures carry their data only; the
    exported page loads plotly.js once.

    Parameters
    ----------
    config : dict, optional
        plotly.js config of every figure; defaults to :data:`FIGURE_CONFIG`.
    lab_figures : bool
        Also emit :data:`PLOTLY_MIMETYPE` (the interactive figure of JupyterLab). The build
        passes ``False`` (``use_offline_renderer(lab_figures=not contexte)``): its executed
        notebooks are only exported, and no exporter draws that JSON, which the kernel, the
        messages and the saved notebook would otherwise carry a second time.

    Returns nothing, so that it can be the last line of a cell without printing anything; the
    renderer is ``plotly.io.renderers["relief_offline"]``.
    """
    register_relief_template(make_default=True)
    pio.renderers[RENDERER_NAME] = OfflineRenderer(config=config, lab_figures=lab_figures)
    pio.renderers.default = RENDERER_NAME
