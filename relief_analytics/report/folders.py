"""Folder moves of a build: a private work folder, the swap into ``reports/<année>/``, failures kept.

The year folder is only ever replaced whole, once every report of the build succeeded: the old
folder is renamed to a backup, the new one renamed into place, then the backup deleted. Readers
never see a half-written year folder, and a failed build leaves the previous one untouched.

Faults: one build at a time per year folder (``fcntl.flock`` on ``reports/.<année>.lock``, taken
by :func:`make_work_dir`, released by :func:`release_lock`, which deletes the file, or by the
process's end, even a SIGKILL, which leaves an unheld file the next build takes over). Once the lock is held, what a killed build left behind is cleaned: stale work folders
``reports/.<année>.tmp-*`` are removed, and a backup ``.<année>.ancien-*`` whose swap was cut
short is put back in place. A read-only, forbidden or full output folder stops the build with a
French :class:`OutputFolderError` before any notebook runs.
"""

from __future__ import annotations

import errno
import fcntl
import os
import shutil
import tempfile
from datetime import datetime
from pathlib import Path

FAILURES_DIRNAME = ".echecs"
#: Free space required in the output folder before a build starts, at least.
MIN_FREE_BYTES = 50 * 1024 * 1024

_LOCKS: dict[Path, int] = {}


class OutputFolderError(ValueError):
    """The output folder cannot take the build (busy, read-only, forbidden, full). French message."""


def lock_path(year_dir: Path) -> Path:
    """The lock file of a year folder: ``reports/.2025.lock`` (exists while a build runs)."""
    return year_dir.parent / f".{year_dir.name}.lock"


def describe_os_error(exc: OSError, folder: Path) -> str:
    """French explanation of a failure to write in the output ``folder``."""
    where = f"le dossier de sortie {folder}"
    if exc.errno == errno.EROFS:
        problem = f"{where} est en lecture seule (disque ou clé protégé en écriture)"
    elif exc.errno in (errno.EACCES, errno.EPERM):
        problem = f"vous n'avez pas le droit d'écrire dans {where}"
    elif exc.errno in (errno.ENOSPC, errno.EDQUOT):
        problem = f"le disque du dossier de sortie {folder} est plein"
    else:
        problem = f"impossible d'écrire dans {where} ({exc.strerror or type(exc).__name__})"
    return (
        f"Rapports non produits : {problem}. Les rapports précédents n'ont pas été modifiés. "
        f"Libérez de la place ou choisissez un autre dossier (option --sortie), puis relancez "
        f"« relief rapports »."
    )


def acquire_lock(year_dir: Path) -> Path:
    """Take the lock of ``year_dir`` for this process (no wait); return the lock file.

    Raises
    ------
    OutputFolderError
        When another build of the same year folder is running (French message).
    OSError
        When the lock file cannot be created (read-only or forbidden folder).
    """
    key = Path(year_dir).resolve()
    path = lock_path(key)
    if key in _LOCKS:
        return path
    key.parent.mkdir(parents=True, exist_ok=True)
    while True:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.read(fd, 32).decode("ascii", "replace").strip()
            os.close(fd)
            process = f" (processus {holder})" if holder.isdigit() else ""
            raise OutputFolderError(
                f"Une autre production des rapports {key.name} est déjà en cours dans {key.parent}{process}. "
                f"Attendez qu'elle se termine, puis relancez « relief rapports ». Aucun fichier n'a été modifié."
            ) from None
        try:
            same_file = os.stat(path).st_ino == os.fstat(fd).st_ino
        except FileNotFoundError:
            same_file = False
        if same_file:
            break
        os.close(fd)  # the holder released and deleted it meanwhile: lock the new file
    os.ftruncate(fd, 0)
    os.write(fd, f"{os.getpid()}\n".encode("ascii"))
    _LOCKS[key] = fd
    return path


def release_lock(year_dir: Path) -> None:
    """Release the lock of ``year_dir`` if this process holds it, and delete the lock file."""
    key = Path(year_dir).resolve()
    fd = _LOCKS.pop(key, None)
    if fd is not None:
        try:
            os.unlink(lock_path(key))
        except OSError:
            pass
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)


