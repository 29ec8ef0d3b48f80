"""reveal.js slides: one self-contained file that becomes a slideshow offline."""

from __future__ import annotations

import re

import pytest
from report_helpers import run_chromium, scan_resources

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def slides(slides_html) -> str:
    return slides_html.read_text(encoding="utf-8")


def test_slides_load_nothing_from_the_network(slides):
    scanner = scan_resources(slides)
    online = [ref for ref in scanner.references if re.match(r"(?i)\s*(https?:)?//", ref[2])]
    assert online == []
    assert not re.search(r"(?i)(@import|url\()\s*['\"]?(https?:)?//", "".join(scanner.css))
    assert "@import url(./fonts" not in slides  # the white theme's web fonts are dropped
    assert "fonts.googleapis" not in slides


def test_slides_inline_reveal_and_plotly_once(slides):
    assert slides.count("reveal.js 4.") >= 1
    assert "Reveal.initialize(" in slides
    assert slides.count("plotly.js v") == 1
    assert slides.count("Plotly.newPlot(") == 2
    assert '<html lang="fr"' in slides
    assert "use_offline_renderer" not in slides and "dossier_donnees" not in slides


def test_cells_are_grouped_into_slides_by_their_metadata(slides):
    # title, figure, key figures, second figure: four slides from slideshow.slide_type "slide"
    assert slides.count('<span class="valeur">42</span>') == 1
    assert len(re.findall(r"<section\b", slides)) == 2 * 4  # each slide: section > section


@pytest.mark.browser
def test_slides_become_a_reveal_slideshow_offline(slides_html, browser):
    completed = run_chromium(
        browser,
        "--window-size=1280,800",
        "--virtual-time-budget=10000",
        "--dump-dom",
        slides_html.as_uri(),
    )
    dom = completed.stdout
    reveal = re.search(r'<div class="reveal ([^"]*)"', dom)
    assert reveal, completed.stderr[-2000:]
    assert "ready" in reveal.group(1).split()
    assert re.search(r'<section[^>]*class="[^"]*\bpresent\b', dom)
    assert 'class="slide-number"' in dom
    # figures on slides hidden at load keep their fixed size (not plotly's 700 px fallback)
    widths = re.findall(r'<svg class="main-svg"[^>]*width="(\d+)"', dom)
    assert widths and set(widths) == {"760"}


def test_slides_are_16_9_without_plotly_toolbar(slides):
    config = re.search(r"Reveal\.initialize\(\{(.*?)\}\);", slides, re.S).group(1)
    assert re.search(r"\bwidth: 1280,", config) and re.search(r"\bheight: 720,", config)
    assert re.search(r"\.reveal \.modebar-container \{ display: none !important; \}", slides)
