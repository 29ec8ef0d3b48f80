"""Maps really draw in a browser with the network off (HTML opened from disk, headless Chromium).

The page is built as the report renderer will build it: plotly.js inline, then
``geo_assets_script()``, then the figure. A control page without the assets must stay blank,
which proves the browser had no network and that the vendored topojson is what makes maps work.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import pandas as pd
import plotly.offline
import pytest

from relief_analytics.figures.geo_assets import geo_assets_script
from relief_analytics.figures.maps import map_lieux_by_departement, map_lieux_points
from relief_analytics.geo.resolve import resolve_communes
from relief_analytics.indicators.distribution import lieux_by_departement

CHROMIUM = (
    shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
)
pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.skipif(CHROMIUM is None, reason="Chromium absent"),
]
OFFLINE_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--proxy-server=127.0.0.1:9",
    "--proxy-bypass-list=<-loopback>",
    "--virtual-time-budget=10000",
]


def _page(fig, *, with_assets: bool = True) -> str:
    figure = fig.to_html(include_plotlyjs=False, full_html=False, include_mathjax=False)
    assets = geo_assets_script() if with_assets else ""
    return (
        "<!doctype html><html><head><meta charset='utf-8'>"
        f"<script>{plotly.offline.get_plotlyjs()}</script>{assets}</head><body>{figure}</body></html>"
    )


def _dump_dom(html: str, folder: Path, name: str) -> str:
    path = folder / f"{name}.html"
    path.write_text(html, encoding="utf-8")
    with tempfile.TemporaryDirectory() as profile:
        completed = subprocess.run(
            [CHROMIUM, *OFFLINE_FLAGS, f"--user-data-dir={profile}", "--dump-dom", path.as_uri()],
            capture_output=True,
            text=True,
            timeout=90,
            check=False,
        )
    assert completed.returncode == 0, completed.stderr[-2000:]
    return completed.stdout


def _drawn_paths(dom: str, css_class: str) -> list[str]:
    """The ``d`` attribute of every SVG path of a CSS class in the dumped DOM."""
    found = []
    for tag in re.findall(r"<path[^>]*>", dom):
        if f'class="{css_class}"' in tag:
            match = re.search(r'\sd="([^"]*)"', tag)
            found.append(match.group(1) if match else "")
    return found


@pytest.fixture(scope="module")
def lieux(reference) -> pd.DataFrame:
    frame = pd.DataFrame(
        {
            "lieu_id": [f"L{n}" for n in range(6)],
            "lieu_name": [f"Lieu {n}" for n in range(6)],
            "commune_code": ["69383", "38185", "63113", "74010", "26362", "15014"],
            "typologies": [
                "Coworking",
                "Fablab",
                "Coworking|Fablab",
                "Tiers-lieu culturel",
                "Fablab",
                "Cuisine partagée",
            ],
            "state": ["ouvert"] * 6,
        }
    )
    return resolve_communes(frame, reference=reference)


def test_choropleth_draws_offline(reference, lieux, tmp_path):
    fig = map_lieux_by_departement(
        lieux_by_departement(lieux, reference=reference), reference=reference
    )
    shapes = _drawn_paths(_dump_dom(_page(fig), tmp_path, "choropleth"), "choroplethlocation")
    assert len(shapes) == 12
    assert all(len(d) > 100 for d in shapes)  # real outlines, not empty paths


def test_points_draw_offline(reference, lieux, tmp_path):
    dom = _dump_dom(_page(map_lieux_points(lieux, reference=reference)), tmp_path, "points")
    assert len(_drawn_paths(dom, "choroplethlocation")) == 12  # département outlines
    assert len(_drawn_paths(dom, "point")) == 6
    assert "Coworking" in dom and "Typologie principale" in dom  # legend text


def test_control_without_assets_stays_blank(reference, lieux, tmp_path):
    fig = map_lieux_by_departement(
        lieux_by_departement(lieux, reference=reference), reference=reference
    )
    dom = _dump_dom(_page(fig, with_assets=False), tmp_path, "control")
    assert _drawn_paths(dom, "choroplethlocation") == []
