"""OpenAgenda JSON → the ``evenements`` table.

OpenAgenda writes two shapes, both read as downloaded:

- the **API v2** answer: ``{"events": [...]}``, timings ``[{"begin", "end"}]``;
- the JSON written by an agenda's **« Exporter »** button: a list of events (or ``{"events": […]}``),
  timings ``[{"start", "end"}]``.

Per event: ``uid`` (or ``id``), ``title`` as a string or ``{lang: text}`` (``fr`` first, else the
first language given), ``timings`` (several allowed: the sessions), ``attendanceMode`` (1 sur
place, 2 en ligne, 3 mixte; absent: sur place), ``location`` (``city``, ``insee``; ``postalCode``,
``latitude`` and ``longitude`` are not kept by the events table, but place the event). An event
held outside the configured region is not imported: it is listed « hors région » with the reason
(an online event stays). ``description`` is never read.
OpenAgenda gives no participant counts: ``participants`` stays empty (« non renseigné »), never 0.

Grain: one row per event; its sessions are counted (``seances``). An exhibition or permanent
activity (dozens of daily timings over weeks) is kept, flagged « activité permanente » and its
opening hours are not counted as meeting hours (:func:`~relief_analytics.schemas.derived.is_long_running`).

A file where no event can be imported is refused with the reasons; an element that is not an
event (``null``, a number…) is listed as a problem, never skipped silently.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from relief_analytics.importers._json import read_json
from relief_analytics.importers._rows import text_or_none
from relief_analytics.importers.base import (
    ImportReport,
    ImportSettings,
    apply_import,
    rejected_lines_of,
)
from relief_analytics.importers.events import (
    ATTENDANCE_MODES,
    EventDefaults,
    event_defaults,
    event_row,
    events_frame,
    issue_frame,
    long_running_notes,
    place_of,
    refuse_if_nothing_imported,
    repeated_key_notes,
    set_aside_out_of_region,
    timestamp,
)
from relief_analytics.load.errors import DataError

SOURCE_LABEL = "OpenAgenda"
ID_PREFIX = "OA-"
WHAT = "export JSON OpenAgenda"


def _title(value: object) -> str | None:
    if isinstance(value, dict):
        return text_or_none(value.get("fr")) or next(
            (text_or_none(v) for v in value.values() if text_or_none(v)), None)
    return text_or_none(value)


def _events(content: object, name: str) -> list:
    events = content.get("events") if isinstance(content, dict) else content
    if not isinstance(events, list):
        raise DataError(f"Fichier {name} : liste d'événements absente (export JSON OpenAgenda attendu : "
                        f"une liste d'événements, ou {{\"events\": [...]}}).")
    return events


def _mode(value: object) -> str | None:
    if isinstance(value, dict):  # some exports give {"id": 1, "label": …}
        value = value.get("id")
    if value is None:
        return ATTENDANCE_MODES[1]
    text = str(value).strip()
    return ATTENDANCE_MODES.get(int(text)) if text.isdigit() else None


def _periods(timings: list, issue) -> list[tuple[pd.Timestamp, pd.Timestamp]] | None:
    """The sessions of an event, or ``None`` (issue recorded) when one is invalid."""
    periods = []
    for timing in timings:
        if not isinstance(timing, dict):
            issue("timings", timing, "horaire invalide (objet {begin, end} ou {start, end} attendu)")
            return None
        raw_begin = timing.get("begin", timing.get("start"))
        begin, end = timestamp(raw_begin), timestamp(timing.get("end"))
        if begin is None or end is None or end < begin:
            issue("timings", f"{raw_begin} → {timing.get('end')}",
                  "horaire invalide (début et fin ISO attendus, fin après début)")
            return None
        periods.append((begin, end))
    return periods


def read_openagenda(path: Path, *, defaults: EventDefaults) -> tuple:
    """``(rows, issues, read_count, lines, places)`` of an OpenAgenda JSON (either shape).

    One row per event; ``lines`` is the event's position in the file, ``places`` the evidence of
    its place that the table does not keep (:func:`~relief_analytics.importers.events.place_of`).

    Raises
    ------
    DataError
        Unreadable, oversized or too deeply nested JSON; no list of events; or events none of
        which could be imported (the reasons are listed).
    """
    path = Path(path)
    events = _events(read_json(path, what=WHAT), path.name)
    rows, lines, issues, places = [], [], [], []
    for number, event in enumerate(events, start=1):
        def issue(column: str, value: object, rule: str, number: int = number) -> None:
            issues.append({"table": "evenements", "file_name": path.name, "line_number": number,
                           "column_name": column, "cell_value": "" if value is None else str(value)[:80],
                           "rule": rule + " : événement non importé"})

        if not isinstance(event, dict):
            issue("(élément)", "null" if event is None else event,
                  "élément qui n'est pas un événement (objet JSON attendu)")
            continue
        uid, title = text_or_none(event.get("uid", event.get("id"))), _title(event.get("title"))
        if uid is None:
            issue("uid", None, "identifiant manquant")
            continue
        if title is None:
            issue("title", None, "titre manquant")
            continue
        timings = event.get("timings")
        if not timings or not isinstance(timings, list):
            issue("timings", None if not timings else timings, "aucun horaire")
            continue
        periods = _periods(timings, issue)
        if periods is None:
            continue
        mode = _mode(event.get("attendanceMode"))
        if mode is None:
            issue("attendanceMode", event.get("attendanceMode"),
                  "mode de participation inconnu (1, 2 ou 3 attendu)")
            continue
        location = event.get("location") if isinstance(event.get("location"), dict) else {}
        rows.append(event_row(
            event_id=ID_PREFIX + uid, title=title, periods=periods, mode=mode, defaults=defaults,
            commune=text_or_none(location.get("city")), commune_code=text_or_none(location.get("insee")),
            participants=None,
        ))
        lines.append(number)
        places.append(place_of(postal_code=location.get("postalCode"), latitude=location.get("latitude"),
                               longitude=location.get("longitude")))
    frame, problems = events_frame(rows), issue_frame(issues)
    refuse_if_nothing_imported(frame, problems, read_count=len(events), file_name=path.name,
                               source_label=SOURCE_LABEL)
    notes = issue_frame(long_running_notes(frame, lines, file_name=path.name, column="timings")
                        + repeated_key_notes(frame, lines, file_name=path.name, column="uid"))
    problems = pd.concat([problems, notes], ignore_index=True) if not notes.empty else problems
    problems = problems.sort_values("line_number", kind="stable").reset_index(drop=True)
    return frame, problems, len(events), lines, places


def import_openagenda(
    path: Path, *, dataset_dir: Path, settings: ImportSettings, dry_run: bool = False,
    event_kind: str | None = None, commission: str | None = None, reference=None,
) -> ImportReport:
    """Import an OpenAgenda JSON (API v2 or « Exporter ») into the dataset's ``evenements`` table."""
    defaults = event_defaults(settings, event_kind=event_kind, commission=commission)
    rows, issues, count, lines, places = read_openagenda(path, defaults=defaults)
    report = ImportReport(source=Path(path).name, source_label=SOURCE_LABEL, table="evenements",
                          read_count=count, issues=issues)
    report.rejected_lines = rejected_lines_of(issues)
    rows = set_aside_out_of_region(rows, lines, places, report=report, settings=settings, reference=reference)
    return apply_import(report, rows, dataset_dir=dataset_dir, settings=settings, source_path=path,
                        dry_run=dry_run)
