"""The relief command: French messages and exit codes (0 ok, 1 report failed, 2 bad input)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
from sample_copy import copy_sample, sample_config_text

from relief_analytics import cli
from relief_analytics.load import DataError


def test_unknown_option_is_refused_in_french_with_code_2(capsys):
    with pytest.raises(SystemExit) as exit_info:
        cli.main(["rapports", "--annee", "deux-mille"])
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith("utilisation : relief rapports")
    assert "relief rapports : erreur : argument --annee : année invalide « deux-mille »" in err


def test_missing_command_is_refused_in_french(capsys):
    with pytest.raises(SystemExit) as exit_info:
        cli.main([])
    assert exit_info.value.code == 2
    assert (
        "relief : erreur : arguments obligatoires manquants : COMMANDE" in capsys.readouterr().err
    )


def test_help_is_french(capsys):
    with pytest.raises(SystemExit):
        cli.main(["rapports", "--aide"])
    out = capsys.readouterr().out
    assert "--seulement NOM [NOM ...]" in out and "afficher cette aide et quitter" in out


def test_list_of_reports(capsys):
    assert cli.main(["rapports", "--liste"]) == 0
    assert (
        "compte_rendu_financier   Compte rendu financier (html, pdf, xlsx)"
        in capsys.readouterr().out
    )


def test_data_error_exits_with_code_2_and_its_message(monkeypatch, tmp_path: Path, capsys):
    def refuse(**kwargs):
        raise DataError("adhesions_helloasso.csv : colonne obligatoire « Date » absente.")

    monkeypatch.setattr("relief_analytics.report.build.build_reports", refuse)
    code = cli.main(["rapports", "--donnees", str(tmp_path)])
    assert code == 2
    err = capsys.readouterr().err
    assert err.splitlines() == [
        "Données invalides : adhesions_helloasso.csv : colonne obligatoire « Date » absente.",
        "Aucun rapport n'a été produit ; les rapports précédents n'ont pas été modifiés. "
        f"Lancez « relief valider --donnees {tmp_path} » pour le détail.",
    ]


def test_rerun_hint_names_the_folder_as_typed_or_from_the_environment(monkeypatch, tmp_path: Path):
    from argparse import Namespace

    from relief_analytics.cli_common import rerun_command

    monkeypatch.delenv("RELIEF_DONNEES", raising=False)
    assert rerun_command("valider", Namespace(donnees=None)) == "relief valider"
    assert rerun_command("valider", Namespace(donnees=Path("../mes données"))) == \
        "relief valider --donnees '../mes données'"
    monkeypatch.setenv("RELIEF_DONNEES", str(tmp_path))
    assert rerun_command("valider", Namespace(donnees=None)) == f"relief valider --donnees {tmp_path}"


def test_every_sub_command_is_in_the_one_registry():
    parser = cli.build_parser()
    assert set(cli.COMMANDS) == {"rapports", "valider", "dictionnaire", "importer", "modeles", "exporter-lieux",
                                 "site"}
    for argv in (["valider"], ["modeles", "--sortie", "x"], ["importer", "lieux", "f.csv"]):
        assert parser.parse_args(argv).command_name == argv[0]


def test_build_result_sets_the_exit_code(monkeypatch, tmp_path: Path):
    @dataclass
    class Result:
        exit_code: int

    seen = {}

    def fake_build(**kwargs):
        seen.update(kwargs)
        return Result(exit_code=1)

    monkeypatch.setattr("relief_analytics.report.build.build_reports", fake_build)
    args = [
        "rapports",
        "--donnees",
        str(tmp_path),
        "--annee",
        "2024",
        "--sortie",
        str(tmp_path / "r"),
    ]
    assert cli.main([*args, "--seulement", "presentation_ag"]) == 1
    assert seen["year"] == 2024 and seen["only"] == ["presentation_ag"]
    assert seen["dataset_dir"] == tmp_path.resolve() and seen["reports_dir"] == tmp_path / "r"


def test_missing_dataset_folder_exits_with_code_2(tmp_path: Path, capsys):
    assert cli.main(["valider", "--donnees", str(tmp_path / "absent")]) == 2
    assert "Dossier de données introuvable" in capsys.readouterr().err


def _sample_with_bad_states(tmp_path: Path, bad: int) -> Path:
    """A copy of the sample whose first ``bad`` lieux have the state « fermee? »."""
    folder = copy_sample(tmp_path / "donnees")
    lines = (folder / "lieux.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    header = lines[0].rstrip("\r\n").split(";")
    state = header.index("etat")
    for index in range(1, bad + 1):
        cells = lines[index].rstrip("\r\n").split(";")
        cells[state] = "fermee?"
        lines[index] = ";".join(cells) + "\n"
    (folder / "lieux.csv").write_text("".join(lines), encoding="utf-8")
    return folder


def test_check_lists_counts_per_file_and_each_problem(tmp_path: Path):
    from relief_analytics.load import load_dataset

    folder = _sample_with_bad_states(tmp_path, 2)
    lines = cli.check_lines(load_dataset(folder), dataset_dir=folder, rerun=f"relief valider --donnees {folder}")
    assert "lieux.csv : 180 lignes lues, 176 acceptées, 4 rejetées" in lines  # the sample rejects 2
    assert ("  ligne 3, colonne « etat », valeur « fermee? » : valeur hors de la liste [listes].etats_lieu de "
            "config.toml (« fermee? » inconnu)") in lines
    assert lines[-1] == (f"6 problèmes au total : les lignes rejetées ne sont pas comptées dans les rapports. "
                         f"Corrigez les fichiers puis relancez « relief valider --donnees {folder} ».")


def test_valider_caps_each_list_and_names_the_folder_used(tmp_path: Path, capsys):
    folder = _sample_with_bad_states(tmp_path, 33)
    assert cli.main(["valider", "--donnees", str(folder)]) == 0
    out = capsys.readouterr().out.splitlines()
    start = out.index("lieux.csv :")
    shown = out[start + 1: start + 32]
    assert len([line for line in shown if line.startswith("  ligne ")]) == 30
    assert shown[30] == "  … et 5 autres (option --tout pour tout afficher)"  # 33 + the sample's 2
    assert (f"37 problèmes au total : les lignes rejetées ne sont pas comptées dans les rapports. "
            f"Corrigez les fichiers puis relancez « relief valider --donnees {folder} ».") in out

    assert cli.main(["valider", "--donnees", str(folder), "--tout"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert len([line for line in out if "valeur « fermee? »" in line]) == 34  # the sample has one
    assert not any("option --tout" in line for line in out)


def test_check_on_the_sample_dataset_exits_0(capsys):
    assert cli.main(["valider"]) == 0
    assert "lignes lues" in capsys.readouterr().out


def test_dictionary_command_calls_the_generators(monkeypatch, tmp_path: Path, capsys):
    target, configuration = tmp_path / "dictionnaire.md", tmp_path / "configuration.md"
    monkeypatch.setattr("relief_analytics.dictionary.write_dictionary", lambda: target)
    monkeypatch.setattr("relief_analytics.dictionary.write_configuration_doc", lambda: configuration)
    assert cli.main(["dictionnaire"]) == 0
    assert capsys.readouterr().out == (f"Dictionnaire des données écrit : {target}\n"
                                       f"Référence de config.toml écrite : {configuration}\n")


HELP_LEVELS = [
    [], ["rapports"], ["valider"], ["dictionnaire"], ["importer"],
    *(["importer", source] for source in ("helloasso", "gogocarto", "openagenda", "mobilizon",
                                          "lieux", "table")),
]


@pytest.mark.parametrize("flag", ["-h", "--help", "--aide"])
@pytest.mark.parametrize("level", HELP_LEVELS, ids=lambda level: " ".join(level) or "relief")
def test_help_works_at_every_level_and_is_french(level, flag, capsys):
    with pytest.raises(SystemExit) as exit_info:
        cli.main([*level, flag])
    assert exit_info.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith("utilisation : relief" + "".join(f" {word}" for word in level))
    assert "options facultatives :" in out and "afficher cette aide et quitter" in out
    for english in ("usage:", "options:", "positional arguments", "show this help", "arguments:"):
        assert english not in out


HELLOASSO = Path(__file__).parents[1] / "importers" / "fixtures" / "helloasso_adhesions.csv"
SAMPLE = Path(__file__).parents[2] / "data" / "sample"


def _dataset(tmp_path: Path) -> Path:
    import shutil

    folder = tmp_path / "donnees"
    folder.mkdir()
    for name in ("lieux.csv", "evenements.csv", "contributions.csv", "budget.csv"):
        shutil.copy(SAMPLE / name, folder / name)
    (folder / "config.toml").write_text(sample_config_text(), encoding="utf-8")
    return folder


def test_import_command_dry_run_then_import_then_again(tmp_path: Path, capsys):
    folder = _dataset(tmp_path)
    source_bytes = HELLOASSO.read_bytes()
    args = ["importer", "helloasso", str(HELLOASSO), "--donnees", str(folder)]
    assert cli.main([*args, "--essai"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert "7 lignes ajoutées, 0 ligne mise à jour, 0 ligne inchangée." in out
    assert out[-1] == "Essai : aucun fichier n'a été modifié."
    assert not (folder / "adhesions_helloasso.csv").exists()

    assert cli.main(args) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "Source : helloasso_adhesions.csv (HelloAsso, 9 lignes lues)"
    assert ("Bilan : 9 lignes lues = 7 ajoutées + 0 mise à jour + 0 inchangée + 0 fusionnée sous une clé "
            "répétée + 1 rejetée + 0 hors région + 1 vide.") in out
    assert "Commandes non validées (importées, non comptées dans les rapports) : 2 " \
        "(En attente : 1, Remboursé : 1)" in out
    assert "  ligne 9, colonne « Date de la commande », valeur « 32/03/2025 08:00 » : date attendue " \
        "au format jj/mm/aaaa (ex. 14/03/2024), éventuellement suivie de HH:MM : ligne non importée" in out
    assert out[-1] == f"Table écrite : {folder / 'adhesions_helloasso.csv'}."

    assert cli.main(args) == 0
    out = capsys.readouterr().out.splitlines()
    assert "0 ligne ajoutée, 0 ligne mise à jour, 7 lignes inchangées." in out
    assert out[-1] == "Rien à écrire : la table est déjà à jour."
    assert HELLOASSO.read_bytes() == source_bytes

    assert cli.main(["valider", "--donnees", str(folder)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert "Commandes non validées (non comptées dans les rapports) : 2 (En attente : 1, Remboursé : 1)" in out
    # one row per adherent: without a card column the key is the order reference (+ the adherent's
    # pseudonym only when the order holds several adherents; each order here holds one)
    assert "  20003 : En attente, 10,00\u00a0€" in out
    assert "  20006 : Remboursé, 20,00\u00a0€" in out


def test_import_command_needs_an_explicit_dataset_folder(monkeypatch, capsys):
    monkeypatch.delenv("RELIEF_DONNEES", raising=False)
    assert cli.main(["importer", "helloasso", str(HELLOASSO)]) == 2
    assert "Indiquez le dossier du jeu de données à mettre à jour : --donnees DOSSIER" in \
        capsys.readouterr().err


def test_import_command_reports_bad_input_in_french(tmp_path: Path, capsys):
    folder = _dataset(tmp_path)
    bad = tmp_path / "export.csv"
    bad.write_text("Nom;Prénom\nMartin;Lucie\n", encoding="utf-8")
    assert cli.main(["importer", "helloasso", str(bad), "--donnees", str(folder)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("Importation impossible : Fichier export.csv : colonne(s) obligatoire(s) absente(s)")
    assert "Aucune table n'a été modifiée." in err
    assert "Lucie" not in err and "Martin" not in err


def test_valider_lists_the_geographic_problems_the_build_would_list(capsys):
    """The same function feeds `relief valider` and the quality report (context table)."""
    from relief_analytics import paths

    assert cli.main(["valider", "--donnees", str(paths.SAMPLE_DATASET_DIR)]) == 0
    out = capsys.readouterr().out
    assert "Communes : 178 lieux placés dans la région sur 178 ; 1 problème géographique." in out
    assert "lieux L0112 « Le Garage numérique Ouvert » : résolue — indices contradictoires" in out


def test_messages_from_the_build_name_the_folder_used(monkeypatch, tmp_path: Path, capsys):
    from relief_analytics.report.folders import OutputFolderError

    def busy(**kwargs):
        kwargs["progress"]("Aucun fichier n'a été modifié dans r/2025 : corrigez l'erreur puis relancez « relief rapports ».")
        raise OutputFolderError("Attendez qu'elle se termine, puis relancez « relief rapports ». Aucun fichier n'a été modifié.")

    monkeypatch.setattr("relief_analytics.report.build.build_reports", busy)
    assert cli.main(["rapports", "--donnees", str(tmp_path)]) == 2
    captured = capsys.readouterr()
    assert captured.out == ("Aucun fichier n'a été modifié dans r/2025 : corrigez l'erreur puis relancez "
                            f"« relief rapports --donnees {tmp_path} ».\n")
    assert captured.err.splitlines()[0] == (
        f"Erreur : Attendez qu'elle se termine, puis relancez « relief rapports --donnees {tmp_path} ». "
        "Aucun fichier n'a été modifié.")
