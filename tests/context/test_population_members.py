"""Members' départements follow the rule of what is counted: outside the region is shown apart."""

from __future__ import annotations

import pandas as pd

from relief_analytics.indicators.membership import members_by_departement


def _adhesions(postal_codes):
    size = len(postal_codes)
    return pd.DataFrame({
        "order_status": ["Validé"] * size, "membership_year": [2025] * size,
        "order_date": pd.to_datetime(["2025-03-01"] * size),
        "member_id": [f"m{i}" for i in range(size)], "postal_code": postal_codes,
    })


def test_members_outside_the_region_are_on_one_row_apart_and_every_member_is_on_one_row():
    adhesions = _adhesions(["38000", "75011", "13001", "69003", None, "38100"])
    table = members_by_departement(adhesions, valid_statuses=["Validé"], year=2025,
                                   region_departements=["01", "38", "69"])
    assert table.values.tolist() == [["38", 2], ["69", 1], ["Hors région", 2], ["Non renseigné", 1]]
    assert table["members_count"].sum() == len(adhesions)


def test_without_the_region_each_departement_keeps_its_row():
    table = members_by_departement(_adhesions(["75011", "38000"]), valid_statuses=["Validé"], year=2025)
    assert table.values.tolist() == [["38", 1], ["75", 1]]
