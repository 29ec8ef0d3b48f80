"""Homonyms never pull a lieu into the region; input problems are warnings, listed for the user.

``fixtures/homonymes_hors_region.csv`` holds 36 rows, each a commune outside Auvergne-Rhône-Alpes
whose name is also the name of a commune of the region (Beaulieu, Saint-Hilaire, Villeneuve…),
read as text exactly as a volunteer's CSV would be (``;``, decimal commas, a lost leading zero).
Each row carries at least one clue pointing to its real place: its INSEE code, a postal code of
its département (the chef-lieu's), a point inside its département, or ``(46)`` after the name.
Rows whose other clue points *inside* the region are ``conflit``; all others ``hors région``.
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
import shapely

from relief_analytics.geo.resolve import (
    CONFLICT,
    OUT_OF_REGION,
    PROBLEM_COLUMNS,
    RESOLVED,
    resolution_problems,
    resolve_communes,
)

FIXTURE = Path(__file__).parent / "fixtures" / "homonymes_hors_region.csv"


@pytest.fixture(scope="module")
def homonyms() -> pd.DataFrame:
    return pd.read_csv(FIXTURE, sep=";", dtype=str, keep_default_na=False, na_values=[""])


@pytest.fixture(scope="module")
def resolved_homonyms(homonyms, reference) -> pd.DataFrame:
    return resolve_communes(homonyms, reference=reference)


def test_fixture_names_all_exist_in_the_region(homonyms, reference):
    """Guard: each row is a real trap (its bare name alone would match communes of the region)."""
    bare = homonyms["commune_name"].str.replace(r"\s*\(\d+\)$", "", regex=True)
    alone = resolve_communes(pd.DataFrame({"commune_name": bare}), reference=reference)
    assert len(homonyms) >= 30
    assert alone["resolution_status"].isin([RESOLVED, "ambiguë"]).all()


def test_no_homonym_is_placed_in_the_region(resolved_homonyms):
    assert (resolved_homonyms["resolution_status"] == RESOLVED).sum() == 0
    assert resolved_homonyms["commune_code_resolved"].isna().all()
    assert resolved_homonyms["departement_code"].isna().all()


def test_exact_status_of_each_homonym(resolved_homonyms, homonyms):
    assert resolved_homonyms["resolution_status"].tolist() == homonyms["statut_attendu"].tolist()
    counts = resolved_homonyms["resolution_status"].value_counts().to_dict()
    assert counts == {OUT_OF_REGION: 31, CONFLICT: 5}


@pytest.mark.parametrize(
    ("name", "expected_note"),
    [
        ("Sainte-Colombe", "code INSEE 05135 hors région : Sainte-Colombe (05)"),
        ("Verrières", "code postal 08000 hors région (département 08)"),
        ("Brion", "coordonnées hors région (département 36)"),
        ("Celles", "code INSEE 09093 hors région : Celles (09)"),
        ("Saint-Sulpice (46)", "département indiqué (46) hors région"),
        (
            "Villars",
            "indices contradictoires : hors région selon code INSEE 24582 hors région : "
            "Villars (24) ≠ dans la région selon code postal 42390",
        ),
        (
            "Colombier",
            "indices contradictoires : hors région selon code postal 21000 hors région "
            "(département 21) ≠ dans la région selon coordonnées → Colombier (03, 03081)",
        ),
    ],
)
def test_note_says_where_the_clues_point(resolved_homonyms, name, expected_note):
    note = resolved_homonyms.set_index("commune_name").at[name, "resolution_note"]
    assert note.startswith(expected_note)


def test_homonym_in_region_is_said_ignored(resolved_homonyms):
    note = resolved_homonyms.set_index("commune_name").at["Saint-Loup", "resolution_note"]
    assert note == (
        "code INSEE 17356 hors région : Saint-Loup (17) ; "
        "nom homonyme d'une commune de la région, ignoré"
    )


def test_decimal_comma_coordinates_are_read(reference):
    rows = pd.DataFrame(
        {
            "latitude": ["45,7640", "45.18163", "45,7773"],
            "longitude": ["4,8357", "5,72551", " 3,0870 "],
        }
    )
    out = resolve_communes(rows, reference=reference)
    assert out["commune_code_resolved"].tolist() == ["69123", "38185", "63113"]
    assert out["resolution_method"].tolist() == ["coordonnées"] * 3
    assert out["resolution_warning"].isna().all()


def test_swapped_coordinates_are_a_warning_not_a_silent_fix(reference):
    rows = pd.DataFrame(
        {
            "commune_name": ["Lyon", None],
            "latitude": [4.8357, "5,72551"],
            "longitude": [45.7640, "45,18163"],
        }
    )
    out = resolve_communes(rows, reference=reference)
    assert out["commune_code_resolved"].tolist() == ["69123", "38185"]
    assert out["resolution_warning"].tolist() == ["latitude et longitude inversées ?"] * 2


def test_swapped_coordinates_outside_the_region_are_read_swapped(reference):
    rows = pd.DataFrame(
        {"commune_name": ["Beaulieu"], "latitude": [1.53721], "longitude": [46.81695]}
    )
    out = resolve_communes(rows, reference=reference)
    assert out.loc[0, "resolution_status"] == OUT_OF_REGION
    assert out.loc[0, "resolution_warning"] == "latitude et longitude inversées ?"
    assert "coordonnées hors région (département 36)" in out.loc[0, "resolution_note"]


def test_nonexistent_insee_code_is_a_warning(reference):
    rows = pd.DataFrame(
        {
            "commune_code": ["99999", "38999", "abc", "38185"],
            "commune_name": ["Grenoble", None, None, None],
        }
    )
    out = resolve_communes(rows, reference=reference)
    assert out["resolution_status"].tolist() == [RESOLVED, "non résolue", "non résolue", RESOLVED]
    assert out["commune_code_resolved"].tolist()[0] == "38185"
    assert out["resolution_warning"].fillna("").tolist() == [
        "code INSEE 99999 inexistant",
        "code INSEE 38999 inexistant",
        "code INSEE illisible : abc",
        "",
    ]


def test_point_just_outside_the_contours_neither_places_nor_excludes(reference):
    """300 m west of the region's westernmost vertex: « à la limite », not « hors région »."""
    projected = reference.communes.geometry.dropna().to_crs(reference.projected_crs)
    x, y = min(shapely.get_coordinates(projected.to_numpy()), key=lambda xy: xy[0])
    point = gpd.GeoSeries([shapely.Point(x - 300, y)], crs=reference.projected_crs)
    point = point.to_crs("EPSG:4326").iloc[0]
    out = resolve_communes(
        pd.DataFrame({"latitude": [point.y], "longitude": [point.x]}), reference=reference
    )
    assert out.loc[0, "resolution_status"] == "non résolue"
    assert out.loc[0, "resolution_note"] == (
        "coordonnées à la limite de la région, hors des contours"
    )


