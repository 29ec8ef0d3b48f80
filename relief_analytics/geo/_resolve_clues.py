"""Read each clue of a row on its own, for :mod:`relief_analytics.geo.resolve`.

INSEE code, postal code, commune name and coordinates are normalised once per distinct value and
looked up in the reference's index (:mod:`relief_analytics.geo._resolve_index`); the per-row
result is a :class:`_Clues`. French notes and warnings are appended with :class:`_Messages`.
"""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd

from relief_analytics.geo._resolve_index import (
    _Index,
    _locate,
    _lookup,
    _name_keys,
    _near_region,
    _postal_prefix,
    _present,
)
from relief_analytics.geo.normalize import (
    normalize_insee_codes,
    normalize_postal_codes,
    parse_coordinates,
)
from relief_analytics.geo.reference import STORAGE_CRS

_SWAPPED = "latitude et longitude inversées ?"


_BAD_POINT = "coordonnées incomplètes ou invalides"


_ZERO_POINT = "coordonnées 0, 0 ignorées"


#: Bounding box of metropolitan France (longitude, latitude), to recognise swapped coordinates.
_METROPOLE = (-5.5, 41.0, 10.0, 51.5)


class _Messages:
    """Per-row French messages, appended column-wise and joined with a separator."""

    def __init__(self, size: int, separator: str = " ; ") -> None:
        self.values = np.full(size, None, dtype=object)
        self.separator = separator

    def add(self, mask: np.ndarray, *parts: object) -> None:
        """Append the concatenation of ``parts`` to the rows of ``mask``.

        A part is a string or one value per row; a row where a part is missing gets nothing.
        """
        positions = np.flatnonzero(mask)
        if not len(positions):
            return
        pieces = []
        for part in parts:
            if not isinstance(part, str):
                part = np.asarray(part, dtype=object)[positions]
                given = _present(part)
                positions, pieces = (
                    positions[given],
                    [piece if isinstance(piece, str) else piece[given] for piece in pieces],
                )
                part = part[given]
            pieces.append(part)
        if not len(positions):
            return
        mask = np.zeros(len(self.values), dtype=bool)
        mask[positions] = True
        text = np.full(len(positions), "", dtype=object)
        for part in pieces:
            text = text + part
        current = self.values[mask]
        empty = ~_present(current)
        current[empty] = text[empty]
        current[~empty] = current[~empty] + self.separator + text[~empty]
        self.values[mask] = current


def _labels_by_row(
    table: pd.DataFrame, mask: np.ndarray, size: int, separator: str = " ; "
) -> np.ndarray:
    """Per row of ``mask``: its candidates' labels sorted by code, joined by ``separator``."""
    out = np.full(size, None, dtype=object)
    table = table[mask[table["row"].to_numpy()]]
    if not len(table):
        return out
    rows = table["row"].to_numpy()
    counts = np.bincount(rows, minlength=size)
    single = counts[rows] == 1
    out[rows[single]] = table["candidate_label"].to_numpy()[single]
    several = table[~single].sort_values(["row", "commune_code"])
    if len(several):
        joined = several.groupby("row")["candidate_label"].agg(separator.join)
        out[joined.index.to_numpy()] = joined.to_numpy()
    return out


def _column(frame: pd.DataFrame, name: str | None) -> pd.Series:
    if name and name in frame.columns:
        return frame[name].reset_index(drop=True)
    return pd.Series(pd.NA, index=pd.RangeIndex(len(frame)), dtype="object")


@dataclass
class _Clues:
    """What each row says, read clue by clue (one value per row; ``None`` when absent)."""

    code: np.ndarray  # normalised INSEE code
    code_commune: np.ndarray  # commune of the region designated by the code
    code_out: np.ndarray  # French text when the code is a commune outside the region
    postal: np.ndarray  # normalised postal code
    prefix: np.ndarray  # its département part
    postal_in: np.ndarray  # bool: served in the region or of one of its départements
    postal_served: np.ndarray  # bool: served in the region
    postal_out: np.ndarray  # French text when it belongs to a département outside the region
    name: np.ndarray  # typed name without a département hint
    name_id: np.ndarray  # int, -1 without a name: key of the name's candidates
    loose_key: np.ndarray
    name_in: np.ndarray  # bool: the name designates communes of the region
    name_out: np.ndarray  # French text when the name exists only outside the region
    hint_out: np.ndarray  # French text when the département hint is outside the region
    homonyms: np.ndarray  # départements outside the region with the name (assume_in_region=False)
    point: np.ndarray  # commune of the region containing the point
    point_out: np.ndarray  # French text when the point is outside the region
    x: np.ndarray  # projected coordinates of the point (metres)
    y: np.ndarray
    provided: np.ndarray  # bool: any clue typed at all


