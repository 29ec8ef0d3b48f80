"""The panorama and the narrative check as a reader sees them (#17 §2, §4).

One build of a sample copy whose bilan says « plus de 999 lieux »: the activity report (its
« Panorama » section) and the compte rendu's draft (which lists the contradicted figure).
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from e2e_helpers import YEAR, html_table
from sample_copy import copy_sample

from relief_analytics.report.build import build_reports

pytestmark = pytest.mark.slow

PLANTED = "plus de 999 lieux"
CAPTIONS = {
    "territoire": f"Lieux ouverts fin {YEAR} dans une métropole",
    "typologie": f"Lieux ouverts fin {YEAR} par typologie",
    "forme juridique": f"Lieux ouverts fin {YEAR} par forme juridique",
    "densité": f"Lieux ouverts fin {YEAR} pour 100 000 habitants",
}
BASE = (f"Base : 151 lieux ouverts fin {YEAR} sur 178 connus du réseau dans la région (tous états) ; "
        "{national}.")
MESSAGE = (f"Bilan qualitatif {YEAR}, ligne 41 : le bilan dit « {PLANTED} », les données en comptent "
           f"151 (lieux ouverts fin {YEAR} placés dans la région).")
SOURCE = "chiffres nationaux : France Tiers-Lieux, recensement national, 2023"


@pytest.fixture(scope="module")
def planted_build() -> Path:
    root = Path(tempfile.mkdtemp(prefix="relief-panorama-"))
    folder = copy_sample(root / "donnees")
    bilan = folder / f"bilan_qualitatif_{YEAR}.md"
    text = bilan.read_text(encoding="utf-8")
    assert "plus de 150 lieux" in text
    bilan.write_text(text.replace("plus de 150 lieux", PLANTED), encoding="utf-8")
    result = build_reports(dataset_dir=folder, year=YEAR, reports_dir=root / "rapports",
                           only=["rapport_activite", "compte_rendu_financier"], draft=True,
                           progress=lambda *_: None, browser=None)
    assert result.ok, result
    assert MESSAGE in result.warnings  # the build says so too
    yield root / "rapports" / str(YEAR)
    shutil.rmtree(root, ignore_errors=True)


@pytest.fixture(scope="module")
def activity(planted_build) -> BeautifulSoup:
    return BeautifulSoup((planted_build / f"rapport_activite_{YEAR}.html").read_text(encoding="utf-8"),
                         "html.parser")


def _panorama_table(page: BeautifulSoup, caption_start: str):
    for table in page.select("div.panorama table"):
        if table.find("caption").get_text().startswith(caption_start):
            return table
    raise AssertionError(f"no panorama table captioned {caption_start!r}")


def test_panorama_is_a_section_of_the_activity_report(activity):
    assert "Panorama" in [h.get_text().replace("¶", "").strip() for h in activity.select("h2")]
    assert "Panorama" in [a.get_text() for a in activity.select("nav a, .sommaire a")]


@pytest.mark.parametrize("breakdown", list(CAPTIONS))
def test_each_panorama_figure_carries_its_base_sentence(activity, breakdown):
    table = _panorama_table(activity, CAPTIONS[breakdown])
    sentence = table.find_next_sibling("p").get_text()
    national = "chiffre national non renseigné" if breakdown == "typologie" else SOURCE
    assert sentence == BASE.format(national=national)


def test_territory_reads_line_by_line_against_the_national_share(activity):
    rows = html_table(activity, CAPTIONS["territoire"])
    assert [(r["Territoire"], r["Lieux"], r["Part des lieux (%)"], r["Part en France (%)"])
            for r in rows] == [
        ("Métropole", "63", "41,7\xa0%", "38\xa0%"),
        ("Hors métropole : communauté d'agglomération", "44", "29,1\xa0%", "non renseigné"),
        ("Hors métropole : communauté de communes", "44", "29,1\xa0%", "non renseigné"),
        ("Hors métropole (ensemble)", "88", "58,3\xa0%", "62\xa0%"),
    ]


def test_legal_forms_beside_the_national_shares(activity):
    rows = html_table(activity, CAPTIONS["forme juridique"])
    assert [(r["Forme juridique"], r["Lieux"], r["Statuts regroupés"], r["Part en France (%)"])
            for r in rows] == [
        ("Association", "63", "Association", "51\xa0%"),
        ("Coopérative (SCIC, SCOP…)", "34", "SCIC, SCOP", "7\xa0%"),
        ("Entreprise (SARL, SAS, SA…)", "18", "SARL / SAS / SA", "19\xa0%"),
        ("Collectivité ou établissement public", "25", "Collectivité, Université", "11\xa0%"),
        ("Autre forme (collectif, fondation…)", "11", "Collectif citoyen", "non renseigné"),
    ]


def test_typology_without_national_figure_says_non_renseigne_not_zero(activity):
    rows = html_table(activity, CAPTIONS["typologie"])
    assert rows and {r["Part en France (%)"] for r in rows} == {"non renseigné"}


def test_density_per_100k_with_the_national_density(activity):
    rows = html_table(activity, CAPTIONS["densité"])
    assert [(r["Territoire"], r["Lieux"], r["Lieux pour 100 000 hab."],
             r["Lieux pour 100 000 hab. en France"]) for r in rows] == [
        ("Métropole", "63", "2,5", "non renseigné"),
        ("Hors métropole (ensemble)", "88", "1,6", "non renseigné"),
        ("Ensemble de la région", "151", "1,9", "5,1"),
    ]


def test_draft_lists_the_contradicted_figure_quoting_both(planted_build):
    page = BeautifulSoup(
        (planted_build / f"compte_rendu_financier_{YEAR}.html").read_text(encoding="utf-8"),
        "html.parser")
    items = [li.get_text() for li in page.select(".brouillon-manques li")]
    assert items == [
        f"Bilan qualitatif {YEAR}, ligne 41 : le bilan dit « {PLANTED} », les données en comptent 151 "
        f"(lieux ouverts fin {YEAR} placés dans la région)."]
    assert page.select_one(".filigrane-brouillon").get_text() == "BROUILLON"


def test_final_compte_rendu_is_refused_while_the_bilan_contradicts_the_data(tmp_path):
    from relief_analytics.errors import DataError

    folder = copy_sample(tmp_path / "donnees")
    bilan = folder / f"bilan_qualitatif_{YEAR}.md"
    bilan.write_text(bilan.read_text(encoding="utf-8").replace("plus de 150 lieux", PLANTED),
                     encoding="utf-8")
    lines = []
    with pytest.raises(DataError) as refused:
        build_reports(dataset_dir=folder, year=YEAR, reports_dir=tmp_path / "rapports",
                      only=["compte_rendu_financier"], progress=lines.append, browser=None)
    assert str(refused.value).splitlines()[:2] == [
        f"le compte rendu financier {YEAR} ne peut pas être produit en version à envoyer : il manque "
        "1 élément(s).",
        f"  - Bilan qualitatif {YEAR}, ligne 41 : le bilan dit « {PLANTED} », les données en comptent "
        f"151 (lieux ouverts fin {YEAR} placés dans la région)."]
