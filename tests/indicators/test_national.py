"""The panorama: breakdowns of the national census computed on the network's lieux."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest
from bs4 import BeautifulSoup

from relief_analytics.display.panorama import panorama_table
from relief_analytics.indicators.national import (
    legal_form_family,
    panorama_base,
    panorama_bases,
    panorama_by_legal_form,
    panorama_by_territory,
    panorama_by_typology,
    panorama_density,
)
from relief_analytics.load.config_model import ContextSettings, NationalSettings

NNBSP = "\u202f"


def _reference() -> SimpleNamespace:
    """Three EPCI: a métropole of 200 000 inhabitants, an agglomération and a communes' one."""
    return SimpleNamespace(epci=pd.DataFrame({
        "epci_code": ["200046977", "200071108", "246900740"],
        "epci_kind": ["ME", "CA", "CC"],
        "population": pd.array([200_000, 150_000, 50_000], dtype="Int64"),
    }))


def _lieux(*epci_codes: str | None) -> pd.DataFrame:
    return pd.DataFrame({"epci_code": list(epci_codes)})


# --- legal forms --------------------------------------------------------------------------------
@pytest.mark.parametrize(("status", "family"), [
    ("Association", "Association"),
    ("association loi 1901", "Association"),
    ("SCIC", "Coopérative (SCIC, SCOP…)"),
    ("SCOP", "Coopérative (SCIC, SCOP…)"),
    ("SCIC SAS", "Coopérative (SCIC, SCOP…)"),
    ("Coopérative d'activité et d'emploi", "Coopérative (SCIC, SCOP…)"),
    ("SARL / SAS / SA", "Entreprise (SARL, SAS, SA…)"),
    ("sasu", "Entreprise (SARL, SAS, SA…)"),
    ("Micro-entreprise", "Entreprise (SARL, SAS, SA…)"),
    ("Collectivité", "Collectivité ou établissement public"),
    ("Commune", "Collectivité ou établissement public"),
    ("Université", "Collectivité ou établissement public"),
    ("Établissement public", "Collectivité ou établissement public"),
    ("Collectif citoyen", "Autre forme (collectif, fondation…)"),
    ("Fondation", "Autre forme (collectif, fondation…)"),
    ("", "Non renseigné"),
    (None, "Non renseigné"),
    (np.nan, "Non renseigné"),
    ("Truc bidule", "Non renseigné"),
    ("SASSA", "Non renseigné"),
])
def test_legal_form_family_of_each_status(status, family):
    assert legal_form_family(status) == family


def test_every_status_of_the_sample_list_has_a_family():
    import tomllib

    from relief_analytics import paths

    config = tomllib.loads((paths.SAMPLE_DATASET_DIR / "config.toml").read_text(encoding="utf-8"))
    families = {s: legal_form_family(s) for s in config["listes"]["statuts_juridiques"]}
    assert "Non renseigné" not in families.values(), families


def test_unknown_status_is_named_under_non_renseigne_never_put_in_another_family():
    lieux = pd.DataFrame({"legal_status": ["Association", "Association", "SCOP", "Régie", None]})
    table = panorama_by_legal_form(lieux, national=NationalSettings(forme_juridique={"association": 0.51}))
    assert table.to_dict("records") == [
        {"legal_form_family": "Association", "lieux_count": 2, "lieux_share": 0.4,
         "legal_statuses": "Association", "national_lieux_share": 0.51},
        {"legal_form_family": "Coopérative (SCIC, SCOP…)", "lieux_count": 1, "lieux_share": 0.2,
         "legal_statuses": "SCOP", "national_lieux_share": pytest.approx(np.nan, nan_ok=True)},
        {"legal_form_family": "Entreprise (SARL, SAS, SA…)", "lieux_count": 0, "lieux_share": 0.0,
         "legal_statuses": "", "national_lieux_share": pytest.approx(np.nan, nan_ok=True)},
        {"legal_form_family": "Collectivité ou établissement public", "lieux_count": 0,
         "lieux_share": 0.0, "legal_statuses": "",
         "national_lieux_share": pytest.approx(np.nan, nan_ok=True)},
        {"legal_form_family": "Autre forme (collectif, fondation…)", "lieux_count": 0,
         "lieux_share": 0.0, "legal_statuses": "",
         "national_lieux_share": pytest.approx(np.nan, nan_ok=True)},
        {"legal_form_family": "Non renseigné", "lieux_count": 2, "lieux_share": 0.4,
         "legal_statuses": "Régie (non reconnu)",
         "national_lieux_share": pytest.approx(np.nan, nan_ok=True)},
    ]
    assert table["lieux_count"].sum() == len(lieux)


