"""The build record written beside the reports: ``reports/<année>/manifest.json``.

It says what was built from what: parameters, the sha256 of every input file, tool versions, the
browser used for PDFs (or why there were none), per-report timings and every output with its size.
Keys are English (a machine-readable record); messages inside are French.

The manifest is publishable: every path in it is relative to the data folder (``.`` for the
folder itself) or reduced to a file name, never absolute (a home folder's path often carries a
person's name).
"""

from __future__ import annotations

import json
import platform
import re
from collections.abc import Mapping
from datetime import datetime
from importlib import metadata
from pathlib import Path

import relief_analytics
from relief_analytics.fingerprints import file_sha256

MANIFEST_NAME = "manifest.json"
_TOOLS = ("plotly", "papermill", "nbconvert", "nbclient", "ipykernel", "pandas", "openpyxl")


def input_files(dataset_dir: Path) -> list[dict]:
    """Return ``{"file", "bytes", "sha256"}`` for every file under ``dataset_dir`` (hidden ones skipped)."""
    dataset_dir = Path(dataset_dir)
    records = []
    for path in sorted(dataset_dir.rglob("*")):
        relative = path.relative_to(dataset_dir)
        if not path.is_file() or any(part.startswith(".") for part in relative.parts):
            continue
        records.append(
            {"file": relative.as_posix(), "bytes": path.stat().st_size, "sha256": file_sha256(path)}
        )
    return records


def output_files(folder: Path, *, exclude: set[str] = frozenset()) -> list[dict]:
    """Return ``{"file", "bytes"}`` for every file under ``folder``, sorted by path."""
    records = []
    for path in sorted(Path(folder).rglob("*")):
        relative = path.relative_to(folder)
        if (
            path.is_file()
            and relative.as_posix() not in exclude
            and not relative.parts[0].startswith(".")
        ):
            records.append({"file": relative.as_posix(), "bytes": path.stat().st_size})
    return records


def tool_versions() -> dict[str, str]:
    """Return the versions of relief-analytics, Python and the report stack."""
    versions = {
        "relief_analytics": relief_analytics.__version__,
        "python": platform.python_version(),
    }
    for name in _TOOLS:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            continue
    return versions


def build_manifest(
    *,
    year: int,
    dataset_dir: Path,
    parameters: Mapping[str, object],
    reports: Mapping[str, Mapping],
    browser: Mapping[str, object],
    outputs: list[dict],
    warnings: list[str],
    elapsed_s: float,
    checksums: Mapping[str, str] | None = None,
) -> dict:
    """Return the manifest as a JSON-ready dict.

    ``checksums`` (file name → sha256, computed by the loader from the bytes it read) lists the
    inputs without reading them again; without it, every file of ``dataset_dir`` is hashed.
    """
    manifest = {
        "year": year,
        "built_at": datetime.now().astimezone().isoformat(timespec="seconds"),
        "dataset_dir": ".",
        "parameters": dict(parameters),
        "inputs": (input_files(dataset_dir) if checksums is None else
                   [{"file": name, "sha256": digest} for name, digest in sorted(checksums.items())]),
        "versions": tool_versions(),
        "browser": dict(browser),
        "reports": {name: dict(record) for name, record in reports.items()},
        "outputs": outputs,
        "warnings": list(warnings),
        "elapsed_s": round(elapsed_s, 2),
    }
    return without_absolute_paths(manifest, dataset_dir=Path(dataset_dir))


#: An absolute path inside a text: POSIX (``/home/…``), Windows (``C:\…``) or a ``file://`` URL.
_ABSOLUTE = re.compile(
    r"(?:file://(?=/)|(?<![\w.~/:])(?=/[^\s/])|\b(?=[A-Za-z]:[\\/]))[^\s«»\"'<>|,;]+"
)


def _relative_text(text: str, *, dataset_dir: Path) -> str:
    """``text`` with every absolute path made publishable.

    A path inside the data folder is written relative to it (``.`` for the folder itself); any
    other absolute path keeps its file name only (``/usr/bin/chromium`` → ``chromium``). A home
    folder's path often carries a person's name: it never appears.
    """
    roots = sorted({str(dataset_dir), str(dataset_dir.resolve())}, key=len, reverse=True)

    def relative(match: re.Match) -> str:
        path = match.group(0)
        trail = ""
        while path and path[-1] in ".:)»":  # sentence punctuation after a path
            path, trail = path[:-1], path[-1] + trail
        bare = path.removeprefix("file://")
        for root in roots:
            if bare == root:
                return "." + trail
            if bare.startswith(root.rstrip("/\\") + "/") or bare.startswith(root.rstrip("/\\") + "\\"):
                return bare[len(root.rstrip("/\\")) + 1:].replace("\\", "/") + trail
        name = re.split(r"[/\\]", bare.rstrip("/\\"))[-1]
        return (name or ".") + trail

    return _ABSOLUTE.sub(relative, text)


def without_absolute_paths(value: object, *, dataset_dir: Path) -> object:
    """A copy of a JSON-ready ``value`` (dicts, lists, strings…) with no absolute path in any string.

    >>> without_absolute_paths({"dossier_donnees": "/home/camille/relief", "browser": "/usr/bin/chromium",
    ...                         "note": "lu dans /home/camille/relief/lieux.csv."}, dataset_dir=Path("/home/camille/relief"))
    {'dossier_donnees': '.', 'browser': 'chromium', 'note': 'lu dans lieux.csv.'}
    """
    if isinstance(value, str):
        return _relative_text(value, dataset_dir=dataset_dir)
    if isinstance(value, Path):
        return _relative_text(str(value), dataset_dir=dataset_dir)
    if isinstance(value, Mapping):
        return {key: without_absolute_paths(item, dataset_dir=dataset_dir) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [without_absolute_paths(item, dataset_dir=dataset_dir) for item in value]
    return value


def write_manifest(manifest: Mapping, folder: Path) -> Path:
    """Write ``manifest.json`` into ``folder`` (UTF-8, indented) and return its path."""
    path = Path(folder) / MANIFEST_NAME
    path.write_text(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return path


def read_manifest(folder: Path) -> dict | None:
    """Return the manifest in ``folder``, or ``None`` when absent or unreadable."""
    try:
        return json.loads((Path(folder) / MANIFEST_NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
