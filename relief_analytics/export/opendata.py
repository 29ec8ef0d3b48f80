"""Open-data export of the region's lieux: CSV, GeoJSON and a Table Schema, ready to share.

The field names follow the nearest national schema, the ANCT schema of *lieux de médiation
numérique* (``id, nom, commune, code_postal, code_insee, adresse, latitude, longitude,
date_maj, typologie…``), so a regional or national observatory can merge the file without a
mapping. These names are an external vocabulary: they deliberately do not carry the package's
unit suffixes, which stay inside the processed tables.

Only public facts about places are exported, from a fixed list of fields
(:data:`OPEN_DATA_FIELDS`): whatever other columns the input carries (member ids, contacts,
resolution notes…) can never reach the output. Only lieux whose commune was resolved in the
region are exported; the others are listed by :func:`excluded_lieux`.

Flow::

    placed = place_lieux(dataset.lieux, reference=reference)    # pure: resolve + place
    table = open_data_lieux(placed)                              # pure: the public table
    write_open_data(table, folder, schema=open_data_schema(...)) # I/O: CSV, GeoJSON, schema, LISEZMOI
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from relief_analytics.geo.reference import GeoReference
from relief_analytics.geo.resolve import RESOLVED, resolve_communes
from relief_analytics.indicators.distribution import FROM_COORDINATES, locate_lieux
from relief_analytics.safety import csv_line, neutralise_cell

#: Values of ``source_coordonnees``.
FROM_LIEU = "lieu"
FROM_COMMUNE = "commune"

#: Decimal places of published coordinates (about 10 cm).
COORDINATE_DECIMALS = 6

INSEE_PATTERN = r"^(\d{5}|2[AB]\d{3})$"

#: Columns :func:`place_lieux` adds and :func:`open_data_lieux` needs.
PLACED_COLUMNS = (
    "commune_code_resolved",
    "resolution_status",
    "departement_code",
    "commune_name_resolved",
    "point_longitude",
    "point_latitude",
    "point_source",
)


@dataclass(frozen=True)
class OpenDataField:
    """One published field: Table Schema properties (French description) and its source."""

    name: str
    type: str
    description: str
    source: str
    example: str
    format: str = "default"
    constraints: Mapping[str, Any] = field(default_factory=dict)
    options: Mapping[str, Any] = field(default_factory=dict)


#: The published fields, in order. Nothing else is ever exported.
OPEN_DATA_FIELDS: tuple[OpenDataField, ...] = (
    OpenDataField(
        "id", "string", "Identifiant stable du lieu dans l'observatoire du réseau ; jamais réutilisé.",
        "lieu_id", "L0042", constraints={"required": True, "unique": True},
    ),
    OpenDataField("nom", "string", "Nom public du lieu.", "lieu_name", "La Fabrique des Communs",
                  constraints={"required": True}),
    OpenDataField("adresse", "string", "Adresse postale du lieu (numéro et voie), telle que déclarée.",
                  "street_address", "12 rue de la République"),
    OpenDataField("code_postal", "string", "Code postal du lieu.", "postal_code", "69003",
                  constraints={"pattern": r"^\d{5}$"}),
    OpenDataField("commune", "string", "Nom officiel de la commune du lieu (code officiel géographique).",
                  "commune_name_resolved", "Lyon", constraints={"required": True}),
    OpenDataField("code_insee", "string",
                  "Code INSEE de la commune du lieu ; c'est lui qui fait foi pour situer le lieu.",
                  "commune_code_resolved", "69123", constraints={"required": True, "pattern": INSEE_PATTERN}),
    OpenDataField("code_departement", "string", "Code INSEE du département de la commune.",
                  "departement_code", "69", constraints={"required": True, "pattern": r"^(\d{2}|2[AB]|97\d)$"}),
    OpenDataField("latitude", "number", "Latitude du point, en degrés décimaux (WGS84, EPSG:4326).",
                  "point_latitude", "45.759700", constraints={"minimum": -90, "maximum": 90}),
    OpenDataField("longitude", "number", "Longitude du point, en degrés décimaux (WGS84, EPSG:4326).",
                  "point_longitude", "4.842200", constraints={"minimum": -180, "maximum": 180}),
    OpenDataField(
        "source_coordonnees", "string",
        "Origine du point : « lieu » = coordonnées déclarées pour le lieu, vérifiées dans sa commune ; "
        "« commune » = point représentatif de la commune, faute de coordonnées du lieu utilisables.",
        "point_source", FROM_LIEU, constraints={"enum": [FROM_LIEU, FROM_COMMUNE]},
    ),
    OpenDataField("typologie", "string",
                  "Typologies du lieu, une ou plusieurs, séparées par « | ».",
                  "typologies", "Tiers-lieu culturel|Fablab / Makerspace / Hackerspace",
                  constraints={"required": True}),
    OpenDataField("statut_juridique", "string", "Statut juridique de la structure qui porte le lieu.",
                  "legal_status", "Association"),
    OpenDataField("annee_ouverture", "integer", "Année d'ouverture du lieu (vide si le lieu est en projet).",
                  "opening_year", "2019", constraints={"minimum": 1950, "maximum": 2100}),
    OpenDataField("etat", "string", "État du lieu.", "state", "ouvert", constraints={"required": True}),
    OpenDataField("membre_reseau", "boolean", "Le lieu (sa structure) est-il adhérent du réseau ?",
                  "is_member", "oui", constraints={"required": True},
                  options={"trueValues": ["oui"], "falseValues": ["non"]}),
    OpenDataField("site_web", "string", "Site web public du lieu.", "website", "https://exemple.org"),
    OpenDataField("date_maj", "date", "Date de dernière mise à jour de la fiche du lieu (AAAA-MM-JJ).",
                  "updated_date", "2025-03-14"),
)

#: Published column names, in order.
OPEN_DATA_COLUMNS: tuple[str, ...] = tuple(f.name for f in OPEN_DATA_FIELDS)

#: File names written by :func:`write_open_data`.
CSV_NAME = "lieux.csv"
GEOJSON_NAME = "lieux.geojson"
SCHEMA_NAME = "schema.json"
README_NAME = "LISEZMOI.md"
OUTPUT_NAMES = (CSV_NAME, GEOJSON_NAME, SCHEMA_NAME, README_NAME)


def place_lieux(lieux: pd.DataFrame, *, reference: GeoReference) -> pd.DataFrame:
    """Resolve each lieu's commune in the region and choose the point to publish.

    A lieu keeps its own coordinates only when they fall inside its resolved commune; otherwise
    (no coordinates, swapped latitude/longitude, a point in another commune or outside the
    region) it is placed at the representative point of its commune. A frame that already went
    through :func:`~relief_analytics.geo.resolve.resolve_communes` is not resolved again.

    Grain: one row per input row (same index and order).

    Parameters
    ----------
    lieux : DataFrame
        The processed ``lieux`` table (``Dataset.lieux``), resolved or not.
    reference : GeoReference
        The region's reference (:func:`~relief_analytics.geo.reference.load_reference`).

    Returns
    -------
    DataFrame
        ``lieux`` plus the columns of ``resolve_communes`` and ``commune_name_resolved`` (official
        name), ``point_longitude``, ``point_latitude`` (WGS84) and ``point_source`` (``lieu`` /
        ``commune``; missing when the lieu is not resolved or its commune has no point).
    """
    placed = lieux if "commune_code_resolved" in lieux.columns else resolve_communes(lieux, reference=reference)
    placed = locate_lieux(placed, reference=reference)  # the same point as on the maps
    communes = reference.communes.set_index("commune_code")
    resolved = placed["commune_code_resolved"].where(placed["resolution_status"] == RESOLVED)
    placed["commune_name_resolved"] = resolved.map(communes["commune_name"]).astype("str")
    placed["point_source"] = placed["point_source"].map(
        {FROM_COORDINATES: FROM_LIEU, FROM_COMMUNE: FROM_COMMUNE}).astype("str")
    return placed


def _require_placed(frame: pd.DataFrame) -> None:
    missing = [c for c in PLACED_COLUMNS if c not in frame.columns]
    missing += [f.source for f in OPEN_DATA_FIELDS if f.source not in frame.columns and f.source not in missing]
    if missing:
        raise KeyError(
            f"Données ouvertes des lieux : colonne(s) manquante(s) {missing}. Passez d'abord la table "
            "des lieux par place_lieux(…, reference=…)."
        )


def _is_exported(placed: pd.DataFrame) -> pd.Series:
    return (placed["resolution_status"] == RESOLVED) & placed["commune_code_resolved"].notna()


def open_data_lieux(lieux_resolved: pd.DataFrame) -> pd.DataFrame:
    """Return the public table of the region's lieux, with the open-data field names.

    Grain: one row per lieu whose commune is resolved in the region, sorted by ``id``.
    Lieux not resolved (ambiguous, unknown, outside the region) are left out: see
    :func:`excluded_lieux`. Only the fields of :data:`OPEN_DATA_FIELDS` are returned, so no
    other column of the input (identifiers of members, notes…) can be published.

    Parameters
    ----------
    lieux_resolved : DataFrame
        The lieux after :func:`place_lieux`.

    Returns
    -------
    DataFrame
        Columns :data:`OPEN_DATA_COLUMNS`: text fields as ``str`` (missing as ``None``),
        ``latitude``/``longitude`` floats rounded to 6 decimals, ``annee_ouverture`` ``Int64``,
        ``membre_reseau`` ``boolean``, ``date_maj`` a date (``datetime64``, no time).

    Examples
    --------
    >>> from relief_analytics.geo.reference import load_reference
    >>> lieux = pd.DataFrame({"lieu_id": ["L1"], "lieu_name": ["La Fabrique"], "street_address": [None],
    ...     "postal_code": ["26400"], "commune_name": ["Crest"], "commune_code": [None],
    ...     "latitude": [None], "longitude": [None], "typologies": ["Tiers-lieu culturel"],
    ...     "legal_status": ["SCIC"], "opening_year": [2020], "state": ["ouvert"], "is_member": [True],
    ...     "website": [None], "updated_date": [pd.Timestamp("2025-03-14")]})
    >>> table = open_data_lieux(place_lieux(lieux, reference=load_reference("84")))
    >>> table[["id", "commune", "code_insee", "source_coordonnees", "date_maj"]].to_dict("records")
    [{'id': 'L1', 'commune': 'Crest', 'code_insee': '26108', 'source_coordonnees': 'commune', 'date_maj': Timestamp('2025-03-14 00:00:00')}]
    """
    _require_placed(lieux_resolved)
    kept = lieux_resolved[_is_exported(lieux_resolved)]
    columns: dict[str, pd.Series] = {}
    for spec in OPEN_DATA_FIELDS:
        values = kept[spec.source]
        if spec.type == "number":
            columns[spec.name] = pd.to_numeric(values, errors="coerce").astype(float).round(COORDINATE_DECIMALS)
        elif spec.type == "integer":
            columns[spec.name] = pd.to_numeric(values, errors="coerce").astype("Int64")
        elif spec.type == "boolean":
            columns[spec.name] = values.astype("boolean")
        elif spec.type == "date":
            columns[spec.name] = pd.to_datetime(values, errors="coerce").dt.normalize().astype("datetime64[ns]")
        else:
            columns[spec.name] = pd.Series(
                [None if _missing(v) else str(v) for v in values], index=values.index, dtype=object
            )
    table = pd.DataFrame(columns, columns=list(OPEN_DATA_COLUMNS))
    return table.sort_values("id", kind="stable").reset_index(drop=True)


def excluded_lieux(lieux_resolved: pd.DataFrame) -> pd.DataFrame:
    """The lieux :func:`open_data_lieux` leaves out, and why.

    Grain: one row per lieu not exported. Columns ``lieu_id``, ``lieu_name`` (public),
    ``resolution_status`` and ``resolution_note`` (French).
    """
    _require_placed(lieux_resolved)
    out = lieux_resolved[~_is_exported(lieux_resolved)]
    notes = out["resolution_note"] if "resolution_note" in out.columns else pd.Series(None, index=out.index)
    return pd.DataFrame({
        "lieu_id": out["lieu_id"].astype(object),
        "lieu_name": out["lieu_name"].astype(object),
        "resolution_status": out["resolution_status"].astype(object),
        "resolution_note": notes.astype(object).where(notes.notna(), None),
    }).reset_index(drop=True)


def _missing(value: object) -> bool:
    if value is None:
        return True
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def _json_value(value: object, kind: str) -> object:
    """One cell as a JSON value (``None`` for a missing one); a text that could run as a
    spreadsheet formula gets a leading ``'`` (:func:`~relief_analytics.safety.neutralise_cell`)."""
    if _missing(value):
        return None
    if kind == "number":
        return float(value)
    if kind == "integer":
        return int(value)
    if kind == "boolean":
        return bool(value)
    if kind == "date":
        return pd.Timestamp(value).strftime("%Y-%m-%d")
    return neutralise_cell(str(value))


