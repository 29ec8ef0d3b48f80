"""Every expected failure of ``relief`` is one French sentence, exit code 2, no traceback.

One test per family (I/O, encoding, damaged XLSX, JSON, recursion, configuration types, missing
reference data, memory), each asserting the exact message; ``--debug`` adds the traceback and a
program error keeps it.
"""

from __future__ import annotations

import errno
import json
from pathlib import Path

import pytest
from sample_copy import TEST_IDENTITY, copy_sample, sample_config_text

from relief_analytics import cli, paths
from relief_analytics.errors import describe_failure

HELLOASSO = Path(__file__).parents[1] / "importers" / "fixtures" / "helloasso_adhesions.csv"
DEBUG_HINT = "(Détail technique : relancez la même commande avec --debug.)"


def import_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "donnees"
    folder.mkdir()
    (folder / "config.toml").write_text(sample_config_text(), encoding="utf-8")
    return folder


def run(argv: list[str], capsys) -> tuple[int, list[str]]:
    code = cli.main(argv)
    err = capsys.readouterr().err
    assert "Traceback" not in err or "--debug" in argv
    return code, err.splitlines()


# --- I/O --------------------------------------------------------------------------------------
def test_read_only_folder_during_an_import(tmp_path, monkeypatch, capsys):
    folder = import_folder(tmp_path)
    target = folder / "adhesions_helloasso.csv"

    def refuse(src, dst):
        raise PermissionError(errno.EACCES, "Permission denied", str(dst))

    monkeypatch.setattr("relief_analytics.importers.base.os.replace", refuse)
    code, err = run(["importer", "helloasso", str(HELLOASSO), "--donnees", str(folder)], capsys)
    assert code == 2
    assert err == [
        f"Importation impossible : Écriture ou lecture refusée {target} : le dossier est en lecture seule "
        "ou vous n'avez pas les droits nécessaires. Vérifiez ses droits (ou travaillez sur une copie du "
        "dossier), puis relancez ; rien n'a été modifié.",
        "Aucune table n'a été modifiée.",
        DEBUG_HINT,
    ]
    assert sorted(p.name for p in folder.iterdir()) == ["config.toml"]


def test_full_disk_during_a_build(tmp_path, monkeypatch, capsys):
    def full(**kwargs):
        raise OSError(errno.ENOSPC, "No space left on device", str(tmp_path / "r" / "x.html"))

    monkeypatch.setattr("relief_analytics.report.build.build_reports", full)
    code, err = run(["rapports", "--donnees", str(paths.SAMPLE_DATASET_DIR), "--sortie", str(tmp_path / "r")],
                    capsys)
    assert code == 2
    assert err == [
        f"Erreur : Disque plein : impossible d'écrire {tmp_path / 'r' / 'x.html'}. Libérez de la place (ou "
        "choisissez un autre dossier) puis relancez ; les fichiers déjà en place n'ont pas été modifiés.",
        "Aucun rapport n'a été produit ; les rapports précédents n'ont pas été modifiés.",
        DEBUG_HINT,
    ]


def test_missing_file_to_import(tmp_path, capsys):
    folder = import_folder(tmp_path)
    code, err = run(["importer", "helloasso", str(tmp_path / "absent.csv"), "--donnees", str(folder)], capsys)
    assert (code, err) == (2, [f"Fichier introuvable : {tmp_path / 'absent.csv'}"])


def test_missing_file_deep_in_a_command(tmp_path, monkeypatch, capsys):
    def gone(folder):
        raise FileNotFoundError(errno.ENOENT, "No such file or directory", str(folder / "lieux.csv"))

    monkeypatch.setattr("relief_analytics.load.load_dataset", gone)
    code, err = run(["valider", "--donnees", str(paths.SAMPLE_DATASET_DIR)], capsys)
    assert code == 2
    assert err == [f"Erreur : Fichier introuvable : {paths.SAMPLE_DATASET_DIR / 'lieux.csv'}. Vérifiez le "
                   "chemin et le nom, puis relancez.", DEBUG_HINT]


# --- encodings, damaged files, JSON, recursion, memory --------------------------------------------
@pytest.mark.parametrize(("exc", "sentence"), [
    (UnicodeDecodeError("utf-8", b"\xff", 0, 1, "invalid start byte"),
     "Fichier illisible : ses caractères ne sont ni en UTF-8 ni dans l'encodage attendu. Enregistrez-le "
     "en UTF-8 (LibreOffice : « Enregistrer sous », jeu de caractères Unicode UTF-8), puis relancez."),
    (__import__("zipfile").BadZipFile("File is not a zip file"),
     "Classeur XLSX endommagé ou illisible : il n'est pas lu. Ouvrez-le dans LibreOffice ou Excel et "
     "enregistrez-le de nouveau au format .xlsx (ou exportez-le en CSV), puis relancez."),
    (__import__("xml.etree.ElementTree", fromlist=["ParseError"]).ParseError("unclosed token"),
     "Classeur XLSX endommagé ou illisible : il n'est pas lu. Ouvrez-le dans LibreOffice ou Excel et "
     "enregistrez-le de nouveau au format .xlsx (ou exportez-le en CSV), puis relancez."),
    (json.JSONDecodeError("Expecting value", '{"a":\n', 6),
     "Fichier JSON mal formé (ligne 2, colonne 1) : il n'est pas lu. Téléchargez de nouveau l'export, "
     "sans l'ouvrir ni le modifier, puis relancez."),
    (MemoryError(),
     "Mémoire insuffisante : un fichier est trop grand ou mal formé (par exemple une cellule XLSX placée "
     "très loin, qui déclare une feuille immense). Vérifiez le fichier, enregistrez de nouveau ses seules "
     "données utiles, puis relancez."),
])
def test_each_failure_family_is_one_french_sentence(monkeypatch, capsys, exc, sentence):
    def fail(folder):
        raise exc

    monkeypatch.setattr("relief_analytics.load.load_dataset", fail)
    code, err = run(["valider", "--donnees", str(paths.SAMPLE_DATASET_DIR)], capsys)
    assert (code, err) == (2, [f"Erreur : {sentence}", DEBUG_HINT])


