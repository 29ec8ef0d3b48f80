"""Lieux from any source → rows of the ``lieux`` table, completed, checked and kept in the region.

Every lieux importer (a volunteer's sheet, GoGoCarto, a table read through a mapping file) hands
:func:`finish_lieux` a list of records keyed by contract column names (``lieu_name``,
``postal_code``, …, plus extra columns it keeps) with the line of each record in its source.

What a volunteer must give is only a **name** and **one location clue** (address, postal code,
commune, INSEE code, or coordinates). The rest is completed:

- ``lieu_id``, when absent, is generated stably from the normalised name and commune
  (``L-`` + 8 hex digits): the same lieu imported again gets the same identifier;
- ``state`` and ``is_member`` default to ``[importation.lieux]`` of ``config.toml``;
- typologies are matched ignoring case and accents, through each listed typology, each part of a
  « A / B » typology, and ``[importation.typologies]`` synonyms (« Fablab », « Coworking »,
  « Atelier partagé »…); statuses and states the same way.

An unknown or invalid value is reported (file, line, column, value, rule) and the row is kept
without it. Rows that the commune resolver places outside the configured region (status « hors
région », :func:`out_of_region_reasons`) are not imported: they are counted and listed in the
report with the resolver's note. A commune name borne in and out of the region with no other
evidence is refused, naming the region's candidates (:func:`classify_region`).
"""

from __future__ import annotations

import functools
import hashlib
import re
import weakref
from pathlib import Path

import numpy as np
import pandas as pd
import shapely

from relief_analytics.geo.normalize import commune_name_key
from relief_analytics.geo.resolve import OUT_OF_REGION, resolve_communes
from relief_analytics.importers._rows import (
    RowReader,
    code_key,
    format_date,
    format_decimal,
    match_code,
)
from relief_analytics.importers.base import (
    OUT_OF_REGION_COLUMNS,
    ImportReport,
    ImportSettings,
    apply_import,
    issue_frame,
    report_for_raw,
)
from relief_analytics.load.coerce import CellError, parse_boolean
from relief_analytics.load.headers import header_lookup, normalize_header
from relief_analytics.load.pseudonymise import personal_headers
from relief_analytics.load.read import read_text_table
from relief_analytics.load.validate import configured_years
from relief_analytics.schemas import Lieux, column_specs

LOCATION_COLUMNS = ("street_address", "postal_code", "commune_name", "commune_code")
STATE_SYNONYMS = {"ouverte": "ouvert", "en activite": "ouvert", "actif": "ouvert", "projet": "en projet",
                  "en creation": "en projet", "fermee": "fermé", "ferme definitivement": "fermé"}


def lieu_id_for(name: str, place: str | None) -> str:
    """Stable identifier of a lieu from its name and commune (or code).

    >>> lieu_id_for("La Cordée", "Lyon") == lieu_id_for("  LA CORDEE ", "lyon")
    True
    """
    key = f"{code_key(name)}|{code_key(place or '')}"
    return "L-" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:8]


def map_typologies(text: str, synonyms: dict[str, str]) -> tuple[list[str], list[str]]:
    """Split a typology cell (``|``, ``;`` or ``,``) and map each part: ``(known, unknown)``.

    >>> map_typologies("fablab, Coworking", {"fablab": "Fablab", "coworking": "Coworking"})
    (['Fablab', 'Coworking'], [])
    """
    known, unknown = [], []
    for part in (p.strip() for p in re.split(r"[|;,]", text)):
        if not part:
            continue
        target = synonyms.get(code_key(part))
        if target is None:
            unknown.append(part)
        elif target not in known:
            known.append(target)
    return known, unknown


def _match_listed(value: str, allowed: list[str]) -> str | None:
    found = match_code(value, allowed)
    if found:
        return found
    return _parts(tuple(allowed)).get(code_key(value))  # « SAS » → « SARL / SAS / SA »


@functools.lru_cache(maxsize=16)
def _parts(allowed: tuple[str, ...]) -> dict[str, str]:
    return {code_key(part): listed for listed in allowed for part in listed.split(" / ")}


