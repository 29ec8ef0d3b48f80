"""Where the kept snapshots of the lieux table live and how they are named (no pandas here: the
« à jour » check reads only their names and dates, see :func:`snapshot_signature`)."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

#: Folder of the snapshots, inside the reports folder (beside the year folders).
SNAPSHOTS_DIRNAME = "instantanes"

SNAPSHOT_NAME = re.compile(r"^lieux_(?P<year>\d{4})_(?P<day>\d{4}-\d{2}-\d{2})\.csv$")


def snapshot_name(year: int, day: dt.date) -> str:
    """``lieux_2025_2026-02-03.csv``.

    >>> snapshot_name(2025, dt.date(2026, 2, 3))
    'lieux_2025_2026-02-03.csv'
    """
    return f"lieux_{int(year)}_{day.isoformat()}.csv"


def snapshot_signature(reports_dir: Path, year: int) -> list[str]:
    """Name, size and modification time of the snapshots kept for the reports of years before
    ``year``: the baselines of « Ce qui a changé » that a build of ``year`` may read.

    Part of each report's key (:mod:`relief_analytics.report.plan`): when an earlier year is
    rebuilt and keeps a new snapshot, the year's reports are no longer « à jour ». The year's own
    snapshots, which every build of it writes, are left out.
    """
    folder = Path(reports_dir) / SNAPSHOTS_DIRNAME
    entries = []
    for path in sorted(folder.glob("lieux_*.csv")) if folder.is_dir() else []:
        match = SNAPSHOT_NAME.match(path.name)
        if match and int(match["year"]) < int(year):
            stat = path.stat()
            entries.append(f"{SNAPSHOTS_DIRNAME}/{path.name}:{stat.st_size}:{stat.st_mtime_ns}")
    return entries
