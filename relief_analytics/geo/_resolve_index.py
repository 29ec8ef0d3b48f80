"""Lookup tables of one geographic reference for :mod:`relief_analytics.geo.resolve`, built once.

Codes, names, postal codes and contours of the region (and, read only when needed, of France)
as joinable tables; point-in-contour lookups (:func:`_locate`, :func:`_near_region`).
"""

from __future__ import annotations

import functools
import weakref
from functools import cached_property

import geopandas as gpd
import numpy as np
import pandas as pd
import pyproj

from relief_analytics.geo.normalize import (
    commune_name_key,
    commune_name_key_pair,
    split_departement_hint,
)
from relief_analytics.geo.reference import STORAGE_CRS, GeoReference

#: Distance (metres) under which a point still agrees with a commune whose contour it is outside:
#: the contours are generalised, and geocoded points sit on roads at borders.
COORDINATE_TOLERANCE_M = 1_000.0


def _label(names: pd.Series, departements: pd.Series, codes: pd.Series) -> pd.Series:
    return names + " (" + departements + ", " + codes + ")"


def _postal_prefix(codes: pd.Series) -> pd.Series:
    """Département part of a postal code or département code: 3 digits overseas, ``20`` for Corsica."""
    codes = codes.astype("str")
    prefix = codes.str[:2].where(~codes.str.startswith("97"), codes.str[:3])
    return prefix.replace({"2A": "20", "2B": "20"})


@functools.lru_cache(maxsize=200_000)
def _name_keys(text: str) -> tuple[str, str | None, str, str]:
    """(name, département hint, strict key, loose key) of a typed commune name."""
    name, hint = split_departement_hint(text)
    return (name, hint, *commune_name_key_pair(name))


