"""Fingerprints of files, of the package's code and of a year's inputs (no pandas: the
« à jour » check of ``relief rapports`` and the manifest use them before any data is read)."""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Iterable
from pathlib import Path

from relief_analytics import __version__
from relief_analytics.paths import PACKAGE_DIR


def file_sha256(path: Path) -> str:
    """Return the sha256 hex digest of a file's bytes."""
    with open(path, "rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


@functools.cache
def code_version() -> str:
    """Package version plus a digest of its files: code, templates, vendored assets.

    Changes whenever anything that shapes an output does (read once per process).
    """
    digest = hashlib.sha256()
    for path in sorted(PACKAGE_DIR.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            digest.update(path.relative_to(PACKAGE_DIR).as_posix().encode())
            digest.update(path.read_bytes())
    return f"{__version__}+{digest.hexdigest()[:16]}"


def context_key(input_files: Iterable[Path], *, year: int, extra: Iterable[str] = ()) -> str:
    """Key of a year context: sha256 of the inputs' contents, the year and the code version."""
    digest = hashlib.sha256(f"{year}|{code_version()}".encode())
    for path in sorted(Path(p) for p in input_files):
        digest.update(f"|{path.name}:{file_sha256(path)}".encode())
    for item in extra:
        digest.update(f"|{item}".encode())
    return digest.hexdigest()
