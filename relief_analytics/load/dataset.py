"""Load a whole dataset folder: configuration + every table, validated once, at the boundary.

Nothing is skipped without a word: a file with a header and no row, an optional file that is
absent (with the near names found in the folder, e.g. ``gouvernance .csv``), a workbook with
several sheets are stated in :attr:`Dataset.file_notes` and in the ``remarque`` column of
:attr:`Dataset.summary`. For every file, ``lues = acceptees + rejetees``.
"""

from __future__ import annotations

import difflib
import hashlib
import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from types import MappingProxyType

import pandas as pd

from relief_analytics.load.config import CONFIG_FILE_NAME, DatasetConfig, read_config
from relief_analytics.load.config_model import file_name_problem
from relief_analytics.load.errors import DataError
from relief_analytics.load.headers import header_lookup
from relief_analytics.load.read import read_file_bytes, read_text_table
from relief_analytics.load.validate import ISSUE_COLUMNS, TableResult, gc_paused, validate_table
from relief_analytics.schemas import OPTIONAL_TABLES, TABLES

SUMMARY_COLUMNS = ["table", "file_name", "read_count", "accepted_count", "rejected_count", "remark"]
TABLE_NAMES = tuple(TABLES)
#: The one table a dataset cannot do without: a folder of lieux alone is valid for exploration.
REQUIRED_TABLES = frozenset({"lieux"})


@dataclass
class Dataset:
    """Every table of a dataset, validated; rejects are listed in :attr:`issues`.

    Each table attribute holds the accepted rows of its file, with the processed columns of
    :mod:`relief_analytics.schemas` (grain: one row per input row accepted; see
    ``docs/architecture.md``). An optional table whose file is absent is an empty frame with
    the table's columns.
    """

    directory: Path
    config: DatasetConfig
    lieux: pd.DataFrame
    adhesions: pd.DataFrame
    evenements: pd.DataFrame
    contributions: pd.DataFrame
    budget: pd.DataFrame
    gouvernance: pd.DataFrame
    explications_ecarts: pd.DataFrame
    results: dict[str, TableResult] = field(default_factory=dict)
    input_files: list[Path] = field(default_factory=list)
    #: French statements about whole files (empty file, absent optional file, near names…).
    file_notes: list[str] = field(default_factory=list)
    #: Per table, the remark shown in :attr:`summary` (``""`` when there is nothing to say).
    file_remarks: dict[str, str] = field(default_factory=dict)
    #: sha256 of each input file, computed from the bytes read (each file is read once).
    input_checksums: dict[str, str] = field(default_factory=dict)
    #: Text of each year's qualitative review (``bilan_qualitatif_<année>.md``), read at load.
    qualitative_reviews: dict[int, str] = field(default_factory=dict)
    #: Tables other than lieux whose file is absent (no near name either): empty frames, and
    #: the reports that need them are not built (a lieux-only folder is a census to explore).
    missing_tables: tuple[str, ...] = ()

    @property
    def tables(self) -> MappingProxyType:
        """Read-only mapping table name → accepted rows, in the contract's order."""
        return MappingProxyType({name: getattr(self, name) for name in TABLE_NAMES})

    @property
    def issues(self) -> pd.DataFrame:
        """One row per problem found: table, file_name, line_number, column_name, cell_value, rule."""
        frames = [r.issues for r in self.results.values() if not r.issues.empty]
        if not frames:
            return pd.DataFrame(columns=ISSUE_COLUMNS)
        return pd.concat(frames, ignore_index=True)

    @property
    def summary(self) -> pd.DataFrame:
        """One row per file of the configuration: lines read, accepted, rejected, remark.

        An absent optional file has a row too (0 lines), with a remark saying it is absent.
        """
        rows = []
        for table in TABLE_NAMES:
            result = self.results.get(table)
            remark = self.file_remarks.get(table, "")
            if result is not None:
                rows.append({"table": table, "file_name": result.file_name, "read_count": result.read_count,
                             "accepted_count": result.accepted_count, "rejected_count": result.rejected_count,
                             "remark": remark})
            elif remark:
                rows.append({"table": table, "file_name": self.config.files.get(table) or "",
                             "read_count": 0, "accepted_count": 0, "rejected_count": 0, "remark": remark})
        return pd.DataFrame(rows, columns=SUMMARY_COLUMNS)

    def qualitative_review(self, year: int) -> str:
        """Text of the users' qualitative review for ``year`` (empty string if absent)."""
        return self.qualitative_reviews.get(int(year), "")


