"""Which reports of a previous build are still up to date, and why the others are not.

A report's key is the signature of the input files it reads (name, size, modification time:
a stat, not a read), the code version, its notebook, the year, its formats, the browser and the
mode. :func:`plan_rebuild` compares each key with the manifest of the previous build; the
build then rebuilds only the stale reports and says why (:meth:`RebuildPlan.lines`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from relief_analytics.paths import year_reports_dir
from relief_analytics.report.catalog import ReportSpec
from relief_analytics.report.manifest import read_manifest
from relief_analytics.report.pdf import find_browser
from relief_analytics.report.snapshot_names import snapshot_signature

#: ``browser=AUTO`` (the default) looks the browser up; ``None`` disables PDFs.
AUTO = "auto"


def input_signature(dataset_dir: Path) -> list[str]:
    """Name, size and modification time of every input file (a stat, not a read)."""
    dataset_dir = Path(dataset_dir)
    signature = []
    for path in sorted(dataset_dir.rglob("*")):
        relative = path.relative_to(dataset_dir)
        if path.is_file() and not any(part.startswith(".") for part in relative.parts):
            stat = path.stat()
            signature.append(f"{relative.as_posix()}:{stat.st_size}:{stat.st_mtime_ns}")
    return signature


def file_tables_of(dataset_dir: Path, *, text: str | None = None) -> dict[str, str]:
    """Map each input file pattern of ``config.toml [fichiers]`` to the table it feeds.

    ``text`` is the configuration already read (else the file is read). ``{annee}`` in a name
    matches any year. Empty when the configuration cannot be read: then every file counts for
    every report (the build itself reports the configuration problem).
    """
    try:
        from relief_analytics.load import read_config

        config = read_config(dataset_dir, text=text) if text is not None else read_config(dataset_dir)
        files = dict(config.files)
    except Exception:  # noqa: BLE001 - the real build reports a configuration problem
        return {}
    return file_patterns(files)


def file_patterns(files: dict) -> dict[str, str]:
    return {str(name).replace("{annee}", "*"): table for table, name in files.items()}


def loaded_file_tables(dataset) -> dict[str, str]:
    """:func:`file_tables_of` from a loaded dataset's configuration (no file read)."""
    return file_patterns(dict(dataset.config.files))


def tables_fed_by(entry: str, file_tables: dict[str, str]) -> list[str]:
    """The tables that the file of a signature ``entry`` feeds (empty: an unlisted file)."""
    import fnmatch

    name = entry.rsplit(":", 2)[0]
    return [table for pattern, table in file_tables.items() if fnmatch.fnmatchcase(name, pattern)]


def report_inputs(signature: list[str], spec: ReportSpec, file_tables: dict[str, str]) -> list[str]:
    """The entries of ``signature`` that ``spec`` reads: its tables' files and every unlisted file."""
    if spec.reads is None:
        return list(signature)
    kept = []
    for entry in signature:
        tables = tables_fed_by(entry, file_tables)
        if not tables or any(table in spec.reads for table in tables):
            kept.append(entry)
    return kept


def report_keys(signature: list[str], year: int, specs, browser_path, *, draft: bool = False,
                 file_tables: dict[str, str] | None = None) -> dict[str, str]:
    """Key of each report: the signature of the inputs it reads, code version, notebook, year,
    formats, browser, mode."""
    from relief_analytics.fingerprints import context_key, file_sha256

    keys = {}
    for spec in specs:
        inputs = report_inputs(signature, spec, file_tables or {})
        common = context_key([], year=year, extra=[*inputs, f"browser={bool(browser_path)}",
                                                   f"draft={draft}"])
        notebook = file_sha256(spec.notebook_path) if spec.notebook_path.is_file() else "absent"
        keys[spec.name] = f"{common}|{spec.name}|{','.join(spec.formats)}|{notebook}"
    return keys


@dataclass
class RebuildPlan:
    """Which reports of a previous build are still up to date, and why the others are not."""

    year: int
    year_dir: Path
    previous: dict
    kept: list[ReportSpec]
    stale: list[ReportSpec]
    reasons: dict[str, str]

    def lines(self) -> list[str]:
        """French lines: which reports read a changed file and why, which are kept."""
        lines = [f"Reconstruction partielle : {len(self.stale)} rapport(s) sur "
                 f"{len(self.stale) + len(self.kept)} lisent un fichier modifié."]
        lines += [f"  {spec.name} : {self.reasons[spec.name]}" for spec in self.stale]
        if self.kept:
            kept = ", ".join(spec.name for spec in self.kept)
            lines.append(f"  Gardés tels quels (ils ne lisent aucun fichier modifié) : {kept}.")
        return lines


