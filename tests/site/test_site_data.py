"""What the site computes from a year's public tables: the open lieux, tiles, département pages."""

from __future__ import annotations

import pandas as pd
import pytest
from site_factories import by_departement, membership_series, open_data_frame, open_data_row

from relief_analytics.display.key_figures import ACTIVITY_TILES
from relief_analytics.site import data


def test_the_open_lieux_are_the_reports_population():
    frame = open_data_frame([
        open_data_row("L1", "Ouvert avant", annee=2020),
        open_data_row("L2", "Ouvert sans année", annee=None),
        open_data_row("L3", "Ouvert après l'année", annee=2026),
        open_data_row("L4", "En projet", etat="en projet", annee=None),
        open_data_row("L5", "Fermé", etat="fermé", annee=2018),
    ])
    lieux = data.site_lieux(frame, year=2025).set_index("id")
    assert lieux["is_open"].to_dict() == {"L1": True, "L2": True, "L3": False, "L4": False, "L5": False}
    assert lieux["state_key"].to_dict() == {"L1": "ouvert", "L2": "ouvert", "L3": "ouverture-ulterieure",
                                            "L4": "en projet", "L5": "fermé"}
    assert data.state_label("ouvert", year=2025) == "ouvert fin 2025"
    assert data.state_label("ouverture-ulterieure", year=2025) == "ouverture après 2025"


def test_lieux_are_sorted_as_a_french_reader_expects():
    frame = open_data_frame([open_data_row("L1", "Zèbre"), open_data_row("L2", "école du Lac"),
                             open_data_row("L3", "Atelier")])
    assert data.site_lieux(frame, year=2025)["nom"].tolist() == ["Atelier", "école du Lac", "Zèbre"]


@pytest.mark.parametrize("website", ["javascript:alert(1)", "JaVaScRiPt:alert(1)", "data:text/html,x",
                                     "//exemple.org", "exemple.org", " ", None])
def test_only_a_web_address_becomes_a_link(website):
    frame = open_data_frame([open_data_row("L1", "Lieu", site_web=website)])
    record = data.lieu_records(data.site_lieux(frame, year=2025))[0]
    assert record["site"] is None


def test_a_lieu_record_holds_the_public_fields_only():
    frame = open_data_frame([open_data_row("L1", "La Fabrique", typologie="Fablab|Tiers-lieu culturel",
                                           site_web="https://fabrique.exemple.org")])
    (record,) = data.lieu_records(data.site_lieux(frame, year=2025))
    assert record == {"id": "L1", "nom": "La Fabrique", "commune": "Crest", "insee": "26108", "dep": "26",
                      "lat": 44.728, "lon": 5.022, "typologies": ["Fablab", "Tiers-lieu culturel"],
                      "statut": "Association", "annee": 2020, "etat": "ouvert", "membre": True,
                      "site": "https://fabrique.exemple.org"}


def test_key_figures_read_like_the_reports_tiles_with_their_change():
    series = {"membership_by_year": membership_series({2024: (290, 12027.5), 2025: (350, 12208.0)})}
    figures = data.key_figures(series, year=2025)
    assert [(f.label, f.value, f.change) for f in figures] == [
        ("membres", "350", "+60"),
        ("d'adhésions à prix libre", "12\u202f208\u00a0€", "+180,50\u00a0€"),
    ]


def test_a_first_year_has_no_change():
    series = {"membership_by_year": membership_series({2021: (100, 3119.5)})}
    assert [f.change for f in data.key_figures(series, year=2021)] == ["—", "—"]


def test_the_site_tiles_are_the_reports_tiles_but_the_hours_of_formation():
    assert [label for *_, label in data.SITE_TILES] == [
        label for *_, label in ACTIVITY_TILES if label != "heures de formation délivrées"]


def test_a_departement_summary_keeps_the_reports_counts_and_lists_its_lieux_and_empty_epci():
    lieux = data.site_lieux(open_data_frame([
        open_data_row("L1", "Atelier", code_insee="26108", typologie="Fablab|Tiers-lieu culturel"),
        open_data_row("L2", "Café", code_insee="26108", typologie="Tiers-lieu culturel"),
        open_data_row("L3", "Projet", code_insee="26200", etat="en projet", annee=None),
        open_data_row("L4", "Ailleurs", code_insee="01053", departement="01"),
    ]), year=2025)
    epci = pd.DataFrame({"epci_code": ["E1", "E2", "E3"], "epci_name": ["CC du Crestois", "CA Valence", "CC Ain"],
                         "departement_code": ["26", "26", "01"]})
    communes = pd.DataFrame({"commune_code": ["26108", "26200", "01053"], "epci_code": ["E1", "E2", "E3"]})
    now = by_departement({"01": ("Ain", 600_000, 1, 1), "26": ("Drôme", 500_000, 2, 2)})
    before = by_departement({"01": ("Ain", 600_000, 1, 1), "26": ("Drôme", 500_000, 1, 1)})
    ain, drome = data.departement_summaries(now, lieux, epci=epci, communes=communes,
                                            previous_by_departement=before, typologies=["Fablab"])
    assert (drome.code, drome.lieux_count, drome.previous_lieux_count) == ("26", 2, 1)
    assert drome.lieux_per_100k == pytest.approx(0.4)
    assert drome.typologies == (("Tiers-lieu culturel", 2), ("Fablab", 1))
    assert drome.epci_without_lieu == ("CA Valence",)  # L3 is only a project
    assert drome.lieux["nom"].tolist() == ["Atelier", "Café"]
    assert ain.epci_without_lieu == () and ain.lieux["nom"].tolist() == ["Ailleurs"]


def test_without_the_year_before_the_change_is_unknown():
    lieux = data.site_lieux(open_data_frame([open_data_row("L1", "Atelier")]), year=2025)
    (drome,) = data.departement_summaries(
        by_departement({"26": ("Drôme", 500_000, 1, 1)}), lieux,
        epci=pd.DataFrame({"epci_code": [], "epci_name": [], "departement_code": []}),
        communes=pd.DataFrame({"commune_code": [], "epci_code": []}))
    assert drome.previous_lieux_count is None