class _Index:
    """Lookup tables of one reference, built once (the national part only when needed)."""

    def __init__(self, reference: GeoReference) -> None:
        # A weak reference: the index is cached in a WeakKeyDictionary keyed by the reference.
        self._reference = weakref.ref(reference)
        communes = reference.communes
        codes = communes["commune_code"]
        self.communes = pd.DataFrame(
            {
                "commune_name": communes["commune_name"].to_numpy(),
                "departement_code": communes["departement_code"].to_numpy(),
                "epci_code": communes["epci_code"].to_numpy(),
                "label": _label(
                    communes["commune_name"], communes["departement_code"], codes
                ).to_numpy(),
            },
            index=pd.Index(codes.to_numpy(), name="commune_code"),
        )
        self.region_departements = frozenset(communes["departement_code"])
        self.region_prefixes = frozenset(_postal_prefix(communes["departement_code"]))
        self.postal_prefix_of = pd.Series(
            _postal_prefix(communes["departement_code"]).to_numpy(), index=self.communes.index
        )
        self._index_codes(codes, reference.commune_aliases)
        self._index_names(communes, reference.commune_aliases)
        self._index_postal_codes(communes)
        self._index_contours(communes, reference.projected_crs)

    def _index_codes(self, codes: pd.Series, aliases: pd.DataFrame) -> None:
        """Every code (commune, delegated or associated commune, arrondissement) -> commune."""
        alias_names = self.communes["commune_name"].reindex(aliases["commune_code"]).to_numpy()
        alias_notes = (
            aliases["alias_kind"]
            + " "
            + aliases["alias_code"]
            + " "
            + aliases["alias_name"]
            + " → "
            + aliases["commune_code"]
            + " "
            + alias_names
        )
        code_table = pd.concat(
            [
                pd.DataFrame({"code": codes, "commune_code": codes, "code_note": None}),
                pd.DataFrame(
                    {
                        "code": aliases["alias_code"],
                        "commune_code": aliases["commune_code"],
                        "code_note": alias_notes,
                    }
                ),
            ],
            ignore_index=True,
        ).drop_duplicates("code")
        self.codes = code_table.set_index("code")

    def _index_names(self, communes: gpd.GeoDataFrame, aliases: pd.DataFrame) -> None:
        """Name keys (strict and without article) -> communes, former names included."""
        codes = communes["commune_code"]
        alias_labels = (
            aliases["alias_name"]
            + ", "
            + aliases["alias_kind"]
            + " de "
            + self.communes["label"].reindex(aliases["commune_code"]).to_numpy()
        )
        named = pd.concat(
            [
                pd.DataFrame(
                    {
                        "name": communes["commune_name"].to_numpy(),
                        "commune_code": codes.to_numpy(),
                        "candidate_label": self.communes["label"].to_numpy(),
                    }
                ),
                pd.DataFrame(
                    {
                        "name": aliases["alias_name"].to_numpy(),
                        "commune_code": aliases["commune_code"].to_numpy(),
                        "candidate_label": alias_labels.to_numpy(),
                    }
                ),
            ],
            ignore_index=True,
        )
        keys = [_name_keys(name) for name in named["name"]]
        named["strict_key"] = [key[2] for key in keys]
        named["loose_key"] = [key[3] for key in keys]
        self.strict_names = (
            named[named["strict_key"] != ""]
            .drop_duplicates(["strict_key", "commune_code"])
            .rename(columns={"strict_key": "key"})[["key", "commune_code", "candidate_label"]]
        )
        self.loose_names = (
            named[named["loose_key"] != ""]
            .drop_duplicates(["loose_key", "commune_code"])
            .rename(columns={"loose_key": "key"})[["key", "commune_code", "candidate_label"]]
        )
        self.own_names = pd.MultiIndex.from_arrays([named["loose_key"], named["commune_code"]])

    def _index_postal_codes(self, communes: gpd.GeoDataFrame) -> None:
        """(postal code, commune) pairs of the region."""
        postal = communes[["commune_code", "postal_codes"]].dropna()
        pairs = (
            postal.assign(postal_code=postal["postal_codes"].str.split("|"))
            .explode("postal_code")[["postal_code", "commune_code"]]
            .reset_index(drop=True)
        )
        self.postal_pairs_frame = pairs
        self.postal_pairs = pd.MultiIndex.from_frame(pairs)
        self.postal_codes = pd.Index(pairs["postal_code"].unique())
        self.postal_labels = (
            pairs.assign(label=self.communes["label"].reindex(pairs["commune_code"]).to_numpy())
            .sort_values(["postal_code", "commune_code"])
            .groupby("postal_code")["label"]
            .agg(" ou ".join)
        )

    def _index_contours(self, communes: gpd.GeoDataFrame, projected_crs: str) -> None:
        """Contours for the spatial joins; the contour holding each commune without one."""
        codes = communes["commune_code"]
        drawn = communes[communes.geometry.notna()]
        self.drawn = gpd.GeoDataFrame(
            {"commune_code": drawn["commune_code"].to_numpy()},
            geometry=drawn.geometry.to_numpy(),
            crs=communes.crs,
        )
        self.drawn.sindex  # noqa: B018 - built once, reused by every sjoin
        covering = communes["covering_commune_code"].fillna(codes)
        self.owner = pd.Series(covering.to_numpy(), index=self.communes.index)
        self.covered = pd.DataFrame(
            {"point_commune": covering.to_numpy(), "commune_code": codes.to_numpy()}
        )
        self.to_projected = pyproj.Transformer.from_crs(STORAGE_CRS, projected_crs, always_xy=True)

    @property
    def reference(self) -> GeoReference:
        return self._reference()

    @cached_property
    def projected_owner_geometry(self) -> pd.Series:
        """Projected contour holding each commune (its own, or its covering commune's)."""
        projected = self.drawn.to_crs(self.reference.projected_crs)
        geometry = pd.Series(projected.geometry.to_numpy(), index=projected["commune_code"])
        return pd.Series(geometry.reindex(self.owner.to_numpy()).to_numpy(), index=self.owner.index)

    @cached_property
    def projected_drawn(self) -> gpd.GeoDataFrame:
        return self.drawn.to_crs(self.reference.projected_crs)

    @cached_property
    def france(self) -> pd.Series | None:
        """Label ``Nom (département)`` of each commune of France outside the region, by code."""
        try:
            france = self.reference.france_communes
        except FileNotFoundError:
            return None
        outside = france[~france["departement_code"].isin(self.region_departements)]
        return pd.Series(
            (outside["commune_name"] + " (" + outside["departement_code"] + ")").to_numpy(),
            index=pd.Index(outside["commune_code"].to_numpy()),
        )

    @cached_property
    def france_prefixes(self) -> frozenset[str]:
        try:
            departements = self.reference.france_communes["departement_code"]
        except FileNotFoundError:
            return frozenset()
        return frozenset(_postal_prefix(departements.drop_duplicates()))

    @cached_property
    def france_departement_codes(self) -> frozenset[str]:
        try:
            return frozenset(self.reference.france_communes["departement_code"])
        except FileNotFoundError:
            return frozenset()

    @cached_property
    def france_names(self) -> pd.Series:
        """Loose name key -> départements outside the region where a commune bears it."""
        try:
            france = self.reference.france_communes
        except FileNotFoundError:
            return pd.Series(dtype="str")
        outside = france[~france["departement_code"].isin(self.region_departements)]
        keys = pd.Series(
            [commune_name_key(name, drop_article=True) for name in outside["commune_name"]]
        )
        frame = pd.DataFrame(
            {"key": keys.to_numpy(), "departement": outside["departement_code"].to_numpy()}
        ).drop_duplicates()
        # « 01, 38 » per key, keys in order: one pass over the sorted pairs (a per-group
        # ``agg(", ".join)`` builds a Series for each of some 30 000 keys)
        frame = frame.sort_values(["key", "departement"])
        joined: dict[str, list[str]] = {}
        for key, departement in zip(frame["key"], frame["departement"], strict=True):
            joined.setdefault(key, []).append(departement)
        return pd.Series(
            [", ".join(departements) for departements in joined.values()],
            index=pd.Index(list(joined), name="key"),
            name="departement",
        )

    @cached_property
    def france_departements(self) -> gpd.GeoDataFrame | None:
        try:
            departements = self.reference.france_departements
        except FileNotFoundError:
            return None
        return departements[["departement_code", "geometry"]]


