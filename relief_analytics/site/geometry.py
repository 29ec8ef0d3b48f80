"""The region's reference geometry as small map data for the site (offline, no tile server).

Départements and EPCI are simplified polygons (GeoJSON, WGS84, 4 decimals ≈ 10 m), drawn as
outlines; the communes' borders are one network of shared edges (each border once), quantised
and delta-encoded, loaded only when the map is zoomed in. Simplification keeps shared borders
shared (:func:`shapely.coverage_simplify`).
"""

from __future__ import annotations

import json

import geopandas as gpd
import numpy as np
import shapely

#: Decimal places kept in the GeoJSON outlines (about 10 m).
DECIMALS = 4
#: Simplification tolerances, in degrees (≈ 500 m, 300 m and 100 m).
TOLERANCES = {"departements": 0.005, "epci": 0.003, "communes": 0.001}
#: Scale of the communes' integer coordinates (1e4 = 4 decimals).
COMMUNES_SCALE = 10_000


def _simplified(frame: gpd.GeoDataFrame, tolerance: float) -> np.ndarray:
    geometries = frame.geometry.to_numpy()
    present = np.array([g is not None and not g.is_empty for g in geometries])
    out = np.full(len(geometries), None, dtype=object)
    try:
        out[present] = shapely.coverage_simplify(geometries[present], tolerance)
    except shapely.errors.GEOSException:  # not a clean coverage: each polygon on its own
        out[present] = shapely.simplify(geometries[present], tolerance, preserve_topology=True)
    out[present] = shapely.set_precision(out[present], 10 ** -DECIMALS)
    return out


def outlines(frame: gpd.GeoDataFrame, *, code: str, name: str, tolerance: float) -> dict:
    """A GeoJSON ``FeatureCollection`` of the polygons of ``frame``, properties ``code``/``nom``.

    Grain: one feature per row with a geometry (rows without one are left out).

    >>> from shapely.geometry import box
    >>> frame = gpd.GeoDataFrame({"c": ["01"], "n": ["Ain"]}, geometry=[box(5, 46, 5.5, 46.5)],
    ...                          crs="EPSG:4326")
    >>> fc = outlines(frame, code="c", name="n", tolerance=0.001)
    >>> fc["features"][0]["properties"], fc["features"][0]["geometry"]["type"]
    ({'code': '01', 'nom': 'Ain'}, 'Polygon')
    """
    if frame.crs is not None and frame.crs.to_epsg() != 4326:
        frame = frame.to_crs("EPSG:4326")
    features = []
    for (code_value, name_value), geometry in zip(zip(frame[code], frame[name], strict=True),
                                                  _simplified(frame, tolerance), strict=True):
        if geometry is None or geometry.is_empty:
            continue
        features.append({"type": "Feature", "properties": {"code": str(code_value), "nom": str(name_value)},
                         "geometry": json.loads(shapely.to_geojson(geometry, indent=None))})
    return {"type": "FeatureCollection", "features": features}


def border_network(frame: gpd.GeoDataFrame, *, tolerance: float, scale: int = COMMUNES_SCALE) -> list[list[int]]:
    """The borders of the polygons of ``frame`` as delta-encoded integer lines.

    Grain: one list per merged border line ``[x0, y0, dx1, dy1, …]`` (longitude, latitude × ``scale``,
    each point after the first as the difference from the previous one). Shared borders appear once.

    >>> from shapely.geometry import box
    >>> frame = gpd.GeoDataFrame(geometry=[box(0, 0, 1, 1), box(1, 0, 2, 1)], crs="EPSG:4326")
    >>> border_network(frame, tolerance=0, scale=1)  # the middle border x = 1 once
    [[1, 1, 1, 0, 0, -1, -1, 0], [1, 1, 0, -1], [1, 0, -1, 0, 0, 1, 1, 0]]
    """
    simplified = [g for g in _simplified(frame, tolerance) if g is not None and not g.is_empty]
    if not simplified:
        return []
    merged = shapely.line_merge(shapely.union_all(shapely.boundary(np.array(simplified, dtype=object))))
    lines = []
    for part in shapely.get_parts(merged):
        points = np.round(shapely.get_coordinates(part) * scale).astype("int64")
        if len(points) < 2:
            continue
        deltas = np.diff(points, axis=0, prepend=np.zeros((1, 2), dtype="int64"))
        lines.append(deltas.ravel().tolist())
    return lines


def map_bounds(frame: gpd.GeoDataFrame) -> list[list[float]]:
    """``[[south, west], [north, east]]`` of ``frame`` (Leaflet's order), 4 decimals."""
    west, south, east, north = frame.to_crs("EPSG:4326").total_bounds
    return [[round(float(south), DECIMALS), round(float(west), DECIMALS)],
            [round(float(north), DECIMALS), round(float(east), DECIMALS)]]
