"""GoGoCarto exports → the ``lieux`` table.

Two formats, one result: the ``gogofull`` JSON (``{"ontology": "gogofull", "data": [...]}``, nested
``geo``/``address``, ``categories`` as names or as objects) and the back-office CSV, where the same
fields are flattened to dotted columns (``geo.latitude``, ``address.postalCode``) and categories
become ``optionsString``. Both are flattened to dotted keys, then mapped:

- identifiers become ``GGC-<id>`` (they never collide with the network's own);
- categories go through the typology synonyms of ``config.toml`` (unknown ones are reported);
- custom fields are kept as extra columns (a custom field named like one of our columns, e.g.
  ``etat`` or ``statut_juridique``, fills it);
- a value ``private`` is never kept; contact fields (``email``, ``telephone``…) are not imported;
  a phone number or an e-mail address inside free text (``description``) is removed, and the
  problem is listed without the value;
- older ``gogofull`` files give categories only as numeric ids (``optionValues``), the names
  being in the map's taxonomy JSON (``/api/taxonomy.json``, option ``--taxonomie FICHIER``). With
  the taxonomy, ids become names (then typologies); without it, or for an id it lacks, the ids
  are listed (line, ids) and never kept as typologies;
- an empty INSEE code is deduced from the postal code, the commune and the coordinates, as the
  loader resolves lieux (:func:`~relief_analytics.geo.resolve.resolve_communes`); each deduction,
  and each row where none is possible, is listed;
- an element that is not an object (``null``) is listed as a problem, never skipped silently.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd

from relief_analytics.geo.resolve import resolve_communes
from relief_analytics.importers._json import read_json
from relief_analytics.importers.base import (
    ImportReport,
    ImportSettings,
    apply_import,
    issue_frame,
    rejected_lines_of,
)
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
    "optionValues",
}
PRIVATE = "private"
WHAT = "export JSON GoGoCarto"
#: Free-text fields of GoGoCarto elements in which contact details are looked for.
FREE_TEXT_FIELDS = ("description", "descriptionMore")
_PHONE = re.compile(r"(?:(?:\+|00)\s?33\s?(?:\(0\))?\s?|\b0)[1-9](?:[\s.\-]?\d\d){4}\b")
_EMAIL = re.compile(r"[\w.+\-]+@[\w\-]+(?:\.[\w\-]+)+")


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


def strip_contacts(text: str) -> tuple[str, int]:
    """``text`` without phone numbers and e-mail addresses, and how many were removed.

    >>> strip_contacts("Ouvert le mardi, appelez le 06 12 34 56 78 ou ecrire@exemple.fr")
    ('Ouvert le mardi, appelez le [téléphone retiré] ou [e-mail retiré]', 2)
    >>> strip_contacts("Surface : 120 m², ouvert depuis 2019")
    ('Surface : 120 m², ouvert depuis 2019', 0)
    """
    text, phones = _PHONE.subn("[téléphone retiré]", text)
    text, emails = _EMAIL.subn("[e-mail retiré]", text)
    return text, phones + emails


def read_taxonomy(path: Path) -> dict[str, str]:
    """``{option id: name}`` of a GoGoCarto taxonomy JSON (nested categories and options).

    Accepts the ``/api/taxonomy.json`` shape (categories holding ``options``, options holding
    ``subcategories``…, each node with ``id`` and ``name``) and a plain ``{"12": "Coworking"}``.

    Raises
    ------
    DataError
        Unreadable JSON, or no ``id``/``name`` pair found (French message).
    """
    path = Path(path)
    content = read_json(path, what="fichier de taxonomie GoGoCarto")
    names: dict[str, str] = {}
    if isinstance(content, dict) and content and all(
            isinstance(v, str) for v in content.values()):
        names = {str(k).strip(): v.strip() for k, v in content.items()}
    stack = [content]
    while stack:  # iterative walk: the depth is bounded by read_json
        node = stack.pop()
        if isinstance(node, list):
            stack.extend(node)
        elif isinstance(node, dict):
            if "id" in node and isinstance(node.get("name"), str):
                names.setdefault(str(node["id"]).strip(), node["name"].strip())
            stack.extend(v for v in node.values() if isinstance(v, (list, dict)))
    if not names:
        raise DataError(f"Fichier {path.name} : aucune catégorie (« id » et « name ») trouvée. Attendu : "
                        f"la taxonomie de la carte GoGoCarto (adresse de la carte + /api/taxonomy.json).")
    return names


def _option_ids(value: object) -> list[str]:
    items = value if isinstance(value, list) else [value]
    ids = []
    for item in items:
        if isinstance(item, dict):
            item = item.get("optionId", item.get("id"))
        if item not in (None, ""):
            ids.append(str(item).strip())
    return ids


def _element_issue(file_name: str, line: int, column: str, value: str, rule: str) -> dict:
    return {"table": "lieux", "file_name": file_name, "line_number": line, "column_name": column,
            "cell_value": value, "rule": rule}


def _records(path: Path, taxonomy: dict[str, str] | None) -> tuple[list[dict], list[int], list[dict]]:
    """Flat records, their line numbers (element index, or CSV line) and the problems found."""
    if path.suffix.lower() == ".json":
        content = read_json(path, what=WHAT)
        elements = content.get("data") if isinstance(content, dict) else content
        if not isinstance(elements, list):
            raise DataError(f"Fichier {path.name} : liste « data » absente. Attendu : l'export JSON "
                            f"GoGoCarto {{\"ontology\": \"gogofull\", \"data\": [...]}}.")
        records, lines, issues = [], [], []
        for line, element in enumerate(elements, start=1):
            if not isinstance(element, dict):
                issues.append(_element_issue(path.name, line, "(élément)", "null" if element is None
                                             else str(element)[:80], "élément qui n'est pas un lieu "
                                             "(objet JSON attendu) : ligne non importée"))
                continue
            element = dict(element)
            ids = _option_ids(element.get("optionValues")) if not element.get("categories") else []
            if ids:
                known = [taxonomy[i] for i in ids if taxonomy and i in taxonomy]
                unknown = [i for i in ids if not taxonomy or i not in taxonomy]
                if known:
                    element["categories"] = known
                if unknown:
                    rule = ("catégories données en identifiants numériques, absents du fichier de "
                            "taxonomie" if taxonomy else
                            "catégories données en identifiants numériques sans fichier de taxonomie "
                            "(option --taxonomie FICHIER)") + " : typologies laissées vides ; ligne gardée"
                    issues.append(_element_issue(path.name, line, "optionValues", ", ".join(unknown), rule))
            records.append(_flatten(element))
            lines.append(line)
        return records, lines, issues
    known = {normalize_header(k) for k in STANDARD_FIELDS}
    raw = read_text_table(path, known_headers=known)
    return raw.frame.to_dict("records"), list(raw.line_numbers), []


def read_gogocarto(path: Path, *, taxonomy: dict[str, str] | None = None) -> tuple:
    """``(records, lines, header_of, issues)``: source records keyed by contract names (plus kept
    custom fields), their lines, the contract name → GoGoCarto field map, the problems found.

    Grain: one record per GoGoCarto element (``null`` elements are problems, not records).
    ``header_of`` maps each contract name to the GoGoCarto field name, which is what reports
    show in the « colonne » of a problem.
    """
    path = Path(path)
    flat_records, lines, issues = _records(path, taxonomy)
    by_norm = {normalize_header(k): v for k, v in STANDARD_FIELDS.items()}
    skipped = {normalize_header(k) for k in SKIPPED_FIELDS}
    lookup = header_lookup(Lieux)
    records, header_of = [], {}
    for flat, line in zip(flat_records, lines, strict=True):
        record: dict[str, object] = {}
        for key, value in flat.items():
            norm = normalize_header(key)
            if norm in skipped or looks_personal(key) or norm in ("email", "telephone"):
                continue
            text = None if value is None else str(value).strip()
            if not text or text.lower() == PRIVATE:
                text = None
            if text and key in FREE_TEXT_FIELDS:
                text, removed = strip_contacts(text)
                if removed:
                    issues.append(_element_issue(
                        path.name, line, key, "", f"{removed} coordonnée(s) personnelle(s) (téléphone, "
                        "e-mail) retirée(s) du texte ; ligne gardée"))
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
    return records, lines, header_of, issues


def fill_insee_codes(rows: pd.DataFrame, lines: list[int], *, file_name: str, reference,
                     label: str) -> tuple[pd.DataFrame, list[dict]]:
    """Fill empty INSEE codes that postal code, commune and coordinates resolve; list each case.

    Pure; grain of the result: one row per row of ``rows``. A deduced code is listed with the
    commune it names; a row whose code can't be deduced is listed with the resolver's reason
    (it is kept: the loader reports it again).
    """
    empty = rows["commune_code"].isna().to_numpy() if not rows.empty else []
    if not len(rows) or not empty.any():
        return rows, []
    resolved = resolve_communes(rows.loc[empty], reference=reference)
    names = dict(zip(reference.communes["commune_code"], reference.communes["commune_name"], strict=True))
    out, issues = rows.copy(), []
    for index, line in zip(rows.index[empty], pd.Series(lines)[empty], strict=True):
        code = resolved.at[index, "commune_code_resolved"]
        if isinstance(code, str) and code:
            out.at[index, "commune_code"] = code
            issues.append(_element_issue(file_name, int(line), label, "", (
                f"code INSEE absent : {code} ({names.get(code, '?')}) déduit (par "
                f"{resolved.at[index, 'resolution_method']}) ; ligne gardée")))
        else:
            note = resolved.at[index, "resolution_note"]
            issues.append(_element_issue(file_name, int(line), label, "", (
                f"code INSEE absent et non déductible ({resolved.at[index, 'resolution_status']}"
                + (f" : {note}" if isinstance(note, str) and note else "") + ") ; ligne gardée")))
    return out, issues


def import_gogocarto(
    path: Path, *, dataset_dir: Path, settings: ImportSettings, dry_run: bool = False, reference=None,
    taxonomy: Path | None = None,
) -> ImportReport:
    """Import a GoGoCarto export (JSON gogofull or CSV) into the dataset's ``lieux`` table.

    ``taxonomy``: the map's taxonomy JSON, to name categories given as ids (``optionValues``).
    """
    path = Path(path)
    names = read_taxonomy(taxonomy) if taxonomy is not None else None
    records, lines, header_of, issues = read_gogocarto(path, taxonomy=names)
    report = ImportReport(source=path.name, source_label=SOURCE_LABEL, table="lieux",
                          read_count=len(records) + sum(i["column_name"] == "(élément)" for i in issues))
    if reference is None and records:
        from relief_analytics.geo.reference import load_reference

        reference = load_reference(settings.config.region_code)
    rows = finish_lieux(records, lines, header_of=header_of, report=report, settings=settings,
                        reference=reference)
    id_header, name_header = header_of.get("lieu_id"), header_of.get("lieu_name")
    line_of_id = {record.get(id_header): line for record, line in zip(records, lines, strict=True)}
    line_of_name = {record.get(name_header): line for record, line in zip(records, lines, strict=True)}
    kept_lines = [line_of_id.get(key, line_of_name.get(name, 0))
                  for key, name in zip(rows.get("lieu_id", []), rows.get("lieu_name", []), strict=True)]
    rows, insee_notes = fill_insee_codes(rows, kept_lines, file_name=path.name, reference=reference,
                                         label=header_of.get("commune_code", "code INSEE"))
    report.issues = pd.concat([df for df in (report.issues, issue_frame(issues), issue_frame(insee_notes))
                               if not df.empty] or [issue_frame([])], ignore_index=True)
    report.issues = report.issues.sort_values("line_number", kind="stable").reset_index(drop=True)
    report.rejected_lines = sorted({*report.rejected_lines, *rejected_lines_of(issue_frame(issues))})
    unnamed = sorted({i for issue in issues if issue["column_name"] == "optionValues"
                      for i in issue["cell_value"].split(", ")}, key=lambda i: (len(i), i))
    if unnamed:
        lieux = sum(issue["column_name"] == "optionValues" for issue in issues)
        report.ignored_columns.append(
            f"optionValues : {len(unnamed)} identifiant(s) de catégorie sans nom "
            f"({', '.join(unnamed)}) sur {lieux} lieu(x) ; "
            + ("ajoutez-les au fichier de taxonomie" if names else
               "donnez la taxonomie de la carte avec --taxonomie FICHIER"))
    return apply_import(report, rows, dataset_dir=dataset_dir, settings=settings, source_path=path,
                        dry_run=dry_run)
