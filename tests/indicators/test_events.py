"""Event indicators: counts per year, kind, mode and month; training participant-hours."""

from __future__ import annotations

import pandas as pd
import pandas.testing as pdt

from relief_analytics.formatting import month_names_fr
from relief_analytics.indicators.events import (
    events_by_attendance_mode,
    events_by_commission,
    events_by_kind,
    events_by_month,
    events_by_year,
)
from relief_analytics.indicators.series import compare_years

KINDS = ["Rencontre", "Formation", "Webinaire", "Copil"]
MODES = ["sur place", "en ligne", "mixte"]

EVENTS = pd.DataFrame({
    "event_id": ["E1", "E2", "E3", "E4", "E5", "E6"],
    "start_date": pd.to_datetime(
        ["2024-03-10", "2024-03-20", "2024-05-02", "2024-11-15", "2023-06-01", "2023-06-15"]),
    "event_kind": ["Formation", "Formation", "Copil", "Rencontre", "Formation", "Copil"],
    "commission": ["Formation", "Formation", "Coordination, Gouvernance & Budget",
                   "Animation & Mutualisation", "Formation", "Coordination, Gouvernance & Budget"],
    "attendance_mode": ["sur place", "en ligne", "en ligne", "sur place", "mixte", "en ligne"],
    "participants_count": pd.array([10, None, 8, 40, 5, 6], dtype="Int64"),
    "duration_hours": [3.0, 2.0, 2.0, 4.0, 1.5, 2.0],
})

INTS = ["year", "events_count", "participants_count"]


def test_events_by_year_training_hours_are_duration_times_participants():
    result = events_by_year(EVENTS, first_year=2022, last_year=2024)
    expected = pd.DataFrame({
        "year": [2022, 2023, 2024],
        "events_count": [0, 2, 4],
        "participants_count": [0, 11, 58],
        "events_missing_participants_count": [0, 0, 1],
        "formation_events_count": [0, 1, 2],
        "formation_duration_hours": [0.0, 1.5, 5.0],
        # 2023: 1.5 h × 5; 2024: 3 h × 10, the 2-hour training without a count adds nothing
        "formation_participant_hours": [0.0, 7.5, 30.0],
        "copil_meetings_count": [0, 1, 1],
        "sessions_count": [0, 2, 4],
        "long_running_events_count": [0, 0, 0],
    }).astype({c: "Int64" for c in INTS + [
        "sessions_count", "long_running_events_count", "events_missing_participants_count", "formation_events_count", "copil_meetings_count"]})
    pdt.assert_frame_equal(result, expected)


def test_events_by_kind_lists_configured_kinds_with_zeros():
    result = events_by_kind(EVENTS, kinds=KINDS)
    expected = pd.DataFrame({
        "year": [2023] * 4 + [2024] * 4,
        "event_kind": KINDS * 2,
        "events_count": [0, 1, 0, 1, 1, 2, 0, 1],
        "participants_count": [0, 5, 0, 6, 40, 10, 0, 8],
        "duration_hours": [0.0, 1.5, 0.0, 2.0, 4.0, 5.0, 0.0, 2.0],
    }).astype({c: "Int64" for c in INTS})
    pdt.assert_frame_equal(result, expected)


def test_events_by_kind_without_list_keeps_observed_kinds_only():
    result = events_by_kind(EVENTS[EVENTS["start_date"].dt.year == 2024])
    assert result["event_kind"].tolist() == ["Copil", "Formation", "Rencontre"]


def test_events_by_attendance_mode():
    result = events_by_attendance_mode(EVENTS, modes=MODES)
    expected = pd.DataFrame({
        "year": [2023] * 3 + [2024] * 3,
        "attendance_mode": MODES * 2,
        "events_count": [0, 1, 1, 2, 2, 0],
        "participants_count": [0, 6, 5, 50, 8, 0],
        "duration_hours": [0.0, 2.0, 1.5, 7.0, 4.0, 0.0],
    }).astype({c: "Int64" for c in INTS})
    pdt.assert_frame_equal(result, expected)


def test_events_by_commission_puts_unlisted_commissions_after_listed_ones():
    result = events_by_commission(EVENTS[EVENTS["start_date"].dt.year == 2024],
                                  commissions=["Formation", "Communication"])
    assert result["commission"].tolist() == [
        "Formation", "Communication", "Animation & Mutualisation",
        "Coordination, Gouvernance & Budget"]
    assert result["events_count"].tolist() == [2, 0, 1, 1]