def load_table(path: Path, *, table: str, config: DatasetConfig) -> TableResult:
    """Read and validate one file of ``table`` (raises :class:`DataError` if unusable).

    Lines the reader could not turn into a row (unclosed quote, wrong number of values) are
    added to the issues and counted as read and rejected, so ``lues = acceptées + rejetées``.
    """
    return load_table_with_notes(path, table=table, config=config)[0]


def load_table_with_notes(
    path: Path, *, table: str, config: DatasetConfig, data: bytes | None = None
) -> tuple[TableResult, tuple[str, ...]]:
    """:func:`load_table`, plus the French notes about the file (the reader's, then the rows kept
    with a remark, such as a card without id keyed by its order and adherent)."""
    model = TABLES[table]
    known = set(header_lookup(model, config.column_overrides.get(table)))
    raw = read_text_table(path, known_headers=known, data=data)
    result = validate_table(raw, table=table, model=model, config=config)
    notes = (*raw.notes, *result.notes)
    if not raw.problems:
        return result, notes
    structural = pd.DataFrame(
        [{"table": table, "file_name": result.file_name, **problem} for problem in raw.problems],
        columns=ISSUE_COLUMNS,
    )
    issues = pd.concat([result.issues, structural], ignore_index=True) if not result.issues.empty else structural
    issues = issues.sort_values(["line_number"], kind="stable").reset_index(drop=True)
    return replace(
        result, issues=issues, read_count=result.read_count + len(raw.problems),
        rejected_count=result.rejected_count + len(raw.problems),
    ), notes


def near_file_names(directory: Path, expected: str) -> list[str]:
    """Names of files in ``directory`` that look like ``expected`` (case, spaces, accents, typos)."""
    def key(name: str) -> str:
        return re.sub(r"[\s_\-]+", "", name.lower())

    names = sorted(p.name for p in directory.iterdir() if p.is_file() and p.name != expected)
    same = [n for n in names if key(n) == key(expected)]
    close = difflib.get_close_matches(expected, names, n=3, cutoff=0.8)
    return list(dict.fromkeys(same + close))


