"""Tiny built years for the site's tests: what ``relief rapports`` leaves in ``reports/<année>/``.

The public tables are written by the report builder's own writer
(:func:`relief_analytics.report.public_tables.write_public_tables`); the manifest lists the
documents like a real build's. Every value is invented.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
from sample_copy import sample_config_text

from relief_analytics.indicators.public_lieux import OPEN_DATA_COLUMNS
from relief_analytics.report.manifest import output_files
from relief_analytics.report.public_tables import PUBLIC_DIRNAME, write_public_tables

#: Year of the sample's site in the browser tests (the last complete year of the sample).
YEAR = 2025


@dataclass
class PublicTables:
    """The two attributes :func:`write_public_tables` reads of a year context."""

    tables: dict[str, pd.DataFrame]
    facts: None = field(default=None)


def open_data_row(lieu_id: str, nom: str, *, commune: str = "Crest", code_insee: str = "26108",
                  departement: str = "26", etat: str = "ouvert", annee: int | None = 2020,
                  membre: bool = True, typologie: str = "Tiers-lieu culturel",
                  site_web: str | None = "https://exemple.org", lat: float = 44.728, lon: float = 5.022) -> dict:
    """One row of the ``lieux_open_data`` table (the open-data fields)."""
    row = dict.fromkeys(OPEN_DATA_COLUMNS)
    row.update({"id": lieu_id, "nom": nom, "commune": commune, "code_insee": code_insee,
                "code_departement": departement, "latitude": lat, "longitude": lon,
                "source_coordonnees": "lieu", "typologie": typologie, "statut_juridique": "Association",
                "annee_ouverture": annee, "etat": etat, "membre_reseau": membre, "site_web": site_web,
                "date_maj": pd.Timestamp("2025-03-14"), "code_postal": "26400"})
    return row


def open_data_frame(rows: list[dict]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=list(OPEN_DATA_COLUMNS))
    frame["annee_ouverture"] = frame["annee_ouverture"].astype("Int64")
    frame["membre_reseau"] = frame["membre_reseau"].astype("boolean")
    frame["date_maj"] = pd.to_datetime(frame["date_maj"])
    return frame


def by_departement(counts: dict[str, tuple[str, int, int, int]]) -> pd.DataFrame:
    """``{"26": ("Drôme", population, lieux, adhérents)}`` → the ``lieux_by_departement`` table."""
    rows = [{"departement_code": code, "departement_name": name, "population": population,
             "lieux_count": lieux, "lieux_per_100k": lieux / population * 100_000,
             "member_lieux_count": members}
            for code, (name, population, lieux, members) in counts.items()]
    frame = pd.DataFrame(rows)
    frame["population"] = frame["population"].astype("Int64")
    return frame


def membership_series(values: dict[int, tuple[int, float]]) -> pd.DataFrame:
    """``{2024: (members, amount_eur)}`` → a ``membership_by_year`` table (other columns empty)."""
    from relief_analytics.context.catalogue import TABLES

    columns = [c.name for c in TABLES["membership_by_year"].columns]
    rows = []
    for year, (members, amount) in values.items():
        row = dict.fromkeys(columns)
        row.update({"year": year, "members_count": members, "amount_total_eur": amount})
        rows.append(row)
    frame = pd.DataFrame(rows, columns=columns)
    for column in TABLES["membership_by_year"].columns:
        if column.dtype == "Int64":
            frame[column.name] = frame[column.name].astype("Int64")
        else:
            frame[column.name] = frame[column.name].astype("float64")
    return frame


def write_year(reports_dir: Path, year: int, *, tables: dict[str, pd.DataFrame],
               documents: tuple[str, ...] = ("rapport_activite", "presentation_ag",
                                             "compte_rendu_financier", "qualite_donnees"),
               built_at: str = "2026-01-15T10:00:00+00:00") -> Path:
    """A finished build of ``year``: public tables, facts, documents and the manifest."""
    folder = reports_dir / str(year)
    write_public_tables(PublicTables(tables), folder / PUBLIC_DIRNAME, parquet=False)
    for name in documents:
        formats = {"rapport_activite": (".html", ".pdf"), "presentation_ag": (".html", ".pdf"),
                   "compte_rendu_financier": (".html", ".pdf"), "qualite_donnees": (".html",)}[name]
        for suffix in formats:
            (folder / f"{name}_{year}{suffix}").write_text(f"{name} {year}{suffix}", encoding="utf-8")
    manifest = {"year": year, "built_at": built_at, "outputs": output_files(folder)}
    (folder / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    return folder


def write_dataset(folder: Path, *, cerfa_public: bool = False) -> Path:
    """A dataset folder holding only ``config.toml`` (the sample's, with the tests' salt)."""
    folder.mkdir(parents=True, exist_ok=True)
    text = sample_config_text()
    if cerfa_public:
        text = text.replace("cerfa_public = false", "cerfa_public = true")
    (folder / "config.toml").write_text(text, encoding="utf-8")
    return folder