def _csv_value(value: object, kind: str) -> str:
    """One cell as CSV text: ISO dates, ``.`` decimals, ``oui``/``non``, empty when missing.

    A text that could run as a spreadsheet formula (``=…``, ``+…``, ``-…``, ``@…``…) gets a leading
    ``'`` (:func:`~relief_analytics.safety.neutralise_cell`); numbers stay numbers (``-4.842200``).
    """
    if _missing(value):
        return ""
    if kind == "number":
        return f"{float(value):.{COORDINATE_DECIMALS}f}"
    if kind == "integer":
        return str(int(value))
    if kind == "boolean":
        return "oui" if bool(value) else "non"
    if kind == "date":
        return pd.Timestamp(value).strftime("%Y-%m-%d")
    return neutralise_cell(str(value))


def open_data_csv(open_data: pd.DataFrame) -> str:
    """The open-data table as CSV text: ``,`` separator, header row, ``\\n`` line ends.

    Grain: one line per row of ``open_data`` (see :func:`open_data_lieux`).
    """
    lines = [csv_line(list(OPEN_DATA_COLUMNS))]
    kinds = [f.type for f in OPEN_DATA_FIELDS]
    for row in open_data[list(OPEN_DATA_COLUMNS)].itertuples(index=False):
        lines.append(csv_line([_csv_value(v, k) for v, k in zip(row, kinds, strict=True)]))
    return "".join(lines)


