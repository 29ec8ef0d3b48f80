"""One year, one truth: a figure shown in several documents has the same value in each of them.

Values are read from the rendered outputs of one full build — HTML text (key-figure tiles and
tables), XLSX cells and PDF text — never from the library. Covered:

- members, adhesion total, events, participants, volunteer hours, valuation of volunteer time,
  open lieux: the tiles of the activity report, the subsidy report and the AG deck; the N column
  of the activity report's comparison tables; the XLSX year sheets; the PDFs' text;
- lieux by département: activity report table, exploration table (default filters), XLSX sheet,
  and their sum equals the open-lieux tile;
- lieux by typology: activity report table, exploration table, XLSX sheet;
- budget totals (charges, produits, 864/870): subsidy report HTML table, its PDF and the XLSX.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from e2e_helpers import SPACES, YEAR, fr_number, html_table, pdf_text, tiles
from openpyxl import load_workbook

pytestmark = pytest.mark.slow

def soup(built: Path, name: str) -> BeautifulSoup:
    return BeautifulSoup((built / f"{name}_{YEAR}.html").read_text(encoding="utf-8"), "html.parser")


def sheet(built: Path, name: str) -> list[dict]:
    workbook = load_workbook(built / f"compte_rendu_financier_{YEAR}.xlsx", read_only=True)
    rows = list(workbook[name].iter_rows(values_only=True))
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


@pytest.fixture(scope="module")
def pages(built):
    return {name: soup(built, name) for name in
            ("rapport_activite", "compte_rendu_financier", "presentation_ag", "exploration_lieux")}


TILE_LABELS = {
    "membres": ("Adhésions", "Membres"),
    "d'adhésions à prix libre": ("Adhésions", "Total des adhésions (€)"),
    "événements": ("Événements", "Événements"),
    "participants": ("Événements", "Participants"),
    "heures de bénévolat": ("Bénévolat", "Heures bénévoles (h)"),
    "de bénévolat valorisé": ("Bénévolat", "Valorisation du bénévolat (€)"),
}


def test_key_figures_are_identical_in_every_document(pages):
    activity = tiles(pages["rapport_activite"])
    assert set(TILE_LABELS) | {"lieux ouverts recensés"} <= set(activity)
    for other in ("compte_rendu_financier", "presentation_ag"):
        shown = tiles(pages[other])
        common = set(shown) & set(activity)
        assert len(common) >= 6, other
        for label in common:
            assert shown[label] == activity[label], (other, label)


def test_tiles_equal_the_comparison_tables_and_the_workbook(built, pages):
    activity = tiles(pages["rapport_activite"])
    page = pages["rapport_activite"]
    comparisons = {
        "Adhésions": html_table(page, "Adhésions : année en cours"),
        "Événements": html_table(page, "Événements : année en cours"),
        "Bénévolat": html_table(page, "Temps bénévole : année en cours"),
    }
    year_rows = {
        "Adhésions": next(r for r in sheet(built, "Adhésions") if r["Année"] == YEAR),
        "Événements": next(r for r in sheet(built, "Événements") if r["Année"] == YEAR),
        "Bénévolat": sheet(built, "Bénévolat")[-1],  # the year's total row
    }
    for label, (section, header) in TILE_LABELS.items():
        tile = fr_number(activity[label])
        row_label = re.sub(r" \(.*\)$", "", header)
        table_value = next(fr_number(r[str(YEAR)]) for r in comparisons[section]
                           if r["Indicateur"] == row_label)
        cell = year_rows[section][header]
        # a euro tile is rounded to the euro; the tables keep the cent
        assert tile == pytest.approx(table_value, abs=0.5), label
        assert tile == pytest.approx(cell, abs=0.5), label
        assert table_value == pytest.approx(cell, abs=0.005), label


def test_lieux_by_departement_is_one_table(built, pages):
    open_lieux = fr_number(tiles(pages["rapport_activite"])["lieux ouverts recensés"])
    activity = {r["Département"]: fr_number(r["Lieux"])
                for r in html_table(pages["rapport_activite"], "Lieux par département")}
    exploration = {r["Département"]: fr_number(r["Lieux"])
                   for r in html_table(pages["exploration_lieux"], "Lieux par département")}
    workbook = {r["Département"]: r["Lieux"] for r in sheet(built, "Lieux par département")}
    assert len(activity) == 12  # the region's départements only, named
    assert activity == exploration == workbook
    assert sum(activity.values()) == open_lieux


def test_lieux_by_typology_is_one_table(built, pages):
    activity = {r["Typologie"]: fr_number(r["Lieux"])
                for r in html_table(pages["rapport_activite"], "Lieux par typologie")}
    exploration = {r["Typologie"]: fr_number(r["Lieux"])
                   for r in html_table(pages["exploration_lieux"], "Lieux par typologie")}
    workbook = {r["Typologie"]: r["Lieux"] for r in sheet(built, "Lieux par typologie")}
    assert activity == exploration == workbook
    open_lieux = tiles(pages["rapport_activite"])["lieux ouverts recensés"]
    caption = pages["rapport_activite"].find("caption", string=re.compile("^Lieux par typologie"))
    assert f"les {open_lieux} lieux ouverts fin {YEAR}" in caption.get_text()  # population stated


def test_budget_totals_agree_in_html_pdf_and_workbook(built, pages):
    rows = sheet(built, "Compte rendu financier")
    totals = {r["Intitulé"]: r["Réalisation (€)"] for r in rows
              if r["Intitulé"] in ("Total des charges", "Total des produits")}
    volunteer = {r["Compte"]: r["Réalisation (€)"] for r in rows if r["Compte"] in ("864", "870")}
    assert len(totals) == 2 and volunteer["864"] == volunteer["870"]
    text = pages["compte_rendu_financier"].get_text(" ").translate(SPACES)
    for label, amount in totals.items():
        shown = f"{amount:,.2f}".replace(",", " ").replace(".", ",")
        assert re.search(rf"{label}\s+[\d ,]+€?\s*{re.escape(shown)}", text), label
    valuation = fr_number(tiles(pages["rapport_activite"])["de bénévolat valorisé"])
    assert volunteer["864"] == pytest.approx(valuation, abs=0.5)
    if shutil.which("pdftotext") and (built / f"compte_rendu_financier_{YEAR}.pdf").exists():
        pdf = pdf_text(built / f"compte_rendu_financier_{YEAR}.pdf").translate(SPACES)
        for amount in [*totals.values(), volunteer["864"]]:
            assert f"{amount:,.2f}".replace(",", " ").replace(".", ",") in pdf


def test_pdf_of_the_activity_report_shows_the_tiles(built, pages):
    path = built / f"rapport_activite_{YEAR}.pdf"
    if not shutil.which("pdftotext") or not path.exists():
        pytest.skip("pdftotext ou Chromium absent : PDF non vérifié")
    text = re.sub(r"\s+", " ", pdf_text(path).translate(SPACES))
    for label, value in tiles(pages["rapport_activite"]).items():
        assert value.translate(SPACES) in text, label


def test_ag_deck_maps_cover_the_year_it_presents(built, pages):
    from e2e_helpers import plotly_figures, read_raw

    html = (built / f"presentation_ag_{YEAR}.html").read_text(encoding="utf-8")
    figures = plotly_figures(html)
    titles = [str(f["layout"].get("title", {}).get("text", "")) for f in figures]
    events_map = figures[next(i for i, t in enumerate(titles) if "événements sur place" in t)]
    assert str(YEAR) in titles[figures.index(events_map)]
    bubbles = next(t for t in events_map["data"] if t.get("type") == "scattergeo" and "customdata" in t)
    on_site = [r for r in read_raw("evenements.csv")
               if r["debut"][6:10] == str(YEAR) and r["mode"] != "en ligne"]
    assert sum(int(row[1]) for row in bubbles["customdata"]) == len(on_site)
    lieux_map = figures[next(i for i, t in enumerate(titles) if "Lieux ouverts fin" in t)]
    # coordinates are base64 typed arrays in plotly's JSON; customdata has one row per lieu
    points = sum(len(t["customdata"]) for t in lieux_map["data"]
                 if t.get("type") == "scattergeo" and "customdata" in t)
    assert points == fr_number(tiles(pages["presentation_ag"])["lieux ouverts recensés"])