# --- territory ----------------------------------------------------------------------------------
def test_territory_splits_metropole_from_other_epci_natures():
    lieux = _lieux("200046977", "200046977", "200071108", "246900740", "246900740", "246900740",
                   None)
    national = ContextSettings(part_hors_metropoles=0.62).national_figures()
    table = panorama_by_territory(lieux, reference=_reference(), national=national)
    assert table[["territory", "lieux_count"]].values.tolist() == [
        ["Métropole", 2],
        ["Hors métropole : communauté d'agglomération", 1],
        ["Hors métropole : communauté de communes", 3],
        ["Hors métropole : commune sans intercommunalité", 1],
        ["Hors métropole (ensemble)", 5],
    ]
    assert table["lieux_share"].round(4).tolist() == [0.2857, 0.1429, 0.4286, 0.1429, 0.7143]
    shares = table["national_lieux_share"].tolist()
    assert shares[0] == pytest.approx(0.38) and shares[-1] == 0.62
    assert np.isnan(shares[1:4]).all()


def test_territory_without_lieux_gives_zero_counts_and_no_share():
    table = panorama_by_territory(_lieux(), reference=_reference(), national=NationalSettings())
    assert table["lieux_count"].tolist() == [0, 0, 0, 0]
    assert table["lieux_share"].isna().all() and table["national_lieux_share"].isna().all()


# --- typology -----------------------------------------------------------------------------------
def test_typology_national_share_matched_ignoring_case_and_accents():
    lieux = pd.DataFrame({"typologies": ["Tiers-lieu culturel|Fablab", "Fablab", None]})
    national = NationalSettings(typologie={"TIERS-LIEU CULTUREL": 0.25})
    table = panorama_by_typology(lieux, typologies=["Tiers-lieu culturel", "Fablab", "Cuisine partagée"],
                                 national=national)
    # sorted like the typology chart: most lieux first, « Non renseigné » last among equals
    assert table[["typology", "lieux_count"]].values.tolist() == [
        ["Fablab", 2], ["Tiers-lieu culturel", 1], ["Non renseigné", 1], ["Cuisine partagée", 0]]
    shares = table.set_index("typology")["national_lieux_share"]
    assert shares["Tiers-lieu culturel"] == 0.25
    assert shares.drop("Tiers-lieu culturel").isna().all()


# --- density ------------------------------------------------------------------------------------
def test_density_per_100k_from_the_reference_population():
    lieux = _lieux("200046977", "200046977", "200071108", "246900740")
    national = NationalSettings(tiers_lieux=3400, population_france=68_000_000)
    table = panorama_density(lieux, reference=_reference(), national=national)
    assert table[["territory", "lieux_count", "population"]].values.tolist() == [
        ["Métropole", 2, 200_000], ["Hors métropole (ensemble)", 2, 200_000],
        ["Ensemble de la région", 4, 400_000]]
    assert table["lieux_per_100k"].tolist() == [1.0, 1.0, 1.0]
    assert np.isnan(table["national_lieux_per_100k"].iloc[0])
    assert table["national_lieux_per_100k"].iloc[-1] == 5.0


def test_density_without_national_population_is_not_zero():
    table = panorama_density(_lieux("200046977"), reference=_reference(),
                             national=NationalSettings(tiers_lieux=3500))
    assert table["national_lieux_per_100k"].isna().all()


# --- configuration: structured form, older flat keys still valid ---------------------------------
def test_flat_keys_of_contexte_fill_the_national_section():
    national = ContextSettings(source="FTL 2023", tiers_lieux_france=3500, part_associations=0.51,
                               part_hors_metropoles=0.62).national_figures()
    assert (national.source, national.lieux_count, national.legal_form.association) == (
        "FTL 2023", 3500, 0.51)
    assert national.territory.metropole == 0.38


def test_national_section_wins_over_the_flat_keys():
    context = ContextSettings(tiers_lieux_france=3000, national={"tiers_lieux": 3500, "annee": 2023,
                                                                 "source": "FTL"})
    assert context.national_figures().lieux_count == 3500
    assert context.as_mapping() == {"source": "FTL, 2023", "tiers_lieux_france": 3500}


def test_contradictory_territory_shares_are_refused():
    with pytest.raises(ValueError, match="doivent faire 1 à eux deux"):
        NationalSettings(territoire={"metropole": 0.5, "hors_metropole": 0.62})


# --- base sentence and display ------------------------------------------------------------------
def test_base_sentence_states_counts_source_and_date():
    national = NationalSettings(source="France Tiers-Lieux, recensement national", annee=2023)
    assert panorama_base(counted_count=151, known_count=1178, year=2025, national=national) == (
        f"Base : 151 lieux ouverts fin 2025 sur 1{NNBSP}178 connus du réseau dans la région "
        "(tous états) ; chiffres nationaux : France Tiers-Lieux, recensement national, 2023.")
    assert panorama_base(counted_count=1, known_count=1, year=2025, national=NationalSettings(),
                         has_national=False) == (
        "Base : 1 lieu ouvert fin 2025 sur 1 connu du réseau dans la région (tous états) ; "
        "chiffre national non renseigné.")