def test_resolution_problems_lists_each_problem_in_french(reference):
    lieux = pd.DataFrame(
        {
            "lieu_id": ["L1", "L2", "L3", "L4"],
            "lieu_name": ["La Forge", "Le Hangar", "Tiers-lieu du Pin", "Les Ateliers"],
            "commune_code": [None, "38185", "14504", None],
            "commune_name": ["Beaulieu", None, "Le Pin", "Lyon"],
            "latitude": [None, None, None, 4.8357],
            "longitude": [None, None, None, 45.7640],
        }
    )
    out = resolve_communes(lieux, reference=reference)
    problems = resolution_problems(out, table="lieux", id_col="lieu_id", label_col="lieu_name")
    assert list(problems.columns) == list(PROBLEM_COLUMNS)
    assert problems.to_dict("records") == [
        {
            "table": "lieux",
            "identifier": "L1",
            "label": "La Forge",
            "status": "ambiguë",
            "problem": "candidats : Beaulieu (07, 07028) ; Beaulieu (15, 15020) ; "
            "Beaulieu (38, 38033) ; Beaulieu (43, 43021) ; Beaulieu (63, 63031)",
        },
        {
            "table": "lieux",
            "identifier": "L3",
            "label": "Tiers-lieu du Pin",
            "status": "hors région",
            "problem": "code INSEE 14504 hors région : Le Pin (14) ; "
            "nom homonyme d'une commune de la région, ignoré",
        },
        {
            "table": "lieux",
            "identifier": "L4",
            "label": "Les Ateliers",
            "status": "résolue",
            "problem": "latitude et longitude inversées ?",
        },
    ]


