"""Open-data export of the region's lieux: CSV, GeoJSON and a Table Schema, ready to share.

The field names follow the nearest national schema, the ANCT schema of *lieux de médiation
numérique* (``id, nom, commune, code_postal, code_insee, adresse, latitude, longitude,
date_maj, typologie…``), so a regional or national observatory can merge the file without a
mapping. These names are an external vocabulary: they deliberately do not carry the package's
unit suffixes, which stay inside the processed tables.

Which lieux and which fields are public is defined once, in
:mod:`relief_analytics.indicators.public_lieux` (``place_lieux``, ``lieux_open_data``,
``excluded_lieux``, :data:`~relief_analytics.indicators.public_lieux.OPEN_DATA_FIELDS`), read by the
year context too; this module writes the files.

Flow::

    placed = place_lieux(dataset.lieux, reference=reference)    # pure: resolve + place
    table = lieux_open_data(placed)                              # pure: the public table
    write_open_data(table, folder, schema=open_data_schema(...)) # I/O: CSV, GeoJSON, schema, LISEZMOI
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from relief_analytics.indicators.public_lieux import (
    COORDINATE_DECIMALS,
    OPEN_DATA_COLUMNS,
    OPEN_DATA_FIELDS,
    is_missing,
)
from relief_analytics.safety import csv_line, neutralise_cell

#: File names written by :func:`write_open_data`.
CSV_NAME = "lieux.csv"
GEOJSON_NAME = "lieux.geojson"
SCHEMA_NAME = "schema.json"
README_NAME = "LISEZMOI.md"
OUTPUT_NAMES = (CSV_NAME, GEOJSON_NAME, SCHEMA_NAME, README_NAME)


def _json_value(value: object, kind: str) -> object:
    """One cell as a JSON value (``None`` for a missing one); a text that could run as a
    spreadsheet formula gets a leading ``'`` (:func:`~relief_analytics.safety.neutralise_cell`)."""
    if is_missing(value):
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
    if is_missing(value):
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

    Grain: one line per row of ``open_data`` (see :func:`lieux_open_data`).
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

    ``open_data`` is the output of :func:`lieux_open_data`. Each file is written whole, then
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
