"""Snapshots of the public lieux table that the tool keeps itself: ``reports/instantanes/``.

Each successful build writes the year's public lieux table (the open-data export, public fields
only: :func:`~relief_analytics.indicators.public_lieux.lieux_open_data`) as
``reports/instantanes/lieux_<année>_<AAAA-MM-JJ>.csv`` — one file per year of reports and per
day: a second build the same day replaces that day's file, a build of another day never touches
it. The file is written beside its final name, then renamed (atomic): an interrupted build
leaves no half-written snapshot. The folder sits beside the year folders, so swapping
``reports/<année>/`` in place never removes a snapshot.

The next builds read them (:func:`list_snapshots`, in the ``relief`` process) and give them to
:func:`~relief_analytics.context.year.build_year_context`: « Ce qui a changé » compares with the
latest snapshot of N-1 and the latest taken on or before the last AG
(:mod:`relief_analytics.indicators.changes`).
"""

from __future__ import annotations

import datetime as dt
import functools
import os
import tempfile
from pathlib import Path

import pandas as pd

from relief_analytics.context.catalogue import TABLES
from relief_analytics.errors import DataError
from relief_analytics.indicators.changes import SNAPSHOT_COLUMNS, SnapshotRef
from relief_analytics.indicators.public_lieux import lieux_open_data, place_lieux
from relief_analytics.report.public_tables import public_frame
from relief_analytics.report.snapshot_names import SNAPSHOT_NAME, SNAPSHOTS_DIRNAME, snapshot_name
from relief_analytics.safety import is_formula_like, neutralise_frame


def write_lieux_snapshot(context, reports_dir: Path, *, today: dt.date | None = None) -> Path:
    """Write the public lieux table of ``context`` as the snapshot of ``context.year`` and
    ``today`` (default: the current date); return its path. Atomic; same day = same file."""
    table = context.tables.get("lieux_open_data")
    if table is None:
        table = lieux_open_data(place_lieux(context.lieux, reference=context.reference))
    folder = Path(reports_dir) / SNAPSHOTS_DIRNAME
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / snapshot_name(context.year, today or dt.date.today())
    frame = neutralise_frame(public_frame(table, TABLES["lieux_open_data"]))
    handle, temporary = tempfile.mkstemp(prefix=".instantane-", suffix=".csv", dir=folder)
    try:
        with os.fdopen(handle, "w", encoding="utf-8-sig", newline="") as stream:
            frame.to_csv(stream, sep=";", decimal=",", index=False, date_format="%Y-%m-%d",
                         float_format="%.10g")
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return target


def read_lieux_snapshot(path: Path) -> pd.DataFrame:
    """Read one snapshot: the columns of :data:`SNAPSHOT_COLUMNS` (all text), plus ``date_maj``.

    Raises
    ------
    DataError
        When the file cannot be read or lacks a column (French message naming the file).
    """
    path = Path(path)
    try:
        frame = pd.read_csv(path, sep=";", dtype=str, encoding="utf-8-sig", keep_default_na=False)
    except (OSError, ValueError, pd.errors.ParserError) as exc:
        raise DataError(f"Instantané des lieux illisible : {path.name} ({exc}). Déplacez ce "
                        f"fichier hors du dossier {SNAPSHOTS_DIRNAME}/ ou supprimez-le.") from None
    missing = [c for c in SNAPSHOT_COLUMNS if c not in frame.columns]
    if missing:
        raise DataError(f"Instantané des lieux {path.name} : colonne(s) absente(s) "
                        f"{', '.join(missing)} ; ce fichier n'a pas été écrit par relief-analytics. "
                        f"Déplacez-le hors du dossier {SNAPSHOTS_DIRNAME}/.")
    frame = frame.replace("", None).map(_restore)
    return frame[[*SNAPSHOT_COLUMNS, *(["date_maj"] if "date_maj" in frame.columns else [])]]


def _restore(value):
    """Undo :func:`~relief_analytics.safety.neutralise_cell`: ``'=x`` was written for ``=x``."""
    if isinstance(value, str) and value.startswith("'") and is_formula_like(value[1:]):
        return value[1:]
    return value


def list_snapshots(reports_dir: Path) -> list[SnapshotRef]:
    """The snapshots kept in ``reports_dir/instantanes/``, oldest first (read when used).

    Files whose name does not follow ``lieux_<année>_<AAAA-MM-JJ>.csv`` are ignored.
    """
    folder = Path(reports_dir) / SNAPSHOTS_DIRNAME
    refs = []
    for path in sorted(folder.glob("lieux_*.csv")) if folder.is_dir() else []:
        match = SNAPSHOT_NAME.match(path.name)
        if not match:
            continue
        try:
            day = dt.date.fromisoformat(match["day"])
        except ValueError:
            continue
        refs.append(SnapshotRef(int(match["year"]), day,
                                functools.partial(read_lieux_snapshot, path)))
    return sorted(refs, key=lambda ref: (ref.taken_on, ref.year))


def keep_lieux_snapshot(context, reports_dir: Path, *, today: dt.date | None = None) -> list[str]:
    """The build's hook, once the year folder is in place: keep the day's snapshot.

    Returns French warnings (empty when kept): a snapshot that cannot be written does not undo
    reports already published, it is said.
    """
    try:
        write_lieux_snapshot(context, reports_dir, today=today)
    except OSError as exc:
        return [f"instantané des lieux non gardé dans {SNAPSHOTS_DIRNAME}/ ({exc.strerror or exc}) : "
                "la prochaine construction ne pourra pas comparer avec celle-ci."]
    return []


def context_snapshots(reports_dir: Path | None) -> dict:
    """Keyword arguments of ``build_year_context`` giving it the kept snapshots (the build's hook)."""
    return {"snapshots": list_snapshots(reports_dir)} if reports_dir is not None else {}
