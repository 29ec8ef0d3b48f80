"""Open-data export of the lieux: exact public columns, region only, CSV = GeoJSON, schema is true."""

from __future__ import annotations

import csv
import doctest
import io
import json
import re

import pandas as pd
import pytest

from relief_analytics import paths
from relief_analytics.export import opendata
from relief_analytics.export.opendata import (
    open_data_geojson,
    open_data_schema,
    render_field_table,
    write_open_data,
)
from relief_analytics.geo.reference import load_reference
from relief_analytics.indicators.public_lieux import (
    OPEN_DATA_COLUMNS,
    excluded_lieux,
    lieux_open_data,
    place_lieux,
)

EXPECTED_COLUMNS = [
    "id", "nom", "adresse", "code_postal", "commune", "code_insee", "code_departement", "latitude",
    "longitude", "source_coordonnees", "typologie", "statut_juridique", "annee_ouverture", "etat",
    "membre_reseau", "site_web", "date_maj",
]

LIEU_DEFAULTS = {
    "lieu_id": None, "lieu_name": None, "street_address": None, "postal_code": None, "commune_name": None,
    "commune_code": None, "latitude": float("nan"), "longitude": float("nan"),
    "typologies": "Tiers-lieu culturel", "legal_status": None, "opening_year": pd.NA, "state": "ouvert",
    "is_member": True, "website": None, "updated_date": pd.NaT,
}


def _lieux(rows: list[dict]) -> pd.DataFrame:
    """A processed ``lieux`` table (the loader's dtypes) from partial rows."""
    frame = pd.DataFrame([{**LIEU_DEFAULTS, **row} for row in rows])
    return frame.astype({"opening_year": "Int64", "is_member": "boolean", "updated_date": "datetime64[ns]",
                         "latitude": float, "longitude": float})


ROWS = [
    # an arrondissement code, coordinates inside Lyon: kept as given
    {"lieu_id": "L1", "lieu_name": "La Fabrique", "street_address": "3 rue Neuve", "postal_code": "69003",
     "commune_name": "Lyon 3e", "commune_code": "69383", "latitude": 45.7597, "longitude": 4.8422,
     "typologies": "Fablab / Makerspace / Hackerspace|Tiers-lieu culturel", "legal_status": "SCIC",
     "opening_year": 2018, "is_member": True, "website": "https://fabrique.example.org",
     "updated_date": pd.Timestamp("2025-03-14")},
    # name and postal code, no coordinates: the commune's point
    {"lieu_id": "L2", "lieu_name": "Le Champ Commun", "postal_code": "26400", "commune_name": "Crest",
     "typologies": "Tiers-lieu nourricier", "state": "en projet", "is_member": False},
    # swapped latitude/longitude: never published as they are
    {"lieu_id": "L3", "lieu_name": "L'Atelier", "commune_code": "1053", "latitude": 5.2255, "longitude": 46.2052},
    # Paris: outside the region, not exported
    {"lieu_id": "L4", "lieu_name": "Le Lieu parisien", "commune_code": "75056", "commune_name": "Paris"},
    # a name shared by several communes of the region: ambiguous, not exported
    {"lieu_id": "L5", "lieu_name": "Le Lieu de Beaulieu", "commune_name": "Beaulieu"},
    # coordinates in Lyon for a lieu of Grenoble: the commune's point
    {"lieu_id": "L6", "lieu_name": "La Cordée", "commune_code": "38185", "latitude": 45.7597, "longitude": 4.8422,
     "state": "fermé", "updated_date": pd.Timestamp("2024-01-05")},
]


@pytest.fixture(scope="module")
def reference():
    return load_reference("84")


@pytest.fixture(scope="module")
def placed(reference):
    return place_lieux(_lieux(ROWS), reference=reference)


def _text(*values: str | None) -> pd.Series:
    return pd.Series(list(values), dtype=object)


def _commune_point(reference, code: str) -> tuple[float, float]:
    row = reference.communes.set_index("commune_code").loc[code]
    return round(float(row["point_latitude"]), 6), round(float(row["point_longitude"]), 6)


def test_exact_public_table_of_the_lieux_resolved_in_the_region(placed, reference):
    table = lieux_open_data(placed)

    crest, bourg, grenoble = (_commune_point(reference, c) for c in ("26108", "01053", "38185"))
    expected = pd.DataFrame({
        "id": _text("L1", "L2", "L3", "L6"),
        "nom": _text("La Fabrique", "Le Champ Commun", "L'Atelier", "La Cordée"),
        "adresse": _text("3 rue Neuve", None, None, None),
        "code_postal": _text("69003", "26400", None, None),
        "commune": _text("Lyon", "Crest", "Bourg-en-Bresse", "Grenoble"),
        "code_insee": _text("69123", "26108", "01053", "38185"),
        "code_departement": _text("69", "26", "01", "38"),
        "latitude": [45.7597, crest[0], bourg[0], grenoble[0]],
        "longitude": [4.8422, crest[1], bourg[1], grenoble[1]],
        "source_coordonnees": _text("lieu", "commune", "commune", "commune"),
        "typologie": _text("Fablab / Makerspace / Hackerspace|Tiers-lieu culturel", "Tiers-lieu nourricier",
                           "Tiers-lieu culturel", "Tiers-lieu culturel"),
        "statut_juridique": _text("SCIC", None, None, None),
        "annee_ouverture": pd.array([2018, None, None, None], dtype="Int64"),
        "etat": _text("ouvert", "en projet", "ouvert", "fermé"),
        "membre_reseau": pd.array([True, False, True, True], dtype="boolean"),
        "site_web": _text("https://fabrique.example.org", None, None, None),
        "date_maj": pd.to_datetime(["2025-03-14", None, None, "2024-01-05"]).astype("datetime64[ns]"),
    })
    pd.testing.assert_frame_equal(table, expected)
    assert list(table.columns) == EXPECTED_COLUMNS == list(OPEN_DATA_COLUMNS)


