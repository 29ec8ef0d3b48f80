"""Importers: real files as they come (HelloAsso, GoGoCarto, OpenAgenda, Mobilizon, any lieux table).

Each importer reads one source file, builds rows of one of our tables and merges them into the
dataset folder's table file, idempotently and without loss (see :mod:`.base`). :func:`run_import`
is what the ``relief importer`` command calls.
"""

from __future__ import annotations

from pathlib import Path

from relief_analytics.importers.base import ImportReport, ImportSettings, read_import_settings

SOURCES = ("helloasso", "gogocarto", "openagenda", "mobilizon", "lieux", "table")


def run_import(
    source: str, path: Path, *, dataset_dir: Path, dry_run: bool = False, mapping: Path | None = None,
    participants: list[Path] = (), event_kind: str | None = None, commission: str | None = None,
    taxonomy: Path | None = None,
    sheet: str | None = None,
) -> ImportReport:
    """Import ``path`` from ``source`` (one of :data:`SOURCES`) into ``dataset_dir``'s table.

    ``sheet`` names the sheet of an XLSX table to read (HelloAsso, lieux, table); without it the
    first sheet holding the expected columns is read, and the report says which.

    Raises
    ------
    DataError
        Unusable configuration, file or mapping (French message); nothing is written then.
    """
    settings = read_import_settings(dataset_dir)
    common = {"dataset_dir": dataset_dir, "settings": settings, "dry_run": dry_run}
    if source == "helloasso":
        from relief_analytics.importers.helloasso import import_helloasso

        return import_helloasso(path, sheet=sheet, **common)
    if source == "gogocarto":
        from relief_analytics.importers.gogocarto import import_gogocarto

        return import_gogocarto(path, taxonomy=taxonomy, **common)
    if source == "lieux":
        from relief_analytics.importers.lieux import import_lieux_sheet

        return import_lieux_sheet(path, sheet=sheet, **common)
    if source == "table":
        from relief_analytics.importers.mapping import import_mapped_table

        return import_mapped_table(path, mapping, sheet=sheet, **common)
    if source == "openagenda":
        from relief_analytics.importers.openagenda import import_openagenda

        return import_openagenda(path, event_kind=event_kind, commission=commission, **common)
    if source == "mobilizon":
        from relief_analytics.importers.mobilizon import import_mobilizon

        return import_mobilizon(path, participants=list(participants), event_kind=event_kind,
                                commission=commission, **common)
    raise ValueError(f"unknown import source {source!r}; expected one of {SOURCES}")


__all__ = ["ImportReport", "ImportSettings", "SOURCES", "read_import_settings", "run_import"]
