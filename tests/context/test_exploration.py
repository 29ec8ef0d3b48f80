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
    assert counted["38"] == len(isere.selection) and counted.drop("38").sum() == 0


def test_an_unknown_value_stops_with_a_french_message_listing_the_valid_ones(ctx):
    with pytest.raises(DataError) as exc:
        explore_lieux(ctx, departements="Isère, Savoye")
    message = str(exc.value)
    assert message.startswith("Filtre de département inconnu : « Savoye ». Valeurs possibles : 01 Ain, 03 Allier,")
    assert "38 Isère" in message and message.endswith("74 Haute-Savoie.")
    with pytest.raises(DataError, match="Filtre d'état inconnu : « ouverte ». Valeurs possibles : "
                                        "en projet, ouvert, fermé."):
        explore_lieux(ctx, states="ouverte")