def open_data_geojson(open_data: pd.DataFrame) -> dict[str, Any]:
    """The open-data table as a GeoJSON ``FeatureCollection`` (RFC 7946, WGS84 lon/lat).

    Grain: one ``Feature`` per row of ``open_data``, in the same order; its ``id`` is the
    lieu's ``id``, its ``properties`` are every field of the CSV with JSON types, its geometry
    a ``Point`` ``[longitude, latitude]`` (``null`` when the commune has no point).
    """
    kinds = {f.name: f.type for f in OPEN_DATA_FIELDS}
    features = []
    for record in open_data[list(OPEN_DATA_COLUMNS)].to_dict("records"):
        properties = {name: _json_value(record[name], kinds[name]) for name in OPEN_DATA_COLUMNS}
        longitude, latitude = properties["longitude"], properties["latitude"]
        geometry = (
            {"type": "Point", "coordinates": [longitude, latitude]}
            if longitude is not None and latitude is not None
            and math.isfinite(longitude) and math.isfinite(latitude)
            else None
        )
        features.append({"type": "Feature", "id": properties["id"], "geometry": geometry, "properties": properties})
    return {"type": "FeatureCollection", "features": features}


def open_data_schema(
    *,
    network: str = "RELIEF",
    region_name: str | None = None,
    lists: Mapping[str, Sequence[str]] | None = None,
) -> dict[str, Any]:
    """The Table Schema (frictionless) of the CSV: one field per column, French descriptions.

    Allowed values of ``etat`` and ``statut_juridique`` come from the dataset's ``lists``
    (``[listes].etats_lieu`` and ``statuts_juridiques``) when given; the typologies allowed
    are named in the description of ``typologie``.
    """
    lists = lists or {}
    enums = {"etat": lists.get("etats_lieu"), "statut_juridique": lists.get("statuts_juridiques")}
    fields = []
    for spec in OPEN_DATA_FIELDS:
        description = spec.description
        if spec.name == "typologie" and lists.get("typologies"):
            description += " Valeurs possibles : " + " ; ".join(lists["typologies"]) + "."
        entry: dict[str, Any] = {
            "name": spec.name, "type": spec.type, "format": spec.format,
            "description": description, "example": spec.example,
        }
        constraints = dict(spec.constraints)
        if enums.get(spec.name):  # as written in the CSV: a value that could run gets its « ' »
            constraints["enum"] = [neutralise_cell(str(v)) for v in enums[spec.name]]
        if constraints:
            entry["constraints"] = constraints
        entry.update(spec.options)
        fields.append(entry)
    where = f" en {region_name}" if region_name else " dans la région"
    return {
        "$schema": "https://specs.frictionlessdata.io/schemas/table-schema.json",
        "name": f"lieux-{network.lower()}",
        "title": f"Lieux du réseau {network}{where} (données ouvertes)",
        "description": (
            f"Tiers-lieux connus du réseau {network}, adhérents ou non, dont la commune est située"
            f"{where}. Une ligne par lieu. Données publiques sur des lieux : aucune donnée de personne. "
            "Noms de champs alignés sur le schéma ANCT des lieux de médiation numérique quand ils "
            "existent. CSV en UTF-8, séparateur virgule, dates AAAA-MM-JJ, coordonnées WGS84."
        ),
        "countryCode": "FR",
        "fields": fields,
        "primaryKey": ["id"],
        "missingValues": [""],
    }


