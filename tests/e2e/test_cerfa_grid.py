"""The CERFA grid, the deadline warning and the AG budget slides, as built from the sample.

One draft build of the compte rendu financier and the AG deck, with the builder's clock
travelled to 1 July 2026: six months and one day after the end of the 2025 financial year.
"""

from __future__ import annotations

import datetime as dt
import shutil
import tempfile
from pathlib import Path

import pytest
import time_machine
from bs4 import BeautifulSoup
from e2e_helpers import SAMPLE, YEAR, pdf_text, tiles

from relief_analytics.report.build import build_reports
from relief_analytics.report.pdf import find_browser

pytestmark = pytest.mark.slow

BUILD_DAY = dt.datetime(2026, 7, 1, 9, 30)
SPACES = str.maketrans({"\u202f": " ", "\u00a0": " "})
GRID = ["60", "61", "62", "63", "64", "65", "66", "67", "68",
        "70", "71", "72", "73", "74", "75", "76", "77", "78"]
EMPTY_CLASSES = {"63": "Impôts et taxes", "66": "Charges financières", "73": "Dotations et produits de tarification",
                 "78": "Reprises"}


@pytest.fixture(scope="module")
def draft_build():
    reports_dir = Path(tempfile.mkdtemp(prefix="relief-cerfa-"))
    lines: list[str] = []
    browser = find_browser(None)
    with time_machine.travel(BUILD_DAY, tick=True):
        result = build_reports(dataset_dir=SAMPLE, year=YEAR, reports_dir=reports_dir,
                               progress=lines.append, only=["compte_rendu_financier", "presentation_ag"],
                               draft=True, browser="auto" if browser else None)
    assert result.ok, result
    yield reports_dir / str(YEAR), lines
    shutil.rmtree(reports_dir, ignore_errors=True)


def page(folder: Path, name: str) -> BeautifulSoup:
    return BeautifulSoup((folder / f"{name}_{YEAR}.html").read_text(encoding="utf-8"), "html.parser")


def synthesis_rows(folder: Path) -> list[list[str]]:
    table = page(folder, "compte_rendu_financier").select_one("table.cerfa")
    return [[cell.get_text().translate(SPACES) for cell in tr.select("th, td")] for tr in table.select("tr")]


def test_every_class_row_is_in_the_synthesis_table(draft_build):
    rows = synthesis_rows(draft_build[0])
    texts = [" ".join(row) for row in rows]
    for code in GRID:
        assert any(row[0] == code or row[1].startswith(f"Total {code} ") for row in rows if len(row) > 1), code
    for code, label in EMPTY_CLASSES.items():
        assert [code, label, "0,00 €", "0,00 €", "0,00 €", "—"] in rows
    result = next(i for i, text in enumerate(texts) if "Résultat (produits − charges)" in text)
    for code in ("860", "861", "862", "864", "870", "871", "875"):
        assert next(i for i, row in enumerate(rows) if row[0] == code) > result, code


def test_every_class_row_and_86_87_are_in_the_pdf_text(draft_build):
    pdf = draft_build[0] / f"compte_rendu_financier_{YEAR}.pdf"
    if not shutil.which("pdftotext") or not pdf.exists():
        pytest.skip("pdftotext ou Chromium absent : PDF non vérifié")
    lines = [" ".join(line.translate(SPACES).split()) for line in pdf_text(pdf).splitlines()]
    for code, label in EMPTY_CLASSES.items():
        # a long label wraps in its cell: its first words share the line with the amounts
        assert any(line.startswith(f"{code} {label[:12]}") and line.endswith("0,00 € 0,00 € 0,00 € —")
                   for line in lines), code
    text = " ".join(lines)
    synthesis = text[text.index("2. Tableau de synthèse"):text.index("3. Annexe explicative")]
    assert "864 Personnel bénévole — 53 614,44 € +53 614,44 € —" in synthesis
    assert "870 Bénévolat — 53 614,44 € +53 614,44 € —" in synthesis
    assert synthesis.index("Résultat (produits − charges)") < synthesis.index("860 Secours en nature")


def test_the_deadline_warning_is_in_the_cli_output_and_in_the_draft(draft_build):
    folder, lines = draft_build
    warning = ("Délai dépassé : le compte rendu financier 2025 devait être envoyé au plus tard le "
               "30 juin 2026, six mois après la fin de l'exercice (31 décembre 2025) ; nous sommes le "
               "1er juillet 2026.")
    assert any(line.startswith(f"Attention : {warning}") for line in lines)
    notice = page(folder, "compte_rendu_financier").select_one(".avertissement.delai").get_text()
    assert "le compte rendu financier 2025 devait être envoyé au plus tard le 30 juin 2026" in notice


def test_the_attestation_is_not_dated_with_the_build_day(draft_build):
    attestation = page(draft_build[0], "compte_rendu_financier").select_one(".attestation").get_text()
    assert "1er juillet 2026" not in attestation
    assert "Fait à Lyon, le ……………………" in attestation


def test_the_budget_slide_shows_the_three_totals_and_the_vote_names_the_result(draft_build):
    deck = page(draft_build[0], "presentation_ag")
    shown = {label: value.translate(SPACES) for label, value in tiles(deck).items()}
    assert shown["de charges en 2025"] == "102 380 €"
    assert shown["de produits en 2025"] == "101 228 €"
    assert shown["de résultat (déficit)"] == "-1 152 €"
    votes = [li.get_text().translate(SPACES) for li in deck.select(".votes li")]
    assert votes == ["Approbation des comptes 2025", "Affectation du résultat 2025 : -1 152,00 € (déficit)",
                     "Budget prévisionnel 2026 : à ajouter au fichier budget"]
