"""``relief modeles`` and ``relief exporter-lieux``: what the volunteer reads, files written, exit codes."""

from __future__ import annotations

import csv
import io
import json
import re

import pytest
from openpyxl import load_workbook
from sample_copy import sample_config_text

from relief_analytics import cli, paths

TEMPLATES = [
    "lieux.xlsx", "adhesions.xlsx", "evenements.xlsx", "contributions.xlsx", "budget.xlsx",
    "gouvernance.xlsx", "explications_ecarts.xlsx",
]


def test_modeles_writes_one_template_per_table_and_never_overwrites(tmp_path, capsys):
    out_dir = tmp_path / "modeles"
    assert cli.main(["modeles", "--sortie", str(out_dir)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == f"Modèles écrits dans {out_dir} (listes de {paths.SAMPLE_DATASET_DIR / 'config.toml'}) :"
    assert out[1:8] == [f"  {name}" for name in TEMPLATES]
    assert out[8].startswith("Remplissez la feuille « Données » de chaque modèle")
    assert sorted(p.name for p in out_dir.iterdir()) == sorted(TEMPLATES)

    (out_dir / "lieux.xlsx").write_bytes(b"saisies d'un benevole")
    assert cli.main(["modeles", "--sortie", str(out_dir)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"Fichier(s) déjà présent(s) dans {out_dir} : lieux.xlsx, adhesions.xlsx")
    assert err.rstrip().endswith(
        "Rien n'a été écrit. Choisissez un autre dossier, ou ajoutez --remplacer pour les écraser."
    )
    assert (out_dir / "lieux.xlsx").read_bytes() == b"saisies d'un benevole"

    assert cli.main(["modeles", "--sortie", str(out_dir), "--remplacer"]) == 0
    assert load_workbook(out_dir / "lieux.xlsx").sheetnames[0] == "Données"


def test_modeles_uses_the_lists_of_the_given_dataset(tmp_path, capsys):
    dataset = tmp_path / "donnees"
    dataset.mkdir()
    config = sample_config_text()
    config = config.replace('etats_lieu = ["en projet", "ouvert", "fermé"]',
                            'etats_lieu = ["en projet", "ouvert", "en sommeil", "fermé"]')
    (dataset / "config.toml").write_text(config, encoding="utf-8")
    assert cli.main(["modeles", "--donnees", str(dataset), "--sortie", str(tmp_path / "m")]) == 0
    capsys.readouterr()
    lists = load_workbook(tmp_path / "m" / "lieux.xlsx")["Listes"]
    states = next(col for col in lists.iter_cols(values_only=True) if col[0] == "etats_lieu")
    assert [v for v in states[1:] if v] == ["en projet", "ouvert", "en sommeil", "fermé"]


def test_modeles_with_a_missing_dataset_folder_says_so(tmp_path, capsys):
    assert cli.main(["modeles", "--donnees", str(tmp_path / "absent"), "--sortie", str(tmp_path)]) == 2
    assert capsys.readouterr().err == f"Dossier de données introuvable : {tmp_path / 'absent'}\n"


LIEUX = (
    "identifiant;nom;code_postal;commune;code_insee;latitude;longitude;typologies;etat;membre_reseau\n"
    "L2;Le Champ Commun;26400;Crest;;;;Tiers-lieu nourricier;en projet;non\n"
    "L1;La Fabrique;69003;Lyon 3e;69383;45,7597;4,8422;Tiers-lieu culturel;ouvert;oui\n"
    "L3;La Cordée;;;38185;45,7597;4,8422;Tiers-lieu culturel;ouvert;oui\n"
    "L4;Le Lieu parisien;75011;Paris;75056;;;Tiers-lieu culturel;ouvert;oui\n"
    "L5;Le Lieu flou;;;;;;Tiers-lieu culturel;peut-être;oui\n"
)


@pytest.fixture
def dataset(tmp_path):
    folder = tmp_path / "donnees"
    folder.mkdir()
    (folder / "config.toml").write_text(sample_config_text(), encoding="utf-8")
    (folder / "lieux.csv").write_text(LIEUX, encoding="utf-8")
    return folder


def test_exporter_lieux_writes_the_files_and_reports_what_was_left_out(dataset, tmp_path, capsys):
    out_dir = tmp_path / "ouvert"
    before = (dataset / "lieux.csv").read_bytes()

    assert cli.main(["exporter-lieux", "--donnees", str(dataset), "--sortie", str(out_dir)]) == 0

    assert capsys.readouterr().out.splitlines() == [
        f"Données ouvertes écrites dans {out_dir} : lieux.csv, lieux.geojson, schema.json, LISEZMOI.md",
        "3 lieux exportés (Auvergne-Rhône-Alpes).",
        "2 lieux placés au point représentatif de la commune (source_coordonnees = commune) : "
        "1 sans coordonnées, 1 dont les coordonnées tombent hors de la commune indiquée.",
        "  L3 « La Cordée » : commune 38185, coordonnées 45,75970 ; 4,84220",
        f"1 ligne rejetée à la lecture de lieux.csv, non exportée(s) : lancez « relief valider --donnees {dataset} » "
        "pour le détail.",
        "1 lieu non exporté (commune non résolue dans la région) :",
        "  L4 « Le Lieu parisien » : hors région — code INSEE 75056 hors région : Paris (75), "
        "code postal 75011 hors région (département 75)",
    ]
    assert sorted(p.name for p in out_dir.iterdir()) == ["LISEZMOI.md", "lieux.csv", "lieux.geojson", "schema.json"]
    rows = list(csv.DictReader(io.StringIO((out_dir / "lieux.csv").read_text(encoding="utf-8"))))
    assert [(r["id"], r["commune"], r["source_coordonnees"]) for r in rows] == [
        ("L1", "Lyon", "lieu"), ("L2", "Crest", "commune"), ("L3", "Grenoble", "commune"),
    ]
    geojson = json.loads((out_dir / "lieux.geojson").read_text(encoding="utf-8"))
    assert [f["id"] for f in geojson["features"]] == ["L1", "L2", "L3"]
    schema = json.loads((out_dir / "schema.json").read_text(encoding="utf-8"))
    assert schema["title"] == "Lieux du réseau RELIEF en Auvergne-Rhône-Alpes (données ouvertes)"
    readme = (out_dir / "LISEZMOI.md").read_text(encoding="utf-8")
    assert "Nombre de lieux : 3." in readme
    assert (dataset / "lieux.csv").read_bytes() == before  # the input is never modified


def test_exporter_lieux_on_the_sample_exports_every_accepted_lieu(tmp_path, capsys, sample_config):
    """Recount from the raw CSV with the csv module; only the rows the loader rejects are missing."""
    from relief_analytics.load import load_table

    with (paths.SAMPLE_DATASET_DIR / "lieux.csv").open(encoding="utf-8-sig", newline="") as handle:
        raw = {line: row["identifiant"] for line, row in enumerate(csv.DictReader(handle, delimiter=";"), start=2)}
    rejected_lines = set(
        load_table(paths.SAMPLE_DATASET_DIR / "lieux.csv", table="lieux", config=sample_config).issues["line_number"]
    )
    expected_ids = sorted(lieu for line, lieu in raw.items() if line not in rejected_lines)
    assert len(rejected_lines) == 2 and len(expected_ids) == len(raw) - 2

    assert cli.main(["exporter-lieux", "--sortie", str(tmp_path)]) == 0

    out = capsys.readouterr().out
    assert re.search(rf"^{len(expected_ids)} lieux exportés \(Auvergne-Rhône-Alpes\)\.$", out, re.M)
    assert "2 lignes rejetées à la lecture de lieux.csv" in out
    assert "non exporté (" not in out and "non exportés (" not in out
    rows = list(csv.DictReader(io.StringIO((tmp_path / "lieux.csv").read_text(encoding="utf-8"))))
    assert [r["id"] for r in rows] == expected_ids


def test_exporter_lieux_with_a_missing_lieux_file_says_so(dataset, tmp_path, capsys):
    (dataset / "lieux.csv").unlink()
    assert cli.main(["exporter-lieux", "--donnees", str(dataset), "--sortie", str(tmp_path / "o")]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"Données invalides : Fichier introuvable : {dataset / 'lieux.csv'}.")
    assert not (tmp_path / "o").exists()


def test_both_commands_are_listed_in_the_french_help(capsys):
    with pytest.raises(SystemExit):
        cli.main(["--aide"])
    out = capsys.readouterr().out
    assert "modeles" in out and "écrire un modèle XLSX à remplir par table" in out
    assert "exporter-lieux" in out and "exporter les lieux de la région en données ouvertes" in out


def test_neither_command_ever_replaces_a_file_of_the_dataset(dataset, capsys):
    before = {p.name: p.read_bytes() for p in dataset.iterdir()}

    assert cli.main(["exporter-lieux", "--donnees", str(dataset), "--sortie", str(dataset)]) == 2
    assert capsys.readouterr().err == (
        f"Refusé : lieux.csv est un fichier du jeu de données {dataset} (config.toml, section [fichiers]) ; "
        "les fichiers d'entrée ne sont jamais remplacés. Choisissez un autre dossier de sortie.\n"
    )
    assert {p.name: p.read_bytes() for p in dataset.iterdir()} == before
    config = (dataset / "config.toml").read_text(encoding="utf-8")
    (dataset / "config.toml").write_text(config.replace('budget = "budget.csv"', 'budget = "budget.xlsx"'),
                                         encoding="utf-8")
    (dataset / "budget.xlsx").write_bytes(b"budget")
    before = {p.name: p.read_bytes() for p in dataset.iterdir()}
    assert cli.main(["modeles", "--donnees", str(dataset), "--sortie", str(dataset), "--remplacer"]) == 2
    assert capsys.readouterr().err.startswith("Refusé : budget.xlsx est un fichier du jeu de données")
    assert {p.name: p.read_bytes() for p in dataset.iterdir()} == before