def render_field_table(schema: Mapping[str, Any]) -> str:
    """The fields of ``schema`` as a French Markdown table (for LISEZMOI.md and the docs)."""
    lines = ["| Champ | Type | Obligatoire | Description | Exemple |", "|---|---|---|---|---|"]
    types = {"string": "texte", "number": "nombre décimal", "integer": "nombre entier",
             "boolean": "booléen (oui / non)", "date": "date (AAAA-MM-JJ)"}
    for entry in schema["fields"]:
        constraints = entry.get("constraints", {})
        description = entry["description"]
        if constraints.get("enum"):
            description += " Valeurs : " + ", ".join(f"`{v}`" for v in constraints["enum"]) + "."
        cells = [f"`{entry['name']}`", types[entry["type"]], "oui" if constraints.get("required") else "non",
                 description, f"`{entry['example']}`"]
        lines.append("| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |")
    return "\n".join(lines)


def render_readme(schema: Mapping[str, Any], *, lieux_count: int) -> str:
    """The French ``LISEZMOI.md`` written beside the files."""
    return "\n".join([
        f"# {schema['title']}",
        "",
        schema["description"],
        "",
        f"Nombre de lieux : {lieux_count}.",
        "",
        "## Fichiers",
        "",
        f"- `{CSV_NAME}` : la table des lieux (UTF-8, séparateur `,`, dates AAAA-MM-JJ, décimales avec un point).",
        f"- `{GEOJSON_NAME}` : les mêmes lieux en GeoJSON (RFC 7946, WGS84 : [longitude, latitude]).",
        f"- `{SCHEMA_NAME}` : le schéma des données au format Table Schema (frictionless).",
        "",
        "## Champs",
        "",
        render_field_table(schema),
        "",
    ])


def _write_text(path: Path, text: str) -> None:
    partial = path.with_name(path.name + ".partiel")
    partial.write_text(text, encoding="utf-8", newline="")
    partial.replace(path)


def write_open_data(open_data: pd.DataFrame, output_dir: Path, *, schema: Mapping[str, Any]) -> list[Path]:
    """Write ``lieux.csv``, ``lieux.geojson``, ``schema.json`` and ``LISEZMOI.md``; return their paths.

    ``open_data`` is the output of :func:`open_data_lieux`. Each file is written whole, then
    renamed, so a reader never sees half a file.
    """
    output_dir = Path(output_dir)
    output_dir.mkdir(parents=True, exist_ok=True)
    contents = {
        CSV_NAME: open_data_csv(open_data),
        GEOJSON_NAME: json.dumps(open_data_geojson(open_data), ensure_ascii=False, indent=1) + "\n",
        SCHEMA_NAME: json.dumps(dict(schema), ensure_ascii=False, indent=2) + "\n",
        README_NAME: render_readme(schema, lieux_count=len(open_data)),
    }
    written = []
    for name, text in contents.items():
        path = output_dir / name
        _write_text(path, text)
        written.append(path)
    return written