def test_deeply_nested_json_is_refused_in_french(tmp_path, capsys):
    folder = import_folder(tmp_path)
    deep = tmp_path / "agenda.json"
    deep.write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    code, err = run(["importer", "openagenda", str(deep), "--donnees", str(folder)], capsys)
    assert code == 2
    # the JSON reader checks the depth before parsing (bounded work), and says what the file is not
    assert err == [
        "Importation impossible : Fichier agenda.json : JSON imbriqué sur 100\u202f000 niveaux (au plus 64) : "
        "ce n'est pas un export JSON OpenAgenda. Téléchargez à nouveau l'export.",
        "Aucune table n'a été modifiée.",
    ]


# --- configuration and reference data ----------------------------------------------------------
def test_configuration_types_are_one_french_message(tmp_path, capsys):
    folder = import_folder(tmp_path)
    config = folder / "config.toml"
    config.write_text(config.read_text(encoding="utf-8").replace("premiere_annee = 2021",
                                                                 'premiere_annee = "deux mille"'), encoding="utf-8")
    code, err = run(["valider", "--donnees", str(folder)], capsys)
    assert (code, err) == (2, [
        f'Données invalides : Configuration {config}, [reseau] premiere_annee = "deux mille" : un nombre entier '
        "est attendu."])


@pytest.mark.parametrize("argv", [["valider"], ["importer", "helloasso", str(HELLOASSO)]])
def test_region_without_reference_is_refused_by_every_command(tmp_path, capsys, argv):
    folder = import_folder(tmp_path)
    config = folder / "config.toml"
    config.write_text(config.read_text(encoding="utf-8").replace('code_region = "84"', 'code_region = "11"'),
                      encoding="utf-8")
    code, err = run([*argv, "--donnees", str(folder)], capsys)
    assert code == 2
    assert err[0].endswith(
        f'Configuration {config}, [reseau] code_region = "11" : aucun référentiel géographique pour la région '
        "11 (dossier data/reference/11/ absent) ; construisez-le (voir data/README.md) ou vérifiez le code.")


def test_reference_data_missing_at_use_is_its_own_french_message(monkeypatch, capsys):
    message = "Référentiel géographique introuvable : data/reference/84/communes.csv.gz."

    def missing(*args, **kwargs):
        raise FileNotFoundError(message)

    monkeypatch.setattr("relief_analytics.geo.reference.load_reference", missing)
    code, err = run(["valider"], capsys)
    assert (code, err) == (2, [f"Erreur : {message}", DEBUG_HINT])


# --- --debug, and program errors ---------------------------------------------------------------
@pytest.mark.parametrize("argv", [["--debug", "valider"], ["valider", "--debug"]])
def test_debug_shows_the_traceback_after_the_sentence(monkeypatch, capsys, argv):
    def fail(folder):
        raise MemoryError()

    monkeypatch.setattr("relief_analytics.load.load_dataset", fail)
    assert cli.main(argv) == 2
    err = capsys.readouterr().err
    assert err.startswith("Erreur : Mémoire insuffisante")
    assert "Traceback (most recent call last)" in err and "MemoryError" in err
    assert DEBUG_HINT not in err


def test_a_program_error_is_not_hidden(monkeypatch):
    def bug(folder):
        raise KeyError("colonne_interne")

    monkeypatch.setattr("relief_analytics.load.load_dataset", bug)
    with pytest.raises(KeyError):
        cli.main(["valider"])
    assert describe_failure(KeyError("x")) is None


# --- the example association ---------------------------------------------------------------------
def test_final_cerfa_with_the_example_identity_is_refused_outside_the_sample(tmp_path, capsys):
    folder = copy_sample(tmp_path / "donnees")
    config = folder / "config.toml"
    text = config.read_text(encoding="utf-8")
    for key, value in TEST_IDENTITY.items():
        text = text.replace(value, {"rna": "W691234567", "siret": "123 456 789 00017",
                                    "numero_convention": "2025-AURA-TL-00421"}[key])
    config.write_text(text, encoding="utf-8")
    previous = tmp_path / "r" / "2025"
    previous.mkdir(parents=True)
    (previous / "compte_rendu_financier_2025.html").write_text("précédent", encoding="utf-8")
    code, err = run(["rapports", "--donnees", str(folder), "--sortie", str(tmp_path / "r"),
                     "--seulement", "compte_rendu_financier"], capsys)
    assert code == 2
    assert err[:5] == [
        "Données invalides : le compte rendu financier 2025 ne peut pas être produit en version à envoyer : "
        "il manque 3 élément(s).",
        "  - « Numéro RNA » est celui de l'association d'exemple (data/sample) : indiquez celui de votre association.",
        "  - « Numéro SIRET » est celui de l'association d'exemple (data/sample) : indiquez celui de votre association.",
        "  - « Numéro de la convention » est celui de l'association d'exemple (data/sample) : indiquez celui de "
        "votre association.",
        "Complétez config.toml (sections subvention et subvention.association), le bilan qualitatif ou le fichier "
        "des explications des écarts, ou produisez un brouillon avec « relief rapports --brouillon ».",
    ]
    assert (previous / "compte_rendu_financier_2025.html").read_text(encoding="utf-8") == "précédent"