def test_resolution_problems_without_label_for_tables_about_people(reference):
    adhesions = pd.DataFrame({"membership_id": ["A1"], "postal_code": ["75011"]})
    out = resolve_communes(adhesions, reference=reference)
    problems = resolution_problems(out, table="adhesions", id_col="membership_id")
    assert problems.to_dict("records") == [
        {
            "table": "adhesions",
            "identifier": "A1",
            "label": None,
            "status": "hors région",
            "problem": "code postal 75011 hors région (département 75)",
        }
    ]


@pytest.fixture(scope="module")
def national(reference) -> pd.DataFrame:
    """A national-like table: 3,000 communes of every region, by code and name, some by name only."""
    france = reference.france_communes.sample(3000, random_state=7).reset_index(drop=True)
    table = pd.DataFrame(
        {
            "commune_code": france["commune_code"].str.lstrip("0"),
            "commune_name": france["commune_name"].str.upper(),
            "region_code": france["region_code"],
        }
    )
    table.loc[::3, "commune_code"] = None  # a census's « 0 », once the importer mapped it
    return table


def test_national_table_places_exactly_the_regions_rows_given_by_code(national, reference):
    out = resolve_communes(national, reference=reference, assume_in_region=False)
    by_code = national["commune_code"].notna()
    in_region = national["region_code"] == "84"
    placed = out["resolution_status"] == RESOLVED
    assert placed[by_code].tolist() == in_region[by_code].tolist()
    assert set(out.loc[by_code & ~in_region, "resolution_status"]) == {OUT_OF_REGION}
    assert not placed[~in_region].any()


def test_national_table_name_alone_is_never_placed_on_a_homonym(national, reference):
    out = resolve_communes(national, reference=reference, assume_in_region=False)
    by_name = national["commune_code"].isna()
    placed = out[by_name & (out["resolution_status"] == RESOLVED)]
    assert len(placed) > 0
    assert set(national.loc[placed.index, "region_code"]) == {"84"}
    assert placed["resolution_method"].eq("nom").all()
    assert not placed["resolution_note"].str.contains("hors région", na=False).any()


def test_name_alone_shared_with_other_regions(reference):
    rows = pd.DataFrame(
        {
            "commune_name": ["Valence", "Valence (26)", "Valence"],
            "postal_code": [None, None, "26000"],
        }
    )
    national = resolve_communes(rows, reference=reference, assume_in_region=False)
    regional = resolve_communes(rows, reference=reference)
    assert national["resolution_status"].tolist() == ["ambiguë", RESOLVED, RESOLVED]
    assert national.loc[0, "resolution_note"] == (
        "nom seul, porté aussi hors région (16, 82) ; candidat dans la région : Valence (26, 26362)"
    )
    assert regional["commune_code_resolved"].tolist() == ["26362"] * 3
    assert regional["resolution_note"].isna().all()


def test_empty_table(reference):
    out = resolve_communes(
        pd.DataFrame({"commune_code": pd.Series([], dtype=object)}), reference=reference
    )
    assert len(out) == 0
    assert list(out.columns[1:]) == [
        "commune_code_resolved",
        "resolution_status",
        "resolution_method",
        "resolution_note",
        "departement_code",
        "epci_code",
        "resolution_warning",
    ]
