"""« Ce qui a changé » end to end, on a two-year fixture: the exact lists and counts in the
activity report's HTML and in the CA digest's PDF text, the snapshot the build keeps, and a first
year that says it has no snapshot.

The fixture's 2024 state is kept as the snapshot a build of the 2024 reports would have written
on 14 March 2025; the 2025 files then hold, against it: one lieu opened after being « en
projet » (La Forge), one newly listed and opened in 2025 (Le Hangar), one newly listed that
opened long ago (La Grange), one closed (L'Atelier), one no longer listed (Le Local), one whose
typology changed (Le Four), one whose state went back to « en projet » (La Halle), one unchanged
(Le Quai). Members: A, B, C in 2024; B, C, D, E in 2025 (2 new, 2 renewed, 1 lapsed).
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from e2e_helpers import SPACES, html_table, pdf_text
from factories import (
    adhesion,
    budget_line,
    contribution,
    evenement,
    lieu,
    tiny_context,
    write_dataset,
)

from relief_analytics.report.build import build_reports
from relief_analytics.report.snapshots import SNAPSHOTS_DIRNAME, write_lieux_snapshot

pytestmark = pytest.mark.slow

DROME = {"commune": "Crest", "code_insee": "26108", "code_postal": "26400"}


def lieux_2024() -> list[dict]:
    return [
        lieu("L1", "La Forge", etat="en projet", annee_ouverture="",
             typologies="Fablab / Makerspace / Hackerspace", **DROME),
        lieu("L2", "Le Four", commune="Die", code_insee="26113", code_postal="26150",
             typologies="Cuisine partagée", annee_ouverture="2019"),
        lieu("L3", "L'Atelier", typologies="Atelier artisanal partagé", annee_ouverture="2016"),
        lieu("L6", "Le Local", commune="Vienne", code_insee="38544", code_postal="38200"),
        lieu("L7", "La Halle", commune="Riom", code_insee="63300", code_postal="63200",
             annee_ouverture="2021"),
        lieu("L8", "Le Quai", typologies="Bureaux partagés / Coworking", annee_ouverture="2017"),
    ]


def lieux_2025() -> list[dict]:
    return [
        lieu("L1", "La Forge", annee_ouverture="2025", typologies="Fablab / Makerspace / Hackerspace",
             **DROME),
        lieu("L2", "Le Four", commune="Die", code_insee="26113", code_postal="26150",
             typologies="Cuisine partagée|Tiers-lieu nourricier", annee_ouverture="2019"),
        lieu("L3", "L'Atelier", etat="fermé", typologies="Atelier artisanal partagé",
             annee_ouverture="2016"),
        lieu("L4", "Le Hangar", commune="Valence", code_insee="26362", code_postal="26000",
             annee_ouverture="2025"),
        lieu("L5", "La Grange", commune="Annecy", code_insee="74010", code_postal="74000",
             typologies="Tiers-lieu nourricier", annee_ouverture="2018"),
        lieu("L7", "La Halle", etat="en projet", commune="Riom", code_insee="63300",
             code_postal="63200", annee_ouverture="2021"),
        lieu("L8", "Le Quai", typologies="Bureaux partagés / Coworking", annee_ouverture="2017"),
    ]


PEOPLE = {"A": ("Zorglub", "Anatole"), "B": ("Vercingé", "Bérénice"), "C": ("Quimper", "Cyprien"),
          "D": ("Ondine", "Dorothée"), "E": ("Xylo", "Eustache")}


def adhesions() -> list[dict]:
    rows = []
    for year, who in (("2024", "ABC"), ("2025", "BCDE")):
        for letter in who:
            nom, prenom = PEOPLE[letter]
            rows.append(adhesion(f"{letter}{year}", date=f"15/03/{year}", nom=nom, prenom=prenom))
    return rows


def rows_2025() -> dict:
    return {
        "lieux": lieux_2025(),
        "adhesions": adhesions(),
        "evenements": [evenement("E1", debut="10/10/2024 18:00", fin="10/10/2024 20:00", participants="10"),
                       evenement("E2", debut="11/10/2024 18:00", fin="11/10/2024 20:00", participants="20"),
                       evenement("E3", participants="12"), evenement("E4", participants="8"),
                       evenement("E5", participants="15")],
        "contributions": [contribution("C1", date="12/12/2024", heures="10"),
                          contribution("C2", heures="4"), contribution("C3", heures="2,5")],
        "budget": [budget_line("2024", "604", "Achats", "1000,00", "900,00"),
                   budget_line("2024", "742", "Subvention Région", "1000,00", "1000,00",
                               financeur="Région Auvergne-Rhône-Alpes"),
                   budget_line("2025", "604", "Achats", "1000,00", "1200,00"),
                   budget_line("2025", "742", "Subvention Région", "1000,00", "1000,00",
                               financeur="Région Auvergne-Rhône-Alpes")],
    }


def build(data: Path, reports: Path, browser):
    result = build_reports(dataset_dir=data, year=2025, reports_dir=reports, progress=lambda *_: None,
                           only=["rapport_activite", "presentation_ag", "synthese_ca"],
                           browser=browser, draft=True)
    assert result.ok, [o.error for o in result.failed]
    return reports / "2025"


@pytest.fixture(scope="module")
def pdf_browser(browser):
    """The e2e conftest's browser; these tests read the digest's PDF, so they need one."""
    if browser is None:
        pytest.skip("Chromium absent : pas de PDF")
    return browser


@pytest.fixture(scope="module")
def two_years(pdf_browser):
    root = Path(tempfile.mkdtemp(prefix="relief-changes-"))
    reports = root / "reports"
    before = tiny_context(root / "data-2024", year=2024, reports=["synthese_ca"], lieux=lieux_2024())
    write_lieux_snapshot(before, reports, today=dt.date(2025, 3, 14))
    data = write_dataset(root / "data", **rows_2025())
    year_dir = build(data, reports, pdf_browser)
    yield year_dir
    shutil.rmtree(root, ignore_errors=True)


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", BeautifulSoup(html, "html.parser").get_text(" ")).translate(SPACES)


def flat(text: str) -> str:
    return re.sub(r"\s+", " ", text).translate(SPACES)


EXPECTED_LINES = (
    "Ouvertures (2) : La Forge (Crest), Le Hangar (Valence)",
    "Fermetures (1) : L'Atelier (Lyon)",
    "Nouvellement recensés (2) : La Grange (Annecy), Le Hangar (Valence)",
    "Plus recensés (1) : Le Local (Vienne)",
    "Typologie modifiée (1) : Le Four (Die) : Cuisine partagée → Cuisine partagée | Tiers-lieu nourricier",
    "État modifié (1) : La Halle (Riom) : ouvert → en projet",
)


#: Since the AG (14 June 2025) Le Hangar is newly listed but not an opening: opened in 2025, maybe before.
EXPECTED_SINCE_AG = ("Ouvertures (1) : La Forge (Crest)", *EXPECTED_LINES[1:])


#: The one-page digest names the lieux without their old and new typology or state.
EXPECTED_IN_DIGEST = (*EXPECTED_LINES[:4], "Typologie modifiée (1) : Le Four (Die)",
                      "État modifié (1) : La Halle (Riom)")


def section(page_text: str, start: str, end: str) -> str:
    return page_text[page_text.index(start):page_text.index(end, page_text.index(start))]


def test_activity_report_lists_the_changes_since_n_minus_1_and_since_the_ag(two_years):
    page = (two_years / "rapport_activite_2025.html").read_text(encoding="utf-8")
    text = text_of(page)
    since_year = section(text, "Depuis l'année précédente", "Depuis la dernière AG")
    since_ag = section(text, "Depuis la dernière AG", "Adhésions")
    for part, expected in ((since_year, EXPECTED_LINES), (since_ag, EXPECTED_SINCE_AG)):
        assert "Comparé à l’instantané du 14 mars 2025 de la liste des lieux (rapports 2024)." in part
        for line in expected:
            assert line in part
    rows = html_table(BeautifulSoup(page, "html.parser"), "Ce qui a changé entre 2024 et 2025")
    got = {r["Indicateur"]: (r["2024"], r["2025"], r["Évolution"]) for r in rows}
    assert {k: tuple(v.translate(SPACES) for v in vals) for k, vals in got.items()} == {
        "Membres": ("3", "4", "+1"), "Nouveaux membres": ("3", "2", "-1"), "Membres de retour": ("0", "0", "0"),
        "Membres renouvelés": ("0", "2", "+2"), "Membres non renouvelés": ("0", "1", "+1"),
        "Événements": ("2", "3", "+1"), "Participants": ("30", "35", "+5"),
        "Heures bénévoles": ("10 h", "6,5 h", "-3,5 h"),
        "Résultat du budget": ("100,00 €", "-200,00 €", "-300,00 €"),
    }


def test_digest_is_one_a4_page_with_the_exact_lists_and_no_member_name(two_years):
    pdf = two_years / "synthese_ca_2025.pdf"
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert re.search(r"^Pages:\s+1$", info, re.M), info
    assert re.search(r"^Page size:.*\(A4\)$", info, re.M), info
    text = flat(pdf_text(pdf))
    for line in EXPECTED_IN_DIGEST:
        assert line in text
    assert "Cuisine partagée →" not in text
    assert ("Ouvertures : 1, fermetures : 1, nouvellement recensés : 2, plus recensés : 1, "
            "typologie modifiée : 1, état modifié : 1.") in text
    assert re.search(r"Membres non renouvelés 0 1 \+1", text)
    for nom, prenom in PEOPLE.values():
        for page_text in (text, text_of((two_years / "synthese_ca_2025.html").read_text(encoding="utf-8"))):
            assert nom not in page_text and prenom not in page_text


def test_the_ag_slide_names_the_changes_and_its_notes_say_what_rose_fell_and_why(two_years):
    deck = BeautifulSoup((two_years / "presentation_ag_2025.html").read_text(encoding="utf-8"),
                         "html.parser")
    slide = next(s for s in deck.select("section")
                 if s.find("h2") and s.find("h2").get_text().startswith("Ce qui a changé"))
    text = flat(slide.get_text(" "))
    assert "Comparé à l’instantané du 14 mars 2025 de la liste des lieux (rapports 2024)." in text
    assert "Ouvertures (2) : La Forge (Crest), Le Hangar (Valence)" in text
    notes = flat(slide.select_one(".notes-changements").get_text(" "))
    assert "En hausse : membres : +1 (3 → 4) ; membres renouvelés : +2 (0 → 2) ;" in notes
    assert ("En baisse : nouveaux membres : -1 (3 → 2) ; heures bénévoles : -3,5 h (10 h → 6,5 h) ; "
            "résultat du budget : -300,00 € (100,00 € → -200,00 €).") in notes
    assert ("Pourquoi : membres +1 : 2 nouveaux, 0 de retour, 2 renouvelés, 1 non renouvelé ; "
            "lieux : 2 ouvertures, 1 fermeture, 2 lieux nouvellement recensés, 1 lieu plus recensé, "
            "1 typologie modifiée, 1 changement d’état.") in notes
    assert not any(nom in flat(deck.get_text(" ")) for nom, _ in PEOPLE.values())


def test_the_build_keeps_its_own_snapshot_beside_the_earlier_one(two_years):
    kept = sorted(p.name for p in (two_years.parent / SNAPSHOTS_DIRNAME).iterdir())
    assert kept[0] == "lieux_2024_2025-03-14.csv"
    assert len(kept) == 2 and re.fullmatch(r"lieux_2025_\d{4}-\d{2}-\d{2}\.csv", kept[1])
    header = (two_years.parent / SNAPSHOTS_DIRNAME / kept[1]).read_text(encoding="utf-8-sig").splitlines()[0]
    assert "nom" in header.split(";") and not any(n in header for n, _ in PEOPLE.values())


def test_first_year_without_snapshot_says_so_and_invents_nothing(pdf_browser, tmp_path):
    data = write_dataset(tmp_path / "data", **rows_2025())
    year_dir = build(data, tmp_path / "reports", pdf_browser)
    text = flat(pdf_text(year_dir / "synthese_ca_2025.pdf"))
    assert ("Aucun instantané de la liste des lieux gardé pour les rapports 2024 : ouvertures et "
            "fermetures d’après les dates de la table des lieux, le reste demande un instantané.") in text
    assert "Ouvertures (2) : La Forge (Crest), Le Hangar (Valence)" in text
    assert "Fermetures (1) : L'Atelier (Lyon)" in text
    assert ("Nouvellement recensés, plus recensés, typologie modifiée, état modifié : non établis "
            "sans instantané") in text
    assert "La Grange" not in text and "Le Local" not in text
    html = text_of((year_dir / "rapport_activite_2025.html").read_text(encoding="utf-8"))
    assert "Aucun instantané de la liste des lieux n’a été gardé pour les rapports 2024" in html
