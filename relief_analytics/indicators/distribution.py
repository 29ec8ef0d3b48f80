"""Distribution of lieux over the region: counts, densities, size classes, typologies, gaps.

Every function is pure: frames in, a new frame out. Geographic functions expect lieux already
passed through :func:`~relief_analytics.geo.resolve.resolve_communes` (columns
``commune_code_resolved``, ``departement_code``, ``epci_code``); rows that are not ``résolue``
are left out of geographic counts (count them with ``resolution_status.value_counts()``).
Every function counts the lieux it is given: the population (e.g. the lieux open at the end of
the year, see :mod:`relief_analytics.context.populations`) is chosen by the caller.

Densities are per 100,000 inhabitants of *population municipale* (the reference's vintage).
Distances are computed in the reference's projected CRS (EPSG:2154 in metropolitan France).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
import pyproj
import shapely

from relief_analytics.geo.reference import STORAGE_CRS, GeoReference
from relief_analytics.geo.resolve import RESOLVED, communes_at_points

#: Lower bounds (inhabitants) of the commune size classes after the first.
SIZE_CLASS_BOUNDS = (2_000, 10_000, 50_000)
#: Caption for size classes: they only approximate a rural / urban divide.
SIZE_CLASS_CAPTION = (
    "Taille de la commune (approximation par la taille de commune du rural et de l'urbain)"
)
#: Label for a missing value in count tables.
NOT_PROVIDED = "Non renseigné"
#: Point source labels of :func:`locate_lieux`.
FROM_COORDINATES = "coordonnées"
FROM_COMMUNE = "commune"
#: The columns :func:`locate_lieux` adds.
LOCATED_COLUMNS = ("point_longitude", "point_latitude", "point_source")

_NNBSP = "\u202f"


def _require(frame: pd.DataFrame, columns: Sequence[str], what: str) -> None:
    missing = [column for column in columns if column not in frame.columns]
    if missing:
        raise KeyError(
            f"{what} : colonne(s) manquante(s) {missing}. Passez d'abord la table par "
            "resolve_communes(…) ?"
        )


def _located(lieux: pd.DataFrame) -> pd.DataFrame:
    _require(
        lieux,
        ["commune_code_resolved", "resolution_status", "departement_code", "epci_code"],
        "Répartition géographique des lieux",
    )
    return lieux[lieux["resolution_status"] == RESOLVED]


def _per_100k(count: pd.Series, population: pd.Series) -> pd.Series:
    population = population.astype("Float64")
    return (count.astype("Float64") * 100_000 / population.where(population > 0)).astype(float)


def lieux_by_departement(
    lieux: pd.DataFrame, *, reference: GeoReference
) -> pd.DataFrame:
    """Count lieux per département, with population and density.

    Grain: one row per département of the region (zeros included), in code order.

    Returns
    -------
    DataFrame
        ``departement_code``, ``departement_name``, ``population``, ``lieux_count``,
        ``lieux_per_100k``, and ``member_lieux_count`` when the lieux have ``is_member``.
    """
    located = _located(lieux)
    grouped = located.groupby("departement_code")
    table = reference.departements[["departement_code", "departement_name", "population"]].copy()
    table = pd.DataFrame(table)
    table["lieux_count"] = table["departement_code"].map(grouped.size()).fillna(0).astype("int64")
    table["lieux_per_100k"] = _per_100k(table["lieux_count"], table["population"])
    if "is_member" in located.columns:
        members = located["is_member"].astype("boolean").fillna(False).astype(int)
        per_dep = members.groupby(located["departement_code"]).sum()
        table["member_lieux_count"] = (
            table["departement_code"].map(per_dep).fillna(0).astype("int64"))
    return table.reset_index(drop=True)


def lieux_by_epci(
    lieux: pd.DataFrame, *, reference: GeoReference
) -> pd.DataFrame:
    """Count lieux per EPCI (intercommunalité), with population and density.

    Grain: one row per EPCI of the region (zeros included), in code order. An EPCI straddling
    the region's border counts its regional part only.

    Returns
    -------
    DataFrame
        ``epci_code``, ``epci_name``, ``epci_kind``, ``departement_code``, ``population``,
        ``lieux_count``, ``lieux_per_100k``.
    """
    counts = _located(lieux).groupby("epci_code").size()
    columns = ["epci_code", "epci_name", "epci_kind", "departement_code", "population"]
    table = pd.DataFrame(reference.epci[columns])
    table["lieux_count"] = table["epci_code"].map(counts).fillna(0).astype("int64")
    table["lieux_per_100k"] = _per_100k(table["lieux_count"], table["population"])
    return table.reset_index(drop=True)


def size_class_labels(bounds: Sequence[int] = SIZE_CLASS_BOUNDS) -> list[str]:
    """Return French labels of the size classes delimited by ``bounds``.

    Examples
    --------
    >>> size_class_labels((2000, 10000))
    ['moins de 2\\u202f000 hab.', '2\\u202f000 à 9\\u202f999 hab.', '10\\u202f000 hab. et plus']
    """

    def number(value: int) -> str:
        return f"{value:,}".replace(",", _NNBSP)

    labels = [f"moins de {number(bounds[0])} hab."]
    labels += [
        f"{number(low)} à {number(high - 1)} hab."
        for low, high in zip(bounds, bounds[1:], strict=False)
    ]
    labels.append(f"{number(bounds[-1])} hab. et plus")
    return labels


def classify_commune_size(
    population: pd.Series, *, bounds: Sequence[int] = SIZE_CLASS_BOUNDS
) -> pd.Series:
    """Return the size class label of each population (ordered categorical; NA stays NA)."""
    labels = size_class_labels(bounds)
    edges = [-np.inf, *bounds, np.inf]
    values = pd.to_numeric(population, errors="coerce").astype(float)
    return pd.cut(values, bins=edges, labels=labels, right=False)


def lieux_by_commune_size(
    lieux: pd.DataFrame,
    *,
    reference: GeoReference,
    bounds: Sequence[int] = SIZE_CLASS_BOUNDS,
) -> pd.DataFrame:
    """Count lieux by size class of their commune (a rough rural / urban proxy).

    Grain: one row per size class, smallest first. Label the output with
    :data:`SIZE_CLASS_CAPTION`: the class comes from the commune's population only.

    Returns
    -------
    DataFrame
        ``size_class``, ``communes_count``, ``population``, ``lieux_count``,
        ``lieux_share`` (of the lieux counted, 0–1), ``lieux_per_100k``.
    """
    communes = pd.DataFrame(reference.communes[["commune_code", "population"]])
    communes["size_class"] = classify_commune_size(communes["population"], bounds=bounds)
    located = _located(lieux)
    lieux_classes = located["commune_code_resolved"].map(
        communes.set_index("commune_code")["size_class"]
    )
    grouped = communes.groupby("size_class", observed=False)
    table = (
        pd.DataFrame(
            {
                "communes_count": grouped.size(),
                "population": grouped["population"].sum().astype("int64"),
                "lieux_count": lieux_classes.value_counts().reindex(
                    grouped.size().index, fill_value=0
                ),
            }
        )
        .rename_axis("size_class")
        .reset_index()
    )
    table["size_class"] = table["size_class"].astype(str)
    total = table["lieux_count"].sum()
    table["lieux_share"] = table["lieux_count"] / total if total else np.nan
    table["lieux_per_100k"] = _per_100k(table["lieux_count"], table["population"])
    return table


def split_typologies(typologies: pd.Series) -> pd.Series:
    """Return one row per (lieu, typology) from a ``"|"``-joined column, the lieu's index repeated.

    A typology listed twice for the same lieu counts once; an empty cell gives ``Non renseigné``.

    Examples
    --------
    >>> split_typologies(pd.Series(["Coworking | Fablab|Coworking", None])).tolist()
    ['Coworking', 'Fablab', 'Non renseigné']
    """
    parts = typologies.fillna("").astype(str).str.split("|").explode().str.strip()
    parts = parts.where(parts != "", NOT_PROVIDED)
    pairs = pd.DataFrame({"row": parts.index, "typology": parts.to_numpy()}).drop_duplicates()
    return pd.Series(
        pairs["typology"].to_numpy(), index=pairs["row"].to_numpy(), name="typology", dtype="str"
    )


def main_typology(typologies: pd.Series) -> pd.Series:
    """Return the first typology listed for each lieu (``Non renseigné`` if none)."""
    first = typologies.fillna("").astype(str).str.split("|").str[0].str.strip()
    return first.where(first != "", NOT_PROVIDED)


def epci_without_lieu(
    lieux: pd.DataFrame, *, reference: GeoReference
) -> pd.DataFrame:
    """List the EPCI of the region where none of the given lieux is located.

    Grain: one row per EPCI without lieu, most populated first.

    Returns
    -------
    DataFrame
        ``epci_code``, ``epci_name``, ``epci_kind``, ``departement_code``, ``population``,
        ``population_share`` (of the region's population, 0–1).
    """
    counts = lieux_by_epci(lieux, reference=reference)
    empty = counts[counts["lieux_count"] == 0].drop(columns=["lieux_count", "lieux_per_100k"])
    empty = empty.assign(
        population_share=empty["population"] / reference.communes["population"].sum()
    )
    return empty.sort_values(["population", "epci_code"], ascending=[False, True]).reset_index(
        drop=True
    )


def _numeric(frame: pd.DataFrame, column: str) -> np.ndarray:
    if column not in frame.columns:
        return np.full(len(frame), np.nan)
    return pd.to_numeric(frame[column], errors="coerce").to_numpy(dtype=float, na_value=np.nan)


def locate_lieux(lieux: pd.DataFrame, *, reference: GeoReference) -> pd.DataFrame:
    """Give each resolved lieu the point where it is drawn and published — the one rule.

    A lieu keeps its own coordinates only when they fall inside its resolved commune; otherwise
    (no coordinates, swapped latitude/longitude, a point in another commune or outside the
    region) it is placed at the representative point of its commune. Maps and the open-data
    export (:func:`relief_analytics.indicators.public_lieux.place_lieux`) both use it.

    Grain: one row per input row (same index). Adds ``point_longitude``, ``point_latitude``
    (WGS84) and ``point_source`` (``coordonnées`` / ``commune``; missing when the lieu is not
    resolved or its commune has no point). Lieux that already carry them (the year context's:
    its lieux are located once, in the ``relief`` process) are returned as they are.
    """
    if set(LOCATED_COLUMNS) <= set(lieux.columns):
        return lieux.copy()
    _require(lieux, ["commune_code_resolved", "resolution_status"], "Localisation des lieux")
    longitudes, latitudes = _numeric(lieux, "longitude"), _numeric(lieux, "latitude")
    resolved = lieux["commune_code_resolved"].where(lieux["resolution_status"] == RESOLVED)
    at_point = pd.Series(communes_at_points(reference, longitudes, latitudes), index=lieux.index,
                         dtype=object)
    own = (at_point == resolved).fillna(False).to_numpy(dtype=bool)
    points = reference.communes.set_index("commune_code")[["point_longitude", "point_latitude"]]
    commune_points = points.reindex(resolved).to_numpy(dtype=float)
    point_longitude = np.where(own, longitudes, commune_points[:, 0])
    point_latitude = np.where(own, latitudes, commune_points[:, 1])
    source = np.where(own, FROM_COORDINATES, FROM_COMMUNE).astype(object)
    source[~(np.isfinite(point_longitude) & np.isfinite(point_latitude))] = None
    result = lieux.copy()
    result["point_longitude"] = point_longitude
    result["point_latitude"] = point_latitude
    result["point_source"] = pd.Series(source, index=lieux.index, dtype="str")
    return result


def _project(reference: GeoReference, longitudes: np.ndarray, latitudes: np.ndarray) -> np.ndarray:
    transformer = pyproj.Transformer.from_crs(STORAGE_CRS, reference.projected_crs, always_xy=True)
    x, y = transformer.transform(longitudes, latitudes)
    return shapely.points(x, y)


def distance_to_nearest_lieu(
    lieux: pd.DataFrame, *, reference: GeoReference
) -> pd.DataFrame:
    """Distance from each commune's representative point to the nearest lieu, in km.

    Lieux are placed with :func:`locate_lieux`; distances are straight lines in the reference's
    projected CRS (EPSG:2154 for metropolitan France), not travel distances.

    Grain: one row per commune of the region.

    Returns
    -------
    DataFrame
        ``commune_code``, ``commune_name``, ``departement_code``, ``epci_code``,
        ``population``, ``nearest_lieu_id`` and ``distance_km`` (missing when no lieu).
    """
    placed = locate_lieux(_located(lieux), reference=reference)
    placed = placed[placed["point_source"].notna()]
    columns = ["commune_code", "commune_name", "departement_code", "epci_code", "population"]
    table = pd.DataFrame(reference.communes[columns]).reset_index(drop=True)
    table["nearest_lieu_id"] = pd.Series(pd.NA, index=table.index, dtype="str")
    table["distance_km"] = np.nan
    communes = reference.communes
    has_point = communes["point_longitude"].notna().to_numpy()
    if placed.empty or not has_point.any():
        return table
    lieu_points = _project(
        reference,
        placed["point_longitude"].to_numpy(float),
        placed["point_latitude"].to_numpy(float),
    )
    commune_points = _project(
        reference,
        communes["point_longitude"].to_numpy(float)[has_point],
        communes["point_latitude"].to_numpy(float)[has_point],
    )
    tree = shapely.STRtree(lieu_points)
    (commune_index, lieu_index), distances = tree.query_nearest(
        commune_points, return_distance=True, all_matches=False
    )
    rows = np.flatnonzero(has_point)[commune_index]
    identifiers = (
        placed["lieu_id"].to_numpy() if "lieu_id" in placed.columns else placed.index.to_numpy()
    )
    table.loc[rows, "nearest_lieu_id"] = identifiers[lieu_index]
    table.loc[rows, "distance_km"] = distances / 1000
    return table


def distance_by_departement(
    distances: pd.DataFrame, *, reference: GeoReference, threshold_km: float = 20.0
) -> pd.DataFrame:
    """Summarise :func:`distance_to_nearest_lieu` per département.

    Grain: one row per département of the region. The median and maximum are taken over
    communes (not weighted); the share beyond ``threshold_km`` is weighted by population.

    Returns
    -------
    DataFrame
        ``departement_code``, ``departement_name``, ``population``, ``median_distance_km``,
        ``max_distance_km``, ``threshold_km``, ``population_beyond_threshold``,
        ``population_beyond_threshold_share`` (0–1).
    """
    _require(
        distances, ["departement_code", "population", "distance_km"], "Distances par département"
    )
    frame = distances.assign(
        beyond=np.where(
            distances["distance_km"] > threshold_km, distances["population"].fillna(0), 0
        )
    )
    grouped = frame.groupby("departement_code")
    table = pd.DataFrame(
        reference.departements[["departement_code", "departement_name", "population"]]
    )
    table["median_distance_km"] = table["departement_code"].map(grouped["distance_km"].median())
    table["max_distance_km"] = table["departement_code"].map(grouped["distance_km"].max())
    table["threshold_km"] = float(threshold_km)
    table["population_beyond_threshold"] = (
        table["departement_code"].map(grouped["beyond"].sum()).fillna(0).astype("int64")
    )
    table["population_beyond_threshold_share"] = table["population_beyond_threshold"] / table[
        "population"
    ].astype(float)
    return table.reset_index(drop=True)


def events_by_commune(
    events: pd.DataFrame, *, reference: GeoReference, exclude_online: bool = True
) -> pd.DataFrame:
    """Count events and participants per commune (events passed through ``resolve_communes``).

    Grain: one row per commune hosting at least one event, most events first.

    Returns
    -------
    DataFrame
        ``commune_code``, ``commune_name``, ``departement_code``, ``events_count``,
        ``participants_count`` (sum of the known counts; missing when no event of the commune
        has one: unknown is not zero), ``point_longitude``, ``point_latitude``.
    """
    _require(events, ["commune_code_resolved", "resolution_status"], "Lieux des événements")
    kept = events[events["resolution_status"] == RESOLVED]
    if exclude_online and "attendance_mode" in kept.columns:
        kept = kept[kept["attendance_mode"] != "en ligne"]
    participants = (
        pd.to_numeric(kept["participants_count"], errors="coerce")
        if "participants_count" in kept.columns
        else pd.Series(float("nan"), index=kept.index)
    )
    grouped = pd.DataFrame(
        {"commune_code": kept["commune_code_resolved"], "participants": participants}
    ).groupby("commune_code")
    table = pd.DataFrame(
        {
            "events_count": grouped.size(),
            "participants_count": grouped["participants"].sum(min_count=1).astype("Int64"),
        }
    ).reset_index()
    communes = pd.DataFrame(
        reference.communes[
            [
                "commune_code",
                "commune_name",
                "departement_code",
                "point_longitude",
                "point_latitude",
            ]
        ]
    )
    table = table.merge(communes, on="commune_code", how="left")
    order = [
        "commune_code",
        "commune_name",
        "departement_code",
        "events_count",
        "participants_count",
        "point_longitude",
        "point_latitude",
    ]
    return (
        table[order]
        .sort_values(["events_count", "commune_code"], ascending=[False, True])
        .reset_index(drop=True)
    )


def lieux_distribution_tables(
    lieux: pd.DataFrame,
    *,
    reference: GeoReference,
    typologies: Sequence[str] | None = None,
    statuses: Sequence[str] | None = None,
) -> dict[str, pd.DataFrame]:
    """Every distribution table of a population of lieux, by name — one definition each.

    The year context calls it on the lieux open at the end of the year; the exploration notebook
    on a filtered selection. Lieux not resolved in the region are not counted.

    Returns
    -------
    dict
        ``lieux_by_departement``, ``lieux_by_epci``, ``lieux_by_typology``,
        ``lieux_by_legal_status``, ``lieux_by_commune_size``, ``epci_without_lieu``,
        ``distance_by_departement``.
    """
    from relief_analytics.indicators.lieux import lieux_by_legal_status, lieux_by_typology

    located = _located(lieux)
    return {
        "lieux_by_departement": lieux_by_departement(located, reference=reference),
        "lieux_by_epci": lieux_by_epci(located, reference=reference),
        "lieux_by_typology": lieux_by_typology(located, typologies=typologies),
        "lieux_by_legal_status": lieux_by_legal_status(located, statuses=statuses),
        "lieux_by_commune_size": lieux_by_commune_size(located, reference=reference),
        "epci_without_lieu": epci_without_lieu(located, reference=reference),
        "distance_by_departement": distance_by_departement(
            distance_to_nearest_lieu(located, reference=reference), reference=reference),
    }