def test_a_frame_already_resolved_is_placed_the_same_way(placed, reference):
    from relief_analytics.geo.resolve import resolve_communes

    again = place_lieux(resolve_communes(_lieux(ROWS), reference=reference), reference=reference)
    pd.testing.assert_frame_equal(again, placed)


def test_left_out_lieux_are_listed_with_the_reason(placed):
    excluded = excluded_lieux(placed)
    assert excluded[["lieu_id", "lieu_name", "resolution_status"]].to_dict("records") == [
        {"lieu_id": "L4", "lieu_name": "Le Lieu parisien", "resolution_status": "hors région"},
        {"lieu_id": "L5", "lieu_name": "Le Lieu de Beaulieu", "resolution_status": "ambiguë"},
    ]
    assert "hors région" in excluded.loc[0, "resolution_note"]
    assert excluded.loc[1, "resolution_note"].startswith("candidats : Beaulieu")


PERSONAL = {
    "member_id": "P-0123456789ab", "email": "alex.dupont@example.org", "nom_contact": "Dupont",
    "prenom_contact": "Alexandra", "telephone": "06 12 34 56 78", "contributeur": "Camille Martin",
}


def test_no_personal_column_can_reach_the_export(reference, tmp_path):
    rows = [{**row, **PERSONAL} for row in ROWS]
    table = lieux_open_data(place_lieux(_lieux(rows), reference=reference))

    assert list(table.columns) == EXPECTED_COLUMNS
    written = write_open_data(table, tmp_path, schema=open_data_schema())
    for path in written:
        text = path.read_text(encoding="utf-8")
        for value in PERSONAL.values():
            assert value not in text, (path.name, value)
        for column in PERSONAL:
            assert column not in text, (path.name, column)


def test_a_frame_not_placed_is_refused_with_the_way_to_fix_it(reference):
    with pytest.raises(KeyError, match=r"place_lieux\(…, reference=…\)"):
        lieux_open_data(_lieux(ROWS))


def _read_csv(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text), delimiter=","))


def test_csv_is_utf8_comma_separated_with_iso_dates(placed, tmp_path):
    write_open_data(lieux_open_data(placed), tmp_path, schema=open_data_schema())
    data = (tmp_path / "lieux.csv").read_bytes()
    assert not data.startswith(b"\xef\xbb\xbf")
    text = data.decode("utf-8")
    assert text.splitlines()[0] == ",".join(EXPECTED_COLUMNS)
    rows = _read_csv(text)
    assert [r["id"] for r in rows] == ["L1", "L2", "L3", "L6"]
    assert rows[0] == {
        "id": "L1", "nom": "La Fabrique", "adresse": "3 rue Neuve", "code_postal": "69003", "commune": "Lyon",
        "code_insee": "69123", "code_departement": "69", "latitude": "45.759700", "longitude": "4.842200",
        "source_coordonnees": "lieu", "typologie": "Fablab / Makerspace / Hackerspace|Tiers-lieu culturel",
        "statut_juridique": "SCIC", "annee_ouverture": "2018", "etat": "ouvert", "membre_reseau": "oui",
        "site_web": "https://fabrique.example.org", "date_maj": "2025-03-14",
    }
    assert (rows[1]["membre_reseau"], rows[1]["date_maj"], rows[1]["annee_ouverture"]) == ("non", "", "")


def test_geojson_is_an_rfc7946_feature_collection_in_lon_lat(placed):
    collection = open_data_geojson(lieux_open_data(placed))
    assert set(collection) == {"type", "features"}  # no « crs » member (RFC 7946 § 4)
    assert collection["type"] == "FeatureCollection"
    first = collection["features"][0]
    assert first["type"] == "Feature"
    assert first["id"] == "L1"
    assert first["geometry"] == {"type": "Point", "coordinates": [4.8422, 45.7597]}
    for feature in collection["features"]:
        longitude, latitude = feature["geometry"]["coordinates"]
        # AURA spans about 2.0–7.2 °E and 44.1–46.8 °N: longitude first, latitude second
        assert 2.0 < longitude < 7.3 and 44.0 < latitude < 46.9, feature["id"]
        assert feature["properties"]["longitude"] == longitude
        assert feature["properties"]["latitude"] == latitude
    # it survives a JSON round trip unchanged (plain JSON types only)
    assert json.loads(json.dumps(collection)) == collection


