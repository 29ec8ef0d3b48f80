"""Any lieux table through a mapping file: a generated national table, exactly the region placed."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from ledger import assert_ledger_balances

from relief_analytics.geo.normalize import commune_name_key
from relief_analytics.importers.mapping import import_mapped_table, read_mapping
from relief_analytics.load import DataError
from relief_analytics.paths import REFERENCE_DIR

FIXTURES = Path(__file__).parent / "fixtures"
MAPPINGS = [FIXTURES / "correspondance_recensement.json", FIXTURES / "correspondance_recensement.toml"]


def _postal_for(departement: str) -> str:
    if departement in ("2A", "2B"):
        return "20000"
    return departement + "00" if len(departement) == 3 else departement + "000"


def national_table() -> pd.DataFrame:
    """Every 40th commune of France, one tiers-lieu each, with the placeholders of census extracts.

    Five kinds of rows, in turn: INSEE code only (postal « 0 »); postal code only (INSEE « 0 »);
    INSEE code without its leading zero; commune name only (INSEE and postal « NC ») when the
    name is borne by a single commune of France; INSEE code with coordinates « NC ».
    """
    france = pd.read_csv(REFERENCE_DIR / "france" / "communes.csv.gz", dtype=str)
    keys = france["commune_name"].map(lambda n: commune_name_key(n, drop_article=True))
    unique_name = ~keys.duplicated(keep=False)
    rows = []
    for i, commune in enumerate(france.iloc[::40].itertuples()):
        variant = i % 5
        if variant == 3 and not unique_name[commune.Index]:
            variant = 0
        code, postal = commune.commune_code, "0"
        if variant == 1:
            code, postal = "0", _postal_for(commune.departement_code)
        elif variant == 2:
            code = code.lstrip("0") if code[0] == "0" else code
            postal = ""
        elif variant == 3:
            code, postal = "NC", "NC"
        rows.append({
            "ID": f"{i + 1:05d}", "Nom du tiers-lieu": f"Tiers-lieu n° {i + 1}", "Code INSEE": code,
            "CP": postal, "Commune": commune.commune_name, "Lat": "NC", "Lon": "NC",
            "Typologie": "Espace de travail partagé; Fablab" if i % 2 else "Lieu de culture",
            "Forme juridique": "Asso" if i % 3 else "0", "region": commune.region_code,
            "true_code": commune.commune_code,
        })
    return pd.DataFrame(rows)


@pytest.mark.parametrize("mapping", MAPPINGS, ids=["json", "toml"])
def test_national_table_places_exactly_the_regions_rows(mapping, dataset_dir: Path, settings, tmp_path):
    table = national_table()
    assert table["region"].nunique() >= 13  # every region of France is there
    source = tmp_path / "recensement.csv"
    table.drop(columns=["region", "true_code"]).to_csv(source, sep=";", index=False, encoding="utf-8-sig")
    report = import_mapped_table(source, mapping, dataset_dir=dataset_dir, settings=settings)

    in_region = table[table["region"] == "84"]
    assert report.read_count == len(table)
    assert sorted(report.added_keys) == sorted("FTL-" + in_region["ID"])
    assert len(report.out_of_region) == len(table) - len(in_region)
    assert sorted(report.out_of_region["ligne"]) == sorted(table.index[table["region"] != "84"] + 2)
    assert report.issues.empty
    first = report.rows.iloc[0]
    assert first[["lieu_name", "typologies", "legal_status", "state", "is_member", "latitude"]].tolist() \
        == [in_region.iloc[0]["Nom du tiers-lieu"], "Tiers-lieu culturel", None, "ouvert", "non", None]
    assert set(report.rows["typologies"]) == {
        "Tiers-lieu culturel", "Bureaux partagés / Coworking|Fablab / Makerspace / Hackerspace"}
    assert set(report.rows["legal_status"].dropna()) == {"Association"}
    assert f"Hors de la région configurée (non importées) : {len(table) - len(in_region)}" in \
        report.lines_fr()
    assert_ledger_balances(report, read=len(table), added=len(in_region),
                           out_of_region=len(table) - len(in_region), rejected=0, merged=0)


def test_homonym_without_code_is_never_pulled_into_the_region(dataset_dir: Path, settings, tmp_path):
    source = tmp_path / "homonymes.csv"
    source.write_text(
        "ID;Nom du tiers-lieu;Code INSEE;CP;Commune;Lat;Lon;Typologie;Forme juridique\n"
        "1;Le Lieu de Valence;0;0;Valence;NC;NC;Lieu de culture;0\n"      # Valence 26 and 82
        "2;Le Lieu de Valence d'Agen;82186;0;Valence;NC;NC;Lieu de culture;0\n"
        "3;La Halle;0;26000;Valence;NC;NC;Lieu de culture;0\n",
        encoding="utf-8")
    report = import_mapped_table(source, MAPPINGS[0], dataset_dir=dataset_dir, settings=settings)
    assert report.added_keys == ["FTL-3"]
    assert report.issues[["line_number", "column_name", "cell_value"]].values.tolist() == [[2, "Commune", "Valence"]]
    assert report.issues["rule"].iloc[0].startswith(
        "commune « Valence » : à préciser parmi les communes de la région : Valence (26, 26362) (nom porté "
        "aussi hors région, département 16, 82)")
    assert report.out_of_region["raison"].tolist() == [
        "code INSEE 82186 hors région : Valence (82) ; nom homonyme d'une commune de la région, ignoré"]
    assert report.rejected_lines == [2]  # undetermined: listed, not imported
    assert_ledger_balances(report, read=3, added=1, rejected=1, out_of_region=1)


def test_mapping_errors_are_french_and_precise(tmp_path: Path, dataset_dir: Path, settings):
    bad = tmp_path / "mauvaise.json"
    bad.write_text('{"champs": {"nom": {"colonne": "Nom"}, "surface": {"colonne": "m2"}}}', encoding="utf-8")
    with pytest.raises(DataError, match="champ « surface » inconnu. Champs possibles : identifiant, nom"):
        read_mapping(bad)
    bad.write_text('{"champs": {"nom": {"colonne": "Nom"}}}', encoding="utf-8")
    with pytest.raises(DataError, match="au moins un champ de localisation"):
        read_mapping(bad)
    source = tmp_path / "t.csv"
    source.write_text("Nom;Ville\nLa Halle;Lyon\n", encoding="utf-8")
    with pytest.raises(DataError, match="absente\\(s\\) : « CP », « Code INSEE »"):
        import_mapped_table(source, MAPPINGS[0], dataset_dir=dataset_dir, settings=settings)


def test_placed_rows_resolve_to_their_own_commune_of_the_region(dataset_dir: Path, settings, tmp_path):
    from relief_analytics.geo.reference import load_reference
    from relief_analytics.geo.resolve import resolve_communes

    table = national_table()
    source = tmp_path / "recensement.csv"
    table.drop(columns=["region", "true_code"]).to_csv(source, sep=";", index=False, encoding="utf-8-sig")
    report = import_mapped_table(source, MAPPINGS[0], dataset_dir=dataset_dir, settings=settings)
    rows = report.rows.copy()
    reference = load_reference("84")
    resolved = resolve_communes(rows, reference=reference)
    true_codes = table.set_index("FTL-" + table["ID"]).loc[rows["lieu_id"], "true_code"]
    # a municipal arrondissement (Lyon 69381–69389) resolves to its commune
    expected = true_codes.where(~true_codes.str.startswith("6938"), "69123").tolist()
    assert (resolved["resolution_status"] == "résolue").all()
    assert resolved["commune_code_resolved"].tolist() == expected


def test_long_lists_are_capped_unless_asked(dataset_dir: Path, settings, tmp_path):
    table = national_table()
    source = tmp_path / "recensement.csv"
    table.drop(columns=["region", "true_code"]).to_csv(source, sep=";", index=False, encoding="utf-8-sig")
    report = import_mapped_table(source, MAPPINGS[0], dataset_dir=dataset_dir, settings=settings,
                                 dry_run=True)
    out = len(report.out_of_region)
    lines = report.lines_fr()
    assert f"  … et {out - 30} autres (option --tout pour tout afficher)" in lines
    assert sum(line.startswith("  ligne ") for line in lines) == 30
    assert sum(line.startswith("  ligne ") for line in report.lines_fr(limit=None)) == out
    assert_ledger_balances(report, out_of_region=out)