def _distinct(raw: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Positions of each row's value among the distinct values, and those values stripped."""
    positions, uniques = pd.factorize(raw.to_numpy(dtype=object))
    stripped = np.array([str(value).strip() or None for value in uniques], dtype=object)
    return positions, stripped


def _expand(positions: np.ndarray, values: np.ndarray) -> np.ndarray:
    """Per-row values from per-distinct ones (position -1, a missing cell: ``None`` / ``False``)."""
    values = np.asarray(values)
    fill = np.zeros(1, dtype=bool) if values.dtype == bool else np.full(1, None, dtype=object)
    return np.concatenate([values, fill])[positions]


def _read_codes(index: _Index, raw: pd.Series, notes: _Messages, warnings: _Messages):
    """Per row: typed text, normalised code, commune of the region, out-of-region text."""
    positions, text = _distinct(raw)
    code = normalize_insee_codes(text).to_numpy(dtype=object, na_value=None)
    unreadable = _concat(_present(text) & ~_present(code), "code INSEE illisible : ", text)
    commune = _lookup(index.codes["commune_code"], code)
    alias_note = _lookup(index.codes["code_note"], code)
    unknown = _present(code) & ~_present(commune)
    out = np.full(len(code), None, dtype=object)
    if index.france is not None and unknown.any():
        label = _lookup(index.france, np.where(unknown, code, None))
        outside = _present(label)
        out[outside] = "code INSEE " + code[outside] + " hors région : " + label[outside]
        unknown &= ~outside
    everywhere = np.ones(len(positions), dtype=bool)
    for messages in (notes, warnings):
        messages.add(everywhere, _expand(positions, unreadable))
    notes.add(everywhere, _expand(positions, alias_note))
    notes.add(everywhere, _expand(positions, _concat(unknown, "code INSEE ", code, " inconnu")))
    warnings.add(
        everywhere, _expand(positions, _concat(unknown, "code INSEE ", code, " inexistant"))
    )
    return (
        _expand(positions, text),
        _expand(positions, code),
        _expand(positions, commune),
        _expand(positions, out),
    )


def _read_postal_codes(index: _Index, raw: pd.Series, notes: _Messages):
    """Per row: typed text, postal code, its département part, where it points."""
    positions, text = _distinct(raw)
    postal = normalize_postal_codes(text).to_numpy(dtype=object, na_value=None)
    given = _present(postal)
    prefix = np.full(len(postal), None, dtype=object)
    if given.any():
        prefix[given] = _postal_prefix(pd.Series(postal[given], dtype="str")).to_numpy(dtype=object)
    served = given & pd.Index(postal).isin(index.postal_codes)
    postal_in = served | (given & pd.Index(prefix).isin(list(index.region_prefixes)))
    outside = given & ~postal_in & pd.Index(prefix).isin(list(index.france_prefixes))
    departement = np.where(prefix == "20", "2A, 2B", prefix)
    out = _concat(outside, "code postal ", postal, " hors région (département ", departement, ")")
    unknown = _concat(given & ~postal_in & ~outside, "code postal ", postal, " inconnu")
    notes.add(np.ones(len(positions), dtype=bool), _expand(positions, unknown))
    return (
        _expand(positions, text),
        _expand(positions, postal),
        _expand(positions, prefix),
        _expand(positions, postal_in),
        _expand(positions, served),
        _expand(positions, out),
    )


def _read_names(index: _Index, raw: pd.Series, notes: _Messages, *, assume_in_region: bool):
    """Per-row name clues, and the candidates of each distinct name (long table)."""
    positions, text = _distinct(raw)
    keys = [_name_keys(value) if value is not None else (None, None, "", "") for value in text]
    names = pd.DataFrame(
        {
            "name": [key[0] for key in keys],
            "hint": [key[1] for key in keys],
            "strict_key": [key[2] for key in keys],
            "loose_key": [key[3] for key in keys],
        },
        dtype=object,
    )
    names["name_id"] = np.arange(len(names))
    strict = names.merge(index.strict_names, left_on="strict_key", right_on="key")
    loose = names[~names["name_id"].isin(strict["name_id"])].merge(
        index.loose_names, left_on="loose_key", right_on="key"
    )
    candidates = pd.concat([strict, loose], ignore_index=True)[
        ["name_id", "commune_code", "candidate_label", "hint"]
    ].drop_duplicates(["name_id", "commune_code"])
    departement = _lookup(index.communes["departement_code"], candidates["commune_code"])
    hint = candidates["hint"].to_numpy(dtype=object)
    keep = ~_present(hint) | (departement == hint)
    lost_to_hint = ~names["name_id"].isin(candidates["name_id"][keep]) & names["name_id"].isin(
        candidates["name_id"]
    )
    candidates = candidates[keep].drop(columns="hint")

    name = names["name"].to_numpy(dtype=object)
    hint = names["hint"].to_numpy(dtype=object)
    name_in = names["name_id"].isin(candidates["name_id"]).to_numpy()
    # The national list is read only when needed: a name unknown in the region, or a table that
    # mixes regions (``assume_in_region=False``), where homonyms outside decide.
    needs_france = not assume_in_region or not name_in.all()
    elsewhere = (
        _lookup(index.france_names, names["loose_key"])
        if needs_france
        else np.full(len(names), None, dtype=object)
    )
    hint_outside = (
        _present(hint)
        & ~pd.Index(hint).isin(list(index.region_departements))
        & pd.Index(hint).isin(list(index.france_departement_codes))
    )
    per_name = pd.DataFrame(
        {
            "name": name,
            "name_id": names["name_id"].to_numpy(),
            "loose_key": names["loose_key"].to_numpy(dtype=object),
            "name_in": name_in,
            "name_out": _concat(
                ~name_in & _present(elsewhere) & ~lost_to_hint.to_numpy(),
                "commune « ",
                name,
                " » hors région (",
                elsewhere,
                ")",
            ),
            "hint_out": _concat(hint_outside, "département indiqué (", hint, ") hors région"),
            "homonyms": _concat(name_in & ~_present(hint) & (not assume_in_region), elsewhere),
            "unknown": _concat(
                ~name_in & ~_present(elsewhere) & ~lost_to_hint.to_numpy(),
                "nom « ",
                name,
                " » inconnu dans la région",
            ),
            "lost_to_hint": _concat(
                lost_to_hint.to_numpy() & ~hint_outside,
                "aucune commune « ",
                name,
                " » dans le département ",
                hint,
            ),
        }
    )
    rows = {
        column: _expand(positions, per_name[column].to_numpy(dtype=object, na_value=None))
        for column in (
            "name",
            "loose_key",
            "name_out",
            "hint_out",
            "homonyms",
            "unknown",
            "lost_to_hint",
        )
    }
    rows["name_in"] = _expand(positions, name_in)
    rows["name_id"] = np.append(per_name["name_id"].to_numpy(), -1)[positions]
    everywhere = np.ones(len(positions), dtype=bool)
    notes.add(everywhere, rows["lost_to_hint"])
    notes.add(everywhere, rows["unknown"])
    return _expand(positions, text), rows, candidates


def _concat(mask: np.ndarray, *parts: object) -> np.ndarray:
    """The concatenation of ``parts`` at the rows of ``mask``, ``None`` elsewhere."""
    messages = _Messages(len(mask))
    messages.add(mask, *parts)
    return messages.values


def _read_points(index: _Index, lat_raw: pd.Series, lon_raw: pd.Series, notes, warnings):
    """Commune under the point (or under the swapped point), out-of-region text, projection."""
    latitudes = parse_coordinates(lat_raw)
    longitudes = parse_coordinates(lon_raw)
    given = np.isfinite(latitudes) | np.isfinite(longitudes)
    zero = (latitudes == 0) & (longitudes == 0)
    valid = (
        np.isfinite(latitudes)
        & np.isfinite(longitudes)
        & (np.abs(latitudes) <= 90)
        & (np.abs(longitudes) <= 180)
        & ~zero
    )
    bad = given & ~valid & ~zero
    for messages in (notes, warnings):
        messages.add(bad, _BAD_POINT)
        messages.add(zero, _ZERO_POINT)
    lon = np.where(valid, longitudes, np.nan)
    lat = np.where(valid, latitudes, np.nan)

    point = _locate(index, lon, lat)
    rest = valid & ~_present(point)
    if rest.any():
        swapped_point = np.full(len(point), None, dtype=object)
        swapped_point[rest] = _locate(index, lat[rest], lon[rest])
        swapped = rest & _present(swapped_point)
        point[swapped] = swapped_point[swapped]
        rest &= ~swapped
        # Outside the region: swapped when only the swapped point is in metropolitan France.
        west, south, east, north = _METROPOLE
        straight_in = (lon >= west) & (lon <= east) & (lat >= south) & (lat <= north)
        swap_in = (lat >= west) & (lat <= east) & (lon >= south) & (lon <= north)
        swapped |= rest & ~straight_in & swap_in
        lon, lat = np.where(swapped, lat, lon), np.where(swapped, lon, lat)
        for messages in (notes, warnings):
            messages.add(swapped, _SWAPPED)

    x, y = (np.asarray(values, float) for values in index.to_projected.transform(lon, lat))
    near = np.zeros(len(point), dtype=bool)
    if rest.any():
        near[rest] = _near_region(index, x[rest], y[rest])
    notes.add(near, "coordonnées à la limite de la région, hors des contours")
    outside = rest & ~near
    out = np.where(outside, "coordonnées hors région", None).astype(object)
    if outside.any() and index.france_departements is not None:
        positions = np.flatnonzero(outside)
        points = gpd.GeoDataFrame(
            geometry=gpd.points_from_xy(lon[positions], lat[positions]),
            index=positions,
            crs=STORAGE_CRS,
        )
        joined = gpd.sjoin(points, index.france_departements, predicate="within")
        joined = joined[~joined["departement_code"].isin(list(index.region_departements))]
        joined = joined.sort_values("departement_code", kind="stable")
        departement = joined[~joined.index.duplicated()]["departement_code"]
        out[departement.index.to_numpy()] = (
            "coordonnées hors région (département " + departement.to_numpy(dtype=object) + ")"
        )
    return given, point, out, x, y


def _read_clues(
    index: _Index, frame: pd.DataFrame, columns: dict, notes, warnings, *, assume_in_region: bool
):
    code_text, code, code_commune, code_out = _read_codes(
        index, _column(frame, columns["code"]), notes, warnings
    )
    name_text, names, name_candidates = _read_names(
        index, _column(frame, columns["name"]), notes, assume_in_region=assume_in_region
    )
    postal_text, postal, prefix, postal_in, served, postal_out = _read_postal_codes(
        index, _column(frame, columns["postal"]), notes
    )
    point_given, point, point_out, x, y = _read_points(
        index, _column(frame, columns["lat"]), _column(frame, columns["lon"]), notes, warnings
    )
    clues = _Clues(
        code=code,
        code_commune=code_commune,
        code_out=code_out,
        postal=postal,
        prefix=prefix,
        postal_in=postal_in,
        postal_served=served,
        postal_out=postal_out,
        name=names["name"],
        name_id=names["name_id"],
        loose_key=names["loose_key"],
        name_in=names["name_in"],
        name_out=names["name_out"],
        hint_out=names["hint_out"],
        homonyms=names["homonyms"],
        point=point,
        point_out=point_out,
        x=x,
        y=y,
        provided=_present(code_text) | _present(name_text) | _present(postal_text) | point_given,
    )
    return clues, name_candidates
