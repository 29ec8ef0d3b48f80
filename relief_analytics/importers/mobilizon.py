"""Mobilizon event JSON (+ participants CSV exports) → the ``evenements`` table.

Event JSON: one event, a list, ``{"elements": [...]}`` or the GraphQL answer
(``{"data": {"events": {"elements": [...]}}}`` / ``{"data": {"event": {...}}}``). Per event:
``uuid``, ``title``, ``beginsOn``, ``endsOn``, ``onlineAddress``, ``physicalAddress`` (``locality``,
``postalCode``, ``geom`` as ``"lon;lat"``), ``options.isOnline``. Mode: online address only or
``isOnline`` → en ligne; online and physical → mixte; else sur place. An event held outside the
configured region (``postalCode``, ``geom``, ``locality``) is listed « hors région », not imported.

Participants: Mobilizon exports one CSV per event, one row per person with a role (status). Only
confirmed roles count: participant, moderator, administrator, creator (French labels too). The file
is matched to its event by the event's uuid in the file name, or to the only event of the JSON.
Names in that file are never read beyond counting rows.
"""

from __future__ import annotations

from pathlib import Path

from relief_analytics.importers._json import read_json
from relief_analytics.importers._rows import code_key, text_or_none
from relief_analytics.importers.base import (
    ImportReport,
    ImportSettings,
    apply_import,
    rejected_lines_of,
)
from relief_analytics.importers.events import (
    EventDefaults,
    event_defaults,
    event_row,
    events_frame,
    issue_frame,
    place_of,
    refuse_if_nothing_imported,
    repeated_key_notes,
    set_aside_out_of_region,
    timestamp,
)
from relief_analytics.load.errors import DataError
from relief_analytics.load.headers import normalize_header
from relief_analytics.load.read import read_text_table

SOURCE_LABEL = "Mobilizon"
ID_PREFIX = "MBZ-"
CONFIRMED_ROLES = {
    "participant", "moderator", "administrator", "creator",
    "moderateur", "moderatrice", "administrateur", "administratrice", "createur", "creatrice",
    "organisateur", "organisatrice",
}
ROLE_HEADERS = ("participant status", "participant role", "statut du participant", "role du participant",
                "statut", "status", "role")


def _events(content: object) -> list:
    if isinstance(content, list):
        return content
    if isinstance(content, dict):
        if "data" in content and isinstance(content["data"], dict):
            data = content["data"]
            if isinstance(data.get("event"), dict):
                return [data["event"]]
            return _events(data.get("events"))
        if isinstance(content.get("elements"), list):
            return content["elements"]
        if "uuid" in content or "beginsOn" in content:
            return [content]
    return []


def count_confirmed(path: Path) -> tuple[int, int]:
    """``(confirmed, read)`` rows of a Mobilizon participants export.

    Raises
    ------
    DataError
        When no role/status column is found (French message listing the columns).
    """
    raw = read_text_table(Path(path), known_headers=set(ROLE_HEADERS))
    column = next((h for h in raw.frame.columns if normalize_header(h) in ROLE_HEADERS), None)
    if column is None:
        raise DataError(
            f"Fichier {Path(path).name} : colonne du rôle des participants introuvable "
            f"(attendu : « Participant status » ou « Statut du participant »). Colonnes trouvées : "
            f"{', '.join(f'« {c} »' for c in raw.frame.columns)}."
        )
    roles = raw.frame[column].fillna("").map(code_key)
    return int(roles.isin(CONFIRMED_ROLES).sum()), len(roles)


def _participant_files(events: list, files: list[Path]) -> dict[str, Path]:
    uuids = [str(e.get("uuid") or e.get("id") or "") for e in events]
    assigned: dict[str, Path] = {}
    for path in files:
        matches = [u for u in uuids if u and u in Path(path).name]
        if not matches and len(uuids) == 1:
            matches = uuids
        if len(matches) != 1:
            raise DataError(
                f"Fichier de participants {Path(path).name} : impossible de savoir à quel événement il "
                f"se rapporte. Mettez l'uuid de l'événement dans le nom du fichier "
                f"(ex. participants_<uuid>.csv)."
            )
        assigned[matches[0]] = Path(path)
    return assigned