def load_dataset(directory: Path | str, *, config_bytes: bytes | None = None) -> Dataset:
    """Load every table of the dataset in ``directory`` (see ``config.toml`` [fichiers]).

    Each input file is read once; ``config_bytes`` is the content of ``config.toml`` when the
    caller has already read it (the report build reads it first to know the default year).

    Only the lieux file is required: another table whose file is absent, with no file of a
    near name in the folder (a typo stops the load, naming it), is an empty frame listed in
    :attr:`Dataset.missing_tables`.

    Raises
    ------
    DataError
        Missing configuration or lieux file, a required file under a near name, unreadable
        file, missing required column.
    """
    directory = Path(directory).expanduser().resolve()
    if not directory.is_dir():
        raise DataError(
            f"Dossier de données introuvable : {directory}. Indiquez un dossier existant "
            f"(option --donnees ou variable RELIEF_DONNEES)."
        )
    config_path = directory / CONFIG_FILE_NAME
    if config_bytes is None and config_path.is_file():
        config_bytes = read_file_bytes(config_path)
    config = read_config(directory, text=None if config_bytes is None else _utf8(config_bytes, config_path))
    checksums = {CONFIG_FILE_NAME: hashlib.sha256(config_bytes).hexdigest()}
    tables: dict[str, pd.DataFrame] = {}
    results: dict[str, TableResult] = {}
    notes: list[str] = []
    remarks: dict[str, str] = {}
    missing: list[str] = []
    inputs = [directory / "config.toml"]
    for table, model in TABLES.items():
        file_name = config.files.get(table)
        path = directory / file_name if file_name else None
        if path is None or not path.is_file():
            near = near_file_names(directory, file_name) if file_name else []
            hint = ""
            if near:
                shown = ", ".join(f"« {n} »" for n in near)
                hint = f" ; fichier(s) au nom proche trouvé(s) : {shown} : renommez-le ou corrigez config.toml [fichiers]"
            if table in OPTIONAL_TABLES:
                tables[table] = _empty_table(model)
                remark = f"fichier facultatif absent ({file_name or 'aucun nom dans config.toml'}){hint}"
                remarks[table] = remark
                notes.append(f"Table « {table} » : {remark}.")
                continue
            if table not in REQUIRED_TABLES and not near:
                # A lieux-only folder (a census to explore) is a dataset: the reports that
                # need this table say so (``missing_tables``), the others are built.
                tables[table] = _empty_table(model)
                missing.append(table)
                remark = (f"fichier absent ({file_name or 'aucun nom dans config.toml'}) : table vide, "
                          "les rapports qui en ont besoin ne sont pas produits")
                remarks[table] = remark
                notes.append(f"Table « {table} » : {remark}.")
                continue
            raise DataError(
                f"Fichier obligatoire manquant pour la table « {table} » : "
                f"{path or '(aucun nom dans config.toml [fichiers])'}{hint}. Ajoutez-le au dossier de données "
                f"ou corrigez son nom dans config.toml, section [fichiers]."
            )
        data = read_file_bytes(path)
        checksums[file_name] = hashlib.sha256(data).hexdigest()
        with gc_paused():  # millions of short-lived rows: the cyclic collector only slows reading
            result, file_notes = load_table_with_notes(path, table=table, config=config, data=data)
        results[table] = result
        notes.extend(file_notes)
        if file_notes:
            remarks[table] = " ; ".join(n.split(" : ", 1)[-1].rstrip(".") for n in file_notes)
        tables[table] = result.accepted
        inputs.append(path)
        if result.read_count == 0:
            remarks[table] = "fichier sans aucune ligne de données (en-tête seul)"
            notes.append(f"{result.file_name} : fichier sans aucune ligne de données (en-tête seul) : "
                         f"la table « {table} » est vide.")
    reviews = _read_reviews(directory, config, checksums)
    inputs += [directory / name for name in checksums if name.startswith(_review_prefix(config))]
    return Dataset(directory=directory, config=config, **tables, results=results, input_files=inputs,
                   file_notes=notes, file_remarks=remarks, input_checksums=checksums,
                   qualitative_reviews=reviews, missing_tables=tuple(missing))


def _review_prefix(config: DatasetConfig) -> str:
    return config.files.get("bilan_qualitatif", "bilan_qualitatif_{annee}.md").split("{annee}")[0]


def _utf8(data: bytes, path: Path) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DataError(f"Fichier {path.name} illisible : enregistrez-le en UTF-8.") from exc


def _read_reviews(directory: Path, config: DatasetConfig, checksums: dict[str, str]) -> dict[int, str]:
    """Read every ``bilan_qualitatif_<année>.md`` once; record their checksums."""
    pattern = config.files.get("bilan_qualitatif", "bilan_qualitatif_{annee}.md")
    prefix, _, suffix = pattern.partition("{annee}")
    reviews: dict[int, str] = {}
    for path in sorted(directory.glob(f"{prefix}*{suffix}")):
        year_text = path.name[len(prefix): len(path.name) - len(suffix)]
        if not year_text.isdigit():
            continue
        problem = file_name_problem(path.name, dataset_dir=directory)
        if problem:
            raise DataError(f"Fichier {path.name} : {problem}")
        data = read_file_bytes(path)
        checksums[path.name] = hashlib.sha256(data).hexdigest()
        reviews[int(year_text)] = _utf8(data, path)
    return reviews


def _empty_table(model) -> pd.DataFrame:
    from relief_analytics.load.coerce import DTYPES
    from relief_analytics.schemas import column_specs

    return pd.DataFrame({
        name: pd.Series([], dtype=DTYPES[spec["kind"]] if DTYPES[spec["kind"]] != "object" else object)
        for name, spec in column_specs(model).items()
    })