def complete_lieu(reader: RowReader, *, settings: ImportSettings) -> dict | None:
    """One ``lieux`` row (text, as the loader reads it) from one source record, or ``None``.

    Problems go to ``reader.issues``; only a missing name or a missing location clue drops the row.
    """
    lists = settings.config.lists
    defaults = settings.lieux_defaults
    name = reader.cell("lieu_name")
    if name is None:
        reader.issue("lieu_name", None, "nom du lieu manquant : ligne non importée", reject=True)
    postal = reader.parse("postal_code", "postal_code", suffix=" ; valeur ignorée")
    code = reader.parse("commune_code", "insee_code", suffix=" ; valeur ignorée")
    latitude = reader.parse("latitude", "decimal", suffix=" ; valeur ignorée")
    longitude = reader.parse("longitude", "decimal", suffix=" ; valeur ignorée")
    if (latitude is None) != (longitude is None):
        reader.issue("latitude" if latitude is None else "longitude", None,
                     "coordonnée incomplète : latitude et longitude vont ensemble ; valeur ignorée")
        latitude = longitude = None
    address, commune = reader.cell("street_address"), reader.cell("commune_name")
    if not any((address, postal, code, commune, latitude is not None)):
        reader.issue("commune_name", None, "aucun indice de localisation (adresse, code postal, "
                     "commune, code INSEE ou coordonnées) : ligne non importée", reject=True)
    if reader.rejected:
        return None

    typologies = []
    if reader.cell("typologies"):
        typologies, unknown = map_typologies(reader.cell("typologies"), settings.typology_synonyms)
        for value in unknown:
            reader.issue("typologies", value, "typologie inconnue : ajoutez-la à [importation.typologies] "
                         "de config.toml ; ligne gardée sans elle")
    status = reader.cell("legal_status")
    if status is not None:
        listed = _match_listed(status, lists.get("statuts_juridiques", []))
        if listed is None:
            reader.issue("legal_status", status, "statut juridique hors de [listes].statuts_juridiques ; "
                         "ligne gardée sans statut")
        status = listed
    state = _state(reader, lists.get("etats_lieu", []), defaults.get("etat"))
    is_member = _membership(reader, defaults.get("membre_reseau"))
    year = reader.parse("opening_year", "integer", suffix=" ; valeur ignorée")
    updated = reader.parse("updated_date", "date", suffix=" ; valeur ignorée")
    lieu_id = reader.cell("lieu_id") or lieu_id_for(name, commune or code or postal)
    row = {
        "lieu_id": lieu_id, "lieu_name": name, "street_address": address, "postal_code": postal,
        "commune_name": commune, "commune_code": code,
        "latitude": format_decimal(latitude), "longitude": format_decimal(longitude),
        "typologies": "|".join(typologies) or None, "legal_status": status,
        "opening_year": None if year is None else str(year), "state": state,
        "is_member": None if is_member is None else ("oui" if is_member else "non"),
        "website": reader.cell("website"), "updated_date": format_date(updated),
    }
    specs = _lieux_columns()
    for column, value in reader.record.items():
        if column not in specs and column not in reader.header_of.values():
            row[column] = value  # custom fields of the source are kept
    return row


@functools.cache
def _lieux_columns() -> frozenset[str]:
    return frozenset(column_specs(Lieux))


def _state(reader: RowReader, allowed: list[str], default: str | None) -> str | None:
    value = reader.cell("state")
    if value is None:
        return default
    found = match_code(value, allowed) or match_code(STATE_SYNONYMS.get(code_key(value), ""), allowed)
    if found is None:
        reader.issue("state", value, f"état hors de [listes].etats_lieu ; « {default} » retenu "
                     "([importation.lieux] etat)")
        return default
    return found


