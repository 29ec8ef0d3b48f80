"""Importers: real files as they come (HelloAsso, GoGoCarto, OpenAgenda, Mobilizon, any lieux table).

Each importer reads one source file, builds rows of one of our tables and merges them into the
dataset folder's table file, idempotently and without loss (see :mod:`.base`). :func:`run_import`
is what the ``relief importer`` command calls.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from relief_analytics.importers.base import ImportReport, ImportSettings, read_import_settings


@dataclass(frozen=True)
class ImportOptions:
    """The options of ``relief importer`` that only some sources take."""

    mapping: Path | None = None
    participants: tuple[Path, ...] = ()
    event_kind: str | None = None
    commission: str | None = None
    taxonomy: Path | None = None
    sheet: str | None = None


def _helloasso(path: Path, options: ImportOptions, common: dict) -> ImportReport:
    from relief_analytics.importers.helloasso import import_helloasso

    return import_helloasso(path, sheet=options.sheet, **common)


def _gogocarto(path: Path, options: ImportOptions, common: dict) -> ImportReport:
    from relief_analytics.importers.gogocarto import import_gogocarto

    return import_gogocarto(path, taxonomy=options.taxonomy, **common)


def _openagenda(path: Path, options: ImportOptions, common: dict) -> ImportReport:
    from relief_analytics.importers.openagenda import import_openagenda

    return import_openagenda(path, event_kind=options.event_kind, commission=options.commission, **common)


def _mobilizon(path: Path, options: ImportOptions, common: dict) -> ImportReport:
    from relief_analytics.importers.mobilizon import import_mobilizon

    return import_mobilizon(path, participants=list(options.participants), event_kind=options.event_kind,
                            commission=options.commission, **common)


def _lieux(path: Path, options: ImportOptions, common: dict) -> ImportReport:
    from relief_analytics.importers.lieux import import_lieux_sheet

    return import_lieux_sheet(path, sheet=options.sheet, **common)


def _table(path: Path, options: ImportOptions, common: dict) -> ImportReport:
    from relief_analytics.importers.mapping import import_mapped_table

    return import_mapped_table(path, options.mapping, sheet=options.sheet, **common)


#: Source name (``relief importer <source>``) → its importer. Each module is imported only when
#: its source is used, so that ``relief importer helloasso`` does not load the JSON readers.
IMPORTERS: dict[str, Callable[[Path, ImportOptions, dict], ImportReport]] = {
    "helloasso": _helloasso,
    "gogocarto": _gogocarto,
    "openagenda": _openagenda,
    "mobilizon": _mobilizon,
    "lieux": _lieux,
    "table": _table,
}

SOURCES = tuple(IMPORTERS)


def run_import(
    source: str, path: Path, *, dataset_dir: Path, dry_run: bool = False, mapping: Path | None = None,
    participants: list[Path] = (), event_kind: str | None = None, commission: str | None = None,
    taxonomy: Path | None = None, sheet: str | None = None,
) -> ImportReport:
    """Import ``path`` from ``source`` (one of :data:`SOURCES`) into ``dataset_dir``'s table.

    ``sheet`` names the sheet of an XLSX table to read (HelloAsso, lieux, table); without it the
    first sheet holding the expected columns is read, and the report says which.

    Raises
    ------
    DataError
        Unusable configuration, file or mapping (French message); nothing is written then.
    """
    try:
        importer = IMPORTERS[source]
    except KeyError:
        raise ValueError(f"unknown import source {source!r}; expected one of {SOURCES}") from None
    settings = read_import_settings(dataset_dir)
    common = {"dataset_dir": dataset_dir, "settings": settings, "dry_run": dry_run}
    options = ImportOptions(mapping=mapping, participants=tuple(participants), event_kind=event_kind,
                            commission=commission, taxonomy=taxonomy, sheet=sheet)
    return importer(path, options, common)


__all__ = ["IMPORTERS", "ImportOptions", "ImportReport", "ImportSettings", "SOURCES", "read_import_settings",
           "run_import"]