def test_a_table_without_national_figure_says_so_in_its_base():
    tables = {"panorama_by_typology": pd.DataFrame({"typology": ["Fablab"], "lieux_count": [1],
                                                    "national_lieux_share": [np.nan]}),
              "panorama_density": pd.DataFrame({"territory": ["Ensemble de la région"],
                                                "national_lieux_per_100k": [5.1]})}
    bases = panorama_bases(tables, counted_count=3, known_count=4, year=2025,
                           national=NationalSettings(source="FTL"))
    assert bases["panorama"].tolist() == ["panorama_by_typology", "panorama_density"]
    assert bases["base_sentence"].str.endswith(
        ("chiffre national non renseigné.", "chiffres nationaux : FTL.")).all()
    assert bases["base_sentence"].iloc[0].endswith("chiffre national non renseigné.")


def test_display_puts_the_national_column_beside_and_non_renseigne_not_zero():
    table = pd.DataFrame({"legal_form_family": ["Association", "Autre forme (collectif, fondation…)"],
                          "lieux_count": pd.array([63, 11], dtype="Int64"),
                          "lieux_share": [0.63, 0.11], "national_lieux_share": [0.51, np.nan]})
    body = str(panorama_table(table, base="Base : 100 lieux.", caption="Formes juridiques"))
    page = BeautifulSoup(body, "html.parser")
    assert [th.get_text() for th in page.select("thead th")] == [
        "Forme juridique", "Lieux", "Part des lieux (%)", "Part en France (%)"]
    assert [[td.get_text() for td in tr.select("td")] for tr in page.select("tbody tr")] == [
        ["Association", "63", "63\xa0%", "51\xa0%"],
        ["Autre forme (collectif, fondation…)", "11", "11\xa0%", "non renseigné"]]
    assert page.select_one("table + p.note").get_text() == "Base : 100 lieux."


def test_ag_highlights_put_the_region_beside_france():
    from relief_analytics.display.panorama import panorama_highlights

    territory = pd.DataFrame({"territory": ["Métropole", "Hors métropole (ensemble)"],
                              "lieux_share": [0.417, 0.583], "national_lieux_share": [0.38, 0.62]})
    legal = pd.DataFrame({"legal_form_family": ["Association", "Coopérative (SCIC, SCOP…)"],
                          "lieux_share": [0.417, 0.225], "national_lieux_share": [np.nan, 0.07]})
    density = pd.DataFrame({"lieux_per_100k": [2.5, 1.6, 1.9], "national_lieux_per_100k": [np.nan, np.nan, 5.15]})
    page = BeautifulSoup(str(panorama_highlights(territory, legal, density, base="Base : 151 lieux.",
                                                 region="Auvergne-Rhône-Alpes")), "html.parser")
    assert [th.get_text() for th in page.select("thead th")] == [
        "Indicateur", "Auvergne-Rhône-Alpes", "France"]
    assert [[td.get_text() for td in tr.select("td")] for tr in page.select("tbody tr")] == [
        ["Lieux hors des métropoles", "58,3\xa0%", "62\xa0%"],
        ["Lieux portés par une association", "41,7\xa0%", "non renseigné"],
        ["Lieux pour 100 000 habitants", "1,9", "5,2"],
    ]
    assert page.select_one("p.note").get_text() == "Base : 151 lieux."


def test_sample_config_reads_into_the_national_figures():
    from config_factories import make_config

    national = make_config().context.national_figures()
    assert (national.cited_source, national.lieux_count, national.population) == (
        "France Tiers-Lieux, recensement national, 2023", 3500, 68_000_000)
    assert (national.territory.metropole, national.territory.hors_metropole) == (0.38, 0.62)
    assert national.legal_form.autre is None and national.typology == {}


def test_national_typology_outside_the_list_is_refused_with_the_nearest_name():
    from config_factories import make_config, raw_config

    from relief_analytics.errors import DataError

    raw = raw_config()
    raw["contexte"]["national"]["typologie"] = {"Tiers lieu culturel": 0.2, "Fablab / Makerspace / Hackerspace": 0.1}
    with pytest.raises(DataError) as refused:
        make_config(raw)
    assert str(refused.value) == (
        "Configuration test/config.toml, [contexte.national.typologie] « Tiers lieu culturel » n'est pas "
        "dans [listes].typologies : vouliez-vous dire Tiers-lieu culturel ? ; sa part ne serait comparée "
        "à aucune typologie.")


def test_national_share_out_of_range_is_named():
    from config_factories import make_config, raw_config

    from relief_analytics.errors import DataError

    raw = raw_config()
    raw["contexte"]["national"]["forme_juridique"]["association"] = 51
    with pytest.raises(DataError, match=r"\[contexte\.national\.forme_juridique\] association = 51 : "
                                        "valeur attendue ≤ 1"):
        make_config(raw)