def test_csv_and_geojson_have_the_same_rows_and_values(placed, tmp_path):
    write_open_data(lieux_open_data(placed), tmp_path, schema=open_data_schema())
    rows = _read_csv((tmp_path / "lieux.csv").read_text(encoding="utf-8"))
    features = json.loads((tmp_path / "lieux.geojson").read_text(encoding="utf-8"))["features"]
    assert [f["id"] for f in features] == [r["id"] for r in rows]
    for row, feature in zip(rows, features, strict=True):
        properties = feature["properties"]
        assert list(properties) == list(row)
        for name, text in row.items():
            value = properties[name]
            if value is None:
                assert text == "", (row["id"], name)
            elif isinstance(value, bool):
                assert text == ("oui" if value else "non")
            elif isinstance(value, float):
                assert float(text) == value
            else:
                assert text == str(value), (row["id"], name)


def _check_cell(field: dict, text: str) -> None:
    """Check one CSV cell against its Table Schema field (types and constraints used here)."""
    constraints = field.get("constraints", {})
    if text == "":
        assert not constraints.get("required"), field["name"]
        return
    kind = field["type"]
    if kind == "number":
        value = float(text)
    elif kind == "integer":
        assert re.fullmatch(r"-?\d+", text), (field["name"], text)
        value = int(text)
    elif kind == "boolean":
        assert text in field["trueValues"] + field["falseValues"], (field["name"], text)
        return
    elif kind == "date":
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", text), (field["name"], text)
        pd.Timestamp(text)
        return
    else:
        assert kind == "string"
        value = text
    if "pattern" in constraints:
        assert re.fullmatch(constraints["pattern"], text), (field["name"], text)
    if "enum" in constraints:
        assert text in constraints["enum"], (field["name"], text)
    if "minimum" in constraints:
        assert value >= constraints["minimum"], (field["name"], text)
    if "maximum" in constraints:
        assert value <= constraints["maximum"], (field["name"], text)


def test_schema_describes_every_csv_column_and_every_row_satisfies_it(sample_config, tmp_path):
    from relief_analytics.load import load_table

    lieux = load_table(paths.SAMPLE_DATASET_DIR / "lieux.csv", table="lieux", config=sample_config).accepted
    table = lieux_open_data(place_lieux(lieux, reference=load_reference("84")))
    schema = open_data_schema(network="RELIEF", region_name="Auvergne-Rhône-Alpes", lists=sample_config.lists)
    write_open_data(table, tmp_path, schema=schema)
    stored = json.loads((tmp_path / "schema.json").read_text(encoding="utf-8"))
    assert stored == schema
    rows = _read_csv((tmp_path / "lieux.csv").read_text(encoding="utf-8"))
    assert len(rows) == len(lieux) > 100

    fields = {f["name"]: f for f in stored["fields"]}
    assert list(fields) == list(rows[0]) == EXPECTED_COLUMNS
    for field in stored["fields"]:
        assert set(field) >= {"name", "type", "format", "description", "example"}
        assert field["type"] in {"string", "number", "integer", "boolean", "date"}
        assert re.search(r"[a-zé]", field["description"]) and field["description"].endswith((".", "?"))
        _check_cell(field, field["example"])
    assert stored["primaryKey"] == ["id"]
    assert stored["missingValues"] == [""]
    assert fields["etat"]["constraints"]["enum"] == ["en projet", "ouvert", "fermé"]
    assert fields["membre_reseau"]["trueValues"] == ["oui"]
    ids = [r["id"] for r in rows]
    assert len(set(ids)) == len(ids)
    for row in rows:
        for name, text in row.items():
            _check_cell(fields[name], text)


def test_docs_page_shows_the_generated_field_table(sample_config):
    """docs/donnees_ouvertes.md holds the field table generated from the schema, never retyped."""
    page = (paths.PROJECT_DIR / "docs" / "donnees_ouvertes.md").read_text(encoding="utf-8")
    schema = open_data_schema(network="RELIEF", region_name="Auvergne-Rhône-Alpes", lists=sample_config.lists)
    assert render_field_table(schema) in page


def test_docstring_examples():
    assert doctest.testmod(opendata, optionflags=doctest.ELLIPSIS).failed == 0


def test_a_gis_reads_the_geojson_as_wgs84_points_matching_the_csv(placed, tmp_path):
    import geopandas as gpd

    write_open_data(lieux_open_data(placed), tmp_path, schema=open_data_schema())
    layer = gpd.read_file(tmp_path / "lieux.geojson")
    rows = _read_csv((tmp_path / "lieux.csv").read_text(encoding="utf-8"))
    assert layer.crs.to_epsg() == 4326
    assert layer["id"].tolist() == [r["id"] for r in rows]
    assert set(layer.geom_type) == {"Point"}
    assert layer.geometry.x.round(6).tolist() == [float(r["longitude"]) for r in rows]
    assert layer.geometry.y.round(6).tolist() == [float(r["latitude"]) for r in rows]
