"""Every column an indicator returns has a French header."""

from __future__ import annotations

import pandas as pd
import pytest

from relief_analytics import indicators as ind
from relief_analytics.indicators.labels import COLUMN_LABELS_FR, is_ratio_column, to_french

ADHESIONS = pd.DataFrame({
    "membership_id": ["C1", "C2"], "order_date": pd.to_datetime(["2023-01-01", "2024-01-01"]),
    "membership_year": pd.array([2023, 2024], dtype="Int64"), "order_status": ["Validé"] * 2,
    "member_id": ["a", "a"], "member_kind": ["physique"] * 2, "amount_eur": [5.0, 10.0],
    "postal_code": ["69003", "69003"],
})
EVENTS = pd.DataFrame({
    "start_date": pd.to_datetime(["2023-01-01", "2024-01-01"]), "event_kind": ["Copil", "Formation"],
    "commission": ["Formation"] * 2, "attendance_mode": ["en ligne"] * 2,
    "participants_count": pd.array([5, 6], dtype="Int64"), "duration_hours": [2.0, 3.0],
})
LIEUX = pd.DataFrame({
    "state": ["ouvert"], "opening_year": pd.array([2022], dtype="Int64"),
    "is_member": pd.array([True], dtype="boolean"), "typologies": ["Fablab"],
    "legal_status": ["SCIC"], "commune_code": ["69123"], "postal_code": ["69001"],
})
CONTRIBUTIONS = pd.DataFrame({
    "member_id": ["a"], "contribution_date": pd.to_datetime(["2024-01-01"]),
    "commission": ["Formation"], "hours": [2.0], "retribution_eur": [0.0],
})
GOUVERNANCE = pd.DataFrame({"year": pd.array([2024], dtype="Int64"), "member_id": ["a"],
                            "role": ["copilote"], "commission": ["Formation"]})
BUDGET = pd.DataFrame({
    "year": pd.array([2024, 2024], dtype="Int64"), "account_code": ["606", "742"],
    "account_label": ["Fournitures", "Subvention"], "planned_eur": [100.0, 100.0],
    "realised_eur": [300.0, 100.0], "funder": [None, "Région"],
})


def all_outputs() -> list[pd.DataFrame]:
    valid = ["Validé"]
    cerfa = ind.cerfa_table(BUDGET, year=2024, volunteer_hours=1, hourly_rate=10.0)
    gaps = ind.significant_gaps(cerfa, pct_threshold=15, eur_threshold=100)
    by_year = ind.membership_by_year(ADHESIONS, valid_statuses=valid)
    return [
        by_year,
        ind.amount_distribution(ADHESIONS, valid_statuses=valid, year=2024),
        ind.members_by_departement(ADHESIONS, valid_statuses=valid, year=2024),
        ind.events_by_year(EVENTS), ind.events_by_kind(EVENTS), ind.events_by_commission(EVENTS),
        ind.events_by_attendance_mode(EVENTS), ind.events_by_month(EVENTS, year=2024),
        ind.lieux_by_state(LIEUX), ind.lieux_by_membership(LIEUX), ind.lieux_by_typology(LIEUX),
        ind.lieux_by_legal_status(LIEUX), ind.lieux_by_year(LIEUX),
        ind.volunteering_by_year(CONTRIBUTIONS, hourly_rates={2024: 11.65}),
        ind.volunteering_by_commission(CONTRIBUTIONS, hourly_rates={2024: 11.65}, year=2024),
        ind.governance_by_year(GOUVERNANCE, evenements=EVENTS),
        ind.copilotes_by_commission(GOUVERNANCE, year=2024),
        cerfa, gaps,
        ind.attach_explanations(gaps, pd.DataFrame(columns=["year", "account_code", "explanation"])),
        ind.subsidies_by_funder(BUDGET, year=2024),
        ind.compare_years(by_year, year=2024),
    ]


def test_every_indicator_column_has_a_french_header():
    columns = {column for output in all_outputs() for column in output.columns}
    assert columns - set(COLUMN_LABELS_FR) == set()


def test_every_numeric_column_can_be_compared_year_on_year():
    # compare_years keeps the column, its French header and its unit (read from the name)
    result = ind.compare_years(ind.events_by_year(EVENTS), year=2024)
    assert result["indicator"].tolist()[:2] == ["events_count", "participants_count"]
    assert result["indicator_label"].tolist()[:2] == ["Événements", "Participants"]
    assert result["unit"].tolist()[:2] == ["count", "count"]


def test_to_french():
    frame = pd.DataFrame({"year": [2024], "gap_ratio": [0.2], "planned_eur": [1.0]})
    assert to_french(frame).columns.tolist() == ["Année", "Écart (%)", "Prévision (€)"]
    with pytest.raises(KeyError, match="unknown_column"):
        to_french(frame.assign(unknown_column=1))
    assert to_french(frame.assign(extra=1), strict=False).columns[-1] == "extra"


def test_ratio_columns_have_a_percent_header():
    for column, label in COLUMN_LABELS_FR.items():
        assert is_ratio_column(column) == label.endswith("(%)"), column
