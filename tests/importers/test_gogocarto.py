"""GoGoCarto gogofull JSON and back-office CSV → the same exact ``lieux`` rows."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from ledger import assert_ledger_balances

from relief_analytics.importers.gogocarto import import_gogocarto, read_taxonomy
from relief_analytics.load import DataError

FIXTURES = Path(__file__).parent / "fixtures"

EXPECTED = [
    {"lieu_id": "GGC-a1B2", "lieu_name": "La Cordée Liberté", "street_address": "12 rue de la Liberté",
     "postal_code": "69003", "commune_name": "Lyon", "commune_code": "69123", "latitude": "45,7578",
     "longitude": "4,842", "typologies": "Bureaux partagés / Coworking|Fablab / Makerspace / Hackerspace",
     "legal_status": "SCIC", "opening_year": None, "state": "ouvert", "is_member": "non",
     "website": "https://lacordee.example", "updated_date": "12/05/2024",
     "description": "Espace de travail partagé", "surface": "120 m²"},
    {"lieu_id": "GGC-c3D4", "lieu_name": "Le Moulin Partagé", "street_address": None,
     "postal_code": "38000", "commune_name": "Grenoble", "commune_code": "38185", "latitude": "45,19",
     "longitude": "5,72", "typologies": "Atelier artisanal partagé", "legal_status": None,
     "opening_year": None, "state": "ouvert", "is_member": "non", "website": None,
     "updated_date": "20/11/2023", "description": None, "surface": None},
]


@pytest.mark.parametrize("name", ["gogocarto_gogofull.json", "gogocarto_backoffice.csv"])
def test_both_formats_give_the_exact_rows(name, dataset_dir: Path, settings):
    report = import_gogocarto(FIXTURES / name, dataset_dir=dataset_dir, settings=settings)
    assert report.read_count == 3
    rows = report.rows[list(EXPECTED[0])].to_dict("records")
    assert rows == EXPECTED
    assert "referent" not in report.rows.columns or report.rows["referent"].isna().all()
    first = 1 if name.endswith(".json") else 2  # element index / line as seen in the spreadsheet
    category = "categories" if name.endswith(".json") else "optionsString"
    assert report.issues[["line_number", "column_name", "cell_value", "rule"]].values.tolist() == [
        [first, "code INSEE", "", "code INSEE absent : 69123 (Lyon) déduit (par code postal + nom) ; "
         "ligne gardée"],
        [first + 1, category, "Ressourcerie", "typologie inconnue : ajoutez-la à [importation.typologies] "
         "de config.toml ; ligne gardée sans elle"],
        [first + 1, "code INSEE", "", "code INSEE absent : 38185 (Grenoble) déduit (par code postal + nom) "
         "; ligne gardée"],
    ]
    assert assert_ledger_balances(report) == {
        "lues": 3, "ajoutées": 2, "mises à jour": 0, "inchangées": 0, "fusionnées (clé répétée)": 0,
        "rejetées": 0, "hors région": 1, "vides": 0}
    assert report.out_of_region[["nom", "raison"]].values.tolist() == [
        ["La Fabrique Parisienne", "code postal 75001 hors région (département 75), coordonnées hors région (département 75)"]]
    written = (dataset_dir / "lieux.csv").read_text(encoding="utf-8-sig")
    assert "private" not in written and "04 00 00 00 00" not in written
    assert "private" not in "\n".join(report.lines_fr())


def test_json_then_csv_of_the_same_map_merge_without_duplicates(dataset_dir: Path, settings):
    import_gogocarto(FIXTURES / "gogocarto_gogofull.json", dataset_dir=dataset_dir, settings=settings)
    second = import_gogocarto(FIXTURES / "gogocarto_backoffice.csv", dataset_dir=dataset_dir,
                              settings=settings)
    assert (second.added_keys, second.updated_keys, second.unchanged_count) == ([], [], 2)
    assert_ledger_balances(second)


OLD_EXPORT = FIXTURES / "gogocarto_identifiants.json"
TAXONOMY = FIXTURES / "gogocarto_taxonomie.json"
OLD_COLUMNS = ["lieu_id", "lieu_name", "postal_code", "commune_name", "commune_code", "typologies",
               "description"]
DESCRIPTION = "Atelier bois et métal partagé. Contact : [téléphone retiré] ou [e-mail retiré]"


def test_taxonomy_file_names_the_category_ids_of_an_old_export(dataset_dir: Path, settings):
    assert read_taxonomy(TAXONOMY) == {"7": "Type de lieu", "1123": "Atelier partagé", "1127": "Coworking",
                                       "1131": "Fablab", "8": "Services", "1140": "Café associatif"}
    report = import_gogocarto(OLD_EXPORT, dataset_dir=dataset_dir, settings=settings, taxonomy=TAXONOMY)
    assert report.rows[OLD_COLUMNS].values.tolist() == [
        ["GGC-k7Q1", "L'Atelier des Communs", "42000", "Saint-Étienne", "42218",
         "Atelier artisanal partagé|Fablab / Makerspace / Hackerspace", DESCRIPTION],
        ["GGC-k7Q2", "La Grange Numérique", "43000", "Le Puy-en-Velay", "43157",
         "Bureaux partagés / Coworking", None],
    ]
    assert report.issues[["line_number", "column_name", "cell_value", "rule"]].values.tolist() == [
        [1, "description", "", "2 coordonnée(s) personnelle(s) (téléphone, e-mail) retirée(s) du texte ; "
         "ligne gardée"],
        [1, "code INSEE", "", "code INSEE absent : 42218 (Saint-Étienne) déduit (par code postal + nom) ; "
         "ligne gardée"],
        [2, "optionValues", "1199", "catégories données en identifiants numériques, absents du fichier de "
         "taxonomie : typologies laissées vides ; ligne gardée"],
        [2, "code INSEE", "", "code INSEE absent : 43157 (Le Puy-en-Velay) déduit (par code postal + nom) ; "
         "ligne gardée"],
        [3, "(élément)", "null", "élément qui n'est pas un lieu (objet JSON attendu) : ligne non importée"],
    ]
    assert report.ignored_columns == [
        "optionValues : 1 identifiant(s) de catégorie sans nom (1199) sur 1 lieu(x) ; ajoutez-les au "
        "fichier de taxonomie"]
    assert assert_ledger_balances(report) == {
        "lues": 3, "ajoutées": 2, "mises à jour": 0, "inchangées": 0, "fusionnées (clé répétée)": 0,
        "rejetées": 1, "hors région": 0, "vides": 0}


def test_category_ids_without_taxonomy_are_reported_never_kept_as_typologies(dataset_dir: Path, settings):
    report = import_gogocarto(OLD_EXPORT, dataset_dir=dataset_dir, settings=settings)
    assert report.rows["typologies"].tolist() == [None, None]
    ids = report.issues[report.issues["column_name"] == "optionValues"]
    assert ids[["line_number", "cell_value", "rule"]].values.tolist() == [
        [1, "1123, 1131", "catégories données en identifiants numériques sans fichier de taxonomie (option "
         "--taxonomie FICHIER) : typologies laissées vides ; ligne gardée"],
        [2, "1127, 1199", "catégories données en identifiants numériques sans fichier de taxonomie (option "
         "--taxonomie FICHIER) : typologies laissées vides ; ligne gardée"],
    ]
    lines = report.lines_fr()
    assert ("Colonnes non importées : « optionValues : 4 identifiant(s) de catégorie sans nom (1123, 1127, "
            "1131, 1199) sur 2 lieu(x) ; donnez la taxonomie de la carte avec --taxonomie FICHIER »") in lines
    assert_ledger_balances(report)
    written = (dataset_dir / "lieux.csv").read_text(encoding="utf-8-sig")
    assert "1123" not in written and "06 12 34 56 78" not in written and "atelier@" not in written
    assert "06 12" not in "\n".join(lines) and "atelier@" not in "\n".join(lines)


@pytest.mark.parametrize(("content", "message"), [
    ('{"ontology": "gogofull", "data": ' + "[" * 5000 + "]" * 5000 + "}",
     "Fichier carte.json : JSON imbriqué sur 5\u202f001 niveaux (au plus 64) : ce n'est pas un export JSON "
     "GoGoCarto. Téléchargez à nouveau l'export."),
    ('{"ontology": "gogofull", "data": [\n{"id": 1,}]}',
     "Fichier carte.json : JSON mal formé à la ligne 2, colonne 10 (fichier tronqué ou modifié à la main ?). "
     "Téléchargez à nouveau le fichier."),
])
def test_hostile_gogocarto_json_is_a_french_sentence(content, message, dataset_dir: Path, settings,
                                                     tmp_path: Path):
    path = tmp_path / "carte.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(DataError) as caught:
        import_gogocarto(path, dataset_dir=dataset_dir, settings=settings)
    assert str(caught.value) == message


def test_only_null_elements_are_all_listed(dataset_dir: Path, settings, tmp_path: Path):
    path = tmp_path / "carte.json"
    path.write_text(json.dumps({"ontology": "gogofull", "data": [None, None]}), encoding="utf-8")
    report = import_gogocarto(path, dataset_dir=dataset_dir, settings=settings, dry_run=True)
    assert report.issues["line_number"].tolist() == [1, 2]
    assert assert_ledger_balances(report)["rejetées"] == 2


def test_a_taxonomy_without_names_is_refused(tmp_path: Path):
    path = tmp_path / "taxonomie.json"
    path.write_text('[{"label": "Coworking"}]', encoding="utf-8")
    with pytest.raises(DataError, match=r"^Fichier taxonomie.json : aucune catégorie \(« id » et « name »\)"):
        read_taxonomy(path)


def test_cli_taxonomie_option_names_the_categories(dataset_dir: Path, capsys):
    from relief_analytics import cli

    code = cli.main(["importer", "gogocarto", str(OLD_EXPORT), "--taxonomie", str(TAXONOMY),
                     "--donnees", str(dataset_dir), "--essai"])
    out = capsys.readouterr().out
    assert code == 0
    assert "Colonnes non importées : « optionValues : 1 identifiant(s) de catégorie sans nom (1199) sur " \
           "1 lieu(x) ; ajoutez-les au fichier de taxonomie »" in out
    assert "Essai : aucun fichier n'a été modifié." in out
    assert not (dataset_dir / "lieux.csv").exists()


def test_a_lieu_given_twice_is_merged_and_said(dataset_dir: Path, settings, tmp_path: Path):
    element = {"id": "z9", "name": "Le Hangar", "address": {"addressLocality": "Crest", "postalCode": "26400"}}
    path = tmp_path / "carte.json"
    path.write_text(json.dumps({"data": [element, {**element, "name": "Le Hangar partagé"}]}), encoding="utf-8")
    report = import_gogocarto(path, dataset_dir=dataset_dir, settings=settings)
    # the first element is merged into the second (the last one is kept), and listed as such
    assert report.merged.values.tolist() == [[1, "GGC-z9", 2]]
    assert any("fusionnée avec la ligne 2" in line for line in report.lines_fr())
    assert assert_ledger_balances(report)["fusionnées (clé répétée)"] == 1
    assert report.added_keys == ["GGC-z9"]


def test_an_element_without_id_keeps_its_line_in_the_insee_note(dataset_dir: Path, settings, tmp_path: Path):
    path = tmp_path / "carte.json"
    path.write_text(json.dumps({"data": [None, {"name": "Sans identifiant", "address": {
        "addressLocality": "Crest", "postalCode": "26400"}}]}), encoding="utf-8")
    report = import_gogocarto(path, dataset_dir=dataset_dir, settings=settings, dry_run=True)
    assert report.issues[["line_number", "rule"]].values.tolist()[1] == [
        2, "code INSEE absent : 26108 (Crest) déduit (par code postal + nom) ; ligne gardée"]
    assert_ledger_balances(report)
