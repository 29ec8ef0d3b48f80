"""What the agenda importers (OpenAgenda, Mobilizon) share: event rows, kind and commission, places.

Grain of the rows built here: one row per event. An event with several timings (sessions) is one
row: it starts at its first timing, ends at its last, keeps its number of sessions
(``sessions_count``) and lasts the sum of its timings, unless it is an exhibition or a permanent
activity (:func:`~relief_analytics.schemas.derived.is_long_running`): then ``is_long_running`` is
« oui » and ``duration_hours`` stays empty, since opening hours are not meeting hours.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from relief_analytics.formatting import format_date
from relief_analytics.importers._rows import (
    format_datetime,
    format_decimal,
    match_code,
    text_or_none,
)
from relief_analytics.importers.base import (
    OUT_OF_REGION_COLUMNS,
    ImportReport,
    ImportSettings,
    issue_frame,
)
from relief_analytics.load.coerce import CellError, parse_datetime, parse_insee_code
from relief_analytics.load.errors import DataError
from relief_analytics.schemas import Evenements, column_specs
from relief_analytics.schemas.derived import is_long_running

#: Time zone in which agenda times are shown (the network's).
LOCAL_TIMEZONE = "Europe/Paris"

#: OpenAgenda's attendanceMode → our attendance modes.
ATTENDANCE_MODES = {1: "sur place", 2: "en ligne", 3: "mixte"}


@dataclass(frozen=True)
class EventDefaults:
    """Kind and commission given to every imported event (config, or command-line options)."""

    event_kind: str
    commission: str


def event_defaults(settings: ImportSettings, *, event_kind: str | None = None,
                   commission: str | None = None) -> EventDefaults:
    """Resolve the kind and commission of imported events against the configured lists.

    Raises
    ------
    DataError
        When neither the option nor ``[importation.evenements]`` gives one, or the value is not in
        ``[listes].types_evenements`` / ``[listes].commissions`` (French message listing them).
    """
    lists = settings.config.lists
    chosen = {}
    for key, option, list_name, value in (
        ("type", "--type", "types_evenements", event_kind),
        ("commission", "--commission", "commissions", commission),
    ):
        value = value or settings.event_defaults.get(key)
        allowed = lists.get(list_name, [])
        if not value:
            raise DataError(f"Indiquez le {key} des événements importés : option {option}, ou "
                            f"« {key} = … » dans config.toml, section [importation.evenements].")
        found = match_code(value, allowed)
        if found is None:
            raise DataError(f"{key.capitalize()} « {value} » inconnu(e) : valeurs possibles "
                            f"({list_name}) : {', '.join(allowed)}.")
        chosen[key] = found
    return EventDefaults(event_kind=chosen["type"], commission=chosen["commission"])


def timestamp(value: object, *, timezone: str = LOCAL_TIMEZONE) -> pd.Timestamp | None:
    """An agenda's ISO date-time as local (French) time without offset, or ``None``.

    >>> timestamp("2025-03-20T16:00:00Z"), timestamp("2025-03-14T09:30:00+01:00")
    (Timestamp('2025-03-20 17:00:00'), Timestamp('2025-03-14 09:30:00'))
    """
    text = text_or_none(value)
    if text is None:
        return None
    if not re.match(r"\d{4}-\d\d-\d\d", text):  # not ISO: a French date, never month-first
        try:
            return parse_datetime(text)
        except CellError:
            return None
    try:
        stamp = pd.Timestamp(text)
    except ValueError:
        return None
    if stamp.tzinfo is not None:
        stamp = stamp.tz_convert(timezone).tz_localize(None)
    return stamp


def event_row(
    *, event_id: str, title: str, periods: list[tuple[pd.Timestamp, pd.Timestamp]], mode: str,
    defaults: EventDefaults, commune: str | None, commune_code: str | None,
    participants: int | None,
) -> dict:
    """One ``evenements`` row as text (the loaders' formats); ``periods`` are the sessions."""
    start = min(begin for begin, _ in periods)
    end = max(stop for _, stop in periods)
    hours = sum((stop - begin).total_seconds() for begin, stop in periods) / 3600
    longest = max((stop - begin).total_seconds() for begin, stop in periods) / 3600
    long_running = is_long_running(span_days=(end - start).total_seconds() / 86400,
                                   sessions=len(periods), longest_session_hours=longest)
    code = None
    if commune_code:
        try:
            code = parse_insee_code(str(commune_code))
        except CellError:
            code = None
    return {
        "event_id": event_id, "title": title, "start_date": format_datetime(start),
        "end_date": format_datetime(end), "event_kind": defaults.event_kind,
        "commission": defaults.commission, "attendance_mode": mode, "lieu_id": None,
        "commune_name": None if mode == "en ligne" else commune,
        "commune_code": None if mode == "en ligne" else code,
        "participants_count": None if participants is None else str(participants),
        "duration_hours": None if long_running else format_decimal(round(hours, 2)),
        "sessions_count": str(len(periods)),
        "is_long_running": "oui" if long_running else "non",
    }


def long_running_notes(rows: pd.DataFrame, lines: list[int], *, file_name: str,
                       column: str) -> list[dict]:
    """One issue per exhibition / permanent activity of ``rows`` (kept, duration not counted)."""
    notes = []
    for line, row in zip(lines, rows.to_dict("records"), strict=True):
        if row["is_long_running"] == "oui":
            notes.append({
                "table": "evenements", "file_name": file_name, "line_number": line, "column_name": column,
                "cell_value": f"{row['sessions_count']} séance(s) du "
                              f"{format_date(parse_datetime(row['start_date']))} au "
                              f"{format_date(parse_datetime(row['end_date']))}",
                "rule": "exposition / activité permanente : événement importé, compté à part ; ses "
                        "heures d'ouverture ne sont pas comptées en heures de réunion"})
    return notes


def repeated_key_notes(rows: pd.DataFrame, lines: list[int], *, file_name: str,
                       column: str) -> list[dict]:
    """One issue per event whose identifier comes again later in the file (the last one is kept).

    Grain of the events table: one row per ``event_id``; the merge keeps the last occurrence, and
    this says so, line by line.
    """
    if rows.empty:
        return []
    repeated = rows["event_id"].duplicated(keep="last").to_numpy()
    return [{"table": "evenements", "file_name": file_name, "line_number": line, "column_name": column,
             "cell_value": key, "rule": "identifiant en double dans la source : la dernière occurrence "
                                        "est retenue"}
            for line, key, again in zip(lines, rows["event_id"], repeated, strict=True) if again]


def refuse_if_nothing_imported(rows: pd.DataFrame, issues: pd.DataFrame, *, read_count: int,
                               file_name: str, source_label: str) -> None:
    """Raise when a file had events and none could be imported (the reasons are listed).

    Raises
    ------
    DataError
        « aucun événement importable », with the distinct reasons and how many events each hit.
    """
    if read_count == 0 or not rows.empty:
        return
    reasons = issues.groupby(["column_name", "rule"], sort=False).size()
    listed = " ; ".join(f"« {column} » : {rule} ({count} événement{'s' if count > 1 else ''})"
                        for (column, rule), count in reasons.items())
    which = ("le seul événement du fichier n'a pu être importé" if read_count == 1 else
             f"aucun des {read_count} événements n'a pu être importé")
    raise DataError(
        f"Fichier {file_name} : {which} "
        f"({listed or 'aucune raison connue'}). Vérifiez qu'il s'agit bien d'un export {source_label} "
        f"(JSON).")


def place_of(*, postal_code: object = None, latitude: object = None, longitude: object = None) -> dict:
    """The evidence of an event's place that the events table does not keep (text or ``None``)."""
    def text(value: object) -> str | None:
        return None if value is None else text_or_none(str(value))

    return {"postal_code": text(postal_code), "latitude": text(latitude), "longitude": text(longitude)}


def set_aside_out_of_region(
    rows: pd.DataFrame, lines: list[int], places: list[dict], *, report: ImportReport,
    settings: ImportSettings, reference=None,
) -> pd.DataFrame:
    """Keep the events held in the region (or online); list the others in ``report.out_of_region``.

    Grain: one row per event kept. An event « sur place » or « mixte » whose place (INSEE code,
    postal code, coordinates, commune name) the commune resolver puts outside the configured
    region is not imported: it is counted « hors région » in the ledger
    and listed with the reason. The rule is the lieux importer's: the resolver's status « hors
    région » (:func:`relief_analytics.importers.lieux.out_of_region_reasons`). An online event has
    no place and stays; an event ambiguous, in conflict or with no place at all stays too (the
    resolver and the quality report list it). ``reference`` defaults to the configured region's.
    """
    from relief_analytics.importers.lieux import out_of_region_reasons

    report.row_lines = list(lines)
    physical = (rows["attendance_mode"] != "en ligne").to_numpy() if not rows.empty else None
    if rows.empty or not physical.any():
        return rows
    if reference is None:
        from relief_analytics.geo.reference import load_reference

        reference = load_reference(settings.config.region_code)
    evidence = pd.DataFrame(places, index=rows.index, columns=["postal_code", "latitude", "longitude"])
    evidence["commune_code"] = rows["commune_code"]
    evidence["commune_name"] = rows["commune_name"]
    evidence = evidence.astype(object).where(evidence.notna(), None)
    reasons = pd.Series(None, index=rows.index, dtype=object)
    reasons[physical] = out_of_region_reasons(evidence[physical], reference=reference)
    out = reasons.notna().to_numpy()
    if not out.any():
        return rows
    kept_lines = np.asarray(lines)
    report.out_of_region = pd.DataFrame({
        "ligne": kept_lines[out], "nom": rows.loc[out, "title"].to_numpy(),
        "commune": rows.loc[out, "commune_name"].to_numpy(), "code_insee": rows.loc[out, "commune_code"].to_numpy(),
        "code_postal": evidence.loc[out, "postal_code"].to_numpy(), "raison": reasons[out].to_numpy(),
    }, columns=OUT_OF_REGION_COLUMNS).astype(object)
    report.out_of_region = report.out_of_region.where(report.out_of_region.notna(), None)
    report.row_lines = [int(n) for n in kept_lines[~out]]
    return rows.loc[~out].reset_index(drop=True)


def events_frame(rows: list[dict]) -> pd.DataFrame:
    """Rows as a frame with the contract's columns in order."""
    return pd.DataFrame(rows, columns=list(column_specs(Evenements)), dtype=object)


__all__ = ["ATTENDANCE_MODES", "EventDefaults", "event_defaults", "event_row", "events_frame",
           "issue_frame", "long_running_notes", "place_of", "refuse_if_nothing_imported",
           "repeated_key_notes", "set_aside_out_of_region", "timestamp"]