def _membership(reader: RowReader, default: str | None) -> bool | None:
    value = reader.cell("is_member")
    fallback = None
    if default is not None:
        try:
            fallback = parse_boolean(default)
        except CellError:
            fallback = None
    if value is None:
        return fallback
    try:
        return parse_boolean(value)
    except CellError:
        reader.issue("is_member", value, f"« oui » ou « non » attendu ; « {default} » retenu "
                     "([importation.lieux] membre_reseau)")
        return fallback


_REGION_INDEXES: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _region_index(reference) -> dict:
    """Lookups of :func:`classify_region`, built once per reference."""
    if reference in _REGION_INDEXES:
        return _REGION_INDEXES[reference]
    region = str(reference.region_code)
    france = reference.france_communes
    code_region = dict(zip(france["commune_code"], france["region_code"].astype(str), strict=True))
    code_label = {c: f"{n} ({d})" for c, n, d in
                  france[["commune_code", "commune_name", "departement_code"]].itertuples(index=False)}
    region_departements = set(reference.departements["departement_code"].astype(str))
    region_names: dict[str, list[str]] = {}  # name key -> the region's communes bearing it
    for name, dep, code in reference.communes[["commune_name", "departement_code", "commune_code"]].itertuples(
            index=False):
        region_names.setdefault(commune_name_key(name, drop_article=True), []).append(f"{name} ({dep}, {code})")
    france_departements = {str(d) for d in france["departement_code"]}
    elsewhere: dict[str, set[str]] = {}
    for name, dep, reg in france[["commune_name", "departement_code", "region_code"]].itertuples(index=False):
        if str(reg) != region:
            elsewhere.setdefault(commune_name_key(name, drop_article=True), set()).add(str(dep))
    index = {
        "region": region, "code_region": code_region, "code_label": code_label,
        "departements": region_departements, "region_names": region_names, "elsewhere": elsewhere,
        "france_departements": france_departements,
        "area": reference.departements.geometry.union_all(),
    }
    _REGION_INDEXES[reference] = index
    return index


def classify_region(rows: pd.DataFrame, *, reference) -> pd.Series:
    """Why each row lies outside the region (French reason), or ``None`` if it is not shown to.

    Grain: one value per row of ``rows`` (``lieux`` text rows). Evidence in order: INSEE code known
    in France, postal code's département, coordinates (also swapped), commune name. A name borne
    both by a commune of the region and by one elsewhere, with no other evidence, gives a reason
    starting with :data:`UNDETERMINED`: such a row is never pulled into the region. A row with no
    evidence either way is kept (the resolver reports it later).
    """
    index = _region_index(reference)
    region, code_region, code_label = index["region"], index["code_region"], index["code_label"]
    region_departements, region_names = index["departements"], index["region_names"]
    elsewhere, area = index["elsewhere"], index["area"]
    lat = pd.to_numeric(_decimal_series(rows.get("latitude")), errors="coerce").to_numpy(dtype=float)
    lon = pd.to_numeric(_decimal_series(rows.get("longitude")), errors="coerce").to_numpy(dtype=float)
    has_point = np.isfinite(lat) & np.isfinite(lon)
    inside = np.zeros(len(rows), dtype=bool)
    if has_point.any():
        inside[has_point] = shapely.contains_xy(area, lon[has_point], lat[has_point]) | shapely.contains_xy(
            area, lat[has_point], lon[has_point])

    reasons = []
    for i, row in enumerate(rows.to_dict("records")):
        code, postal, commune = row.get("commune_code"), row.get("postal_code"), row.get("commune_name")
        if code and code in code_region:
            reasons.append(None if code_region[code] == region else
                           f"code INSEE {code} : {code_label[code]}, hors région")
            continue
        if postal:
            dep = postal[:3] if postal.startswith("97") else ("2A/2B" if postal.startswith("20") else postal[:2])
            # A postal code of no département of France is unknown, not outside: kept, and the
            # resolver lists it (« code postal … inconnu »).
            known = dep in index["france_departements"] or dep == "2A/2B"
            reasons.append(None if dep in region_departements or not known else
                           f"code postal {postal} (département {dep}), hors région")
            continue
        if has_point[i]:
            reasons.append(None if inside[i] else "coordonnées hors région")
            continue
        key = commune_name_key(commune, drop_article=True) if commune else ""
        if key and key in elsewhere:
            departements = ", ".join(sorted(elsewhere[key]))
            reasons.append(
                f"{UNDETERMINED}commune « {commune} » : à préciser parmi les communes de la région : "
                f"{' ; '.join(sorted(region_names[key], key=lambda label: label[-6:]))} (nom porté aussi hors "
                f"région, département {departements}) ; ajoutez le code postal ou le code INSEE"
                if key in region_names
                else f"commune « {commune} » : seulement hors région (département {departements})")
            continue
        reasons.append(None)
    return pd.Series(reasons, index=rows.index, dtype=object)


