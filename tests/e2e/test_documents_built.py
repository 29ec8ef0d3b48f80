"""The final compte rendu financier as the funder reads it (PDF text of the sample build)."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess

import pytest
from e2e_helpers import YEAR, pdf_text

from relief_analytics import formatting

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def subsidy_pdf_text(built) -> str:
    pdf = built / f"compte_rendu_financier_{YEAR}.pdf"
    if not shutil.which("pdftotext") or not pdf.exists():
        pytest.skip("pdftotext ou Chromium absent : PDF non vérifié")
    text = pdf_text(pdf).replace("\u202f", " ").replace("\u00a0", " ")
    return re.sub(r"[ \t]+", " ", text)


@pytest.fixture(scope="module")
def flat_text(built, subsidy_pdf_text) -> str:
    """The PDF's text in reading order (no layout), spaces normalised."""
    pdf = built / f"compte_rendu_financier_{YEAR}.pdf"
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    return " ".join(text.replace("\u202f", " ").replace("\u00a0", " ").split())


def test_final_subsidy_pdf_identifies_the_association_and_the_subsidy(flat_text):
    flat = flat_text
    for expected in ("W691234567", "12345678900017", "12 rue des Tiers-Lieux", "n° 2025-AURA-TL-00421",
                     "du 14 mars 2025", "60 000,00 €", "du 1er janvier 2025 au 31"):
        assert expected in flat


def test_final_subsidy_pdf_ends_with_the_attestation(flat_text):
    flat = flat_text
    assert re.search(r"Je soussigné\(e\), \(nom et prénom\) ?, coprésident\(e\), représentant\(e\) légal\(e\) "
                     r"de l'association RELIEF .* certifie exactes les informations du présent compte rendu\. "
                     r"Fait à Lyon, le …+ Signature", flat)
    # the sample sets no date_signature: the date is left blank, never the day of the build
    signed = re.search(r"Fait à Lyon, le (.+?) Signature", flat).group(1)
    today = dt.date.today()
    assert signed not in {formatting.format_date(today), formatting.format_date(today - dt.timedelta(days=1))}
    assert set(signed) == {"…"}
    # the last words of the document, before the page footer
    assert re.sub(r"\s*Page \d+ / \d+\s*$", "", flat).endswith("Signature")


def test_every_page_of_both_pdfs_is_numbered(built):
    for name in ("compte_rendu_financier", "rapport_activite"):
        pdf = built / f"{name}_{YEAR}.pdf"
        if not shutil.which("pdftotext") or not pdf.exists():
            pytest.skip("pdftotext ou Chromium absent : PDF non vérifié")
        pages = pdf_text(pdf).split("\f")
        pages = [page for page in pages if page.strip()]
        assert len(pages) > 1
        for number, page in enumerate(pages, start=1):
            assert f"Page {number} / {len(pages)}" in page, (name, number)


def test_final_subsidy_pdf_has_no_draft_or_configuration_jargon(subsidy_pdf_text):
    assert "À compléter" not in subsidy_pdf_text
    assert "brouillon" not in subsidy_pdf_text.lower()
    assert "configuration" not in subsidy_pdf_text
    assert not re.search(r"\[(subvention|taux_horaire_benevolat|reseau|association)", subsidy_pdf_text)
    assert "config.toml" not in subsidy_pdf_text


def test_contribution_totals_add_their_planned_lines(subsidy_pdf_text):
    # 861 and 871 are planned at 4 000 € and 864/870 are not: the totals read 4 000 €, not « — »,
    # and their gap is the sum of the lines' gaps (864/870: their whole réalisation)
    for total in ("Total 86 Emplois des", "Total 87 Contributions"):
        line = next(line for line in subsidy_pdf_text.splitlines() if total in line)
        assert re.search(r"4 000,00 € +57 614,44 € +\+53 614,44 € +\+1 340,4 %", line), line


BAR_LABELS_OUTSIDE_PLOT = """(() => {
  const out = [];
  for (const g of document.querySelectorAll('.js-plotly-plot')) {
    if (!g._fullLayout || !g._fullLayout.xaxis) continue;
    const box = g.getBoundingClientRect(), size = g._fullLayout._size;
    const left = box.left + size.l, right = left + size.w;
    for (const t of g.querySelectorAll('.bartext')) {
      const r = t.getBoundingClientRect();
      if (r.width && (r.left < left - 1 || r.right > right + 1)) {
        out.push([(g._fullLayout.title.text || '').slice(0, 50), t.textContent]);
      }
    }
  }
  return out;
})()"""


@pytest.mark.parametrize("name", ["compte_rendu_financier", "rapport_activite"])
def test_bar_labels_stay_inside_their_plot(built, browser, name):
    """A value label never runs over the category labels (« -5 000,00 € » on « 743 … »)."""
    import sys
    import time
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from devtools import DevTools

    if not browser:
        pytest.skip("Chromium absent")
    with DevTools(browser, width=1000, height=900) as page:
        page.open((built / f"{name}_{YEAR}.html").as_uri(),
                  ready="document.querySelectorAll('.js-plotly-plot .main-svg').length > 0")
        time.sleep(1)
        assert page.evaluate(BAR_LABELS_OUTSIDE_PLOT) == []


@pytest.mark.parametrize("name", ["rapport_activite", "exploration_lieux", "presentation_ag"])
def test_every_map_of_the_build_names_the_12_departements(built, name):
    from e2e_helpers import plotly_figures

    aura = {"Ain", "Allier", "Ardèche", "Cantal", "Drôme", "Isère", "Loire", "Haute-Loire",
            "Puy-de-Dôme", "Rhône", "Savoie", "Haute-Savoie"}
    figures = plotly_figures((built / f"{name}_{YEAR}.html").read_text(encoding="utf-8"))
    maps = [f for f in figures if "geo" in f["layout"]]
    assert maps
    for figure in maps:
        names = {text for trace in figure["data"] if trace.get("mode") == "text"
                 for text in trace.get("text", [])}
        assert names == aura, figure["layout"].get("title")
