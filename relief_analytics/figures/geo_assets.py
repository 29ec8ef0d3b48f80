"""Offline plotly geo assets: the base topojson plotly.js would otherwise fetch from its CDN.

Inject :func:`geo_assets_script` once per HTML page, right after plotly.js and before any
figure (see ``relief_analytics/assets/geo/README.md``).
"""

from __future__ import annotations

import functools
import json

from relief_analytics.paths import ASSETS_DIR

TOPOJSON_DIR = ASSETS_DIR / "geo" / "topojson"


def vendored_topojson_names() -> list[str]:
    """Return the names of the vendored topojson files (``["europe_110m"]``)."""
    return sorted(path.stem for path in TOPOJSON_DIR.glob("*.json"))


@functools.lru_cache(maxsize=1)
def geo_assets_script() -> str:
    """Return a ``<script>`` defining ``window.PlotlyGeoAssets.topojson`` from the vendored files.

    The script adds to an existing ``window.PlotlyGeoAssets`` (plotly.js creates an empty one when
    it loads) instead of replacing it, so it works before or after plotly.js.

    Examples
    --------
    >>> script = geo_assets_script()
    >>> script.startswith("<script>") and '"europe_110m"' in script
    True
    """
    assets = {
        path.stem: json.loads(path.read_text(encoding="utf-8"))
        for path in sorted(TOPOJSON_DIR.glob("*.json"))
    }
    payload = json.dumps(assets, separators=(",", ":")).replace("</", "<\\/")
    return (
        "<script>(function () {"
        "var assets = window.PlotlyGeoAssets = window.PlotlyGeoAssets || {};"
        "assets.topojson = Object.assign(assets.topojson || {}, "
        f"{payload});"
        "})();</script>"
    )
