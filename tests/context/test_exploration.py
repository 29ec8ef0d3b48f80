"""Exploration filters: a name and a code give the same lieux; an unknown value is refused in French."""

from __future__ import annotations

import pandas as pd
import pytest

from relief_analytics import paths
from relief_analytics.context import open_year_context
from relief_analytics.context.exploration import explore_lieux
from relief_analytics.load import DataError


@pytest.fixture(scope="module")
def ctx():
    return open_year_context(paths.SAMPLE_DATASET_DIR, 2025, context_path="")


@pytest.mark.parametrize(("by_name", "by_code"), [
    ({"departements": "Isère"}, {"departements": "38"}),
    ({"departements": "isere, RHÔNE"}, {"departements": "38,69"}),
    ({"departements": "Ain"}, {"departements": "1"}),
    ({"typologies": "Bureaux partagés / Coworking"}, {"typologies": "bureaux partages / coworking"}),
    ({"typologies": "coworking, Fablab"}, {"typologies": "Bureaux partagés / Coworking, Fablab / Makerspace / Hackerspace"}),
    ({"states": "Ouvert"}, {"states": "ouvert"}),
])
def test_filters_by_name_and_by_code_agree(ctx, by_name, by_code):
    named, coded = explore_lieux(ctx, **by_name), explore_lieux(ctx, **by_code)
    assert len(named.selection) > 0
    pd.testing.assert_frame_equal(named.selection, coded.selection)
    assert named.departements == coded.departements
    for name, table in named.tables.items():
        pd.testing.assert_frame_equal(table, coded.tables[name], obj=name)


def test_a_departement_filter_keeps_only_its_lieux(ctx):
    isere = explore_lieux(ctx, departements="Isère")
    assert isere.departements == ["38"]
    assert set(isere.selection["commune_code_resolved"].str[:2]) == {"38"}
    counted = isere.tables["lieux_by_departement"].set_index("departement_code")["lieux_count"]
    assert counted.to_dict() == {"38": len(isere.selection)}  # the 11 others are not « 0 lieux »


def test_departements_filtered_out_are_left_out_of_every_table(ctx):
    chosen = explore_lieux(ctx, departements="Isère, 73")
    tables = chosen.tables
    communes = ctx.reference.communes
    epci_in_area = set(communes.loc[communes["departement_code"].isin(["38", "73"]), "epci_code"])
    assert tables["lieux_by_departement"]["departement_name"].tolist() == ["Isère", "Savoie"]
    assert tables["distance_by_departement"]["departement_code"].tolist() == ["38", "73"]
    assert set(tables["lieux_by_epci"]["epci_code"]) == epci_in_area
    assert set(tables["epci_without_lieu"]["epci_code"]) <= epci_in_area
    assert tables["lieux_by_epci"]["lieux_count"].sum() == len(chosen.selection)
    in_area = communes["departement_code"].isin(["38", "73"]).sum()
    assert tables["lieux_by_commune_size"]["communes_count"].sum() == in_area
    # the share of the population stays a share of the region's (its header says so)
    region = communes["population"].sum()
    without = tables["epci_without_lieu"].set_index("epci_code")
    assert without["population_share"].tolist() == pytest.approx(
        (without["population"] / region).tolist())


def test_a_filter_on_typology_keeps_the_whole_region_where_zero_is_a_true_zero(ctx):
    fablabs = explore_lieux(ctx, typologies="fablab")
    table = fablabs.tables["lieux_by_departement"]
    assert len(table) == 12 and table["lieux_count"].sum() == len(fablabs.selection)


def test_without_filter_the_tables_are_those_of_the_reports(ctx):
    everything = explore_lieux(ctx)
    for name in ("lieux_by_departement", "lieux_by_typology", "lieux_by_legal_status"):
        pd.testing.assert_frame_equal(everything.tables[name], ctx.table(name), obj=name)


def test_an_unknown_value_stops_with_a_french_message_listing_the_valid_ones(ctx):
    with pytest.raises(DataError) as exc:
        explore_lieux(ctx, departements="Isère, Savoye")
    message = str(exc.value)
    assert message.startswith("Filtre de département inconnu : « Savoye ». Valeurs possibles : 01 Ain, 03 Allier,")
    assert "38 Isère" in message and message.endswith("74 Haute-Savoie.")
    with pytest.raises(DataError, match="Filtre d'état inconnu : « ouverte ». Valeurs possibles : "
                                        "en projet, ouvert, fermé."):
        explore_lieux(ctx, states="ouverte")
