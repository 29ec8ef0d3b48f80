"""GoGoCarto exports → the ``lieux`` table.

Two formats, one result: the ``gogofull`` JSON (``{"ontology": "gogofull", "data": [...]}``, nested
``geo``/``address``, ``categories`` as names or as objects) and the back-office CSV, where the same
fields are flattened to dotted columns (``geo.latitude``, ``address.postalCode``) and categories
become ``optionsString``. Both are flattened to dotted keys, then mapped:

- identifiers become ``GGC-<id>`` (they never collide with the network's own);
- categories go through the typology synonyms of ``config.toml`` (unknown ones are reported);
- custom fields are kept as extra columns (a custom field named like one of our columns, e.g.
  ``etat`` or ``statut_juridique``, fills it);
- a value ``private`` is never kept; contact fields (``email``, ``telephone``…) are not imported.
"""

from __future__ import annotations

import json
from pathlib import Path

from relief_analytics.importers.base import ImportReport, ImportSettings, apply_import
from relief_analytics.importers.lieux import finish_lieux, looks_personal
from relief_analytics.load.errors import DataError
from relief_analytics.load.headers import header_lookup, normalize_header
from relief_analytics.load.read import read_text_table
from relief_analytics.schemas import Lieux

SOURCE_LABEL = "GoGoCarto"
ID_PREFIX = "GGC-"

#: GoGoCarto field (dotted) → contract column.
STANDARD_FIELDS = {
    "id": "lieu_id",
    "name": "lieu_name",
    "geo.latitude": "latitude",
    "geo.longitude": "longitude",
    "address.streetAddress": "street_address",
    "address.addressLocality": "commune_name",
    "address.postalCode": "postal_code",
    "categories": "typologies",
    "optionsString": "typologies",
    "website": "website",
    "updatedAt": "updated_date",
}
#: Fields never imported: technical, or redundant with the ones above.
SKIPPED_FIELDS = {
    "address.addressCountry", "address.customFormatedAddress", "categoriesFull", "images", "sourceKey",
    "status", "moderationState", "createdAt", "openHours", "openHoursString", "optionsValues",
}
PRIVATE = "private"


def _flatten(element: dict, prefix: str = "") -> dict[str, object]:
    flat: dict[str, object] = {}
    for key, value in element.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict) and name in ("geo", "address"):
            flat.update(_flatten(value, prefix=f"{name}."))
        elif isinstance(value, list):
            parts = [item.get("name") if isinstance(item, dict) else item for item in value]
            flat[name] = "|".join(str(p) for p in parts if p not in (None, ""))
        elif isinstance(value, dict):
            flat[name] = json.dumps(value, ensure_ascii=False, sort_keys=True)
        else:
            flat[name] = value
    return flat


def _records(path: Path) -> tuple[list[dict], list[int]]:
    if path.suffix.lower() == ".json":
        try:
            content = json.loads(path.read_text(encoding="utf-8-sig"))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise DataError(f"Fichier {path.name} : JSON illisible ({exc}). Téléchargez à nouveau "
                            f"l'export GoGoCarto (format gogofull).") from exc
        elements = content.get("data") if isinstance(content, dict) else content
        if not isinstance(elements, list):
            raise DataError(f"Fichier {path.name} : liste « data » absente. Attendu : l'export JSON "
                            f"GoGoCarto {{\"ontology\": \"gogofull\", \"data\": [...]}}.")
        return [_flatten(e) for e in elements if isinstance(e, dict)], list(
            range(1, len(elements) + 1))
    known = {normalize_header(k) for k in STANDARD_FIELDS}
    raw = read_text_table(path, known_headers=known)
    return raw.frame.to_dict("records"), list(raw.line_numbers)


def read_gogocarto(path: Path) -> tuple[list[dict], list[int], dict[str, str]]:
    """Source records keyed by contract names (plus kept custom fields), their lines, header_of.

    Grain: one record per GoGoCarto element. ``header_of`` maps each contract name to the
    GoGoCarto field name, which is what reports show in the « colonne » of a problem.
    """
    path = Path(path)
    flat_records, lines = _records(path)
    by_norm = {normalize_header(k): v for k, v in STANDARD_FIELDS.items()}
    skipped = {normalize_header(k) for k in SKIPPED_FIELDS}
    lookup = header_lookup(Lieux)
    records, header_of = [], {}
    for flat in flat_records:
        record: dict[str, object] = {}
        for key, value in flat.items():
            norm = normalize_header(key)
            if norm in skipped or looks_personal(key) or norm in ("email", "telephone"):
                continue
            text = None if value is None else str(value).strip()
            if not text or text.lower() == PRIVATE:
                text = None
            target = by_norm.get(norm) or lookup.get(norm)
            if target:
                if target == "lieu_id" and text:
                    text = ID_PREFIX + text
                if target == "typologies" and text:
                    text = text.replace(",", "|")
                header_of.setdefault(target, key)
                record[header_of[target]] = text if record.get(header_of[target]) is None else record[
                    header_of[target]]
            else:
                record[key] = text
        records.append(record)
    return records, lines, header_of


def import_gogocarto(
    path: Path, *, dataset_dir: Path, settings: ImportSettings, dry_run: bool = False, reference=None
) -> ImportReport:
    """Import a GoGoCarto export (JSON gogofull or CSV) into the dataset's ``lieux`` table."""
    path = Path(path)
    records, lines, header_of = read_gogocarto(path)
    report = ImportReport(source=path.name, source_label=SOURCE_LABEL, table="lieux",
                          read_count=len(records))
    rows = finish_lieux(records, lines, header_of=header_of, report=report, settings=settings,
                        reference=reference)
    return apply_import(report, rows, dataset_dir=dataset_dir, settings=settings, source_path=path,
                        dry_run=dry_run)
