"""What changed: year N against N-1 and against the state at the last AG.

The earlier state of the lieux comes from the snapshots the tool keeps of its own public lieux
table (:func:`~relief_analytics.indicators.public_lieux.lieux_open_data`, one file per build day,
written by :mod:`relief_analytics.report.snapshots`). Two baselines are compared with today's
table, each keyed by the stable ``id`` of the lieux:

- **l'année précédente** — the latest snapshot kept for the reports of year N-1;
- **la dernière AG** — the latest snapshot taken on or before ``[reseau] date_derniere_ag``.

When a baseline has no snapshot (the first year the tool is used), only what the table's own
dates say is listed: openings from the opening year, closings from a « fermé » fiche updated
since the baseline date. « Nouvellement recensés », « plus recensés », typology and state
changes need a snapshot and are not invented.

Members are compared as counts only (people are private); events, participants, volunteer hours
and the budget result as differences N − (N-1).

Pure functions: frames in, frames out. The snapshots are given as :class:`SnapshotRef` (the year
of the reports it was taken for, its date, and a function that reads it) so that only the chosen
ones are read.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from relief_analytics.indicators._frames import finalise
from relief_analytics.indicators.series import compare_years
from relief_analytics.text import map_unique

#: Baseline values (column ``baseline``).
PREVIOUS_YEAR = "année précédente"
LAST_AG = "dernière AG"

#: Change kinds (column ``change_kind``), in the order reports list them.
OPENED = "Ouvertures"
CLOSED = "Fermetures"
NEWLY_LISTED = "Nouvellement recensés"
NO_LONGER_LISTED = "Plus recensés"
TYPOLOGY_CHANGED = "Typologie modifiée"
STATE_CHANGED = "État modifié"
CHANGE_KINDS: tuple[str, ...] = (OPENED, CLOSED, NEWLY_LISTED, NO_LONGER_LISTED,
                                 TYPOLOGY_CHANGED, STATE_CHANGED)
#: The kinds that only a snapshot can establish.
SNAPSHOT_ONLY_KINDS: tuple[str, ...] = (NEWLY_LISTED, NO_LONGER_LISTED, TYPOLOGY_CHANGED,
                                        STATE_CHANGED)

#: Open-data columns a snapshot must hold (the others are ignored).
SNAPSHOT_COLUMNS: tuple[str, ...] = ("id", "nom", "commune", "typologie", "etat",
                                     "annee_ouverture")

_OPEN = "ouvert"
_CLOSED = "fermé"

CHANGES_COLUMNS = ["baseline", "change_kind", "lieu_id", "lieu_name", "commune_name", "detail"]
BASELINE_COLUMNS = ["baseline", "has_snapshot", "snapshot_date", "snapshot_year", "since_date"]
#: Indicators of :func:`activity_changes`, in report order.
ACTIVITY_INDICATORS: tuple[str, ...] = (
    "members_count", "new_members_count", "returning_members_count", "renewed_members_count",
    "lapsed_members_count", "events_count", "participants_count", "volunteer_hours", "budget_result_eur")


@dataclass(frozen=True)
class SnapshotRef:
    """One kept snapshot of the public lieux table: the year of the reports it was taken for,
    the day it was taken, and ``read()`` returning it (the open-data columns)."""

    year: int
    taken_on: dt.date
    read: Callable[[], pd.DataFrame]


@dataclass(frozen=True)
class Baseline:
    """An earlier state to compare with: a snapshot, or only a date (no snapshot kept)."""

    name: str
    since_date: dt.date | None
    snapshot: SnapshotRef | None = None


def previous_year_snapshot(snapshots: Iterable[SnapshotRef], *, year: int) -> SnapshotRef | None:
    """Choose the snapshot of year ``year - 1``: the latest one kept for that year's reports.

    >>> refs = [SnapshotRef(2024, dt.date(2025, 3, 1), None), SnapshotRef(2024, dt.date(2025, 6, 2), None),
    ...         SnapshotRef(2025, dt.date(2026, 2, 1), None)]
    >>> previous_year_snapshot(refs, year=2025).taken_on
    datetime.date(2025, 6, 2)
    >>> previous_year_snapshot(refs, year=2024) is None
    True
    """
    kept = [ref for ref in snapshots if ref.year == year - 1]
    return max(kept, key=lambda ref: ref.taken_on, default=None)


def snapshot_on_or_before(snapshots: Iterable[SnapshotRef], day: dt.date | None) -> SnapshotRef | None:
    """Choose the latest snapshot taken on or before ``day`` (the latest year's on a tie).

    >>> refs = [SnapshotRef(2024, dt.date(2025, 3, 1), None), SnapshotRef(2024, dt.date(2025, 6, 20), None)]
    >>> snapshot_on_or_before(refs, dt.date(2025, 6, 14)).taken_on
    datetime.date(2025, 3, 1)
    >>> snapshot_on_or_before(refs, None) is None
    True
    """
    if day is None:
        return None
    kept = [ref for ref in snapshots if ref.taken_on <= day]
    return max(kept, key=lambda ref: (ref.taken_on, ref.year), default=None)


def choose_baselines(snapshots: Sequence[SnapshotRef], *, year: int,
                     last_ag_date: dt.date | None) -> list[Baseline]:
    """The two baselines of year ``year``: N-1 (since 1 January of N) and the last AG (when its
    date is configured).

    >>> [b.name for b in choose_baselines([], year=2025, last_ag_date=None)]
    ['année précédente']
    """
    baselines = [Baseline(PREVIOUS_YEAR, dt.date(year, 1, 1),
                          previous_year_snapshot(snapshots, year=year))]
    if last_ag_date is not None:
        baselines.append(Baseline(LAST_AG, last_ag_date,
                                  snapshot_on_or_before(snapshots, last_ag_date)))
    return baselines


def change_baselines(baselines: Sequence[Baseline]) -> pd.DataFrame:
    """What each comparison is made with.

    Grain: one row per baseline. Columns ``baseline``, ``has_snapshot``, ``snapshot_date``,
    ``snapshot_year`` (the reports' year it was kept for), ``since_date``.

    >>> ref = SnapshotRef(2024, dt.date(2025, 6, 14), None)
    >>> change_baselines([Baseline(PREVIOUS_YEAR, dt.date(2025, 1, 1), ref)]).to_dict("records")
    [{'baseline': 'année précédente', 'has_snapshot': True, 'snapshot_date': Timestamp('2025-06-14 00:00:00'), 'snapshot_year': 2024, 'since_date': Timestamp('2025-01-01 00:00:00')}]
    """
    rows = [{
        "baseline": b.name,
        "has_snapshot": b.snapshot is not None,
        "snapshot_date": pd.Timestamp(b.snapshot.taken_on) if b.snapshot else pd.NaT,
        "snapshot_year": b.snapshot.year if b.snapshot else pd.NA,
        "since_date": pd.Timestamp(b.since_date) if b.since_date else pd.NaT,
    } for b in baselines]
    frame = pd.DataFrame(rows, columns=BASELINE_COLUMNS)
    return frame.astype({"has_snapshot": "boolean", "snapshot_date": "datetime64[ns]",
                         "snapshot_year": "Int64", "since_date": "datetime64[ns]"})


def _typologies(value) -> frozenset[str]:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return frozenset()
    return frozenset(t.strip() for t in str(value).split("|") if t.strip())


def _text(value) -> str:
    return "" if value is None or (not isinstance(value, str) and pd.isna(value)) else str(value)


def _row(baseline: str, kind: str, lieu, detail: str = "") -> dict:
    return {"baseline": baseline, "change_kind": kind, "lieu_id": _text(lieu["id"]),
            "lieu_name": _text(lieu["nom"]), "commune_name": _text(lieu["commune"]),
            "detail": detail}


def _year_of(value) -> int | None:
    number = pd.to_numeric(pd.Series([value]), errors="coerce").iloc[0]
    return None if pd.isna(number) else int(number)


def _first_opening_year(since: dt.date) -> int:
    """The first opening year surely after ``since`` (its own year only from 1 January)."""
    return since.year if (since.month, since.day) == (1, 1) else since.year + 1


def _changes_from_dates(current: pd.DataFrame, baseline: Baseline) -> list[dict]:
    """Openings and closings the table's own dates show since ``baseline.since_date``.

    An opening year is only a year: from a date other than 1 January (the last AG), a lieu
    opened that same year may have opened before it, so only later years count.
    """
    since = baseline.since_date
    first_year = _first_opening_year(since)
    state = current["etat"].to_numpy(dtype=object)
    # each distinct year and date read once, the way a single cell is read
    opened = map_unique(current["annee_ouverture"], _year_of).to_numpy(dtype=object)
    updated = (map_unique(current["date_maj"], _update_date).to_numpy(dtype=object) if "date_maj" in current
               else np.full(len(current), None, dtype=object))
    opening = (state == _OPEN) & np.array([year is not None and year >= first_year for year in opened], dtype=bool)
    closing = (state == _CLOSED) & np.array([day is not None and day >= since for day in updated], dtype=bool)
    rows = []
    for pos in np.flatnonzero(opening | closing):  # a lieu is open or closed, never both
        lieu = current.iloc[pos]
        if opening[pos]:
            rows.append(_row(baseline.name, OPENED, lieu, f"ouvert en {opened[pos]}"))
        else:
            rows.append(_row(baseline.name, CLOSED, lieu, "fiche passée à « fermé »"))
    return rows


def _update_date(value) -> dt.date | None:
    """The day of a ``date_maj`` cell, ``None`` when it is not a date."""
    updated = pd.to_datetime(value, errors="coerce")
    return None if pd.isna(updated) else updated.date()


def _changes_from_snapshot(current: pd.DataFrame, before: pd.DataFrame,
                           baseline: Baseline) -> list[dict]:
    """Every change between the snapshot ``before`` and ``current``, matched on ``id``."""
    rows = []
    earlier = {str(r["id"]): r for _, r in before.iterrows()}
    now_ids = set()
    since_year = _first_opening_year(baseline.since_date) if baseline.since_date else None
    for _, lieu in current.iterrows():
        lieu_id = str(lieu["id"])
        now_ids.add(lieu_id)
        state = _text(lieu["etat"])
        then = earlier.get(lieu_id)
        if then is None:
            rows.append(_row(baseline.name, NEWLY_LISTED, lieu, state))
            opened = _year_of(lieu["annee_ouverture"])
            if state == _OPEN and opened is not None and since_year and opened >= since_year:
                rows.append(_row(baseline.name, OPENED, lieu, f"ouvert en {opened}"))
            continue
        state_then = _text(then["etat"])
        if state != state_then:
            kind = OPENED if state == _OPEN else CLOSED if state == _CLOSED else STATE_CHANGED
            rows.append(_row(baseline.name, kind, lieu, f"{state_then} → {state}"))
        before_types, now_types = _typologies(then["typologie"]), _typologies(lieu["typologie"])
        if before_types != now_types:
            rows.append(_row(baseline.name, TYPOLOGY_CHANGED, lieu,
                             f"{' | '.join(sorted(before_types)) or 'aucune'} → "
                             f"{' | '.join(sorted(now_types)) or 'aucune'}"))
    for lieu_id, then in earlier.items():
        if lieu_id not in now_ids:
            rows.append(_row(baseline.name, NO_LONGER_LISTED, then, _text(then["etat"])))
    return rows


def lieux_changes(current: pd.DataFrame, *, baselines: Sequence[Baseline]) -> pd.DataFrame:
    """The lieux that opened, closed, were newly listed or are no longer listed, and those whose
    typology or state changed, since each baseline — named, since lieux are public.

    Grain: one row per baseline, change kind and lieu (a lieu newly listed and opened in N has
    two rows), sorted by baseline, kind (:data:`CHANGE_KINDS` order) and lieu name. Columns
    ``baseline``, ``change_kind``, ``lieu_id``, ``lieu_name``, ``commune_name`` and ``detail``
    (« en projet → ouvert », « Fablab → Coworking | Fablab »…).

    With a snapshot: an opening is a lieu « ouvert » now that was not in the snapshot (or was
    absent from it and opened since the baseline's year); a closing one that is « fermé » now and
    was not; any other change of state is « État modifié ». Without a snapshot only the table's
    dates speak (:func:`_changes_from_dates`).

    Parameters
    ----------
    current : DataFrame
        Today's public lieux table (:func:`~relief_analytics.indicators.public_lieux.lieux_open_data`).
    baselines : sequence of Baseline
        From :func:`choose_baselines`; each snapshot is read here.

    Examples
    --------
    >>> now = pd.DataFrame({"id": ["L1", "L2"], "nom": ["La Forge", "Le Four"],
    ...     "commune": ["Crest", "Die"], "typologie": ["Fablab / Makerspace / Hackerspace", "Cuisine partagée"],
    ...     "etat": ["ouvert", "ouvert"], "annee_ouverture": [2025, 2019], "date_maj": [None, None]})
    >>> then = now.iloc[[0]].assign(etat="en projet", annee_ouverture=None)
    >>> ref = SnapshotRef(2024, dt.date(2025, 3, 1), lambda: then)
    >>> lieux_changes(now, baselines=[Baseline(PREVIOUS_YEAR, dt.date(2025, 1, 1), ref)])[
    ...     ["change_kind", "lieu_name", "detail"]].values.tolist()
    [['Ouvertures', 'La Forge', 'en projet → ouvert'], ['Nouvellement recensés', 'Le Four', 'ouvert']]
    """
    rows: list[dict] = []
    for baseline in baselines:
        if baseline.snapshot is None:
            if baseline.since_date is not None:
                rows += _changes_from_dates(current, baseline)
            continue
        rows += _changes_from_snapshot(current, baseline.snapshot.read(), baseline)
    frame = pd.DataFrame(rows, columns=CHANGES_COLUMNS)
    order = {name: i for i, name in enumerate(b.name for b in baselines)}
    frame["_b"] = frame["baseline"].map(order)
    frame["_k"] = frame["change_kind"].map({k: i for i, k in enumerate(CHANGE_KINDS)})
    frame["_n"] = frame["lieu_name"].str.casefold()
    frame = frame.sort_values(["_b", "_k", "_n", "lieu_id"], kind="stable")
    return finalise(frame.drop(columns=["_b", "_k", "_n"]).reset_index(drop=True).astype(
        {c: "object" for c in CHANGES_COLUMNS}))


def lieux_changes_summary(changes: pd.DataFrame, *, baselines: Sequence[Baseline]) -> pd.DataFrame:
    """How many lieux changed, by baseline and kind.

    Grain: one row per baseline and change kind (zeros included). ``lieux_count`` is missing
    where the baseline has no snapshot and the kind needs one (unknown is not zero).

    >>> changes = pd.DataFrame({"baseline": [PREVIOUS_YEAR], "change_kind": [OPENED]})
    >>> summary = lieux_changes_summary(changes, baselines=[Baseline(PREVIOUS_YEAR, dt.date(2025, 1, 1))])
    >>> summary["lieux_count"].tolist()
    [1, 0, <NA>, <NA>, <NA>, <NA>]
    """
    rows = []
    for baseline in baselines:
        mine = changes[changes["baseline"] == baseline.name]
        for kind in CHANGE_KINDS:
            known = baseline.snapshot is not None or kind not in SNAPSHOT_ONLY_KINDS
            rows.append({"baseline": baseline.name, "change_kind": kind,
                         "lieux_count": int((mine["change_kind"] == kind).sum()) if known else pd.NA})
    return finalise(pd.DataFrame(rows, columns=["baseline", "change_kind", "lieux_count"]))


def budget_result_by_year(budget: pd.DataFrame | None) -> pd.DataFrame:
    """The realised result (produits − charges, classes 7 and 6, volunteer time excluded) per year.

    Grain: one row per year of the budget file. Columns ``year``, ``budget_result_eur``.

    >>> budget = pd.DataFrame({"year": [2024, 2024, 2025], "account_code": ["606", "741", "741"],
    ...                        "realised_eur": [900.0, 1000.0, 50.0]})
    >>> budget_result_by_year(budget).values.tolist()
    [[2024.0, 100.0], [2025.0, 50.0]]
    """
    if budget is None or budget.empty:
        return pd.DataFrame({"year": pd.Series(dtype="Int64"),
                             "budget_result_eur": pd.Series(dtype="float64")})
    codes = budget["account_code"].astype("str").str.strip()
    realised = budget["realised_eur"].astype("float64")
    sign = np.select([codes.str.startswith("7"), codes.str.startswith("6")], [1.0, -1.0], 0.0)
    signed = pd.DataFrame({"year": budget["year"].astype("int64"), "amount": realised * sign,
                           "counted": sign != 0})
    signed = signed[signed["counted"]]
    result = signed.groupby("year", as_index=False)["amount"].sum(min_count=1)
    return result.rename(columns={"amount": "budget_result_eur"}).round({"budget_result_eur": 2})


def activity_changes(membership_by_year: pd.DataFrame, events_by_year: pd.DataFrame,
                     volunteering_by_year: pd.DataFrame, budget: pd.DataFrame | None, *,
                     year: int) -> pd.DataFrame:
    """Members (counts only), events, participants, volunteer hours and the budget result:
    N, N-1 and N − (N-1).

    Grain: one row per indicator of :data:`ACTIVITY_INDICATORS`, the columns of
    :func:`~relief_analytics.indicators.series.compare_years`. Member counts come from the
    membership series (new = never a member before, returning = back after a gap, renewed =
    member in N-1 and N, lapsed = member in N-1 and not in N: members of N = new + returning +
    renewed, of N-1 = renewed + lapsed); the budget result is missing for a year without budget
    lines.

    >>> members = pd.DataFrame({"year": [2024, 2025], "members_count": [10, 12],
    ...     "new_members_count": [10, 4], "returning_members_count": [0, 0],
    ...     "renewed_members_count": [0, 8], "lapsed_members_count": [0, 2]})
    >>> events = pd.DataFrame({"year": [2024, 2025], "events_count": [3, 5], "participants_count": [30, 40]})
    >>> hours = pd.DataFrame({"year": [2024, 2025], "volunteer_hours": [100.0, 90.5]})
    >>> table = activity_changes(members, events, hours, None, year=2025)
    >>> table.set_index("indicator")["change"].to_dict()["volunteer_hours"]
    -9.5
    """
    merged = membership_by_year[["year", *ACTIVITY_INDICATORS[:5]]].astype({"year": "int64"})
    for frame, columns in ((events_by_year, ["events_count", "participants_count"]),
                           (volunteering_by_year, ["volunteer_hours"]),
                           (budget_result_by_year(budget), ["budget_result_eur"])):
        part = frame[["year", *columns]].astype({"year": "int64"})
        merged = merged.merge(part, on="year", how="outer")
    for column in ACTIVITY_INDICATORS:
        merged[column] = merged[column].astype("Float64")
    return compare_years(merged.sort_values("year"), year=year, columns=list(ACTIVITY_INDICATORS))
