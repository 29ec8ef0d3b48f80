"""Distribution indicators on a tiny hand-built reference, with exact expected values.

Five square communes (4 km wide) on a line, defined in Lambert-93 (EPSG:2154) so distances are
known exactly, stored in EPSG:4326 like the real reference:

    commune  dép.  EPCI  population  centre x (km from 700 000 m)
    A        01    E1        1 000    0
    B        01    E1        5 000    8
    C        02    E2       20 000   20
    D        02    E3       60 000   30
    E        02    E4        3 000   55
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely

from relief_analytics.geo.reference import GeoReference
from relief_analytics.indicators.distribution import (
    distance_by_departement,
    distance_to_nearest_lieu,
    epci_without_lieu,
    events_by_commune,
    lieux_by_commune_size,
    lieux_by_departement,
    lieux_by_epci,
    lieux_distribution_tables,
    locate_lieux,
    size_class_labels,
    split_typologies,
)

X0, Y0 = 700_000.0, 6_600_000.0
COMMUNES = pd.DataFrame(
    {
        "commune_code": ["A", "B", "C", "D", "E"],
        "commune_name": ["Aval", "Bourg", "Cité", "Dunes", "Écart"],
        "departement_code": ["01", "01", "02", "02", "02"],
        "epci_code": ["E1", "E1", "E2", "E3", "E4"],
        "population": pd.array([1_000, 5_000, 20_000, 60_000, 3_000], dtype="Int64"),
        "x_km": [0, 8, 20, 30, 55],
    }
)


def _lambert93(geometries):
    return gpd.GeoSeries(geometries, crs="EPSG:2154").to_crs("EPSG:4326")


@pytest.fixture(scope="module")
def tiny() -> GeoReference:
    centres = [shapely.Point(X0 + 1000 * x, Y0) for x in COMMUNES["x_km"]]
    squares = [shapely.box(p.x - 2000, p.y - 2000, p.x + 2000, p.y + 2000) for p in centres]
    points = _lambert93(centres)
    communes = gpd.GeoDataFrame(
        COMMUNES.drop(columns="x_km").assign(
            postal_codes=None,
            point_longitude=points.x.to_numpy(),
            point_latitude=points.y.to_numpy(),
            geometry_status="source",
            covering_commune_code=None,
        ),
        geometry=_lambert93(squares).to_numpy(),
        crs="EPSG:4326",
    )
    by_epci = communes.dissolve(
        "epci_code", aggfunc={"population": "sum", "departement_code": "first"}
    ).reset_index()
    epci = by_epci.assign(epci_name=lambda f: "CC " + f["epci_code"], epci_kind="CC")
    by_dep = communes.dissolve("departement_code", aggfunc={"population": "sum"}).reset_index()
    departements = by_dep.assign(departement_name=["Un", "Deux"])
    aliases = pd.DataFrame(columns=["alias_code", "alias_name", "alias_kind", "commune_code"])
    return GeoReference(
        region_code="99",
        region_name="Test",
        communes=communes,
        commune_aliases=aliases,
        epci=epci,
        departements=departements,
        metadata={},
        projected_crs="EPSG:2154",
    )


@pytest.fixture
def lieux() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "lieu_id": ["L1", "L2", "L3", "L4", "L5"],
            "state": ["ouvert", "ouvert", "fermé", "ouvert", "ouvert"],
            "typologies": ["Coworking|Fablab", "Fablab", "Tiers-lieu culturel", None, "Coworking"],
            "legal_status": ["association", "SCIC", "association", None, "association"],
            "commune_code_resolved": ["A", "C", "C", "D", None],
            "resolution_status": ["résolue", "résolue", "résolue", "résolue", "non résolue"],
            "departement_code": ["01", "02", "02", "02", None],
            "epci_code": ["E1", "E2", "E2", "E3", None],
        }
    )


@pytest.fixture
def open_lieux(lieux) -> pd.DataFrame:
    """The population the reports count: open lieux (the functions count what they are given)."""
    return lieux[lieux["state"] == "ouvert"]


def test_by_departement(tiny, open_lieux):
    expected = pd.DataFrame(
        {
            "departement_code": ["01", "02"],
            "departement_name": ["Un", "Deux"],
            "population": [6_000, 83_000],
            "lieux_count": [1, 2],
            "lieux_per_100k": [100_000 / 6_000, 200_000 / 83_000],
        }
    )
    got = lieux_by_departement(open_lieux, reference=tiny)
    pd.testing.assert_frame_equal(got, expected, check_dtype=False)


def test_by_departement_counts_every_lieu_given(tiny, lieux):
    got = lieux_by_departement(lieux, reference=tiny)
    assert got["lieux_count"].tolist() == [1, 3]


def test_by_departement_counts_members_when_known(tiny, open_lieux):
    members = open_lieux.assign(is_member=[True, False, True, True])
    got = lieux_by_departement(members, reference=tiny)
    assert got["member_lieux_count"].tolist() == [1, 1]


def test_by_epci(tiny, open_lieux):
    got = lieux_by_epci(open_lieux, reference=tiny)
    assert got["epci_code"].tolist() == ["E1", "E2", "E3", "E4"]
    assert got["lieux_count"].tolist() == [1, 1, 1, 0]
    assert got["population"].tolist() == [6_000, 20_000, 60_000, 3_000]
    assert got["lieux_per_100k"].tolist() == pytest.approx(
        [100_000 / 6_000, 5.0, 100_000 / 60_000, 0.0]
    )


def test_by_commune_size(tiny, open_lieux):
    expected = pd.DataFrame(
        {
            "size_class": size_class_labels(),
            "communes_count": [1, 2, 1, 1],
            "population": [1_000, 8_000, 20_000, 60_000],
            "lieux_count": [1, 0, 1, 1],
            "lieux_share": [1 / 3, 0, 1 / 3, 1 / 3],
            "lieux_per_100k": [100.0, 0.0, 5.0, 100_000 / 60_000],
        }
    )
    got = lieux_by_commune_size(open_lieux, reference=tiny)
    pd.testing.assert_frame_equal(got, expected, check_dtype=False)
    assert got["size_class"].tolist() == [
        "moins de 2\u202f000 hab.",
        "2\u202f000 à 9\u202f999 hab.",
        "10\u202f000 à 49\u202f999 hab.",
        "50\u202f000 hab. et plus",
    ]


def test_distribution_tables_count_placed_lieux_only(tiny, open_lieux):
    tables = lieux_distribution_tables(open_lieux, reference=tiny, typologies=["Fablab"])
    typology = tables["lieux_by_typology"]
    assert typology[["typology", "lieux_count"]].values.tolist() == [
        ["Fablab", 2], ["Coworking", 1], ["Non renseigné", 1]]
    assert typology["lieux_share"].tolist() == pytest.approx([2 / 3, 1 / 3, 1 / 3])
    assert tables["lieux_by_departement"]["lieux_count"].sum() == 3  # L5 is not placed
    assert tables["lieux_by_legal_status"]["lieux_count"].sum() == 3


def test_split_typologies_dedupes_per_lieu():
    got = split_typologies(pd.Series(["A|B|A", " ", "C"], index=[10, 11, 12]))
    assert list(zip(got.index, got, strict=True)) == [
        (10, "A"),
        (10, "B"),
        (11, "Non renseigné"),
        (12, "C"),
    ]


def test_epci_without_lieu(tiny, open_lieux):
    got = epci_without_lieu(open_lieux, reference=tiny)
    assert got["epci_code"].tolist() == ["E4"]
    assert got.loc[0, "population"] == 3_000
    assert got.loc[0, "population_share"] == pytest.approx(3_000 / 89_000)


def test_locate_lieux_prefers_own_coordinates_in_region(tiny, lieux):
    inside = _lambert93([shapely.Point(X0 + 1_000, Y0 + 500)])
    lieux = lieux.assign(
        longitude=[inside.x.iloc[0], np.nan, np.nan, 4.0, np.nan],
        latitude=[inside.y.iloc[0], np.nan, np.nan, 89.0, np.nan],
    )
    got = locate_lieux(lieux, reference=tiny)
    assert got["point_source"].tolist()[:4] == ["coordonnées", "commune", "commune", "commune"]
    assert pd.isna(got["point_source"].iloc[4])
    assert got["point_longitude"].iloc[0] == inside.x.iloc[0]
    assert got["point_longitude"].iloc[3] == tiny.communes["point_longitude"].iloc[3]


def test_located_lieux_are_located_once(tiny, lieux, monkeypatch):
    located = locate_lieux(lieux, reference=tiny)
    import relief_analytics.indicators.distribution as distribution

    def no_second_lookup(*args, **kwargs):
        raise AssertionError("the points were looked up again")

    monkeypatch.setattr(distribution, "communes_at_points", no_second_lookup)
    again = locate_lieux(located, reference=tiny)
    pd.testing.assert_frame_equal(again, located)
    assert again is not located  # a copy, as for lieux not located yet
    with pytest.raises(AssertionError, match="looked up again"):
        locate_lieux(lieux, reference=tiny)


def test_distances_and_summary(tiny, open_lieux):
    distances = distance_to_nearest_lieu(open_lieux, reference=tiny)
    assert distances["commune_code"].tolist() == ["A", "B", "C", "D", "E"]
    assert distances["nearest_lieu_id"].tolist() == ["L1", "L1", "L2", "L4", "L4"]
    assert distances["distance_km"].tolist() == pytest.approx([0, 8, 0, 0, 25], abs=1e-6)

    summary = distance_by_departement(distances, reference=tiny, threshold_km=20)
    expected = pd.DataFrame(
        {
            "departement_code": ["01", "02"],
            "departement_name": ["Un", "Deux"],
            "population": [6_000, 83_000],
            "median_distance_km": [4.0, 0.0],
            "max_distance_km": [8.0, 25.0],
            "threshold_km": [20.0, 20.0],
            "population_beyond_threshold": [0, 3_000],
            "population_beyond_threshold_share": [0.0, 3_000 / 83_000],
        }
    )
    pd.testing.assert_frame_equal(summary, expected, check_dtype=False, atol=1e-6)


def test_distances_without_lieu(tiny, lieux):
    distances = distance_to_nearest_lieu(lieux.iloc[:0], reference=tiny)
    assert distances["distance_km"].isna().all() and len(distances) == 5


def test_events_by_commune(tiny):
    events = pd.DataFrame(
        {
            "commune_code_resolved": ["A", "A", "C", "C", None],
            "resolution_status": ["résolue", "résolue", "résolue", "résolue", "non résolue"],
            "attendance_mode": ["sur place", "mixte", "sur place", "en ligne", "en ligne"],
            "participants_count": pd.array([10, None, 30, 99, 5], dtype="Int64"),
        }
    )
    got = events_by_commune(events, reference=tiny)
    assert got[
        ["commune_code", "commune_name", "events_count", "participants_count"]
    ].values.tolist() == [
        ["A", "Aval", 2, 10],
        ["C", "Cité", 1, 30],
    ]


def test_missing_resolution_columns_fail_early(tiny):
    with pytest.raises(KeyError, match="resolve_communes"):
        lieux_by_departement(pd.DataFrame({"state": ["ouvert"]}), reference=tiny)
