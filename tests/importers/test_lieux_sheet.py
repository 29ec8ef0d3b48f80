"""A volunteer's lieux sheet: only a name and a location clue; the rest completed from config."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
from ledger import assert_ledger_balances
from openpyxl import Workbook

from relief_analytics.importers.lieux import import_lieux_sheet, lieu_id_for
from relief_analytics.load import load_dataset

SHEET = Path(__file__).parent / "fixtures" / "lieux_benevole.csv"
SAMPLE = Path(__file__).parents[2] / "data" / "sample"


def test_stable_identifier_ignores_case_accents_and_spaces():
    assert lieu_id_for("La Cordée Liberté", "Lyon 3e") == lieu_id_for(" LA CORDEE liberte", "lyon 3E")
    assert lieu_id_for("La Cordée Liberté", "Lyon 3e") == "L-6aac05ed"  # pinned: ids must never change
    assert lieu_id_for("La Cordée Liberté", "Lyon 3e") != lieu_id_for("La Cordée Liberté", "Grenoble")


def test_volunteer_sheet_gives_exact_rows_and_reports(dataset_dir: Path, settings):
    report = import_lieux_sheet(SHEET, dataset_dir=dataset_dir, settings=settings)
    rows = report.rows
    assert rows[["lieu_id", "lieu_name", "postal_code", "commune_name", "latitude", "longitude",
                 "typologies", "state", "is_member", "website", "Remarques"]].values.tolist() == [
        [lieu_id_for("La Cordée Liberté", "Lyon 3e"), "La Cordée Liberté", "69003", "Lyon 3e",
         "45,7578", "4,842", "Bureaux partagés / Coworking", "ouvert", "oui",
         "https://lacordee.example", "ouvert le samedi"],
        [lieu_id_for("Fab'Lab du Pilat", "Pélussin"), "Fab'Lab du Pilat", "42410", "Pélussin", None,
         None, "Fablab / Makerspace / Hackerspace|Atelier artisanal partagé", "ouvert", "non", None,
         None],
        [lieu_id_for("Le Garage Solidaire", "38000"), "Le Garage Solidaire", "38000", None, None, None,
         None, "en projet", "non", None, None],
        [lieu_id_for("La Ruche", None), "La Ruche", None, None, "45,1885", "5,7245",
         "Cuisine partagée", "ouvert", "non", None, None],
        [lieu_id_for("L'Atelier", "Crest"), "L'Atelier", "26400", "Crest", None, None,
         "Atelier artisanal partagé", "fermé", "non", None, None],
    ]
    assert "Contact e-mail" not in rows.columns
    assert report.issues[["line_number", "column_name", "cell_value", "rule"]].values.tolist() == [
        [4, "Typologies", "Garage", "typologie inconnue : ajoutez-la à [importation.typologies] de "
         "config.toml ; ligne gardée sans elle"],
        [5, "Nom", "", "nom du lieu manquant : ligne non importée"],
        [6, "Commune", "", "aucun indice de localisation (adresse, code postal, commune, code INSEE ou "
         "coordonnées) : ligne non importée"],
        [8, "Membre", "peut-être", "« oui » ou « non » attendu ; « non » retenu "
         "([importation.lieux] membre_reseau)"],
    ]
    assert report.out_of_region[["ligne", "nom", "raison"]].values.tolist() == [
        [7, "Le Hangar", "code postal 33000 hors région (département 33)"]]
    text = "\n".join(report.lines_fr())
    assert "marie@exemple.fr" not in text and "Hors de la région configurée (non importées) : 1" in text
    assert_ledger_balances(report, read=9, added=5, rejected=2, out_of_region=1, blank=1)


def test_imported_sheet_loads_without_any_reject_and_reimport_adds_nothing(dataset_dir: Path, settings):
    import_lieux_sheet(SHEET, dataset_dir=dataset_dir, settings=settings)
    written = (dataset_dir / "lieux.csv").read_bytes()
    assert b"marie@" not in written
    again = import_lieux_sheet(SHEET, dataset_dir=dataset_dir, settings=settings)
    assert (again.added_keys, again.updated_keys, again.unchanged_count) == ([], [], 5)
    assert_ledger_balances(again, read=9, unchanged=5, rejected=2, out_of_region=1, blank=1)
    assert (dataset_dir / "lieux.csv").read_bytes() == written
    for name in ("adhesions_helloasso", "evenements", "contributions", "budget"):
        shutil.copy(SAMPLE / f"{name}.csv", dataset_dir)
    dataset = load_dataset(dataset_dir)
    assert dataset.issues[dataset.issues["table"] == "lieux"].empty
    assert len(dataset.lieux) == 5
    assert dataset.lieux["typologies"].isna().sum() == 1  # kept although its typology is unknown


def test_dry_run_writes_nothing(dataset_dir: Path, settings):
    report = import_lieux_sheet(SHEET, dataset_dir=dataset_dir, settings=settings, dry_run=True)
    assert len(report.added_keys) == 5 and not report.written
    assert not (dataset_dir / "lieux.csv").exists()
    assert report.lines_fr()[-1] == "Essai : aucun fichier n'a été modifié."


def test_merge_into_existing_table_keeps_its_rows_and_lists_changes(dataset_dir: Path, settings, tmp_path):
    shutil.copy(SAMPLE / "lieux.csv", dataset_dir / "lieux.csv")
    before = pd.read_csv(dataset_dir / "lieux.csv", sep=";", dtype=str, encoding="utf-8-sig")
    update = tmp_path / "maj.csv"
    update.write_text("identifiant;nom;commune;etat\r\nL0003;La Source des Communs;Givors;ouvert\r\n",
                      encoding="utf-8")
    report = import_lieux_sheet(update, dataset_dir=dataset_dir, settings=settings)
    assert report.changes.values.tolist() == [["L0003", "state", "en projet", "ouvert"]]
    assert report.added_keys == [] and report.updated_keys == ["L0003"]
    after = pd.read_csv(dataset_dir / "lieux.csv", sep=";", dtype=str, encoding="utf-8-sig")
    assert len(after) == len(before)
    expected = before.apply(lambda column: column.str.strip())  # the loader strips cells too
    expected.loc[expected["identifiant"] == "L0003", "etat"] = "ouvert"
    pd.testing.assert_frame_equal(after, expected)
    backup = pd.read_csv(dataset_dir / "lieux.precedent.csv", sep=";", dtype=str, encoding="utf-8-sig")
    pd.testing.assert_frame_equal(backup, before)


SINGULAR = """Nom ; Typologie ;CP;Ville;Etat
La Cordée Liberté;Coworking;69003;Lyon 3e;ouvert
Fab'Lab du Pilat;Fablab;42410;Pélussin;ouvert
"""


def test_a_sheet_headed_typologie_singular_and_cp_keeps_every_typology(dataset_dir: Path, settings, tmp_path):
    path = tmp_path / "lieux.csv"
    path.write_text(SINGULAR, encoding="utf-8")
    report = import_lieux_sheet(path, dataset_dir=dataset_dir, settings=settings, dry_run=True)
    assert report.rows[["lieu_name", "typologies", "postal_code", "commune_name"]].values.tolist() == [
        ["La Cordée Liberté", "Bureaux partagés / Coworking", "69003", "Lyon 3e"],
        ["Fab'Lab du Pilat", "Fablab / Makerspace / Hackerspace", "42410", "Pélussin"],
    ]
    assert report.ignored_columns == [] and report.notes == []
    assert_ledger_balances(report, read=2, added=2)


def test_a_header_that_cannot_be_mapped_is_said_at_once_with_the_nearest_name(dataset_dir: Path, settings,
                                                                             tmp_path: Path):
    path = tmp_path / "lieux.csv"
    path.write_text(SINGULAR.replace(" Typologie ", "Typologeis"), encoding="utf-8")
    report = import_lieux_sheet(path, dataset_dir=dataset_dir, settings=settings, dry_run=True)
    assert ("Attention : lieux.csv : la colonne « Typologeis » ne correspond à aucune colonne connue ; la "
            "plus proche est « typologies » : renommez l'en-tête si c'est elle (sinon la colonne est "
            "ignorée).") in report.lines_fr()
    assert_ledger_balances(report, read=2, added=2)


def test_a_repeated_identifier_is_merged_and_listed(dataset_dir: Path, settings, tmp_path: Path):
    path = tmp_path / "lieux.csv"
    path.write_text("identifiant;nom;code postal\nL1;La Cordée;69003\nL2;Le Local;38000\n"
                    "L1;La Cordée Liberté;69003\n", encoding="utf-8")
    report = import_lieux_sheet(path, dataset_dir=dataset_dir, settings=settings)
    assert report.added_keys == ["L2", "L1"]
    assert report.merged.values.tolist() == [[2, "L1", 4]]
    assert "  ligne 2 : clé « L1 », fusionnée avec la ligne 4" in report.lines_fr()
    assert_ledger_balances(report, read=3, added=2, merged=1)


def test_xlsx_with_a_metadata_sheet_first_reads_the_data_sheet_or_the_named_one(dataset_dir: Path, settings,
                                                                               tmp_path: Path):
    workbook = Workbook()
    meta = workbook.active
    meta.title = "Meta_recensement"
    meta.append(["Source", "Recensement 2024"])
    meta.append(["Licence", "Licence Ouverte 2.0"])
    data = workbook.create_sheet("Lieux")
    data.append(["Nom", "Typologie", "CP"])
    data.append(["La Cordée Liberté", "Coworking", "69003"])
    old = workbook.create_sheet("Lieux 2023")
    old.append(["Nom", "Typologie", "CP"])
    old.append(["Le Local", "Fablab", "38000"])
    path = tmp_path / "recensement.xlsx"
    workbook.save(path)
    report = import_lieux_sheet(path, dataset_dir=dataset_dir, settings=settings, dry_run=True)
    assert report.rows["lieu_name"].tolist() == ["La Cordée Liberté"]
    assert report.notes == [
        "recensement.xlsx : le classeur a 3 feuilles ; la feuille « Lieux » est lue (la première qui porte "
        "les colonnes attendues), pas « Meta_recensement », « Lieux 2023 ». Pour en lire une autre, "
        "nommez-la (option --feuille)."]
    assert_ledger_balances(report, read=1, added=1)
    named = import_lieux_sheet(path, dataset_dir=dataset_dir, settings=settings, dry_run=True,
                               sheet="lieux 2023")
    assert named.rows["lieu_name"].tolist() == ["Le Local"] and named.notes == []


def test_the_feuille_option_of_the_command_names_the_sheet(dataset_dir: Path, tmp_path: Path, capsys):
    from relief_analytics import cli

    workbook = Workbook()
    workbook.active.title = "Meta"
    workbook.active.append(["Source", "Réseau voisin"])
    for title, name in (("Lieux", "La Cordée Liberté"), ("Lieux 2023", "Le Local")):
        sheet = workbook.create_sheet(title)
        sheet.append(["Nom", "CP"])
        sheet.append([name, "69003"])
    path = tmp_path / "lieux.xlsx"
    workbook.save(path)
    args = ["importer", "lieux", str(path), "--donnees", str(dataset_dir), "--essai"]
    assert cli.main([*args, "--feuille", "Lieux 2023"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert ("Bilan : 1 ligne lue = 1 ajoutée + 0 mise à jour + 0 inchangée + 0 fusionnée sous une clé "
            "répétée + 0 rejetée + 0 hors région + 0 vide.") in out
    assert not any("feuilles" in line for line in out)
    assert cli.main([*args, "--feuille", "Données"]) == 2
    assert ("Importation impossible : Classeur lieux.xlsx : pas de feuille « Données ». Feuilles du "
            "classeur : « Meta », « Lieux », « Lieux 2023 ».") in capsys.readouterr().err


def test_a_row_cut_by_an_unquoted_separator_is_listed_in_order_and_counted(dataset_dir: Path, settings,
                                                                          tmp_path: Path):
    path = tmp_path / "lieux.csv"
    path.write_text("Nom;Typologie;CP\nLa Cordée;Coworking;69003\nLe Local;Fablab;Sud;38000\n"
                    "Sans lieu;Coworking;\n", encoding="utf-8")
    report = import_lieux_sheet(path, dataset_dir=dataset_dir, settings=settings, dry_run=True)
    assert report.issues[["line_number", "column_name", "cell_value", "rule"]].values.tolist() == [
        [3, "(ligne entière)", "4 valeurs au lieu de 3", "trop de valeurs sur la ligne (4 pour 3 colonnes "
         "d'en-tête) : vérifiez le séparateur et les guillemets de cette ligne"],
        [4, "commune", "", "aucun indice de localisation (adresse, code postal, commune, code INSEE ou "
         "coordonnées) : ligne non importée"]]
    assert report.rows["lieu_name"].tolist() == ["La Cordée"]
    assert_ledger_balances(report, read=3, added=1, rejected=2)
