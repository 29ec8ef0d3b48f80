"""Load a whole dataset folder: configuration + every table, validated once, at the boundary."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from relief_analytics.load.config import DatasetConfig, read_config
from relief_analytics.load.errors import DataError
from relief_analytics.load.headers import header_lookup
from relief_analytics.load.read import read_text_table
from relief_analytics.load.validate import ISSUE_COLUMNS, TableResult, validate_table
from relief_analytics.schemas import OPTIONAL_TABLES, TABLES

SUMMARY_COLUMNS = ["table", "fichier", "lues", "acceptees", "rejetees"]


@dataclass
class Dataset:
    """Every table of a dataset, validated; rejects are listed in :attr:`issues`."""

    directory: Path
    config: DatasetConfig
    tables: dict[str, pd.DataFrame]
    results: dict[str, TableResult] = field(default_factory=dict)
    input_files: list[Path] = field(default_factory=list)

    def __getattr__(self, name: str) -> pd.DataFrame:
        tables = self.__dict__.get("tables", {})
        if name in tables:
            return tables[name]
        raise AttributeError(name)

    @property
    def issues(self) -> pd.DataFrame:
        """One row per problem found: table, fichier, ligne, colonne, valeur, regle."""
        frames = [r.issues for r in self.results.values() if not r.issues.empty]
        if not frames:
            return pd.DataFrame(columns=ISSUE_COLUMNS)
        return pd.concat(frames, ignore_index=True)

    @property
    def summary(self) -> pd.DataFrame:
        """One row per file: lines read, accepted, rejected."""
        rows = [
            {"table": r.table, "fichier": r.file_name, "lues": r.read_count,
             "acceptees": r.accepted_count, "rejetees": r.rejected_count}
            for r in self.results.values()
        ]
        return pd.DataFrame(rows, columns=SUMMARY_COLUMNS)

    def qualitative_review(self, year: int) -> str:
        """Text of the users' qualitative review for ``year`` (empty string if absent)."""
        pattern = self.config.files.get("bilan_qualitatif", "bilan_qualitatif_{annee}.md")
        path = self.directory / pattern.format(annee=year)
        return path.read_text(encoding="utf-8") if path.is_file() else ""


def load_table(path: Path, *, table: str, config: DatasetConfig) -> TableResult:
    """Read and validate one file of ``table`` (raises :class:`DataError` if unusable)."""
    model = TABLES[table]
    known = set(header_lookup(model, config.column_overrides.get(table)))
    raw = read_text_table(path, known_headers=known)
    return validate_table(raw, table=table, model=model, config=config)


def load_dataset(directory: Path | str) -> Dataset:
    """Load every table of the dataset in ``directory`` (see ``config.toml`` [fichiers]).

    Raises
    ------
    DataError
        Missing configuration or required file, unreadable file, missing required column.
    """
    directory = Path(directory).expanduser().resolve()
    if not directory.is_dir():
        raise DataError(
            f"Dossier de données introuvable : {directory}. Indiquez un dossier existant "
            f"(option --donnees ou variable RELIEF_DONNEES)."
        )
    config = read_config(directory)
    tables: dict[str, pd.DataFrame] = {}
    results: dict[str, TableResult] = {}
    inputs = [directory / "config.toml"]
    for table, model in TABLES.items():
        file_name = config.files.get(table)
        path = directory / file_name if file_name else None
        if path is None or not path.is_file():
            if table in OPTIONAL_TABLES:
                tables[table] = _empty_table(model)
                continue
            raise DataError(
                f"Fichier obligatoire manquant pour la table « {table} » : "
                f"{path or '(aucun nom dans config.toml [fichiers])'}. Ajoutez-le au dossier de données "
                f"ou corrigez son nom dans config.toml, section [fichiers]."
            )
        result = load_table(path, table=table, config=config)
        results[table] = result
        tables[table] = result.accepted
        inputs.append(path)
    inputs += sorted(directory.glob(config.files.get("bilan_qualitatif", "bilan_qualitatif_{annee}.md").replace("{annee}", "*")))
    return Dataset(directory=directory, config=config, tables=tables, results=results, input_files=inputs)


def _empty_table(model) -> pd.DataFrame:
    from relief_analytics.load.coerce import DTYPES
    from relief_analytics.schemas import column_specs

    return pd.DataFrame({
        name: pd.Series([], dtype=DTYPES[spec["kind"]] if DTYPES[spec["kind"]] != "object" else object)
        for name, spec in column_specs(model).items()
    })
