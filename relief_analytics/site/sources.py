"""Read what the report builder wrote for a year: its public tables, facts, manifest and documents.

The public tables are the CSV files of ``reports/<année>/donnees/`` (French headers, ``;``,
decimal comma, ratios in %, ``oui``/``non``, formula-like texts prefixed with ``'``:
:mod:`relief_analytics.report.public_tables`). :func:`read_public_table` turns one back into the
catalogue's frame (English column names, numbers, booleans, ratios between 0 and 1, texts as the
volunteers typed them) so that the site computes nothing the reports did not.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from relief_analytics.load.errors import DataError
from relief_analytics.report.manifest import MANIFEST_NAME
from relief_analytics.report.public_tables import FACTS_NAME, PUBLIC_DIRNAME
from relief_analytics.safety import is_formula_like

if TYPE_CHECKING:  # the catalogue (indicators, geo) is imported when a table is read
    from relief_analytics.context.catalogue import TableSpec

_YEAR_DIR = re.compile(r"^\d{4}$")


class SiteSourceError(DataError):
    """A built year's files cannot feed the site (French message naming the file and what to run)."""


def restore_text(value: object) -> object:
    """Undo the spreadsheet neutralisation of a text cell (``"'=1+1"`` → ``"=1+1"``).

    The page shows the text as typed; the HTML and the JavaScript keep it inert by escaping it.

    >>> restore_text("'=1+1"), restore_text("L'Atelier"), restore_text("'Atelier")
    ('=1+1', "L'Atelier", "'Atelier")
    """
    if isinstance(value, str) and value.startswith("'") and is_formula_like(value[1:]):
        return value[1:]
    return value


def read_public_table(path: Path, spec: TableSpec) -> pd.DataFrame:
    """One public table CSV back as the catalogue frame of ``spec`` (English names, raw values).

    Grain: that of the table (one row per CSV line).

    Raises
    ------
    SiteSourceError
        When a column the catalogue declares is missing from the file.
    """
    by_label = {column.label: column for column in spec.columns}
    by_name = {column.name: column for column in spec.columns}
    frame = pd.read_csv(path, sep=";", dtype=str, encoding="utf-8-sig", keep_default_na=False,
                        na_values=[""])
    frame.columns = [restore_text(c) for c in frame.columns]
    renamed = {c: (by_label.get(c) or by_name.get(c)).name for c in frame.columns
               if c in by_label or c in by_name}
    frame = frame.rename(columns=renamed)
    missing = [c.label for c in spec.columns if c.name not in frame.columns]
    if missing:
        raise SiteSourceError(
            f"Le fichier {path} n'a pas la ou les colonnes {', '.join(missing)} "
            f"(table « {spec.title} »). Reconstruisez les rapports de l'année (« relief rapports "
            f"--force »), puis relancez « relief site ».")
    out = {}
    for column in spec.columns:
        values = frame[column.name]
        if column.dtype in ("Int64", "int64"):
            out[column.name] = pd.to_numeric(values.str.replace(",", ".", regex=False)).astype("Int64")
        elif column.dtype == "float64":
            numbers = pd.to_numeric(values.str.replace(",", ".", regex=False)).astype("float64")
            out[column.name] = numbers / 100 if column.unit == "ratio" else numbers
        elif column.dtype == "boolean":
            out[column.name] = values.map({"oui": True, "non": False}).astype("boolean")
        elif column.dtype.startswith("datetime64"):
            out[column.name] = pd.to_datetime(values, format="%Y-%m-%d", errors="coerce")
        else:
            out[column.name] = values.map(restore_text).astype(object).where(values.notna(), None)
    return pd.DataFrame(out, columns=[c.name for c in spec.columns])


@dataclass
class BuiltYear:
    """The files one build left in ``reports/<année>/``, read on demand."""

    year: int
    folder: Path
    manifest: dict
    facts: dict
    _tables: dict[str, pd.DataFrame] = field(default_factory=dict, repr=False)

    def has_table(self, name: str) -> bool:
        """True when the build wrote the public table ``name``."""
        return (self.folder / PUBLIC_DIRNAME / f"{name}.csv").is_file()

    def table(self, name: str) -> pd.DataFrame:
        """The public table ``name`` of the year (catalogue frame), read once.

        Raises
        ------
        SiteSourceError
            When the build did not write it (French message).
        """
        if name not in self._tables:
            path = self.folder / PUBLIC_DIRNAME / f"{name}.csv"
            if not path.is_file():
                raise SiteSourceError(
                    f"La table {path} manque (les rapports {self.year} ont été "
                    f"construits sans elle). Construisez tous les rapports de l'année (« relief "
                    f"rapports --annee {self.year} »), puis relancez « relief site ».")
            from relief_analytics.context.catalogue import TABLES

            self._tables[name] = read_public_table(path, TABLES[name])
        return self._tables[name]

    def document(self, name: str) -> Path | None:
        """The output file ``name`` of the build (``rapport_activite_2025.pdf``), if written."""
        path = self.folder / name
        return path if name in self.manifest_outputs() and path.is_file() else None

    def manifest_outputs(self) -> set[str]:
        """Names of the files the manifest lists at the top of the year folder."""
        return {entry["file"] for entry in self.manifest.get("outputs", []) if "file" in entry}


def _read_json(path: Path) -> dict:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise SiteSourceError(
            f"Le fichier {path} est illisible ({type(exc).__name__}). Reconstruisez "
            "les rapports de l'année, puis relancez « relief site ».") from exc


def read_built_year(folder: Path) -> BuiltYear:
    """The build of ``reports/<année>/``: its manifest and facts (tables read when asked)."""
    folder = Path(folder)
    manifest = _read_json(folder / MANIFEST_NAME)
    facts = _read_json(folder / PUBLIC_DIRNAME / FACTS_NAME)
    return BuiltYear(year=int(folder.name), folder=folder, manifest=manifest, facts=facts)


def built_year_dirs(reports_dir: Path) -> list[Path]:
    """The year folders of ``reports_dir`` that a finished build left, oldest first.

    A finished build has a ``manifest.json`` and ``donnees/facts.json`` (written before the
    folder is swapped into place); work folders and backups (``.2025.tmp-…``) are not years.
    """
    reports_dir = Path(reports_dir)
    if not reports_dir.is_dir():
        return []
    return sorted(
        (p for p in reports_dir.iterdir() if p.is_dir() and _YEAR_DIR.match(p.name)
         and (p / MANIFEST_NAME).is_file() and (p / PUBLIC_DIRNAME / FACTS_NAME).is_file()),
        key=lambda p: int(p.name))
