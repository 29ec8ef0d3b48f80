"""Governance indicators: counts only, never identities."""

from __future__ import annotations

import pandas as pd
import pandas.testing as pdt

from relief_analytics.indicators.governance import copilotes_by_commission, governance_by_year

GOUVERNANCE = pd.DataFrame({
    "year": pd.array([2023, 2024, 2024, 2024, 2024, 2024], dtype="Int64"),
    "member_id": ["a", "a", "b", "a", "c", "d"],
    "role": ["CA", "CA", "CA", "copilote", "copilote", "copilote"],
    "commission": [None, None, None, "Formation", "Formation", "Communication"],
})

EVENTS = pd.DataFrame({
    "start_date": pd.to_datetime(["2023-02-01", "2024-02-01", "2024-06-01", "2024-06-02"]),
    "event_kind": ["Copil", "Copil", "Copil", "Formation"],
})


def test_governance_by_year():
    result = governance_by_year(GOUVERNANCE, evenements=EVENTS, first_year=2022, last_year=2024)
    expected = pd.DataFrame({
        "year": [2022, 2023, 2024],
        "ca_members_count": [0, 1, 2],
        "copilotes_count": [0, 0, 3],
        "copiloted_commissions_count": [0, 0, 2],
        "copil_meetings_count": [0, 1, 2],
    }).astype("Int64")
    pdt.assert_frame_equal(result, expected)


def test_governance_without_events_has_no_meeting():
    result = governance_by_year(GOUVERNANCE)
    assert result["year"].tolist() == [2023, 2024]
    assert result["copil_meetings_count"].tolist() == [0, 0]


def test_copilotes_by_commission():
    result = copilotes_by_commission(
        GOUVERNANCE, year=2024, commissions=["Formation", "Communication", "Animation & Mutualisation"])
    expected = pd.DataFrame({
        "commission": ["Formation", "Communication", "Animation & Mutualisation"],
        "copilotes_count": pd.array([2, 1, 0], dtype="Int64"),
    })
    pdt.assert_frame_equal(result, expected)