def read_mobilizon(path: Path, *, defaults: EventDefaults, participants: list[Path] = ()) -> tuple:
    """``(rows, issues, read_count, lines, places)``: one row per event of a Mobilizon JSON export.

    ``places`` holds the evidence of each event's place that the table does not keep.
    """
    path = Path(path)
    elements = _events(read_json(path, what="export JSON Mobilizon"))
    events = [e for e in elements if isinstance(e, dict)]
    if not events:
        raise DataError(f"Fichier {path.name} : aucun événement Mobilizon trouvé (uuid, title, beginsOn).")
    files = _participant_files(events, list(participants))
    rows, lines, issues, places = [], [], [], []
    for number, event in enumerate(elements, start=1):
        def issue(column: str, value: object, rule: str, number: int = number) -> None:
            issues.append({"table": "evenements", "file_name": path.name, "line_number": number,
                           "column_name": column, "cell_value": "" if value is None else str(value)[:80],
                           "rule": rule + " : événement non importé"})

        if not isinstance(event, dict):
            issue("(élément)", "null" if event is None else event,
                  "élément qui n'est pas un événement (objet JSON attendu)")
            continue
        uuid = text_or_none(event.get("uuid") or event.get("id"))
        title = text_or_none(event.get("title"))
        begin, end = timestamp(event.get("beginsOn")), timestamp(event.get("endsOn"))
        if uuid is None or title is None:
            issue("uuid" if uuid is None else "title", None, "identifiant ou titre manquant")
            continue
        if begin is None or end is None or end < begin:
            issue("endsOn" if begin else "beginsOn", event.get("endsOn") if begin else event.get("beginsOn"),
                  "début et fin attendus (fin après début) pour calculer la durée")
            continue
        address = event.get("physicalAddress") if isinstance(event.get("physicalAddress"), dict) else {}
        options = event.get("options") if isinstance(event.get("options"), dict) else {}
        online = bool(text_or_none(event.get("onlineAddress"))) or bool(options.get("isOnline"))
        physical = bool(text_or_none(address.get("locality")) or text_or_none(address.get("geom")))
        mode = "mixte" if online and physical else ("en ligne" if online else "sur place")
        count = count_confirmed(files[uuid])[0] if uuid in files else None
        rows.append(event_row(
            event_id=ID_PREFIX + uuid, title=title, periods=[(begin, end)], mode=mode,
            defaults=defaults, commune=text_or_none(address.get("locality")), commune_code=None,
            participants=count,
        ))
        lines.append(number)
        places.append(_place(address))
    frame = events_frame(rows)
    problems = issue_frame(issues + repeated_key_notes(frame, lines, file_name=path.name, column="uuid"))
    problems = problems.sort_values("line_number", kind="stable").reset_index(drop=True)
    refuse_if_nothing_imported(frame, problems, read_count=len(elements), file_name=path.name,
                               source_label=SOURCE_LABEL)
    return frame, problems, len(elements), lines, places


def _place(address: dict) -> dict:
    """Postal code and coordinates of a Mobilizon ``physicalAddress`` (``geom`` is ``"lon;lat"``)."""
    parts = str(address.get("geom") or "").split(";")
    lon, lat = (parts[0], parts[1]) if len(parts) == 2 else (None, None)
    return place_of(postal_code=address.get("postalCode"), latitude=lat, longitude=lon)


def import_mobilizon(
    path: Path, *, dataset_dir: Path, settings: ImportSettings, participants: list[Path] = (),
    dry_run: bool = False, event_kind: str | None = None, commission: str | None = None, reference=None,
) -> ImportReport:
    """Import Mobilizon events (and their participants' counts) into the ``evenements`` table."""
    defaults = event_defaults(settings, event_kind=event_kind, commission=commission)
    rows, issues, count, lines, places = read_mobilizon(path, defaults=defaults, participants=list(participants))
    report = ImportReport(source=Path(path).name, source_label=SOURCE_LABEL, table="evenements",
                          read_count=count, issues=issues)
    report.rejected_lines = rejected_lines_of(issues)
    rows = set_aside_out_of_region(rows, lines, places, report=report, settings=settings, reference=reference)
    return apply_import(report, rows, dataset_dir=dataset_dir, settings=settings, source_path=path,
                        dry_run=dry_run)
