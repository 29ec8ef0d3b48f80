"""Folder moves of a build: a private work folder, the swap into ``reports/<année>/``, failures kept.

The year folder is only ever replaced whole, once every report of the build succeeded: the old
folder is renamed to a backup, the new one renamed into place, then the backup deleted. Readers
never see a half-written year folder, and a failed build leaves the previous one untouched.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from datetime import datetime
from pathlib import Path

FAILURES_DIRNAME = ".echecs"


def timestamp() -> str:
    """Return the local time as ``20261128-153012`` (sorts chronologically, safe in file names)."""
    return datetime.now().strftime("%Y%m%d-%H%M%S")


def make_work_dir(year_dir: Path) -> Path:
    """Create and return an empty private folder beside ``year_dir``: ``reports/.2025.tmp-XXXX``.

    Being on the same file system as ``year_dir`` makes the final rename atomic.
    """
    year_dir.parent.mkdir(parents=True, exist_ok=True)
    work_dir = Path(tempfile.mkdtemp(prefix=f".{year_dir.name}.tmp-", dir=year_dir.parent))
    work_dir.chmod(0o755)  # mkdtemp makes it private; it becomes the shared year folder
    return work_dir


def replace_directory(new_dir: Path, target: Path) -> None:
    """Put ``new_dir`` in place of ``target`` (which may not exist) by renames only."""
    backup = None
    if target.exists():
        backup = target.with_name(f".{target.name}.ancien-{timestamp()}-{os.getpid()}")
        os.replace(target, backup)
    try:
        os.replace(new_dir, target)
    except OSError:
        if backup is not None:
            os.replace(backup, target)
        raise
    if backup is not None:
        shutil.rmtree(backup, ignore_errors=True)


def keep_failures(notebooks: list[Path], *, reports_dir: Path, year: int) -> Path | None:
    """Move executed notebooks of failed reports to ``reports/.echecs/<année>-<horodatage>/``."""
    existing = [path for path in notebooks if path.exists()]
    if not existing:
        return None
    destination = reports_dir / FAILURES_DIRNAME / f"{year}-{timestamp()}"
    suffix = 2
    while destination.exists():
        destination = reports_dir / FAILURES_DIRNAME / f"{year}-{timestamp()}-{suffix}"
        suffix += 1
    destination.mkdir(parents=True)
    for path in existing:
        shutil.move(str(path), destination / path.name)
    return destination


def copy_previous(year_dir: Path, work_dir: Path, *, skip: set[str]) -> None:
    """Copy the current year folder into ``work_dir`` (for partial builds), except ``skip`` names."""
    if not year_dir.is_dir():
        return
    for entry in year_dir.iterdir():
        if entry.name in skip:
            continue
        if entry.is_dir():
            shutil.copytree(entry, work_dir / entry.name, dirs_exist_ok=True)
        else:
            shutil.copy2(entry, work_dir / entry.name)