_INDEXES: weakref.WeakKeyDictionary[GeoReference, _Index] = weakref.WeakKeyDictionary()


def _index_for(reference: GeoReference) -> _Index:
    if reference not in _INDEXES:
        _INDEXES[reference] = _Index(reference)
    return _INDEXES[reference]


def _lookup(table: pd.Series, keys: object) -> np.ndarray:
    """``table[key]`` for each key as an object array, ``None`` for a missing key (a join)."""
    keys = np.asarray(keys, dtype=object)
    values = table.to_numpy(dtype=object, na_value=None)
    if not len(values) or not len(keys):
        return np.full(len(keys), None, dtype=object)
    codes, uniques = pd.factorize(keys)  # each distinct key looked up once
    if not len(uniques):
        return np.full(len(keys), None, dtype=object)
    positions = np.where(codes >= 0, table.index.get_indexer(uniques)[codes], -1)
    return np.where(positions >= 0, values[positions], None)


def _present(values: np.ndarray) -> np.ndarray:
    """Whether each value of an object array is given: missing values are always ``None`` here."""
    return np.asarray(values, dtype=object) != None  # noqa: E711 - element-wise


def _locate(index: _Index, longitudes: np.ndarray, latitudes: np.ndarray) -> np.ndarray:
    """Commune of the region whose contour contains each point (``None`` elsewhere)."""
    found = np.full(len(longitudes), None, dtype=object)
    valid = np.flatnonzero(np.isfinite(longitudes) & np.isfinite(latitudes))
    if not len(valid):
        return found
    points = gpd.GeoDataFrame(
        geometry=gpd.points_from_xy(longitudes[valid], latitudes[valid]),
        index=valid,
        crs=STORAGE_CRS,
    )
    joined = gpd.sjoin(points, index.drawn, predicate="within", how="inner")
    if len(joined):
        # On a shared border: the smaller code.
        joined = joined.sort_values("commune_code", kind="stable")
        first = joined[~joined.index.duplicated()]
        found[first.index.to_numpy()] = first["commune_code"].to_numpy(dtype=object)
    return found


def _near_region(index: _Index, x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Whether each projected point lies within the tolerance of a contour of the region."""
    near = np.zeros(len(x), dtype=bool)
    if not len(x):
        return near
    points = gpd.GeoDataFrame(geometry=gpd.points_from_xy(x, y), crs=index.reference.projected_crs)
    joined = gpd.sjoin_nearest(
        points, index.projected_drawn, max_distance=COORDINATE_TOLERANCE_M, how="inner"
    )
    near[np.unique(joined.index.to_numpy())] = True
    return near