def out_of_region_reasons(rows: pd.DataFrame, *, reference) -> pd.Series:
    """The resolver's note for each row it places outside the region, else ``None``.

    Grain: one value per row of ``rows`` (text rows with ``commune_code``, ``postal_code``,
    ``commune_name``, ``latitude``, ``longitude``; absent columns count as empty). The decision
    is the resolver's status « hors région »
    (:func:`relief_analytics.geo.resolve.resolve_communes`, rows that may mix regions), the
    status that the population layer leaves out of every count: an importer sets aside exactly
    what the reports would not count as outside the region. Other statuses are kept (the
    resolver and the quality report list what is ambiguous, in conflict or unplaced).
    """
    if rows.empty:
        return pd.Series([], index=rows.index, dtype=object)
    resolved = resolve_communes(rows, reference=reference, assume_in_region=False)
    out = resolved["resolution_status"] == OUT_OF_REGION
    return resolved["resolution_note"].astype(object).where(out, None)


#: Prefix of :func:`classify_region` reasons for rows that may or may not be in the region.
UNDETERMINED = "indéterminé : "


def _decimal_series(values) -> pd.Series:
    if values is None:
        return pd.Series(dtype=object)
    return pd.Series(values).astype(object).map(lambda v: None if v is None else str(v).replace(",", "."))


def finish_lieux(
    records: list[dict],
    lines: list[int],
    *,
    header_of: dict[str, str],
    report: ImportReport,
    settings: ImportSettings,
    reference=None,
    labels: dict[str, str] | None = None,
) -> pd.DataFrame:
    """Complete and check source records, set aside those outside the region; fill ``report``.

    Grain: one row per lieu kept (text, contract names plus kept custom columns). ``reference``
    defaults to the configured region's (:func:`~relief_analytics.geo.reference.load_reference`).
    """
    rows, kept_lines, issues = [], [], []
    for record, line in zip(records, lines, strict=True):
        reader = RowReader(record, table="lieux", file_name=report.source, line=line,
                           header_of=header_of, labels=labels, years=configured_years(settings.config))
        row = complete_lieu(reader, settings=settings)
        issues.extend(reader.issues)
        if row is not None:
            rows.append(row)
            kept_lines.append(line)
        else:
            report.rejected_lines.append(int(line))
    specs = list(column_specs(Lieux))
    extra = [c for r in rows for c in r if c not in specs]
    frame = pd.DataFrame(rows, columns=specs + list(dict.fromkeys(extra)), dtype=object)
    frame = frame.where(frame.notna(), None)
    report.issues = (pd.concat([report.issues, issue_frame(issues)], ignore_index=True)
                     .sort_values("line_number", kind="stable").reset_index(drop=True)
                     if len(report.issues) else issue_frame(issues))
    if frame.empty:
        report.row_lines = []
        return frame
    if reference is None:
        from relief_analytics.geo.reference import load_reference

        reference = load_reference(settings.config.region_code)
    reasons = classify_region(frame, reference=reference)
    undetermined = reasons.fillna("").str.startswith(UNDETERMINED).to_numpy()
    if undetermined.any():
        label = (labels or header_of).get("commune_name", "commune")
        report.issues = pd.concat([report.issues, issue_frame([
            {"table": "lieux", "file_name": report.source, "line_number": int(line), "column_name": label,
             "cell_value": commune, "rule": reason[len(UNDETERMINED):] + " ; ligne non importée"}
            for line, commune, reason in zip(np.asarray(kept_lines)[undetermined],
                                             frame.loc[undetermined, "commune_name"],
                                             reasons[undetermined], strict=True)])],
            ignore_index=True).sort_values("line_number", kind="stable").reset_index(drop=True)
        report.rejected_lines += [int(n) for n in np.asarray(kept_lines)[undetermined]]
        frame, reasons = frame.loc[~undetermined], reasons[~undetermined]
        kept_lines = list(np.asarray(kept_lines)[~undetermined])
        frame, reasons = frame.reset_index(drop=True), reasons.reset_index(drop=True)
    reasons = out_of_region_reasons(frame, reference=reference)
    out = reasons.notna().to_numpy()
    report.out_of_region = pd.DataFrame({
        "ligne": np.asarray(kept_lines)[out], "nom": frame.loc[out, "lieu_name"].to_numpy(),
        "commune": frame.loc[out, "commune_name"].to_numpy(),
        "code_insee": frame.loc[out, "commune_code"].to_numpy(),
        "code_postal": frame.loc[out, "postal_code"].to_numpy(), "raison": reasons[out].to_numpy(),
    }, columns=OUT_OF_REGION_COLUMNS)
    report.row_lines = [int(n) for n in np.asarray(kept_lines)[~out]]
    return frame.loc[~out].reset_index(drop=True)


