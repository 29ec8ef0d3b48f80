"""The AG deck as the room sees it: 16:9, nothing cut at 1280×720, text ≥ 24 px, notes, closing slide.

Measured in an offline headless Chromium driven through the DevTools protocol: each slide is
shown in turn and its content's scroll size compared with the slide's 1280×720.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest
from e2e_helpers import YEAR

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from devtools import DevTools  # noqa: E402

pytestmark = pytest.mark.slow

MEASURE_SLIDES = """(async () => {
  Reveal.configure({transition: 'none', backgroundTransition: 'none'});
  const config = Reveal.getConfig();
  const results = [];
  for (const slide of Reveal.getSlides()) {
    const idx = Reveal.getIndices(slide);
    Reveal.slide(idx.h, idx.v);
    await new Promise(r => setTimeout(r, 400));
    let minFont = 1000, smallest = '';
    for (const el of slide.querySelectorAll('*')) {
      if (el.closest('aside.notes, .hoverlayer, .modebar-container')) continue;
      const own = [...el.childNodes].filter(n => n.nodeType === 3 && n.textContent.trim())
        .map(n => n.textContent.trim()).join(' ');
      if (!own) continue;
      const style = getComputedStyle(el);
      if (style.display === 'none' || style.visibility === 'hidden' || !el.getClientRects().length) continue;
      const size = parseFloat(style.fontSize);
      if (size < minFont) { minFont = size; smallest = own.slice(0, 60); }
    }
    const heading = slide.querySelector('h1, h2');
    const toolbars = [...slide.querySelectorAll('.modebar-container')]
      .filter(el => getComputedStyle(el).display !== 'none').length;
    results.push({title: heading ? heading.textContent.replace('¶', '').trim() : '',
                  scrollHeight: slide.scrollHeight, scrollWidth: slide.scrollWidth,
                  width: config.width, height: config.height, minFont, smallest, toolbars});
  }
  return results;
})()"""


@pytest.fixture(scope="module")
def deck_html(built) -> Path:
    return built / f"presentation_ag_{YEAR}.html"


@pytest.fixture(scope="module")
def slides(deck_html, browser) -> list[dict]:
    if not browser:
        pytest.skip("Chromium absent : diaporama non mesuré")
    with DevTools(browser, width=1280, height=720) as page:
        page.open(deck_html.as_uri(), ready="window.Reveal && Reveal.isReady()")
        return page.evaluate(MEASURE_SLIDES)


def test_deck_is_16_9(slides):
    assert {(s["width"], s["height"]) for s in slides} == {(1280, 720)}


def test_no_slide_overflows_1280x720(slides):
    assert len(slides) >= 12
    overflowing = [(s["title"], s["scrollWidth"], s["scrollHeight"]) for s in slides
                   if s["scrollHeight"] > s["height"] or s["scrollWidth"] > s["width"]]
    assert overflowing == []


def test_slide_text_is_at_least_24px_and_no_toolbar_shows(slides):
    small = [(s["title"], s["minFont"], s["smallest"]) for s in slides if s["minFont"] < 24]
    assert small == []
    assert [s["title"] for s in slides if s["toolbars"]] == []


def test_speaker_notes_carry_the_exact_figures(deck_html):
    html = deck_html.read_text(encoding="utf-8")
    notes = [" ".join(re.sub(r"<[^>]+>", " ", n).split())
             for n in re.findall(r'<aside class="notes">(.*?)</aside>', html, re.S)]
    text = " ".join(notes).replace("\u202f", " ").replace("\u00a0", " ")
    # the tile shows « 12 208 € »; the notes keep the cent and the year before
    assert re.search(r"12 208,00 € d'adhésions à prix libre en 2025 \(12 027,50 € en 2024", text)
    assert "Total des charges : réalisé 102 380,00 € (prévu 102 500,00 €)" in text


def test_closing_slides_show_the_votes_and_next_steps_of_the_bilan(slides, deck_html):
    titles = [s["title"] for s in slides]
    assert titles[-2:] == ["Votes et prochaines étapes", "Merci !"]
    html = deck_html.read_text(encoding="utf-8")
    assert "Approbation des comptes 2025 et affectation du résultat" in html
    assert "Printemps 2026 : premier cycle de rencontres" in html


def test_deck_prints_as_a_handout_one_slide_a_page(deck_html, slides, browser, tmp_path):
    """The route a handout takes: the deck opened with ?print-pdf, printed by Chromium."""
    import base64
    import shutil
    import subprocess

    if not shutil.which("pdfinfo"):
        pytest.skip("pdfinfo absent")
    with DevTools(browser) as page:
        # reveal.js lays the slides out as pages (.pdf-page) after it is ready
        page.open(deck_html.as_uri() + "?print-pdf",
                  ready="window.Reveal && Reveal.isReady() && document.querySelector('.pdf-page')")
        pdf = page.call("Page.printToPDF", preferCSSPageSize=True, printBackground=True)["data"]
    handout = tmp_path / "diaporama.pdf"
    handout.write_bytes(base64.b64decode(pdf))
    info = subprocess.run(["pdfinfo", str(handout)], capture_output=True, text=True, check=True).stdout
    pages = int(re.search(r"Pages:\s+(\d+)", info).group(1))
    width, height = map(float, re.search(r"Page size:\s+([\d.]+) x ([\d.]+)", info).groups())
    assert pages == len(slides)
    assert width / height == pytest.approx(16 / 9, rel=0.01)
