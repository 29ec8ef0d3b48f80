"""Membership indicators on five hand-made members over three years."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pandas.testing as pdt

from relief_analytics.indicators.membership import (
    amount_distribution,
    amounts_by_member_kind,
    filter_valid_adhesions,
    members_by_departement,
    membership_by_year,
)

VALID = ["Validé"]


def adhesions_frame(rows: list[tuple]) -> pd.DataFrame:
    """Rows: (member_id, kind, membership_year, order_date, status, amount, postal_code)."""
    columns = ["member_id", "member_kind", "membership_year", "order_date", "order_status",
               "amount_eur", "postal_code"]
    frame = pd.DataFrame(rows, columns=columns)
    frame.insert(0, "membership_id", [f"C{i}" for i in range(len(frame))])
    frame["membership_year"] = frame["membership_year"].astype("Int64")
    frame["order_date"] = pd.to_datetime(frame["order_date"])
    frame["amount_eur"] = frame["amount_eur"].astype("float64")
    return frame


# e: 2022 only, back in 2024; a, b: 2023 and 2024; c: 2023 only; d: new in 2024.
ADHESIONS = adhesions_frame([
    ("e", "physique", 2022, "2022-02-01", "Validé", 20, "38000"),
    ("a", "physique", 2023, "2023-01-10", "Validé", 10, "38000"),
    ("a", "physique", 2023, "2023-06-10", "Validé", 5, "38000"),
    ("b", "morale", 2023, "2023-02-01", "Validé", 50, "01000"),
    ("c", "physique", 2023, "2023-03-01", "Validé", 0, "69003"),
    ("a", "physique", 2024, "2024-01-15", "Validé", 30, "69003"),
    ("b", "morale", 2024, "2024-01-20", "Validé", 100, "01000"),
    ("d", "physique", None, "2024-05-01", "Validé", 0, None),  # year from the order date
    ("e", "physique", 2024, "2024-09-01", "Validé", 12, "20000"),
    ("c", "physique", 2024, "2024-02-01", "En attente", 25, "69003"),
    ("c", "physique", 2024, "2024-02-02", "Refusé", 25, "69003"),
])


def test_filter_valid_adhesions_fills_the_year_from_the_order_date():
    valid = filter_valid_adhesions(ADHESIONS, valid_statuses=VALID)
    assert len(valid) == 9
    assert valid.loc[valid["member_id"] == "d", "membership_year"].tolist() == [2024]


def test_membership_by_year_counts_new_returning_renewed_lapsed():
    result = membership_by_year(ADHESIONS, valid_statuses=VALID, first_year=2021, last_year=2025)
    expected = pd.DataFrame({
        "year": [2021, 2022, 2023, 2024, 2025],
        "members_count": [0, 1, 3, 4, 0],
        "physique_members_count": [0, 1, 2, 3, 0],
        "morale_members_count": [0, 0, 1, 1, 0],
        "payments_count": [0, 1, 4, 4, 0],
        "new_members_count": [0, 1, 3, 1, 0],
        "returning_members_count": [0, 0, 0, 1, 0],
        "renewed_members_count": [0, 0, 0, 2, 0],
        "lapsed_members_count": [0, 0, 1, 1, 4],
        # renewed / members of N-1: 2023 → 0/1, 2024 → 2/3 (a, b of a, b, c), 2025 → 0/4
        "retention_rate": [np.nan, np.nan, 0.0, 2 / 3, 0.0],
        "amount_total_eur": [0.0, 20.0, 65.0, 142.0, 0.0],
        # per member and year: 2023 a=15, b=50, c=0; 2024 a=30, b=100, d=0, e=12
        "amount_median_eur": [np.nan, 20.0, 15.0, 21.0, np.nan],
        "amount_mean_eur": [np.nan, 20.0, 21.67, 35.5, np.nan],
    }).astype({c: "Int64" for c in [
        "year", "members_count", "physique_members_count", "morale_members_count",
        "payments_count", "new_members_count", "returning_members_count",
        "renewed_members_count", "lapsed_members_count"]})
    pdt.assert_frame_equal(result, expected)


def test_membership_by_year_defaults_to_the_years_in_the_data():
    result = membership_by_year(ADHESIONS, valid_statuses=VALID)
    assert result["year"].tolist() == [2022, 2023, 2024]


def test_amount_distribution_uses_the_total_per_member():
    result = amount_distribution(ADHESIONS, valid_statuses=VALID, year=2024)
    expected = pd.DataFrame({
        "amount_bin": ["0 €", "1 à 10 €", "11 à 20 €", "21 à 50 €", "51 à 100 €", "Plus de 100 €"],
        "members_count": pd.array([1, 0, 1, 1, 1, 0], dtype="Int64"),
        "members_share": [0.25, 0.0, 0.25, 0.25, 0.25, 0.0],
    })
    pdt.assert_frame_equal(result, expected)


def test_amount_bins_are_closed_on_the_right():
    amounts = [0.0, 0.5, 10.0, 10.5, 20.0, 50.0, 100.0, 100.01]
    frame = adhesions_frame([
        (f"m{i}", "physique", 2024, "2024-01-01", "Validé", amount, None)
        for i, amount in enumerate(amounts)
    ])
    result = amount_distribution(frame, valid_statuses=VALID, year=2024)
    assert result["members_count"].tolist() == [1, 2, 2, 1, 1, 1]


def test_amount_distribution_of_a_year_without_members():
    result = amount_distribution(ADHESIONS, valid_statuses=VALID, year=2030)
    assert result["members_count"].tolist() == [0] * 6
    assert result["members_share"].isna().all()


def test_members_by_departement_uses_the_latest_postal_code():
    frame = adhesions_frame([
        ("a", "physique", 2024, "2024-01-01", "Validé", 10, "38000"),
        ("a", "physique", 2024, "2024-06-01", "Validé", 10, "69003"),
        ("b", "morale", 2024, "2024-02-01", "Validé", 50, "69100"),
        ("c", "physique", 2024, "2024-02-01", "Validé", 5, None),
        ("d", "physique", 2024, "2024-02-01", "Validé", 5, "20000"),
        ("e", "physique", 2024, "2024-02-01", "Validé", 5, "97411"),
        ("f", "physique", 2024, "2024-02-01", "Validé", 5, "1000"),  # malformed
        ("g", "physique", 2023, "2023-02-01", "Validé", 5, "74000"),  # other year
    ])
    result = members_by_departement(frame, valid_statuses=VALID, year=2024)
    expected = pd.DataFrame({
        "departement_code": ["20", "69", "974", "Non renseigné"],
        "members_count": pd.array([1, 2, 1, 2], dtype="Int64"),
    })
    pdt.assert_frame_equal(result, expected)


def test_no_member_id_leaves_the_module():
    outputs = [
        membership_by_year(ADHESIONS, valid_statuses=VALID),
        amount_distribution(ADHESIONS, valid_statuses=VALID, year=2024),
        members_by_departement(ADHESIONS, valid_statuses=VALID, year=2024),
    ]
    ids = set(ADHESIONS["member_id"])
    for output in outputs:
        assert "member_id" not in output.columns
        cells = {str(v) for v in output.to_numpy().ravel()}
        assert not cells & ids


def test_amounts_by_member_kind_gives_aggregates_per_kind_and_for_everyone():
    result = amounts_by_member_kind(ADHESIONS, valid_statuses=VALID, year=2023)
    # 2023: a (physique) pays 10 + 5, c (physique) 0, b (morale) 50
    expected = pd.DataFrame({
        "member_kind": ["Personnes physiques", "Personnes morales", "Ensemble"],
        "members_count": [2, 1, 3], "payments_count": [3, 1, 4],
        "amount_total_eur": [15.0, 50.0, 65.0], "amount_mean_eur": [7.5, 50.0, 21.67],
        "amount_median_eur": [7.5, 50.0, 15.0], "amount_share": [15 / 65, 50 / 65, 1.0],
    }).astype({"members_count": "Int64", "payments_count": "Int64", "member_kind": "str"})
    pdt.assert_frame_equal(result, expected)
    assert "member_id" not in result.columns  # only aggregates leave


def test_amounts_by_member_kind_keeps_both_kinds_and_matches_the_year_series():
    result = amounts_by_member_kind(ADHESIONS, valid_statuses=VALID, year=2022).set_index("member_kind")
    assert result.loc["Personnes morales", "members_count"] == 0
    assert np.isnan(result.loc["Personnes morales", "amount_median_eur"])
    for year in (2023, 2024):
        everyone = amounts_by_member_kind(ADHESIONS, valid_statuses=VALID, year=year).iloc[-1]
        series = membership_by_year(ADHESIONS, valid_statuses=VALID).set_index("year").loc[year]
        for column in ("members_count", "payments_count", "amount_total_eur", "amount_mean_eur",
                       "amount_median_eur"):
            assert everyone[column] == series[column], (year, column)


def test_filtering_the_valid_adhesions_never_changes_the_table_it_reads():
    adhesions = pd.DataFrame({"order_status": ["Validé", "Validé"], "membership_year": pd.array([None, 2024], dtype="Int64"),
                              "order_date": pd.to_datetime(["2023-12-30", "2024-01-06"])})
    before = adhesions.copy()
    for statuses in (["Validé"], ["Remboursé"]):  # every row kept, then none
        filter_valid_adhesions(adhesions, valid_statuses=statuses)
    pdt.assert_frame_equal(adhesions, before)
    assert filter_valid_adhesions(adhesions, valid_statuses=["Validé"])["membership_year"].tolist() == [2023, 2024]
