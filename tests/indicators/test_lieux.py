"""Lieux indicators on five hand-made lieux."""

from __future__ import annotations

import pandas as pd
import pandas.testing as pdt

from relief_analytics.indicators.lieux import (
    is_open_at_year_end,
    lieux_by_legal_status,
    lieux_by_membership,
    lieux_by_state,
    lieux_by_typology,
    lieux_by_year,
)

LIEUX = pd.DataFrame({
    "lieu_id": ["L1", "L2", "L3", "L4", "L5"],
    "state": ["ouvert", "ouvert", "fermé", "en projet", "ouvert"],
    "opening_year": pd.array([2019, 2022, 2021, None, 2024], dtype="Int64"),
    "is_member": pd.array([True, False, False, True, None], dtype="boolean"),
    "typologies": ["Coworking|Fablab", "Fablab", "Tiers-lieu culturel", "Coworking",
                   "Coworking|Coworking"],
    "legal_status": ["Association", "SCIC", "Association", None, "Collectif citoyen"],
    "commune_code": ["69123", None, "2A004", "38185", "97411"],
    "postal_code": ["69001", "01000", "20000", "38000", "97400"],
})


def counts(column: str, values: list[str], numbers: list[int]) -> pd.DataFrame:
    return pd.DataFrame({column: values, "lieux_count": pd.array(numbers, dtype="Int64")})


def test_lieux_by_state_follows_the_configured_order():
    result = lieux_by_state(LIEUX, states=["en projet", "ouvert", "fermé"])
    pdt.assert_frame_equal(result, counts("state", ["en projet", "ouvert", "fermé"], [1, 3, 1]))


def test_lieux_by_membership():
    result = lieux_by_membership(LIEUX)
    expected = counts("membership", ["Adhérent", "Non adhérent", "Non renseigné"], [2, 2, 1])
    pdt.assert_frame_equal(result, expected)


def test_lieux_by_typology_explodes_multi_valued_typologies():
    result = lieux_by_typology(LIEUX, typologies=["Coworking", "Fablab", "Cuisine partagée"])
    # L5 lists Coworking twice: counted once; most lieux first (as the chart), zeros last
    expected = counts("typology", ["Coworking", "Fablab", "Tiers-lieu culturel", "Cuisine partagée"],
                      [3, 2, 1, 0])
    expected["lieux_share"] = [0.6, 0.4, 0.2, 0.0]
    pdt.assert_frame_equal(result, expected)


def test_lieux_by_legal_status_puts_missing_last():
    result = lieux_by_legal_status(LIEUX, statuses=["Association", "SCIC"])
    expected = counts("legal_status", ["Association", "SCIC", "Collectif citoyen", "Non renseigné"],
                      [2, 1, 1, 1])
    pdt.assert_frame_equal(result, expected)


def test_typologies_and_statuses_are_sorted_like_their_charts_largest_first():
    from relief_analytics.figures.charts import typology_chart

    lieux = pd.DataFrame({"typologies": ["Fablab", "Fablab|Coworking", "Fablab", None, None, None],
                          "legal_status": ["SCIC", "SCIC", None, None, None, "Association"]})
    by_typology = lieux_by_typology(lieux, typologies=["Coworking", "Fablab", "Cuisine partagée"])
    assert by_typology["typology"].tolist() == [
        "Fablab", "Non renseigné", "Coworking", "Cuisine partagée"]  # 3, 3, 1, 0
    assert list(typology_chart(by_typology).data[0].y) == by_typology["typology"].tolist()
    by_status = lieux_by_legal_status(lieux, statuses=["Association", "SCIC", "SCOP"])
    assert by_status.values.tolist() == [
        ["Non renseigné", 3], ["SCIC", 2], ["Association", 1], ["SCOP", 0]]


def test_lieux_by_year_open_lieux_proxy():
    result = lieux_by_year(LIEUX, first_year=2021, last_year=2024)
    expected = pd.DataFrame({
        "year": [2021, 2022, 2023, 2024],
        # opening year N and not "en projet": L3 (closed since) in 2021, L2 in 2022, L5 in 2024
        "opened_lieux_count": [1, 1, 0, 1],
        # open today and opened by N: L1 from 2019, L2 from 2022, L5 from 2024 (L3 never: closed)
        "open_lieux_count": [1, 2, 2, 3],
    }).astype("Int64")
    pdt.assert_frame_equal(result, expected)


def test_open_at_year_end_is_the_one_definition():
    # L1 open since 2019, L2 since 2022, L5 since 2024; L3 closed and L4 planned never count
    assert is_open_at_year_end(LIEUX, year=2023).tolist() == [True, True, False, False, False]
    assert is_open_at_year_end(LIEUX, year=2024).tolist() == [True, True, False, False, True]
    by_year = lieux_by_year(LIEUX, first_year=2023, last_year=2024)
    assert by_year["open_lieux_count"].tolist() == [2, 3]

