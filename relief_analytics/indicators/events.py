"""Event (événements) indicators: counts by kind, commission, month and mode; training hours.

The year of an event is the year of its ``start_date``.

Training hours ("heures de formation délivrées") are *participant-hours*: for every event of
kind ``formation_kind`` (``"Formation"`` by default), ``duration_hours × participants_count``,
summed. A 3-hour training with 10 participants delivers 30 hours of training. Events of that
kind whose participant count is missing add nothing to this sum (they are counted in
``events_missing_participants_count``). The plain sum of the durations of those trainings
("heures de formation programmées") is given as well.

Unknown is not zero: a participant count that the source does not give (OpenAgenda never does)
stays missing. A year's ``participants_count`` is the sum of the known counts, and is missing when
no event of the year has one; ``events_missing_participants_count`` says on how many events the
sum is not based.

Exhibitions and permanent activities (:func:`~relief_analytics.schemas.derived.is_long_running`) are events, counted in
``events_count`` and apart in ``long_running_events_count``; their opening hours are not meeting
hours: their ``duration_hours`` is empty and no sum of hours includes them.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from relief_analytics.formatting import month_names_fr
from relief_analytics.indicators._frames import category_order, finalise, year_range

FORMATION_KIND = "Formation"
COPIL_KIND = "Copil"


def _with_year(evenements: pd.DataFrame) -> pd.DataFrame:
    out = evenements.copy()
    out["year"] = out["start_date"].dt.year.astype("Int64")
    out["participants_count"] = out["participants_count"].astype("Int64")
    long_running = out["is_long_running"] if "is_long_running" in out else pd.Series(
        False, index=out.index)
    out["is_long_running"] = long_running.astype("boolean").fillna(False).astype(bool)
    sessions = out["sessions_count"] if "sessions_count" in out else pd.Series(1, index=out.index)
    out["sessions_count"] = sessions.astype("Int64").fillna(1)
    out["duration_hours"] = out["duration_hours"].astype("float64").where(~out["is_long_running"])
    return out


def _known_sum(values: pd.Series):
    """Sum of the known values; missing (NA) when none is known: unknown is not zero."""
    return values.sum(min_count=1)


def events_by_year(
    evenements: pd.DataFrame,
    *,
    first_year: int | None = None,
    last_year: int | None = None,
    formation_kind: str = FORMATION_KIND,
    copil_kind: str = COPIL_KIND,
) -> pd.DataFrame:
    """Events, participants, training hours and copil meetings per year.

    Grain: one row per year from ``first_year`` (default: first year in the data) to
    ``last_year`` (default: last one); years without events have zero counts.

    Columns: ``year``, ``events_count``, ``participants_count`` (sum of the known counts;
    missing when no event of the year has one), ``events_missing_participants_count``,
    ``formation_events_count``,
    ``formation_duration_hours`` (sum of the durations of the trainings),
    ``formation_participant_hours`` (sum of duration × participants over trainings: the
    "heures de formation délivrées"), ``copil_meetings_count``, ``sessions_count`` (sessions
    of all events; an event without a count is one session), ``long_running_events_count``
    (exhibitions and permanent activities, :func:`~relief_analytics.schemas.derived.is_long_running`).

    Examples
    --------
    >>> df = pd.DataFrame({"start_date": pd.to_datetime(["2024-03-01", "2024-05-01"]),
    ...     "event_kind": ["Formation", "Copil"], "participants_count": [10, 8],
    ...     "duration_hours": [3.0, 2.0]})
    >>> float(events_by_year(df).loc[0, "formation_participant_hours"])
    30.0
    """
    events = _with_year(evenements)
    is_formation = events["event_kind"] == formation_kind
    events["formation_duration_hours"] = events["duration_hours"].where(is_formation, 0.0)
    events["formation_participant_hours"] = (
        events["duration_hours"] * events["participants_count"].astype("float64")
    ).where(is_formation, 0.0).fillna(0.0)
    grouped = events.groupby("year")
    table = pd.DataFrame({
        "events_count": grouped.size(),
        "participants_count": grouped["participants_count"].agg(_known_sum),
        "events_missing_participants_count": grouped["participants_count"].agg(
            lambda s: int(s.isna().sum())),
        "formation_events_count": grouped["event_kind"].agg(lambda s: int((s == formation_kind).sum())),
        "formation_duration_hours": grouped["formation_duration_hours"].sum(),
        "formation_participant_hours": grouped["formation_participant_hours"].sum(),
        "copil_meetings_count": grouped["event_kind"].agg(lambda s: int((s == copil_kind).sum())),
        "sessions_count": grouped["sessions_count"].sum(),
        "long_running_events_count": grouped["is_long_running"].sum(),
    })
    years = year_range(table.index, first_year=first_year, last_year=last_year)
    table = table.reindex(years, fill_value=0).rename_axis("year").reset_index()
    return finalise(table)


def _by_category(
    evenements: pd.DataFrame, column: str, order: Sequence[str] | None
) -> pd.DataFrame:
    events = _with_year(evenements)
    grouped = events.groupby(["year", column])
    table = pd.DataFrame({
        "events_count": grouped.size(),
        "participants_count": grouped["participants_count"].agg(_known_sum),
        "duration_hours": grouped["duration_hours"].sum(),
    }).reset_index()
    categories = category_order(table[column], order)
    years = sorted(table["year"].unique())
    full = pd.MultiIndex.from_product([years, categories], names=["year", column])
    table = table.set_index(["year", column]).reindex(full, fill_value=0).reset_index()
    table = table[table[column].isin(list(order or [])) | (table["events_count"] > 0)]
    return finalise(table)


def events_by_kind(evenements: pd.DataFrame, *, kinds: Sequence[str] | None = None) -> pd.DataFrame:
    """Events, participants and hours per year and event kind.

    Grain: one row per year (with at least one event) and kind. Kinds listed in ``kinds``
    (config ``[listes].types_evenements``) come first in that order, with zero rows when a
    year has none; other kinds follow in alphabetical order.

    Examples
    --------
    >>> df = pd.DataFrame({"start_date": pd.to_datetime(["2024-03-01"]), "event_kind": ["Visite"],
    ...     "participants_count": [12], "duration_hours": [2.0]})
    >>> events_by_kind(df).values.tolist()
    [[2024, 'Visite', 1, 12, 2.0]]
    """
    return _by_category(evenements, "event_kind", kinds)


def events_by_commission(
    evenements: pd.DataFrame, *, commissions: Sequence[str] | None = None
) -> pd.DataFrame:
    """Events, participants and hours per year and organising commission.

    Grain: one row per year (with at least one event) and commission; listed ``commissions``
    (config ``[listes].commissions``) first, with zero rows, then the others alphabetically.

    Examples
    --------
    >>> df = pd.DataFrame({"start_date": pd.to_datetime(["2024-03-01"]), "commission": ["Formation"],
    ...     "participants_count": [12], "duration_hours": [2.0]})
    >>> events_by_commission(df)["events_count"].tolist()
    [1]
    """
    return _by_category(evenements, "commission", commissions)


def events_by_attendance_mode(
    evenements: pd.DataFrame, *, modes: Sequence[str] | None = None
) -> pd.DataFrame:
    """Events, participants and hours per year and attendance mode (sur place / en ligne / mixte).

    Grain: one row per year (with at least one event) and mode; listed ``modes`` (config
    ``[listes].modes_participation``) first, with zero rows, then the others.

    Examples
    --------
    >>> df = pd.DataFrame({"start_date": pd.to_datetime(["2024-03-01"]), "attendance_mode": ["en ligne"],
    ...     "participants_count": [12], "duration_hours": [2.0]})
    >>> events_by_attendance_mode(df, modes=["sur place", "en ligne"])["events_count"].tolist()
    [0, 1]
    """
    return _by_category(evenements, "attendance_mode", modes)


def events_by_month(
    evenements: pd.DataFrame, *, year: int, kinds: Sequence[str] | None = None
) -> pd.DataFrame:
    """Events of ``year`` per month and kind, for a stacked monthly chart.

    Grain: one row per month (all twelve) and kind; the kinds are those of ``kinds`` that occur
    in the year (in that order) then any other kind occurring in the year. ``month`` is 1–12,
    ``month_name`` its French name.

    Examples
    --------
    >>> df = pd.DataFrame({"start_date": pd.to_datetime(["2024-03-01"]), "event_kind": ["Visite"]})
    >>> events_by_month(df, year=2024)["events_count"].tolist()
    [0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0]
    """
    events = evenements[evenements["start_date"].dt.year == year]
    observed = set(events["event_kind"])
    ordered = [k for k in category_order(observed, kinds) if k in observed]
    counts = events.groupby([events["start_date"].dt.month, "event_kind"]).size()
    names = month_names_fr()
    rows = [
        {"month": month, "month_name": names[month - 1], "event_kind": kind,
         "events_count": int(counts.get((month, kind), 0))}
        for month in range(1, 13) for kind in ordered
    ]
    return finalise(pd.DataFrame(rows, columns=["month", "month_name", "event_kind", "events_count"]))
