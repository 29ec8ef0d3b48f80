"""The relief command: French messages and exit codes (0 ok, 1 report failed, 2 bad input)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pytest

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
    assert (
        "Données invalides : adhesions_helloasso.csv : colonne obligatoire « Date » absente." in err
    )


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


def test_check_lists_counts_per_file_and_each_problem():
    @dataclass
    class Dataset:
        summary: pd.DataFrame
        issues: pd.DataFrame

    dataset = Dataset(
        summary=pd.DataFrame(
            {
                "table": ["lieux"],
                "fichier": ["lieux.csv"],
                "lues": [180],
                "acceptees": [178],
                "rejetees": [2],
            }
        ),
        issues=pd.DataFrame(
            {
                "table": ["lieux", "lieux"],
                "fichier": ["lieux.csv", "lieux.csv"],
                "ligne": [78, 169],
                "colonne": ["typologies", "etat"],
                "valeur": ["Garage", "fermee?"],
                "regle": ["valeur hors de la liste", "valeur hors de la liste"],
            }
        ),
    )
    lines = cli.check_lines(dataset, dataset_dir=Path("donnees"))
    assert "lieux.csv : 180 lignes lues, 178 acceptées, 2 rejetées" in lines
    assert "  ligne 169, colonne « etat », valeur « fermee? » : valeur hors de la liste" in lines
    assert lines[-1].startswith("2 problèmes au total")


def test_check_on_the_sample_dataset_exits_0(capsys):
    assert cli.main(["valider"]) == 0
    assert "lignes lues" in capsys.readouterr().out


def test_dictionary_command_calls_the_generator(monkeypatch, tmp_path: Path, capsys):
    target = tmp_path / "dictionnaire.md"
    monkeypatch.setattr("relief_analytics.dictionary.write_dictionary", lambda: target)
    assert cli.main(["dictionnaire"]) == 0
    assert capsys.readouterr().out == f"Dictionnaire des données écrit : {target}\n"
