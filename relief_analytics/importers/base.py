"""What every importer shares: settings from ``config.toml``, the import report, the merge, the write.

An importer turns one source file (an export of HelloAsso, GoGoCarto, OpenAgenda, Mobilizon, or any
lieux table through a mapping file) into **rows of one of our tables**, as text, keyed by the
table's contract column names (``lieu_id``, ``membership_id``, …) plus any extra columns it keeps
(custom fields). :func:`apply_import` then merges those rows into the dataset folder's table file
(the one ``config.toml`` [fichiers] names), which :func:`relief_analytics.load.load_dataset` reads:

- idempotent: importing the same export twice adds nothing and changes nothing;
- lossless: rows of the table that the export does not contain are kept, columns too; an empty
  cell in the export never erases a value of the table;
- every added row and every changed cell is listed (:class:`ImportReport`);
- a dry run (``dry_run=True``) computes the same report and writes nothing;
- the table is written atomically (a temporary file, then a rename); the previous version is kept
  beside it as ``<nom>.precedent.csv``; source files are only ever read.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from relief_analytics.formatting import format_number
from relief_analytics.load.coerce import PARSERS, CellError, code_key
from relief_analytics.load.config import DatasetConfig, read_config
from relief_analytics.load.errors import DataError
from relief_analytics.load.headers import header_lookup, normalize_header
from relief_analytics.load.masking import mask_issues
from relief_analytics.load.pseudonymise import personal_headers, pseudonymise_frame
from relief_analytics.load.read import read_text_table
from relief_analytics.load.validate import ISSUE_COLUMNS
from relief_analytics.schemas import PERSONAL_TABLES, TABLES, column_specs
from relief_analytics.schemas.derived import UNVALIDATED_COLUMNS

#: Key column of each table an importer can write.
TABLE_KEYS = {"lieux": "lieu_id", "adhesions": "membership_id", "evenements": "event_id"}

#: Natural key of each table's rows, as the reports name it (HelloAsso: see its importer).
NATURAL_KEYS = {"lieux": "identifiant du lieu", "adhesions": "référence d'adhésion",
                "evenements": "identifiant de l'événement"}

#: Columns of the frame of rows set aside because they lie outside the configured region.
OUT_OF_REGION_COLUMNS = ["ligne", "nom", "commune", "code_insee", "code_postal", "raison"]


CHANGE_COLUMNS = ["key", "column", "old_value", "new_value"]

#: Columns of the frame of source rows merged into another row under a repeated key.
MERGED_COLUMNS = ["line_number", "key", "kept_line_number"]

BACKUP_SUFFIX = ".precedent"


@dataclass(frozen=True)
class ImportSettings:
    """What the importers read from a dataset's ``config.toml``.

    ``tarif_kinds``, ``typology_synonyms`` are keyed by :func:`~relief_analytics.load.coerce.code_key`
    (case, accents and spacing ignored).
    """

    config: DatasetConfig
    tarif_kinds: dict[str, str] = field(default_factory=dict)
    typology_synonyms: dict[str, str] = field(default_factory=dict)
    lieux_defaults: dict[str, str] = field(default_factory=dict)
    event_defaults: dict[str, str] = field(default_factory=dict)


def read_import_settings(dataset_dir: Path) -> ImportSettings:
    """Read ``config.toml`` and its ``[importation]`` sections.

    ``[importation.tarifs_adhesion]`` maps a HelloAsso tarif to « physique » / « morale »;
    ``[importation.typologies]`` maps a spelling to one of ``[listes].typologies``;
    ``[importation.lieux]`` gives ``etat`` and ``membre_reseau`` for rows that lack them;
    ``[importation.evenements]`` gives ``type`` and ``commission`` for imported events.

    Raises
    ------
    DataError
        On a missing or invalid configuration, or a mapping to an unknown value (French message).
    """
    config = read_config(dataset_dir)  # [importation] is typed and checked there, with the rest
    importing = config.importing

    tarifs = {code_key(tarif): code_key(kind) for tarif, kind in importing.member_kind_by_tarif.items()}
    typologies = config.lists.get("typologies", [])
    synonyms: dict[str, str] = {}
    for typology in typologies:  # each listed typology, and each part of « A / B », stands for itself
        for part in [typology, *typology.split(" / ")]:
            synonyms.setdefault(code_key(part), typology)
    by_key = {code_key(t): t for t in typologies}
    for term, target in importing.typology_synonyms.items():  # targets checked by the config model
        synonyms[code_key(term)] = by_key[code_key(target)]
    return ImportSettings(
        config=config,
        tarif_kinds=tarifs,
        typology_synonyms=synonyms,
        lieux_defaults=importing.lieux_defaults.model_dump(exclude_none=True, by_alias=True),
        event_defaults=importing.event_defaults.model_dump(exclude_none=True, by_alias=True),
    )


@dataclass
class ImportReport:
    """Outcome of one import: what was read, added, changed, set aside, and where it was written.

    Frames: ``issues`` (ISSUE_COLUMNS: one row per problem, the row is kept unless the rule says
    otherwise), ``changes`` (one row per changed cell: key, column, old_value, new_value),
    ``out_of_region`` (one row per row set aside), ``unvalidated`` (one row per order not validated).
    """

    source: str
    source_label: str
    table: str
    target: Path | None = None
    read_count: int = 0
    rows: pd.DataFrame = field(default_factory=pd.DataFrame)
    added_keys: list[str] = field(default_factory=list)
    updated_keys: list[str] = field(default_factory=list)
    unchanged_count: int = 0
    changes: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=CHANGE_COLUMNS))
    issues: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=ISSUE_COLUMNS))
    out_of_region: pd.DataFrame = field(
        default_factory=lambda: pd.DataFrame(columns=OUT_OF_REGION_COLUMNS)
    )
    unvalidated: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=UNVALIDATED_COLUMNS))
    ignored_columns: list[str] = field(default_factory=list)
    #: Source lines not imported (each has at least one row in ``issues`` saying why).
    rejected_lines: list[int] = field(default_factory=list)
    #: Source rows merged into a later row with the same natural key (MERGED_COLUMNS).
    merged: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=MERGED_COLUMNS))
    #: Source line of each row handed to the merge (set by the importer), for the merged list.
    row_lines: list[int] = field(default_factory=list)
    #: Blank lines after the header (read, never imported).
    blank_count: int = 0
    #: HelloAsso: the order reference of each row (the key an earlier version wrote).
    order_references: list = field(default_factory=list)
    #: The source's natural key, in French (« carte d'adhérent », « identifiant du lieu »…).
    key_label: str = ""
    #: French warnings about the file as a whole (sheet read, headers mapped or not mapped…).
    notes: list[str] = field(default_factory=list)
    dry_run: bool = False
    written: bool = False
    backup: Path | None = None

    def ledger(self) -> Ledger:
        """Where each line read went (see :class:`Ledger`)."""
        return Ledger(
            read=self.read_count, added=len(self.added_keys), updated=len(self.updated_keys),
            unchanged=self.unchanged_count, merged=len(self.merged),
            rejected=len(set(self.rejected_lines)), out_of_region=len(self.out_of_region),
            blank=self.blank_count,
        )

    def lines_fr(self, *, limit: int | None = 30) -> list[str]:
        """The report as French lines for the command line (no personal data: none is kept).

        Each list (changes, orders not validated, rows out of region, problems) shows at most
        ``limit`` lines, then says how many more there are; ``limit=None`` shows everything.
        """

        def capped(items: list[str]) -> list[str]:
            if limit is None or len(items) <= limit:
                return items
            more = len(items) - limit
            return items[:limit] + [f"  … et {format_number(more)} autre{'s' if more > 1 else ''} "
                                    "(option --tout pour tout afficher)"]

        lines = [
            f"Source : {self.source} ({self.source_label}, {_count(self.read_count, 'ligne lue', 'lignes lues')})",
            f"Table : {self.table} ({self.target})",
            f"{_count(len(self.added_keys), 'ligne ajoutée', 'lignes ajoutées')}, "
            f"{_count(len(self.updated_keys), 'ligne mise à jour', 'lignes mises à jour')}, "
            f"{_count(self.unchanged_count, 'ligne inchangée', 'lignes inchangées')}.",
            self.ledger().line_fr(),
        ]
        lines += [f"Attention : {note}" for note in self.notes]
        if self.ignored_columns:
            lines.append(
                "Colonnes non importées : " + ", ".join(f"« {c} »" for c in self.ignored_columns)
            )
        if not self.changes.empty:
            lines.append("Modifications :")
            lines += capped([
                f"  {c.key}, {c.column} : « {c.old_value or '(vide)'} » → « {c.new_value} »"
                for c in self.changes.itertuples(index=False)])
        if not self.unvalidated.empty:
            by_status = self.unvalidated["order_status"].value_counts(sort=False)
            detail = ", ".join(f"{status} : {count}" for status, count in by_status.items())
            lines.append(
                f"Commandes non validées (importées, non comptées dans les rapports) : "
                f"{format_number(len(self.unvalidated))} ({detail})"
            )
            lines += capped([f"  {row.membership_id} : {row.order_status}"
                             for row in self.unvalidated.itertuples(index=False)])
        if not self.merged.empty:
            key = f"clé : {self.key_label} ; " if self.key_label else ""
            lines.append(
                f"Fusionnées sous une clé répétée ({key}la dernière ligne est retenue) : "
                f"{format_number(len(self.merged))}"
            )
            lines += capped([
                f"  ligne {_line(row.line_number)} : clé « {row.key} », fusionnée avec la ligne "
                f"{_line(row.kept_line_number)}" for row in self.merged.itertuples(index=False)])
        if not self.out_of_region.empty:
            lines.append(
                f"Hors de la région configurée (non importées) : {format_number(len(self.out_of_region))}"
            )
            lines += capped([f"  ligne {row.ligne} : {row.nom} — {row.raison}"
                             for row in self.out_of_region.itertuples(index=False)])
        if not self.issues.empty:
            lines.append(f"Problèmes : {format_number(len(self.issues))}")
            lines += capped([
                f"  ligne {i.line_number}, colonne « {i.column_name} »"
                + (f", valeur « {i.cell_value} »" if i.cell_value not in (None, "") else "") + f" : {i.rule}"
                for i in self.issues.itertuples(index=False)])
        if self.dry_run:
            lines.append("Essai : aucun fichier n'a été modifié.")
        elif self.written:
            kept = f" ; version précédente gardée : {self.backup.name}" if self.backup else ""
            lines.append(f"Table écrite : {self.target}{kept}.")
        else:
            lines.append("Rien à écrire : la table est déjà à jour.")
        return lines


@dataclass(frozen=True)
class Ledger:
    """Where each line of a source file went; it balances when ``read`` is the sum of the rest.

    ``read`` counts every line after the header (blank ones included); ``added``, ``updated``,
    ``unchanged`` are rows merged into the table; ``merged`` rows repeated a natural key and were
    merged into a later row (listed); ``rejected`` lines were not imported (listed with line,
    column, value and rule); ``out_of_region`` rows were set aside (listed); ``blank`` lines were empty.
    """

    read: int
    added: int
    updated: int
    unchanged: int
    merged: int
    rejected: int
    out_of_region: int
    blank: int

    @property
    def accounted(self) -> int:
        """Sum of every outcome (equals ``read`` when the ledger balances)."""
        return (self.added + self.updated + self.unchanged + self.merged + self.rejected
                + self.out_of_region + self.blank)

    @property
    def balanced(self) -> bool:
        return self.read == self.accounted

    def line_fr(self) -> str:
        """The ledger as one French sentence.

        >>> Ledger(read=9, added=5, updated=1, unchanged=0, merged=1, rejected=1, out_of_region=0,
        ...        blank=1).line_fr()
        'Bilan : 9 lignes lues = 5 ajoutées + 1 mise à jour + 0 inchangée + 1 fusionnée sous une clé répétée + 1 rejetée + 0 hors région + 1 vide.'
        """
        def part(value: int, singular: str, plural: str) -> str:
            return _count(value, singular, plural)

        text = (
            f"Bilan : {part(self.read, 'ligne lue', 'lignes lues')} = "
            f"{part(self.added, 'ajoutée', 'ajoutées')} + {part(self.updated, 'mise à jour', 'mises à jour')} + "
            f"{part(self.unchanged, 'inchangée', 'inchangées')} + "
            f"{part(self.merged, 'fusionnée sous une clé répétée', 'fusionnées sous une clé répétée')} + "
            f"{part(self.rejected, 'rejetée', 'rejetées')} + {format_number(self.out_of_region)} hors région + "
            f"{part(self.blank, 'vide', 'vides')}."
        )
        if not self.balanced:  # a defect of the importer, said rather than hidden
            text += f" Écart inexpliqué : {format_number(self.read - self.accounted)} ligne(s)."
        return text


def _line(value: object) -> str:
    return "?" if value is None or (isinstance(value, float) and value != value) else str(int(value))


def _count(value: int, singular: str, plural: str) -> str:
    return f"{format_number(value)} {singular if value <= 1 else plural}"


def report_for_raw(raw, *, source_label: str, table: str) -> ImportReport:
    """A report started from a :class:`~relief_analytics.load.read.RawTable`: lines read (rows,
    structural problems, blank lines), problems listed and rejected, repairs and notes listed."""
    name = Path(raw.path).name
    report = ImportReport(source=name, source_label=source_label, table=table,
                          read_count=raw.read_count + raw.blank_count, blank_count=raw.blank_count,
                          notes=list(raw.notes), key_label=NATURAL_KEYS.get(table, ""))
    report.issues = issue_frame([{"table": table, "file_name": name, **p}
                                 for p in (*raw.problems, *raw.repairs)])
    report.rejected_lines = [int(p["line_number"]) for p in raw.problems]
    return report


#: What the rule of a problem says when its whole row was not imported (JSON sources).
NOT_IMPORTED_RULE = r"(?:ligne|événement) non importée?\b"


def rejected_lines_of(issues: pd.DataFrame) -> list[int]:
    """The lines whose problem says the row was not imported, for the ledger of a JSON source."""
    if issues.empty:
        return []
    rejected = issues.loc[issues["rule"].astype(str).str.contains(NOT_IMPORTED_RULE), "line_number"]
    return sorted({int(n) for n in pd.to_numeric(rejected, errors="coerce").dropna()})


def issue_frame(records: list[dict]) -> pd.DataFrame:
    """Frame of issues (ISSUE_COLUMNS) from a list of dicts, personal values masked."""
    return mask_issues(pd.DataFrame(records, columns=ISSUE_COLUMNS))


def target_path(dataset_dir: Path, table: str, config: DatasetConfig) -> Path:
    """The file of ``table`` in the dataset folder (``config.toml`` [fichiers], else ``<table>.csv``)."""
    name = config.files.get(table) or f"{table}.csv"
    path = Path(dataset_dir) / name
    if path.suffix.lower() not in (".csv", ".txt"):
        raise DataError(
            f"La table « {table} » est un fichier {path.suffix} ({path.name}) : l'importation écrit "
            f"un fichier CSV. Indiquez un nom en .csv dans config.toml, section [fichiers]."
        )
    return path


def read_table_text(path: Path, *, table: str, settings: ImportSettings) -> pd.DataFrame:
    """Read the dataset's current table file as text, columns renamed to contract names.

    Unknown columns keep their header. For tables about people, identity columns are replaced
    by ``member_id`` with the loader's own pseudonymisation (nothing personal is written back).
    """
    model = TABLES[table]
    lookup = header_lookup(model, settings.config.column_overrides.get(table))
    frame = read_text_table(path, known_headers=set(lookup)).frame
    if table in PERSONAL_TABLES and personal_headers(list(frame.columns)):
        org = next((h for h in frame.columns if lookup.get(normalize_header(h)) == "organisation_name"), None)
        kind = next((h for h in frame.columns if lookup.get(normalize_header(h)) == "member_kind"), None)
        frame, ids = pseudonymise_frame(
            frame, salt=settings.config.pseudonymisation_salt, organisation_col=org, kind_col=kind
        )
        given = next((h for h in frame.columns if lookup.get(normalize_header(h)) == "member_id"), None)
        frame["member_id"] = frame[given].where(frame[given].notna(), ids) if given else ids
        if given and given != "member_id":
            frame = frame.drop(columns=[given])
    renamed, seen = {}, set()
    for header in frame.columns:
        name = lookup.get(normalize_header(header))
        if name and name not in seen:
            renamed[header] = name
            seen.add(name)
    return frame.rename(columns=renamed).astype(object).where(frame.notna().to_numpy(), None)


def _same(a: object, b: object, kind: str | None) -> bool:
    if a == b:
        return True
    if a is None or b is None or kind is None:
        return False
    try:
        return PARSERS[kind](str(a)) == PARSERS[kind](str(b))
    except CellError:
        return False


@dataclass(frozen=True)
class MergeResult:
    """A merged table (text, contract names) and what the merge did."""

    table: pd.DataFrame
    added_keys: list[str]
    updated_keys: list[str]
    unchanged_count: int
    changes: pd.DataFrame
    #: Incoming rows merged into a later incoming row with the same key (MERGED_COLUMNS).
    merged: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=MERGED_COLUMNS))


def repeated_keys(keys: pd.Series, lines: list[int] | None = None) -> pd.DataFrame:
    """Rows whose key repeats a later row's: one row per merged row (MERGED_COLUMNS).

    The last row of a key is the one kept, the earlier ones are merged into it.

    >>> repeated_keys(pd.Series(["a", "b", "a"]), [2, 3, 5]).values.tolist()
    [[2, 'a', 5]]
    """
    lines = list(range(1, len(keys) + 1)) if lines is None else list(lines)
    values = keys.tolist()
    last = {k: lines[i] for i, k in enumerate(values)}
    records = [{"line_number": lines[i], "key": k, "kept_line_number": last[k]}
               for i, k in enumerate(values) if last[k] != lines[i]]
    return pd.DataFrame(records, columns=MERGED_COLUMNS)


def merge_rows(
    existing: pd.DataFrame, incoming: pd.DataFrame, *, table: str, lines: list[int] | None = None
) -> MergeResult:
    """Merge ``incoming`` rows into ``existing`` by the table's key; pure.

    Grain of both frames and of the result: one row per key (``lieu_id``, ``membership_id``,
    ``event_id``). Existing rows keep their order; new rows follow in their order. A non-empty
    incoming value replaces a different existing value (listed in ``changes``); an empty
    incoming value never erases one. Columns of either side are all kept. Incoming rows that
    repeat a key are merged into the last one and listed in ``merged`` (with their source line
    when ``lines`` is given).
    """
    key = TABLE_KEYS[table]
    kinds = {name: spec["kind"] for name, spec in column_specs(TABLES[table]).items()}
    merged_rows = (repeated_keys(incoming[key], lines) if key in incoming.columns and len(incoming)
                   else pd.DataFrame(columns=MERGED_COLUMNS))
    incoming = incoming.drop_duplicates(subset=[key], keep="last")
    columns = list(existing.columns) + [c for c in incoming.columns if c not in existing.columns]
    if key not in columns:
        columns.insert(0, key)
    merged = existing.reindex(columns=columns).astype(object)
    merged = merged.where(merged.notna(), None)
    position = {k: i for i, k in enumerate(merged[key].tolist()) if k is not None}
    records = merged.to_dict("records")
    added, updated, changes, unchanged = [], [], [], 0
    for row in incoming.to_dict("records"):
        row = {c: (None if v is None or (isinstance(v, float) and v != v) or str(v).strip() == "" else v)
               for c, v in row.items()}
        k = row[key]
        if k not in position:
            position[k] = len(records)
            records.append({c: row.get(c) for c in columns})
            added.append(k)
            continue
        current = records[position[k]]
        changed = False
        for column, value in row.items():
            if value is None or _same(current.get(column), value, kinds.get(column)):
                continue
            changes.append({"key": k, "column": column, "old_value": current.get(column) or "",
                            "new_value": value})
            current[column] = value
            changed = True
        if changed:
            updated.append(k)
        else:
            unchanged += 1
    return MergeResult(
        table=pd.DataFrame(records, columns=columns, dtype=object),
        added_keys=added,
        updated_keys=updated,
        unchanged_count=unchanged,
        changes=pd.DataFrame(changes, columns=CHANGE_COLUMNS),
        merged=merged_rows,
    )


def headers_for_output(frame: pd.DataFrame, *, table: str) -> pd.DataFrame:
    """Rename contract columns to their French header (the one the loader expects first)."""
    specs = column_specs(TABLES[table])
    order = [c for c in specs if c in frame.columns] + [c for c in frame.columns if c not in specs]
    return frame[order].rename(columns={c: specs[c]["header"] for c in order if c in specs})


def write_table_atomically(frame: pd.DataFrame, path: Path) -> Path | None:
    """Write ``frame`` as a ``;`` CSV (UTF-8 with BOM) at ``path``, atomically.

    The new content goes to a temporary file in the same folder, then replaces ``path`` by a rename;
    the previous file is first copied to ``<stem>.precedent<suffix>``, which is returned (``None``
    if there was no previous file). On any failure ``path`` is left as it was.
    """
    path = Path(path)
    tmp = path.with_name(f".{path.name}.import-en-cours")
    try:
        frame.to_csv(tmp, sep=";", index=False, encoding="utf-8-sig")
        backup = None
        if path.exists():
            backup = path.with_name(f"{path.stem}{BACKUP_SUFFIX}{path.suffix}")
            shutil.copy2(path, backup)
        os.replace(tmp, path)
    finally:
        if tmp.exists():
            tmp.unlink()
    return backup


def apply_import(
    report: ImportReport,
    rows: pd.DataFrame,
    *,
    dataset_dir: Path,
    settings: ImportSettings,
    source_path: Path,
    dry_run: bool = False,
    lines: list[int] | None = None,
    renamed_keys: dict[str, str] | None = None,
) -> ImportReport:
    """Merge ``rows`` into the dataset's table file, fill ``report`` and return it.

    ``lines`` gives the source line of each row of ``rows``, so that rows merged under a
    repeated key are listed by line. ``renamed_keys`` maps a key an earlier version wrote
    (HelloAsso: the order reference) to the key of the same row now; an existing row under the
    old key is re-keyed (listed as a change) instead of being counted twice.

    Raises
    ------
    DataError
        When the target is the source file itself, or is not a CSV file.
    """
    table = report.table
    target = target_path(dataset_dir, table, settings.config)
    if target.exists() and Path(source_path).resolve() == target.resolve():
        raise DataError(
            f"Le fichier importé est la table elle-même ({target.name}) : importez l'export "
            f"téléchargé, placé hors du dossier de données ou sous un autre nom."
        )
    existing = (
        read_table_text(target, table=table, settings=settings)
        if target.exists()
        else pd.DataFrame(columns=[TABLE_KEYS[table]])
    )
    if lines is None and len(report.row_lines) == len(rows):
        lines = report.row_lines
    key = TABLE_KEYS[table]
    renames = []
    if renamed_keys and key in existing.columns and len(existing):
        present = set(existing[key].dropna())
        renames = [(old, new) for old, new in renamed_keys.items() if old in present and new not in present]
        if renames:
            existing = existing.copy()
            existing[key] = existing[key].replace(dict(renames))
    merged = merge_rows(existing, rows, table=table, lines=lines)
    if renames:
        renamed_new = [new for _, new in renames]
        unchanged = merged.unchanged_count - sum(1 for k in renamed_new if k not in merged.updated_keys)
        merged = MergeResult(
            table=merged.table, added_keys=merged.added_keys,
            updated_keys=merged.updated_keys + [k for k in renamed_new if k not in merged.updated_keys],
            unchanged_count=unchanged, merged=merged.merged,
            changes=pd.concat([pd.DataFrame([{"key": new, "column": key, "old_value": old, "new_value": new}
                                             for old, new in renames], columns=CHANGE_COLUMNS),
                               merged.changes], ignore_index=True),
        )
    report.target = target
    report.rows = rows
    report.added_keys = merged.added_keys
    report.updated_keys = merged.updated_keys
    report.unchanged_count = merged.unchanged_count
    report.changes = merged.changes
    report.merged = merged.merged
    report.dry_run = dry_run
    needs_write = bool(merged.added_keys or merged.updated_keys) or not target.exists()
    if not dry_run and needs_write:
        report.backup = write_table_atomically(headers_for_output(merged.table, table=table), target)
        report.written = True
    return report
