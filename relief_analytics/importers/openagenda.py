"""OpenAgenda JSON export → the ``evenements`` table.

Accepted shapes: ``{"events": [...]}`` (export / API v2), or a bare list of events. Per event:
``uid``, multilingual ``title`` (``fr`` first, else the first language given), ``timings``
(``[{begin, end}]``, several allowed), ``attendanceMode`` (1 sur place, 2 en ligne, 3 mixte; absent:
sur place), ``location`` (``city``, ``postalCode``, ``insee`` if present). OpenAgenda gives no
participant counts: ``participants`` stays empty.
"""

from __future__ import annotations

import json
from pathlib import Path

from relief_analytics.importers._rows import text_or_none
from relief_analytics.importers.base import ImportReport, ImportSettings, apply_import, issue_frame
from relief_analytics.importers.events import (
    ATTENDANCE_MODES,
    EventDefaults,
    event_defaults,
    event_row,
    events_frame,
    timestamp,
)
from relief_analytics.load.errors import DataError

SOURCE_LABEL = "OpenAgenda"
ID_PREFIX = "OA-"


def _title(value: object) -> str | None:
    if isinstance(value, dict):
        return text_or_none(value.get("fr")) or next(
            (text_or_none(v) for v in value.values() if text_or_none(v)), None)
    return text_or_none(value)


def read_openagenda(path: Path, *, defaults: EventDefaults) -> tuple:
    """``(rows, issues, read_count)`` of an OpenAgenda export; one row per event."""
    path = Path(path)
    try:
        content = json.loads(path.read_text(encoding="utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise DataError(f"Fichier {path.name} : JSON illisible ({exc}). Téléchargez à nouveau "
                        f"l'export OpenAgenda au format JSON.") from exc
    events = content.get("events") if isinstance(content, dict) else content
    if not isinstance(events, list):
        raise DataError(f"Fichier {path.name} : liste « events » absente (export JSON OpenAgenda attendu).")
    rows, issues = [], []
    for number, event in enumerate(events, start=1):
        def issue(column: str, value: object, rule: str, number: int = number) -> None:
            issues.append({"table": "evenements", "file_name": path.name, "line_number": number,
                           "column_name": column, "cell_value": "" if value is None else str(value),
                           "rule": rule + " : événement non importé"})

        uid, title = text_or_none(event.get("uid")), _title(event.get("title"))
        if uid is None:
            issue("uid", None, "identifiant manquant")
            continue
        if title is None:
            issue("title", None, "titre manquant")
            continue
        periods = []
        for timing in event.get("timings") or []:
            begin, end = timestamp(timing.get("begin")), timestamp(timing.get("end"))
            if begin is None or end is None or end < begin:
                issue("timings", f"{timing.get('begin')} → {timing.get('end')}",
                      "horaire invalide (début et fin ISO attendus, fin après début)")
                periods = []
                break
            periods.append((begin, end))
        if not periods:
            if not event.get("timings"):
                issue("timings", None, "aucun horaire")
            continue
        mode_code = event.get("attendanceMode", 1)
        mode = ATTENDANCE_MODES.get(int(mode_code) if str(mode_code).isdigit() else -1)
        if mode is None:
            issue("attendanceMode", mode_code, "mode de participation inconnu (1, 2 ou 3 attendu)")
            continue
        location = event.get("location") or {}
        rows.append(event_row(
            event_id=ID_PREFIX + uid, title=title, periods=periods, mode=mode, defaults=defaults,
            commune=text_or_none(location.get("city")), commune_code=text_or_none(location.get("insee")),
            participants=None,
        ))
    return events_frame(rows), issue_frame(issues), len(events)


def import_openagenda(
    path: Path, *, dataset_dir: Path, settings: ImportSettings, dry_run: bool = False,
    event_kind: str | None = None, commission: str | None = None,
) -> ImportReport:
    """Import an OpenAgenda JSON export into the dataset's ``evenements`` table."""
    defaults = event_defaults(settings, event_kind=event_kind, commission=commission)
    rows, issues, count = read_openagenda(path, defaults=defaults)
    report = ImportReport(source=Path(path).name, source_label=SOURCE_LABEL, table="evenements",
                          read_count=count, issues=issues)
    return apply_import(report, rows, dataset_dir=dataset_dir, settings=settings, source_path=path,
                        dry_run=dry_run)
