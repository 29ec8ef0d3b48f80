"""Read the offline geographic reference built by ``scripts/reference_builder.py``.

The reference of a region lives in ``data/reference/<code région>/`` (gzip CSV, geometries as
WKT in EPSG:4326) with a ``metadata.json`` naming its source; the national context (metropolitan
départements, list of French communes) lives in ``data/reference/france/``. Reading is the only
I/O of the geo package; :func:`load_reference` caches one :class:`GeoReference` per folder.

Examples
--------
>>> reference = load_reference("84")
>>> len(reference.departements)
12
>>> reference.communes.crs.to_epsg()
4326
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from relief_analytics.paths import REFERENCE_DIR

#: Region of the RELIEF network (Auvergne-Rhône-Alpes); the only place 84 appears as a default.
DEFAULT_REGION_CODE = "84"
#: CRS of the stored reference (longitude, latitude in degrees).
STORAGE_CRS = "EPSG:4326"
#: Folder of the national context files inside the reference folder.
FRANCE_DIRNAME = "france"

#: Projected CRS (metres) for distances and areas, by region; Lambert-93 for metropolitan France.
_PROJECTED_CRS_BY_REGION = {
    "01": "EPSG:5490",  # Guadeloupe: RGAF09 / UTM 20N
    "02": "EPSG:5490",  # Martinique
    "03": "EPSG:2972",  # Guyane: RGFG95 / UTM 22N
    "04": "EPSG:2975",  # La Réunion: RGR92 / UTM 40S
    "06": "EPSG:4471",  # Mayotte: RGM04 / UTM 38S
}
_METROPOLITAN_CRS = "EPSG:2154"

_CODE_COLUMNS = {
    "commune_code",
    "departement_code",
    "epci_code",
    "alias_code",
    "covering_commune_code",
    "region_code",
    "postal_codes",
}


def projected_crs_for_region(region_code: str | None) -> str:
    """Return the projected CRS (metres) used for a region: Lambert-93 (EPSG:2154) unless overseas.

    Examples
    --------
    >>> projected_crs_for_region("84"), projected_crs_for_region("04")
    ('EPSG:2154', 'EPSG:2975')
    """
    return _PROJECTED_CRS_BY_REGION.get(region_code or "", _METROPOLITAN_CRS)


def read_reference_table(path: Path) -> pd.DataFrame | gpd.GeoDataFrame:
    """Read one ``.csv.gz`` reference table; a ``geometry`` column makes it a GeoDataFrame (EPSG:4326)."""
    dtypes = dict.fromkeys(_CODE_COLUMNS, "str")
    frame = pd.read_csv(path, dtype=dtypes, keep_default_na=False, na_values=[""])
    if "population" in frame.columns:
        frame["population"] = frame["population"].astype("Int64")
    if "geometry" not in frame.columns:
        return frame
    wkt = frame.pop("geometry").to_numpy(dtype=object)
    geometries = np.full(len(wkt), None, dtype=object)
    present = pd.notna(wkt)
    geometries[present] = shapely.from_wkt(wkt[present].astype(str))
    return gpd.GeoDataFrame(frame, geometry=geometries, crs=STORAGE_CRS)


@dataclass(frozen=True, eq=False)
class GeoReference:
    """The geographic reference of one region, read from disk once.

    Attributes
    ----------
    region_code, region_name : str
        INSEE region code and name (``"84"``, ``"Auvergne-Rhône-Alpes"``).
    communes : GeoDataFrame
        One row per commune of the region: ``commune_code``, ``commune_name`` (with its article),
        ``departement_code``, ``epci_code``, ``population`` (population municipale),
        ``postal_codes`` (``"|"``-joined), ``point_longitude``/``point_latitude`` (a point inside
        the commune), ``geometry_status`` (``source``/``reconstitué``/``absent``),
        ``covering_commune_code`` (for ``absent``: the commune whose contour covers it), geometry.
    commune_aliases : DataFrame
        One row per delegated or associated commune or municipal arrondissement: ``alias_code``,
        ``alias_name``, ``alias_kind``, ``commune_code`` (the current commune).
    epci : GeoDataFrame
        One row per EPCI with communes in the region (regional part only): ``epci_code``,
        ``epci_name``, ``epci_kind`` (CC/CA/CU/ME), ``departement_code`` (most populated part),
        ``communes_count``, ``population``, geometry.
    departements : GeoDataFrame
        One row per département of the region: ``departement_code``, ``departement_name``,
        ``communes_count``, ``population``, geometry.
    metadata : dict
        Content of ``metadata.json`` (source, version, sha256, repairs, counts).
    projected_crs : str
        CRS in metres for distances and areas (EPSG:2154 in metropolitan France).
    """

    region_code: str
    region_name: str
    communes: gpd.GeoDataFrame
    commune_aliases: pd.DataFrame
    epci: gpd.GeoDataFrame
    departements: gpd.GeoDataFrame
    metadata: dict
    projected_crs: str
    france_dir: Path | None = field(default=None, repr=False)

    @cached_property
    def france_departements(self) -> gpd.GeoDataFrame:
        """Metropolitan départements (simplified, for context maps): one row per département."""
        return read_reference_table(self._france_path("departements"))

    @cached_property
    def france_communes(self) -> pd.DataFrame:
        """Every commune and municipal arrondissement of France (no geometry): one row per code."""
        return read_reference_table(self._france_path("communes"))

    def _france_path(self, name: str) -> Path:
        if self.france_dir is None:
            raise FileNotFoundError("Référentiel national absent (dossier « france »).")
        return self.france_dir / f"{name}.csv.gz"


@functools.lru_cache(maxsize=8)
def _load(directory: Path) -> GeoReference:
    if not (directory / "metadata.json").exists():
        raise FileNotFoundError(
            f"Référentiel géographique introuvable dans {directory}. Reconstruisez-le avec "
            f"« python scripts/build_reference.py --region {directory.name} »."
        )
    metadata = json.loads((directory / "metadata.json").read_text(encoding="utf-8"))
    france_dir = directory.parent / FRANCE_DIRNAME
    return GeoReference(
        region_code=metadata["region_code"],
        region_name=metadata["region_name"],
        communes=read_reference_table(directory / "communes.csv.gz"),
        commune_aliases=read_reference_table(directory / "commune_aliases.csv.gz"),
        epci=read_reference_table(directory / "epci.csv.gz"),
        departements=read_reference_table(directory / "departements.csv.gz"),
        metadata=metadata,
        projected_crs=metadata["projected_crs"],
        france_dir=france_dir if france_dir.is_dir() else None,
    )


def load_reference(
    region_code: str = DEFAULT_REGION_CODE, *, reference_dir: Path | None = None
) -> GeoReference:
    """Return the geographic reference of a region (read once, then cached).

    Parameters
    ----------
    region_code : str, default "84"
        INSEE region code; the folder ``<reference_dir>/<region_code>/`` must exist.
    reference_dir : Path, optional
        Folder holding the reference folders (default: ``data/reference``).

    Raises
    ------
    FileNotFoundError
        With a French message saying how to build the missing reference.
    """
    directory = Path(reference_dir or REFERENCE_DIR).resolve() / str(region_code)
    return _load(directory)