def plan_rebuild(dataset_dir: Path, year, reports_dir: Path, specs, browser, *, draft: bool = False,
                  file_tables: Callable[[], dict[str, str]] | None = None) -> RebuildPlan | None:
    """Compare each report with the previous build; ``None`` when everything must be rebuilt.

    A report is stale when an input it reads changed (name, size or modification time), when its
    notebook, the code, the year, the browser or the mode changed, or when an output is missing.
    """
    if year is None:
        try:
            from relief_analytics.load import read_config

            year = int(read_config(dataset_dir).default_year)
        except Exception:  # noqa: BLE001 - the real build reports a configuration problem
            return None
    year_dir = year_reports_dir(year, reports_dir=reports_dir)
    previous = read_manifest(year_dir)
    if not previous or not previous.get("reports"):
        return None
    browser_path = None
    if any("pdf" in spec.formats for spec in specs) and browser is not None:
        browser_path = Path(browser) if browser != AUTO else find_browser(None)
    file_tables = file_tables() if file_tables is not None else file_tables_of(dataset_dir)
    signature = [*input_signature(dataset_dir), *snapshot_signature(reports_dir, year)]
    keys = report_keys(signature, year, specs, browser_path, draft=draft, file_tables=file_tables)
    kept, stale, reasons = [], [], {}
    for spec in specs:
        record = previous["reports"].get(spec.name) or {}
        reason = None
        if not record.get("ok"):
            reason = "absent de la construction précédente"
        elif not all((year_dir / name).is_file() for name in record.get("outputs", [])):
            reason = "un de ses fichiers manque"
        elif record.get("key") != keys[spec.name]:
            reason = change_reason(record.get("inputs"), report_inputs(signature, spec, file_tables))
        if reason is None:
            kept.append(spec)
        else:
            stale.append(spec)
            reasons[spec.name] = reason
    return RebuildPlan(year=year, year_dir=year_dir, previous=previous, kept=kept, stale=stale,
                       reasons=reasons)


def change_reason(before: list[str] | None, now: list[str]) -> str:
    """French reason a report's key changed: the input files that changed, else the code."""
    if before is None:
        return "construction précédente sans liste de fichiers lus"
    old = {entry.rsplit(":", 2)[0]: entry for entry in before}
    new = {entry.rsplit(":", 2)[0]: entry for entry in now}
    changed = sorted(name for name in old.keys() | new.keys() if old.get(name) != new.get(name))
    if not changed:
        return "le code, le notebook, le navigateur ou le mode a changé"
    shown = ", ".join(changed[:5]) + (" …" if len(changed) > 5 else "")
    return f"{shown} {'a' if len(changed) == 1 else 'ont'} changé"


def setting_key(signature: list[str], year: int, spec: ReportSpec, browser_path, *, draft: bool,
                file_tables: dict[str, str]) -> str:
    """The key of ``spec`` without the files that feed a table (:func:`report_keys` over the
    files no ``[fichiers]`` entry names, such as ``config.toml``): code, notebook, year,
    formats, browser, mode and those files. With unchanged :func:`content_digests`, an
    unchanged setting means an unchanged report."""
    unlisted = [entry for entry in signature if not tables_fed_by(entry, file_tables)]
    return report_keys(unlisted, year, [spec], browser_path, draft=draft)[spec.name]


def content_digests(context, specs) -> dict[str, str]:
    """For each report of ``specs``, the sha256 of what its notebook can read in ``context``.

    That is the catalogue tables its documents read, with their N vs N-1 comparisons, the
    year's facts, every population frame and the bilans. When a data file changed but the
    digest of a report did not (a budget label, shown by none of its tables), the report would
    come out the same: the build keeps it (see :func:`RebuildPlan.lines`).
    """
    import hashlib

    from relief_analytics.context.catalogue import documents_of_reports, tables_read_by

    frames: dict[str, bytes] = {}

    def frame(name: str, value) -> bytes:
        if name not in frames:
            frames[name] = frame_digest(value)
        return frames[name]

    dataset = context.dataset
    common = hashlib.sha256(repr((context.year, context.facts, sorted(
        dataset.qualitative_reviews.items()), tuple(dataset.missing_tables))).encode())
    for name in ("lieux", "evenements", "open_lieux", "members", "year_events", "lieux_set_aside"):
        common.update(name.encode() + frame(f"population:{name}", getattr(context, name)))
    digests = {}
    for spec in specs:
        digest = common.copy()
        for table in tables_read_by(documents_of_reports([spec.name])):
            for kind, computed in (("table", context.tables), ("comparison", context.comparisons)):
                if table.name in computed:
                    digest.update(f"{kind}:{table.name}".encode()
                                  + frame(f"{kind}:{table.name}", computed[table.name]))
        digests[spec.name] = digest.hexdigest()
    return digests


def frame_digest(frame) -> bytes:
    """sha256 of a DataFrame's columns, dtypes, index and values (equal frames, equal digests)."""
    import hashlib

    import pandas as pd

    digest = hashlib.sha256(repr((list(frame.columns), [str(t) for t in frame.dtypes],
                                  frame.shape)).encode())
    digest.update(pd.util.hash_pandas_object(frame.index).to_numpy().tobytes())
    for position in range(frame.shape[1]):
        column = frame.iloc[:, position]
        try:
            hashed = pd.util.hash_pandas_object(column, index=False)
        except TypeError:  # lists, dicts, geometries: their text
            hashed = pd.util.hash_pandas_object(column.map(str), index=False)
        digest.update(hashed.to_numpy().tobytes())
    return digest.digest()
