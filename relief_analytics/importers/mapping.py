"""Any other lieux table (another network, a national census extract…) through a mapping file.

The mapping file (JSON or TOML, the shape ANCT uses for its sources) declares, for each field of our
``lieux`` table, where its value comes from; a new source needs a new mapping file, not new code::

    {
      "source": "Recensement national des tiers-lieux (extrait)",
      "valeurs_manquantes": ["", "0", "NC"],
      "champs": {
        "identifiant": {"colonne": "ID", "prefixe": "FTL-"},
        "nom": {"colonne": "Nom du tiers-lieu"},
        "code_insee": {"colonne": "Code INSEE"},
        "adresse": {"colonne": ["Numéro", "Voie"]},
        "typologies": {"colonne": "Typologie", "separateur": ";",
                       "valeurs": [{"termes": ["Bureaux", "Télétravail"],
                                    "cible": "Bureaux partagés / Coworking"}]},
        "etat": {"valeur": "ouvert"}
      }
    }

- a field is named by our French header (``nom``, ``code_postal``, ``code_insee``…) or column name;
- ``colonne`` is a source column (or a list, joined with spaces); ``valeur`` is a constant;
- ``valeurs`` maps source ``termes`` (case and accents ignored) to a ``cible``; other values pass
  through (and typologies still go through ``[importation.typologies]``);
- ``valeurs_manquantes`` (global, or per field) lists placeholders meaning "unknown";
- ``prefixe`` is put before non-empty values (to keep identifiers apart from the network's own);
- ``garder_autres_colonnes`` (global, default false) keeps the unmapped columns as they are.

Rows outside the configured region are counted and listed, never imported (:mod:`.lieux`).
"""

from __future__ import annotations

import json
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from relief_analytics.importers._rows import code_key
from relief_analytics.importers.base import (
    ImportReport,
    ImportSettings,
    apply_import,
    report_for_raw,
)
from relief_analytics.importers.lieux import finish_lieux, looks_personal
from relief_analytics.load.errors import DataError
from relief_analytics.load.headers import header_lookup, normalize_header
from relief_analytics.load.read import read_text_table
from relief_analytics.schemas import Lieux, column_specs

LOCATION_FIELDS = ("street_address", "postal_code", "commune_name", "commune_code", "latitude")


@dataclass(frozen=True)
class FieldRule:
    """How one field of the ``lieux`` table is filled from a source row."""

    target: str
    columns: tuple[str, ...] = ()
    constant: str | None = None
    values: dict[str, str] = field(default_factory=dict)  # code_key(term) → target value
    missing: frozenset[str] = frozenset()  # code_key of placeholders
    separator: str | None = None
    prefix: str = ""


@dataclass(frozen=True)
class Mapping:
    """A parsed mapping file."""

    source_label: str
    rules: tuple[FieldRule, ...]
    keep_other_columns: bool = False


def _fail(path: Path, message: str) -> DataError:
    return DataError(f"Fichier de correspondance {path.name} : {message}")