def clean_stale(year_dir: Path) -> list[Path]:
    """Remove what a killed build of ``year_dir`` left; return the paths cleaned. Lock must be held.

    Work folders ``.<année>.tmp-*`` are deleted. A backup ``.<année>.ancien-*`` is put back as the
    year folder when the year folder is missing (a swap cut between its two renames), else deleted.
    """
    parent = year_dir.parent
    cleaned = []
    for stale in sorted(parent.glob(f".{year_dir.name}.tmp-*")):
        shutil.rmtree(stale, ignore_errors=True)
        cleaned.append(stale)
    backups = sorted(parent.glob(f".{year_dir.name}.ancien-*"))
    if backups and not year_dir.exists():
        os.replace(backups.pop(), year_dir)
    for backup in backups:
        shutil.rmtree(backup, ignore_errors=True)
        cleaned.append(backup)
    return cleaned


def _folder_size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) if folder.is_dir() else 0


def check_free_space(year_dir: Path) -> None:
    """Refuse to start when the output disk has less than twice the previous year folder free."""
    needed = max(MIN_FREE_BYTES, 2 * _folder_size(year_dir))
    free = shutil.disk_usage(year_dir.parent).free
    if free < needed:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


def timestamp() -> str:
    """Return the local time as ``20261128-153012`` (sorts chronologically, safe in file names)."""
    return datetime.now().strftime("%Y%m%d-%H%M%S")


def make_work_dir(year_dir: Path) -> Path:
    """Lock ``year_dir``, clean a killed build's leftovers, return a new ``reports/.2025.tmp-XXXX``.

    Being on the same file system as ``year_dir`` makes the final rename atomic. The caller
    releases the lock with :func:`release_lock` when the build ends.

    Raises
    ------
    OutputFolderError
        Another build of the year is running, or the output folder is read-only, forbidden or full.
    """
    try:
        acquire_lock(year_dir)
    except OSError as exc:
        raise OutputFolderError(describe_os_error(exc, year_dir.parent)) from exc
    try:
        clean_stale(year_dir)
        check_free_space(year_dir)
        work_dir = Path(tempfile.mkdtemp(prefix=f".{year_dir.name}.tmp-", dir=year_dir.parent))
        work_dir.chmod(0o755)  # mkdtemp makes it private; it becomes the shared year folder
    except OSError as exc:
        release_lock(year_dir)
        raise OutputFolderError(describe_os_error(exc, year_dir.parent)) from exc
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
    try:
        destination.mkdir(parents=True)
        for path in existing:
            shutil.move(str(path), destination / path.name)
    except OSError:  # full or read-only disk: the build already failed, say so without a traceback
        return None
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


#: The folder ``make lab`` opens: copies of the report notebooks a volunteer may edit and save.
EXPLORATIONS_DIRNAME = "explorations"


def seed_explorations(templates_dir: Path, explorations_dir: Path) -> list[Path]:
    """Copy each template notebook missing from ``explorations_dir``; return the copies made.

    An existing copy is never overwritten (it holds the volunteer's filters and outputs), and the
    templates are only read: JupyterLab opened on ``explorations_dir`` autosaves there, never into
    the notebooks that ``relief rapports`` runs. ``explorations_dir`` sits beside ``templates_dir``
    so that the notebooks' relative paths (``../data/sample``) still reach the data.
    """
    templates_dir, explorations_dir = Path(templates_dir), Path(explorations_dir)
    explorations_dir.mkdir(parents=True, exist_ok=True)
    copied = []
    for template in sorted(templates_dir.glob("*.ipynb")):
        target = explorations_dir / template.name
        if not target.exists():
            shutil.copyfile(template, target)
            copied.append(target)
    return copied


def main() -> None:  # pragma: no cover - ``make lab``: prints one French line
    from relief_analytics.paths import NOTEBOOKS_DIR, PROJECT_DIR

    explorations = PROJECT_DIR / EXPLORATIONS_DIRNAME
    copied = seed_explorations(NOTEBOOKS_DIR, explorations)
    names = ", ".join(path.name for path in copied) or "aucun (les copies existantes sont gardées)"
    print(f"Explorations dans {EXPLORATIONS_DIRNAME}/ : notebooks copiés depuis notebooks/ : {names}.")


if __name__ == "__main__":  # pragma: no cover
    main()
