"""The build record written beside the reports: ``reports/<année>/manifest.json``.

It says what was built from what: parameters, the sha256 of every input file, tool versions, the
browser used for PDFs (or why there were none), per-report timings and every output with its size.
Keys are English (a machine-readable record); messages inside are French.
"""

from __future__ import annotations

import json
import platform
from collections.abc import Mapping
from datetime import datetime
from importlib import metadata
from pathlib import Path

import relief_analytics
from relief_analytics.context.store import file_sha256

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
    return {
        "year": year,
        "built_at": datetime.now().astimezone().isoformat(timespec="seconds"),
        "dataset_dir": str(dataset_dir),
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