def read_mapping(path: Path) -> Mapping:
    """Read and check a mapping file (``.json`` or ``.toml``).

    Raises
    ------
    DataError
        Unreadable file, unknown target field, a field without ``colonne`` nor ``valeur``, no
        ``nom`` or no location field (French message naming what to fix).
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
        raw = tomllib.loads(text) if path.suffix.lower() == ".toml" else json.loads(text)
    except (OSError, UnicodeDecodeError, json.JSONDecodeError, tomllib.TOMLDecodeError) as exc:
        raise _fail(path, f"illisible ({exc}). Vérifiez la syntaxe JSON ou TOML.") from exc
    if not isinstance(raw, dict) or not isinstance(raw.get("champs"), dict):
        raise _fail(path, "section « champs » absente (voir docs/imports.md).")
    specs = column_specs(Lieux)
    lookup = header_lookup(Lieux)
    global_missing = {code_key(str(v)) for v in raw.get("valeurs_manquantes", [""])}
    rules = []
    for name, spec in raw["champs"].items():
        target = lookup.get(normalize_header(name))
        if target is None:
            valid = ", ".join(s["header"] for s in specs.values())
            raise _fail(path, f"champ « {name} » inconnu. Champs possibles : {valid}.")
        if isinstance(spec, str):
            spec = {"colonne": spec}
        columns = spec.get("colonne")
        columns = tuple(columns) if isinstance(columns, list) else ((columns,) if columns else ())
        if not columns and "valeur" not in spec:
            raise _fail(path, f"champ « {name} » : indiquez « colonne » (colonne source) ou « valeur ».")
        values = {}
        for item in spec.get("valeurs", []):
            for term in item.get("termes", []):
                values[code_key(str(term))] = str(item["cible"])
        missing = global_missing | {code_key(str(v)) for v in spec.get("valeurs_manquantes", [])}
        rules.append(FieldRule(
            target=target, columns=columns,
            constant=None if spec.get("valeur") is None else str(spec["valeur"]),
            values=values, missing=frozenset(missing), separator=spec.get("separateur"),
            prefix=str(spec.get("prefixe", "")),
        ))
    targets = {r.target for r in rules}
    if "lieu_name" not in targets:
        raise _fail(path, "le champ « nom » est obligatoire.")
    if not targets & set(LOCATION_FIELDS):
        raise _fail(path, "indiquez au moins un champ de localisation (adresse, code_postal, commune, "
                          "code_insee, ou latitude et longitude).")
    return Mapping(
        source_label=str(raw.get("source", "table de lieux")), rules=tuple(rules),
        keep_other_columns=bool(raw.get("garder_autres_colonnes", False)),
    )


def _cell(value: object, rule: FieldRule) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    if code_key(text) in rule.missing:
        return None
    return text


def apply_rule(record: dict, rule: FieldRule) -> str | None:
    """The value of ``rule.target`` for one source record (``None`` when unknown).

    >>> rule = FieldRule(target="typologies", columns=("Type",), separator=";",
    ...                  values={"bureaux": "Bureaux partagés / Coworking"}, missing=frozenset({"nc"}))
    >>> apply_rule({"Type": "Bureaux; Fablab"}, rule)
    'Bureaux partagés / Coworking|Fablab'
    >>> apply_rule({"Type": "NC"}, rule) is None
    True
    """
    if rule.constant is not None and not rule.columns:
        return rule.constant
    parts = [_cell(record.get(column), rule) for column in rule.columns]
    text = " ".join(p for p in parts if p) or None
    if text is None:
        return rule.constant
    pieces = re.split(re.escape(rule.separator), text) if rule.separator else [text]
    mapped = []
    for piece in (p.strip() for p in pieces):
        if not piece or code_key(piece) in rule.missing:
            continue
        mapped.append(rule.values.get(code_key(piece), piece))
    if not mapped:
        return rule.constant
    value = "|".join(mapped)
    return f"{rule.prefix}{value}" if rule.prefix else value


def import_mapped_table(
    path: Path, mapping_path: Path, *, dataset_dir: Path, settings: ImportSettings,
    dry_run: bool = False, reference=None, sheet: str | None = None,
) -> ImportReport:
    """Import any lieux table into the dataset's ``lieux`` table through a mapping file.

    Raises
    ------
    DataError
        Invalid mapping file, unreadable table, or a source column of the mapping that the table
        does not have (French message listing the columns found).
    """
    path = Path(path)
    mapping = read_mapping(mapping_path)
    sources = {c for rule in mapping.rules for c in rule.columns}
    raw = read_text_table(path, known_headers={normalize_header(c) for c in sources}, sheet=sheet)
    absent = sorted(c for c in sources if c not in raw.frame.columns)
    if absent:
        found = ", ".join(f"« {c} »" for c in raw.frame.columns)
        raise DataError(
            f"Fichier {path.name} : colonne(s) de la correspondance {Path(mapping_path).name} "
            f"absente(s) : {', '.join(f'« {c} »' for c in absent)}. Colonnes trouvées : {found}."
        )
    others = [c for c in raw.frame.columns if c not in sources and not c.startswith("(colonne ")
              and not looks_personal(c)] if mapping.keep_other_columns else []
    records = []
    for source in raw.frame.to_dict("records"):
        record = {rule.target: apply_rule(source, rule) for rule in mapping.rules}
        record.update({c: source.get(c) for c in others})
        records.append(record)
    labels = {rule.target: (" + ".join(rule.columns) or rule.target) for rule in mapping.rules}
    header_of = {rule.target: rule.target for rule in mapping.rules}
    report = report_for_raw(raw, source_label=mapping.source_label, table="lieux")
    rows = finish_lieux(records, list(raw.line_numbers), header_of=header_of, labels=labels,
                        report=report, settings=settings, reference=reference)
    return apply_import(report, rows, dataset_dir=dataset_dir, settings=settings, source_path=path,
                        dry_run=dry_run)
