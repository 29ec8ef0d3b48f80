"""The relief command: French messages and exit codes (0 ok, 1 report failed, 2 bad input)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pytest
from sample_copy import sample_config_text

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
                "file_name": ["lieux.csv"],
                "read_count": [180],
                "accepted_count": [178],
                "rejected_count": [2],
            }
        ),
        issues=pd.DataFrame(
            {
                "table": ["lieux", "lieux"],
                "file_name": ["lieux.csv", "lieux.csv"],
                "line_number": [78, 169],
                "column_name": ["typologies", "etat"],
                "cell_value": ["Garage", "fermee?"],
                "rule": ["valeur hors de la liste", "valeur hors de la liste"],
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
    # one row per adherent: without a card column the key is the order reference + the adherent's pseudonym
    assert any(line.startswith("  20003-") and line.endswith(" : En attente, 10,00\u00a0€") for line in out)
    assert any(line.startswith("  20006-") and line.endswith(" : Remboursé, 20,00\u00a0€") for line in out)


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
