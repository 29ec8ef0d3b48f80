"""Commune resolution: a hand-written table of tricky inputs, each asserted exactly."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from relief_analytics.geo.resolve import communes_at_points, resolution_problems, resolve_communes

NA = None
R, A, N = "résolue", "ambiguë", "non résolue"
C, H = "conflit", "hors région"

# (case, commune_code, postal_code, commune_name, latitude, longitude,
#  expected code, status, method, substring expected in the note or None)
# fmt: off
CASES = [
    # INSEE codes
    ("code exact", "69266", NA, NA, NA, NA, "69266", R, "code INSEE", None),
    ("zéro perdu (texte)", "1053", NA, NA, NA, NA, "01053", R, "code INSEE", None),
    ("zéro perdu (nombre)", 1053, NA, NA, NA, NA, "01053", R, "code INSEE", None),
    ("zéro perdu (flottant)", 7186.0, NA, NA, NA, NA, "07186", R, "code INSEE", None),
    ("espaces autour", " 38185 ", NA, NA, NA, NA, "38185", R, "code INSEE", None),
    ("arrondissement de Lyon", "69383", NA, NA, NA, NA, "69123", R, "code INSEE", "arrondissement municipal 69383"),
    ("arrondissement 1er", "69381", NA, NA, NA, NA, "69123", R, "code INSEE", "Lyon 1er Arrondissement"),
    ("code d'une commune déléguée", "01144", NA, NA, NA, NA, "01025", R, "code INSEE", "commune déléguée 01144 Dommartin"),
    ("code d'une ancienne commune (Seynod)", "74268", NA, NA, NA, NA, "74010", R, "code INSEE", "Seynod"),
    ("code hors région", "75056", NA, NA, NA, NA, NA, H, NA, "code INSEE 75056 hors région : Paris (75)"),
    ("code inconnu", "99999", NA, NA, NA, NA, NA, N, NA, "code INSEE 99999 inconnu"),
    ("code illisible", "abc", NA, NA, NA, NA, NA, N, NA, "code INSEE illisible : abc"),
    ("code juste, nom d'une autre commune", "69266", NA, "Lyon", NA, NA, NA, C, NA, "code INSEE 69266 → Villeurbanne (69, 69266) ≠ nom « Lyon » → Lyon (69, 69123)"),
    ("code, code postal et coordonnées d'accord, nom d'une autre commune : ancien nom ?", "69266", "69100", "Lyon", 45.7719, 4.8902, "69266", R, "code INSEE", "nom saisi « Lyon » différent de la commune du code INSEE 69266 → Villeurbanne (69, 69266), que confirment le code postal 69100 et les coordonnées : code INSEE retenu, ancien nom de la commune (renommée ou fusionnée depuis) ?"),
    ("code et code postal d'accord, nom d'une autre commune : code retenu", "69266", "69100", "Lyon", NA, NA, "69266", R, "code INSEE", "que confirment le code postal 69100 : code INSEE retenu"),
    ("code et coordonnées d'accord, nom connu seulement hors région", "69266", NA, "Marseille", 45.7719, 4.8902, "69266", R, "code INSEE", "nom saisi « Marseille » différent de la commune du code INSEE 69266 → Villeurbanne (69, 69266), que confirment les coordonnées"),
    ("code et code postal d'accord, coordonnées ailleurs, autre nom : conflit", "69266", "69100", "Lyon", 45.18163, 5.72551, NA, C, NA, "code INSEE 69266 → Villeurbanne (69, 69266) ≠ nom « Lyon » → Lyon (69, 69123)"),
    ("code juste, nom mal orthographié", "69266", NA, "Villeurbane", NA, NA, "69266", R, "code INSEE", "nom saisi « Villeurbane » différent de « Villeurbanne »"),
    ("code juste, ancien nom", "74268", NA, "Seynod", NA, NA, "74010", R, "code INSEE", "commune déléguée 74268 Seynod"),
    ("code et code postal du même département", "69266", "69003", NA, NA, NA, "69266", R, "code INSEE", "code postal 69003 non rattaché à cette commune"),
    ("code et code postal d'un autre département : code retenu, signalé", "69266", "38000", NA, NA, NA, "69266", R, "code INSEE", "indices contradictoires, code INSEE retenu : code INSEE 69266 → Villeurbanne (69, 69266) ≠ code postal 38000 → Grenoble (38, 38185)"),
    ("code et coordonnées dans une autre commune : code retenu, signalé", "38185", NA, NA, 45.7640, 4.8357, "38185", R, "code INSEE", "indices contradictoires, code INSEE retenu : code INSEE 38185 → Grenoble (38, 38185) ≠ coordonnées → Lyon (69, 69123)"),
    ("code faux, nom juste", "99999", NA, "Villeurbanne", NA, NA, "69266", R, "nom", "code INSEE 99999 inconnu"),
    # Names
    ("nom exact", NA, NA, "Grenoble", NA, NA, "38185", R, "nom", None),
    ("majuscules sans accents", NA, NA, "CLERMONT FERRAND", NA, NA, "63113", R, "nom", None),
    ("St- abrégé", NA, NA, "St-Etienne", NA, NA, "42218", R, "nom", None),
    ("St. avec point", NA, NA, "St. Étienne", NA, NA, "42218", R, "nom", None),
    ("Ste abrégé", NA, NA, "Ste Foy les Lyon", NA, NA, "69202", R, "nom", None),
    ("apostrophes et tirets absents", NA, NA, "st martin d heres", NA, NA, "38421", R, "nom", None),
    ("apostrophe typographique", NA, NA, "Saint-Martin-d’Hères", NA, NA, "38421", R, "nom", None),
    ("article omis", NA, NA, "Puy-en-Velay", NA, NA, "43157", R, "nom", None),
    ("article L' omis", NA, NA, "Isle d'Abeau", NA, NA, "38193", R, "nom", None),
    ("article Les omis", NA, NA, "Houches", NA, NA, "74143", R, "nom", None),
    ("article présent", NA, NA, "Les Allues", NA, NA, "73015", R, "nom", None),
    ("nom sans article préféré à l'homonyme avec article", NA, NA, "Crest", NA, NA, "26108", R, "nom", None),
    ("homonyme avec article", NA, NA, "Le Crest", NA, NA, "63126", R, "nom", None),
    ("Lyon 3e", NA, NA, "Lyon 3e", NA, NA, "69123", R, "nom", "arrondissement municipal de Lyon"),
    ("Lyon 03", NA, NA, "Lyon 03", NA, NA, "69123", R, "nom", "Lyon 3e Arrondissement"),
    ("Lyon 3ème", NA, NA, "LYON 3ème", NA, NA, "69123", R, "nom", "Lyon 3e Arrondissement"),
    ("Lyon 1er arrondissement", NA, NA, "Lyon 1er arrondissement", NA, NA, "69123", R, "nom", "Lyon 1er"),
    ("Lyon Cedex", NA, NA, "LYON CEDEX 07", NA, NA, "69123", R, "nom", None),
    ("commune déléguée → commune nouvelle", NA, NA, "Annecy-le-Vieux", NA, NA, "74010", R, "nom", "commune déléguée de Annecy"),
    ("ancienne commune (Liergues)", NA, NA, "Liergues", NA, NA, "69114", R, "nom", "Porte des Pierres Dorées"),
    ("ancienne commune (Saint-Martin-de-Belleville)", NA, NA, "St Martin de Belleville", NA, NA, "73257", R, "nom", "Les Belleville"),
    ("ancienne commune (Bellegarde)", NA, NA, "Bellegarde sur Valserine", NA, NA, "01033", R, "nom", "Valserhône"),
    ("département entre parenthèses", NA, NA, "Beaulieu (38)", NA, NA, "38033", R, "nom", None),
    ("département entre parenthèses sans la commune", NA, NA, "Beaulieu (26)", NA, NA, NA, N, NA, "aucune commune « Beaulieu » dans le département 26"),
    ("commune rétablie en 2025", NA, NA, "Chavagnac", NA, NA, "15047", R, "nom", None),
    # Homonyms: never guessed
    ("homonymes (5 départements)", NA, NA, "Beaulieu", NA, NA, NA, A, "nom", "candidats : Beaulieu (07, 07028) ; Beaulieu (15, 15020)"),
    ("homonymes sans article", NA, NA, "Breuil", NA, NA, NA, A, "nom", "Le Breuil (03, 03042) ; Le Breuil (69, 69026)"),
    ("homonyme d'une commune déléguée", NA, NA, "Dommartin", NA, NA, NA, A, "nom", "Dommartin, commune déléguée de Bâgé-Dommartin (01, 01025)"),
    ("Saint-Hilaire", NA, NA, "Saint Hilaire", NA, NA, NA, A, "nom", "Saint-Hilaire (63, 63360)"),
    # Postal code + name
    ("code postal départage", NA, "07460", "Beaulieu", NA, NA, "07028", R, "code postal + nom", None),
    ("code postal départage (déléguée)", NA, "69380", "Dommartin", NA, NA, "69076", R, "code postal + nom", None),
    ("code postal sans zéro", NA, 1000, "Bourg en Bresse", NA, NA, "01053", R, "code postal + nom", None),
    ("code postal d'arrondissement", NA, "69003", "Lyon", NA, NA, "69123", R, "code postal + nom", None),
    ("CEDEX : département du code postal", NA, "43009", "Beaulieu", NA, NA, "43021", R, "code postal + nom", "code postal 43009 non rattaché"),
    ("code postal incohérent, nom unique", NA, "74000", "Grenoble", NA, NA, NA, C, NA, "nom « Grenoble » → Grenoble (38, 38185) ≠ code postal 74000 → Annecy (74, 74010)"),
    # Postal code alone
    ("code postal seul, une commune", NA, "74000", NA, NA, NA, "74010", R, "code postal", None),
    ("code postal seul, plusieurs communes", NA, "01000", NA, NA, NA, NA, A, "code postal", "Bourg-en-Bresse (01, 01053) ; Saint-Denis-lès-Bourg (01, 01344)"),
    ("code postal hors région", NA, "75011", NA, NA, NA, NA, H, NA, "code postal 75011 hors région (département 75)"),
    # Nonsense and empty
    ("nom inconnu", NA, NA, "Xyzville", NA, NA, NA, N, NA, "nom « Xyzville » inconnu dans la région"),
    ("commune hors région", NA, NA, "Paris", NA, NA, NA, H, NA, "commune « Paris » hors région (75)"),
    ("rien", NA, NA, NA, NA, NA, NA, N, NA, "aucune information de localisation"),
    ("blancs", "  ", " ", "   ", NA, NA, NA, N, NA, "aucune information de localisation"),
    # Coordinates
    ("coordonnées seules", NA, NA, NA, 45.7640, 4.8357, "69123", R, "coordonnées", None),
    ("coordonnées seules (Clermont)", NA, NA, NA, 45.7773, 3.0870, "63113", R, "coordonnées", None),
    ("latitude et longitude inversées", NA, NA, NA, 4.8357, 45.7640, "69123", R, "coordonnées", "latitude et longitude inversées ?"),
    ("coordonnées hors région", NA, NA, NA, 48.8566, 2.3522, NA, H, NA, "coordonnées hors région (département 75)"),
    ("coordonnées à virgule décimale", NA, NA, NA, "45,7640", "4,8357", "69123", R, "coordonnées", None),
    ("coordonnées à virgule décimale et nom", NA, NA, "Lyon", " 45,7640 ", "4,8357", "69123", R, "nom", None),
    ("coordonnées 0, 0", NA, NA, "Grenoble", 0, 0, "38185", R, "nom", "coordonnées 0, 0 ignorées"),
    ("coordonnées invalides", NA, NA, NA, 145.0, 300.0, NA, N, NA, "coordonnées incomplètes ou invalides"),
    ("latitude seule", NA, NA, NA, 45.7, NA, NA, N, NA, "coordonnées incomplètes ou invalides"),
    ("contour couvrant des communes rétablies", NA, NA, NA, 45.13998, 2.95605, NA, A, "coordonnées", "Celles (15, 15031)"),
    ("nom ambigu départagé par les coordonnées", NA, NA, "Beaulieu", 45.13929, 3.94989, "43021", R, "coordonnées", "nom ambigu, départagé"),
    ("nom ambigu, coordonnées ailleurs", NA, NA, "Beaulieu", 45.7640, 4.8357, NA, C, NA, "≠ coordonnées → Lyon (69, 69123)"),
    ("nom unique, coordonnées ailleurs", NA, NA, "Grenoble", 45.7640, 4.8357, NA, C, NA, "nom « Grenoble » → Grenoble (38, 38185) ≠ coordonnées → Lyon (69, 69123)"),
    ("nom et coordonnées d'accord", NA, NA, "Grenoble", 45.18163, 5.72551, "38185", R, "nom", None),
    ("code de la région, coordonnées hors région", "38185", NA, NA, 48.8566, 2.3522, NA, C, NA, "hors région selon coordonnées hors région (département 75) ≠ dans la région selon code INSEE 38185 → Grenoble (38, 38185)"),
    ("nom inconnu, coordonnées", NA, NA, "Grenobel", 45.18163, 5.72551, "38185", R, "coordonnées", "nom « Grenobel » inconnu"),
]
# fmt: on


@pytest.fixture(scope="module")
def resolved(reference) -> pd.DataFrame:
    frame = pd.DataFrame(
        [case[1:6] for case in CASES],
        columns=["commune_code", "postal_code", "commune_name", "latitude", "longitude"],
        index=[f"r{position}" for position in range(len(CASES))],
    ).astype(
        {"commune_code": object, "postal_code": object, "latitude": object, "longitude": object}
    )
    return resolve_communes(frame, reference=reference)


@pytest.mark.parametrize("position", range(len(CASES)), ids=[case[0] for case in CASES])
def test_resolution_case(resolved, position):
    _, *_, code, status, method, note = CASES[position]
    row = resolved.iloc[position]
    got_code = None if pd.isna(row["commune_code_resolved"]) else row["commune_code_resolved"]
    got_method = None if pd.isna(row["resolution_method"]) else row["resolution_method"]
    assert (got_code, row["resolution_status"], got_method) == (code, status, method)
    if note is not None:
        assert note in row["resolution_note"]


def test_output_keeps_index_and_adds_columns(resolved):
    assert list(resolved.index[:2]) == ["r0", "r1"]
    assert list(resolved.columns[-7:]) == [
        "commune_code_resolved",
        "resolution_status",
        "resolution_method",
        "resolution_note",
        "departement_code",
        "epci_code",
        "resolution_warning",
    ]


def test_lyon_arrondissements_end_in_metropole_de_lyon(reference):
    frame = pd.DataFrame({"commune_code": [f"6938{n}" for n in range(1, 10)]})
    out = resolve_communes(frame, reference=reference)
    assert set(out["commune_code_resolved"]) == {"69123"}
    assert set(out["departement_code"]) == {"69"}
    assert set(out["epci_code"]) == {"200046977"}
    name = reference.epci.set_index("epci_code").at["200046977", "epci_name"]
    assert "Lyon" in name


def test_missing_columns_count_as_empty(reference):
    events = pd.DataFrame({"title": ["AG"], "commune_name": ["Valence"]})
    out = resolve_communes(events, reference=reference)
    assert out.loc[0, "commune_code_resolved"] == "26362"
    assert out.loc[0, "departement_code"] == "26"


def test_input_frame_is_not_modified(reference):
    frame = pd.DataFrame({"commune_code": ["1053"]})
    resolve_communes(frame, reference=reference)
    assert list(frame.columns) == ["commune_code"]


def test_communes_at_points(reference):
    got = communes_at_points(
        reference, np.array([5.72551, 2.3522, np.nan]), np.array([45.18163, 48.8566, 45.0])
    )
    assert got == ["38185", None, None]


def test_a_confirmed_code_outweighs_a_former_name_and_says_so_as_a_warning(reference):
    rows = pd.DataFrame({"lieu_id": ["L1"], "lieu_name": ["La Fabrique"], "commune_code": ["69266"],
                         "postal_code": ["69100"], "commune_name": ["Lyon"],
                         "latitude": [45.7719], "longitude": [4.8902]})
    out = resolve_communes(rows, reference=reference)
    assert out.loc[0, "resolution_status"] == "résolue"
    assert out.loc[0, "resolution_warning"] == (
        "nom saisi « Lyon » différent de la commune du code INSEE 69266 → Villeurbanne (69, 69266), "
        "que confirment le code postal 69100 et les coordonnées : code INSEE retenu, ancien nom de la "
        "commune (renommée ou fusionnée depuis) ?")
    problems = resolution_problems(out, table="lieux", id_col="lieu_id", label_col="lieu_name")
    assert problems[["status", "problem"]].values.tolist() == [
        ["résolue", out.loc[0, "resolution_warning"]]]
    assert "conflit" not in problems["problem"].iloc[0]
