"""Name keys and code normalisation."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from relief_analytics.geo.normalize import (
    commune_name_key,
    commune_name_key_pair,
    full_commune_name,
    normalize_insee_code,
    normalize_insee_codes,
    normalize_postal_code,
    normalize_postal_codes,
    parse_coordinates,
    split_departement_hint,
)


@pytest.mark.parametrize(
    ("left", "right"),
    [
        ("Saint-Étienne", "ST ETIENNE"),
        ("Sainte-Foy-lès-Lyon", "Ste Foy les Lyon"),
        ("Saint-Martin-d'Hères", "St Martin d’Heres"),
        ("Lyon 3e Arrondissement", "Lyon 03"),
        ("Lyon 3e Arrondissement", "lyon 3ème"),
        ("Lyon 1er Arrondissement", "Lyon 1"),
        ("Lyon", "LYON CEDEX 07"),
        ("Lyon", "Lyon 69003"),
        ("Œuilly", "oeuilly"),
    ],
)
def test_same_key(left, right):
    assert commune_name_key(left) == commune_name_key(right)


def test_articles():
    assert commune_name_key("Le Crest") != commune_name_key("Crest")
    assert commune_name_key("Le Crest", drop_article=True) == commune_name_key(
        "Crest", drop_article=True
    )
    assert commune_name_key("L'Isle-d'Abeau", drop_article=True) == "isledabeau"
    assert commune_name_key("Les", drop_article=True) == "les"  # never empty


@pytest.mark.parametrize("value", [None, float("nan"), "", "   "])
def test_empty_name(value):
    assert commune_name_key(value) == ""


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("1053", "01053"),
        (1053, "01053"),
        (1053.0, "01053"),
        ("01053", "01053"),
        (" 69123 ", "69123"),
        ("2a004", "2A004"),
        ("2B033", "2B033"),
        ("123", None),
        ("1053.5", None),
        ("abc", None),
        (None, None),
    ],
)
def test_insee_code(value, expected):
    assert normalize_insee_code(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [(1000, "01000"), ("69 003", "69003"), ("69003", "69003"), ("6900", "06900"), ("F-69", None)],
)
def test_postal_code(value, expected):
    assert normalize_postal_code(value) == expected


def test_departement_hint_and_full_name():
    assert split_departement_hint("Beaulieu (07)") == ("Beaulieu", "07")
    assert split_departement_hint("Ajaccio (2a)") == ("Ajaccio", "2A")
    assert full_commune_name("Abergement-Clémenciat", "5") == "L'Abergement-Clémenciat"
    assert full_commune_name("Marais", 6) == "Aux Marais"


INSEE_INPUTS = [
    "1053",
    1053,
    1053.0,
    "01053",
    " 69123 ",
    "2a004",
    "2B033",
    "123",
    "1053.5",
    "abc",
    None,
    float("nan"),
    1053.5,
    "  ",
]
POSTAL_INPUTS = [1000, "69 003", "69003", "6900", "F-69", "", None, 1000.0, "01000 "]


def test_column_wise_insee_codes_agree_with_one_by_one():
    expected = [normalize_insee_code(value) for value in INSEE_INPUTS]
    got = normalize_insee_codes(INSEE_INPUTS).astype(object).where(lambda s: s.notna(), None)
    assert got.tolist() == expected


def test_column_wise_postal_codes_agree_with_one_by_one():
    expected = [normalize_postal_code(value) for value in POSTAL_INPUTS]
    got = normalize_postal_codes(POSTAL_INPUTS).astype(object).where(lambda s: s.notna(), None)
    assert got.tolist() == expected


def test_coordinates_with_decimal_comma():
    values = pd.Series(["45,7640", " 4.8357 ", "", None, "N45", "45,76,1", 45.0], dtype=object)
    got = parse_coordinates(values)
    assert got[:2].tolist() == [45.764, 4.8357]
    assert np.isnan(got[2:6]).all()
    assert got[6] == 45.0
    assert parse_coordinates(pd.Series([45.5, None], dtype=float))[0] == 45.5


@pytest.mark.parametrize("name", ["Les Allues", "Le Crest", "Crest", "Les", "St-Étienne", None, ""])
def test_key_pair_is_both_keys(name):
    assert commune_name_key_pair(name) == (
        commune_name_key(name),
        commune_name_key(name, drop_article=True),
    )