_PERSONAL_WORDS = re.compile(r"mail|courriel|telephone|phone|\btel\b|portable|contact|referent|prenom")


def looks_personal(header: str) -> bool:
    """Whether a column header names contact details of a person (never imported).

    >>> looks_personal("Contact e-mail"), looks_personal("Téléphone du référent"), looks_personal("Surface")
    (True, True, False)
    """
    return bool(_PERSONAL_WORDS.search(normalize_header(header)))


def read_lieux_sheet(path: Path, *, sheet: str | None = None) -> tuple[list[dict], list[int], dict[str, str], int]:
    """A volunteer's lieux table (CSV or XLSX, our headers or close ones) as source records.

    Returns ``(records keyed by the file's headers, lines, header_of, read_count)`` where
    ``header_of`` maps contract column names to the file's headers. Columns holding personal data
    (e-mail, phone, a person's name) and unnamed columns are not kept.
    """
    return _read_lieux_raw(path, sheet=sheet)[:4]


def _read_lieux_raw(path: Path, *, sheet: str | None = None):
    lookup = header_lookup(Lieux)
    raw = read_text_table(path, known_headers=set(lookup), sheet=sheet)
    header_of: dict[str, str] = {}
    for header in raw.frame.columns:
        name = lookup.get(normalize_header(header))
        if name and name not in header_of:
            header_of[name] = header
    dropped = [h for h in raw.frame.columns if h.startswith("(colonne ")]
    dropped += [h for h in raw.frame.columns if h not in header_of.values()
                and (h in personal_headers([h]) or looks_personal(h))]
    records = raw.frame.drop(columns=dropped).to_dict("records")
    return records, list(raw.line_numbers), header_of, len(records), raw


def import_lieux_sheet(
    path: Path, *, dataset_dir: Path, settings: ImportSettings, dry_run: bool = False, reference=None,
    sheet: str | None = None,
) -> ImportReport:
    """Import a volunteer's lieux table into the dataset's ``lieux`` table."""
    path = Path(path)
    records, lines, header_of, _, raw = _read_lieux_raw(path, sheet=sheet)
    report = report_for_raw(raw, source_label="tableau de lieux", table="lieux")
    rows = finish_lieux(records, lines, header_of=header_of, report=report, settings=settings,
                        reference=reference)
    return apply_import(report, rows, dataset_dir=dataset_dir, settings=settings, source_path=path,
                        dry_run=dry_run)
