"""What is counted is decided once: rows outside the region or unplaced count in no document.

A copy of the sample gets, in the report year, one on-site event in Paris, one mixed event in a
commune that exists nowhere, one online event (no place: counted), one lieu in Paris and one
lieu in that unknown commune. After a full build (without PDFs), the figures of every document
(tiles, tables, workbook) are those of the sample plus the online event only, none of the four
rows set aside is named in any counting document, and the quality report lists each of them
under its sentence « ne sont comptés dans aucun rapport », which is therefore true.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from e2e_helpers import YEAR, fr_number, html_table, tiles
from openpyxl import load_workbook
from sample_copy import copy_sample

pytestmark = pytest.mark.slow

EXTRA_EVENTS = (
    f"EV{YEAR}-901,Visite de la Friche Parisienne,14/10/{YEAR} 10:00,14/10/{YEAR} 12:00,Visite,"
    "Animation & Mutualisation,sur place,,Paris,75056,500,2\n"
    f"EV{YEAR}-902,Rencontre à Nullepart,15/10/{YEAR} 10:00,15/10/{YEAR} 12:00,Rencontre,"
    "Animation & Mutualisation,mixte,,Nullepart-sur-Rien,,300,2\n"
    f"EV{YEAR}-903,Webinaire des communs,16/10/{YEAR} 10:00,16/10/{YEAR} 11:00,Webinaire,"
    "Communication,en ligne,,,,7,1\n"
)
EXTRA_LIEUX = (
    "L0901;La Friche Parisienne;1 rue Inventée;75011;Paris;75056;48,8575;2,3795;"
    "Tiers-lieu culturel;Association;2020;ouvert;oui;;01/12/2025\n"
    "L0902;Le Lieu Perdu;;;Nullepart-sur-Rien;;;;Tiers-lieu culturel;Association;2020;ouvert;"
    "oui;;01/12/2025\n"
)
SET_ASIDE = {
    "EV2025-901": "Visite de la Friche Parisienne",
    "EV2025-902": "Rencontre à Nullepart",
    "L0901": "La Friche Parisienne",
    "L0902": "Le Lieu Perdu",
}
COUNTING_DOCUMENTS = ("rapport_activite", "compte_rendu_financier", "presentation_ag", "exploration_lieux")


@pytest.fixture(scope="module")
def augmented_build():
    from relief_analytics.report.build import build_reports

    root = Path(tempfile.mkdtemp(prefix="relief-population-"))
    try:
        folder = copy_sample(root / "donnees")
        with open(folder / "evenements.csv", "a", encoding="utf-8") as out:
            out.write(EXTRA_EVENTS)
        with open(folder / "lieux.csv", "a", encoding="utf-8") as out:
            out.write(EXTRA_LIEUX)
        result = build_reports(dataset_dir=folder, year=YEAR, reports_dir=root / "rapports",
                               progress=lambda *_: None, browser=None)
        assert result.ok, result
        yield result.year_dir
    finally:
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture(scope="module")
def pages(augmented_build):
    return {name: BeautifulSoup((augmented_build / f"{name}_{YEAR}.html").read_text(encoding="utf-8"),
                                "html.parser")
            for name in (*COUNTING_DOCUMENTS, "qualite_donnees")}


def test_the_tiles_count_the_online_event_and_none_of_the_rows_set_aside(pages, sample_context):
    expected_events = sample_context.facts.events_count + 1
    expected_participants = float(sample_context.comparisons["events_by_year"].set_index("indicator")
                                  .loc["participants_count", "value"]) + 7
    for name in ("rapport_activite", "compte_rendu_financier", "presentation_ag"):
        shown = {label: fr_number(value) for label, value in tiles(pages[name]).items()}
        assert shown["événements"] == expected_events, name
        if "participants" in shown:
            assert shown["participants"] == expected_participants, name
        if "lieux ouverts recensés" in shown:
            assert shown["lieux ouverts recensés"] == sample_context.facts.open_lieux_count, name


def test_the_tables_and_the_workbook_count_none_of_them(augmented_build, pages, sample_context):
    open_lieux = sample_context.facts.open_lieux_count
    for name in ("rapport_activite", "exploration_lieux"):
        rows = html_table(pages[name], "Lieux par département")
        assert sum(fr_number(r["Lieux"]) for r in rows) == open_lieux, name
        assert len(rows) == 12, name
    workbook = load_workbook(augmented_build / f"compte_rendu_financier_{YEAR}.xlsx", read_only=True)
    sheets = {ws.title: list(ws.iter_rows(values_only=True)) for ws in workbook.worksheets}
    by_dep = sheets["Lieux par département"]
    assert sum(row[by_dep[0].index("Lieux")] for row in by_dep[1:]) == open_lieux
    events = sheets["Événements"]
    year_row = next(dict(zip(events[0], row, strict=True)) for row in events[1:] if row[0] == YEAR)
    assert year_row["Événements"] == sample_context.facts.events_count + 1
    cells = {str(cell) for rows in sheets.values() for row in rows for cell in row if cell is not None}
    for identifier, label in SET_ASIDE.items():
        assert not any(identifier in c or label in c for c in cells), identifier


def test_no_counting_document_names_a_row_set_aside(pages):
    for name in COUNTING_DOCUMENTS:
        text = pages[name].get_text(" ")
        for identifier, label in SET_ASIDE.items():
            assert identifier not in text and label not in text, (name, identifier)


def test_the_quality_report_lists_each_of_them_under_its_sentence(pages):
    page = pages["qualite_donnees"]
    text = page.get_text(" ")
    assert ("Les lieux et les événements sur place ou mixtes hors région ou non placés (ambigus, en "
            "conflit, non résolus) sont listés ci-dessous et ne sont comptés dans aucun rapport") in text
    lieux = {r["Identifiant"]: r["Statut"] for r in html_table(page, "Lieux non placés")}
    events = {r["Identifiant"]: r["Statut"] for r in html_table(page, "Événements sur place non placés")}
    assert lieux == {"L0901": "hors région", "L0902": "non résolue"}
    assert events == {"EV2025-901": "hors région", "EV2025-902": "non résolue"}