def test_events_by_month_has_twelve_months_per_kind():
    result = events_by_month(EVENTS, year=2024, kinds=KINDS)
    counts = {(3, "Formation"): 2, (5, "Copil"): 1, (11, "Rencontre"): 1}
    kinds = ["Rencontre", "Formation", "Copil"]  # listed order, only kinds of the year
    expected = pd.DataFrame({
        "month": [m for m in range(1, 13) for _ in kinds],
        "month_name": [month_names_fr()[m - 1] for m in range(1, 13) for _ in kinds],
        "event_kind": kinds * 12,
        "events_count": [counts.get((m, k), 0) for m in range(1, 13) for k in kinds],
    }).astype({"month": "Int64", "events_count": "Int64"})
    pdt.assert_frame_equal(result, expected)
    assert result["month_name"].iloc[6] == "mars"


def test_compare_years_on_events():
    by_year = events_by_year(EVENTS, first_year=2022, last_year=2024)
    result = compare_years(by_year, year=2024, columns=["events_count", "formation_participant_hours"])
    expected = pd.DataFrame({
        "indicator": ["events_count", "formation_participant_hours"],
        "indicator_label": ["Événements", "Heures de formation délivrées (h × participants)"],
        "unit": ["count", "hours"],
        "previous_value": [2.0, 7.5],
        "value": [4.0, 30.0],
        "change": [2.0, 22.5],
        "change_ratio": [1.0, 3.0],
    })
    pdt.assert_frame_equal(result, expected)
    # from a year with nothing, the relative change is not defined
    first = compare_years(by_year, year=2023, columns=["events_count"])
    assert first["change"].tolist() == [2.0]
    assert first["change_ratio"].isna().all()


def _agenda_events() -> pd.DataFrame:
    """Imported agenda events: no participant counts; a 3-month exhibition; a 3-session training."""
    return pd.DataFrame({
        "event_id": ["OA-1", "OA-2", "OA-3"],
        "start_date": pd.to_datetime(["2025-03-01 10:00", "2025-04-02 09:00", "2025-05-20 10:00"]),
        "event_kind": ["Rencontre", "Formation", "Rencontre"],
        "commission": ["Formation"] * 3,
        "attendance_mode": ["sur place", "sur place", "sur place"],
        "participants_count": pd.array([None, None, None], dtype="Int64"),
        "duration_hours": [None, 9.0, 2.0],
        "sessions_count": pd.array([92, 3, 1], dtype="Int64"),
        "is_long_running": pd.array([True, False, False], dtype="boolean"),
    })


def test_unknown_participants_stay_unknown_not_zero():
    result = events_by_year(_agenda_events()).iloc[0]
    assert pd.isna(result["participants_count"])
    assert int(result["events_missing_participants_count"]) == 3
    by_kind = events_by_kind(_agenda_events(), kinds=KINDS)
    assert by_kind["participants_count"].isna().tolist() == [True, True, False, False]  # 0 events → 0


def test_partly_known_participants_sum_the_known_counts_and_say_how_many_are_missing():
    events = _agenda_events()
    events.loc[2, "participants_count"] = 14
    result = events_by_year(events).iloc[0]
    assert (int(result["participants_count"]), int(result["events_missing_participants_count"])) == (14, 2)


def test_exhibition_is_counted_apart_and_its_opening_hours_are_not_meeting_hours():
    events = _agenda_events()
    events.loc[0, "duration_hours"] = 736.0  # even if a sheet gives its opening hours
    result = events_by_year(events).iloc[0]
    assert (int(result["events_count"]), int(result["long_running_events_count"]),
            int(result["sessions_count"])) == (3, 1, 96)
    assert float(result["formation_duration_hours"]) == 9.0
    by_kind = events_by_kind(events, kinds=KINDS)
    assert by_kind.loc[by_kind["event_kind"] == "Rencontre", "duration_hours"].tolist() == [2.0]


def test_a_sheet_without_sessions_or_long_running_columns_reads_one_session_per_event():
    result = events_by_year(EVENTS, first_year=2024, last_year=2024).iloc[0]
    assert (int(result["sessions_count"]), int(result["long_running_events_count"])) == (4, 0)


def test_events_map_keeps_unknown_participants_unknown():
    from relief_analytics.geo.reference import load_reference
    from relief_analytics.geo.resolve import resolve_communes
    from relief_analytics.indicators.distribution import events_by_commune

    reference = load_reference("84")
    events = resolve_communes(pd.DataFrame({
        "commune_code": ["26108", "26108", "63113"], "commune_name": ["Crest", "Crest", "Clermont-Ferrand"],
        "attendance_mode": ["sur place"] * 3,
        "participants_count": pd.array([None, None, 12], dtype="Int64"),
    }), reference=reference, postal_col=None, lat_col=None, lon_col=None)
    table = events_by_commune(events, reference=reference).set_index("commune_code")
    assert pd.isna(table.at["26108", "participants_count"])
    assert int(table.at["63113", "participants_count"]) == 12
