"""The public table of the region's lieux: which lieux, which fields, under which names.

The field names follow the nearest national schema, the ANCT schema of *lieux de médiation
numérique* (``id, nom, commune, code_postal, code_insee, adresse, latitude, longitude,
date_maj, typologie…``), so a regional or national observatory can merge the file without a
mapping. These names are an external vocabulary: they deliberately do not carry the package's
unit suffixes, which stay inside the processed tables.

Only public facts about places are published, from a fixed list of fields
(:data:`OPEN_DATA_FIELDS`): whatever other columns the input carries (member ids, contacts,
resolution notes…) can never reach the output. Only lieux whose commune was resolved in the
region are published; the others are listed by :func:`excluded_lieux`.

Pure functions, read by the year context (the catalogue's ``lieux_open_data`` table, a sheet of
the workbook) and by the open-data export (:mod:`relief_analytics.export.opendata`, which writes
the files)::

    placed = place_lieux(dataset.lieux, reference=reference)    # resolve + place
    table = lieux_open_data(placed)                              # the public table
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from relief_analytics.geo.reference import GeoReference
from relief_analytics.geo.resolve import RESOLVED, resolve_communes
from relief_analytics.indicators.distribution import FROM_COORDINATES, locate_lieux

#: Values of ``source_coordonnees``.
FROM_LIEU = "lieu"
FROM_COMMUNE = "commune"

#: Decimal places of published coordinates (about 10 cm).
COORDINATE_DECIMALS = 6

INSEE_PATTERN = r"^(\d{5}|2[AB]\d{3})$"

#: Columns :func:`place_lieux` adds and :func:`lieux_open_data` needs.
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


def lieux_open_data(lieux_resolved: pd.DataFrame) -> pd.DataFrame:
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
    >>> table = lieux_open_data(place_lieux(lieux, reference=load_reference("84")))
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
                [None if is_missing(v) else str(v) for v in values], index=values.index, dtype=object
            )
    table = pd.DataFrame(columns, columns=list(OPEN_DATA_COLUMNS))
    return table.sort_values("id", kind="stable").reset_index(drop=True)


def excluded_lieux(lieux_resolved: pd.DataFrame) -> pd.DataFrame:
    """The lieux :func:`lieux_open_data` leaves out, and why.

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


def is_missing(value: object) -> bool:
    """Whether a cell is missing (``None``, ``NaN``, ``NaT``, ``pd.NA``)."""
    if value is None:
        return True
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False
