"""A folder holding only a lieux table (a census to explore) is a valid dataset.

`relief valider` accepts it, the year context builds, the exploration and quality reports are
built, and each report that needs another table says which ones are missing.
"""

from __future__ import annotations

import shutil

import pytest
from sample_copy import sample_config_text

from relief_analytics import cli, paths
from relief_analytics.context import build_year_context
from relief_analytics.load import DataError, load_dataset
from relief_analytics.report.catalog import CATALOG, without_missing_tables

ABSENT = ("adhesions", "evenements", "contributions", "budget")


@pytest.fixture
def census(tmp_path):
    folder = tmp_path / "recensement"
    folder.mkdir()
    shutil.copy(paths.SAMPLE_DATASET_DIR / "lieux.csv", folder / "lieux.csv")
    (folder / "config.toml").write_text(sample_config_text(), encoding="utf-8")
    return folder


def test_a_lieux_only_folder_loads_with_the_other_tables_named_missing(census):
    ds = load_dataset(census)
    assert ds.missing_tables == ABSENT
    assert len(ds.lieux) == 178 and ds.adhesions.empty and "member_id" in ds.adhesions.columns
    assert ("Table « budget » : fichier absent (budget.csv) : table vide, les rapports qui en ont "
            "besoin ne sont pas produits.") in ds.file_notes


def test_relief_valider_accepts_a_lieux_only_folder(census, capsys):
    assert cli.main(["valider", "--donnees", str(census)]) == 0
    captured = capsys.readouterr()
    assert "Communes : 178 lieux placés dans la région sur 178 ; 1 problème géographique." in captured.out
    assert "Attention : Table « adhesions » : fichier absent (adhesions_helloasso.csv)" in captured.out
    lines = captured.out.splitlines()
    assert "lieux.csv : 180 lignes lues, 178 acceptées, 2 rejetées" in lines
    assert "budget.csv : fichier absent, table vide" in lines
    assert "gouvernance.csv : fichier absent, table vide" in lines
    assert "impossible à produire" not in captured.err
    assert "Événements sur place" not in captured.out  # no event table: nothing to say of events


def test_the_year_context_of_a_lieux_only_folder_counts_its_lieux(census, sample_context):
    ctx = build_year_context(load_dataset(census), year=2025)
    assert ctx.facts.open_lieux_count == sample_context.facts.open_lieux_count
    assert (ctx.facts.members_count, ctx.facts.events_count, ctx.facts.volunteer_hours) == (0, 0, 0.0)
    assert ctx.table("cerfa").empty


def test_the_reports_that_need_a_missing_table_say_which_ones(census):
    ds = load_dataset(census)
    kept, said = without_missing_tables(CATALOG, ds.missing_tables, ds.config.files)
    assert [spec.name for spec in kept] == ["exploration_lieux", "qualite_donnees"]
    assert said[0] == (
        "Rapport « Rapport d'activité » non produit : tables absentes du dossier de données : "
        "Adhésions (adhesions_helloasso.csv), Événements (evenements.csv), Contributions bénévoles "
        "(contributions.csv).")
    assert len(said) == 4  # the activity report, the CERFA, the AG deck and the CA digest


def test_a_missing_lieux_file_still_stops_with_a_french_message(census):
    (census / "lieux.csv").unlink()
    with pytest.raises(DataError, match="Fichier obligatoire manquant pour la table « lieux »"):
        load_dataset(census)


def test_a_misspelled_table_file_still_stops_naming_the_near_file(census):
    shutil.copy(paths.SAMPLE_DATASET_DIR / "budget.csv", census / "Budget .CSV")
    with pytest.raises(DataError, match="« budget » .* fichier\\(s\\) au nom proche trouvé\\(s\\) : « Budget .CSV »"):
        load_dataset(census)


@pytest.mark.slow
def test_a_lieux_only_folder_builds_its_exploration_report(census, tmp_path):
    from relief_analytics.report.build import build_reports

    lines: list[str] = []
    result = build_reports(dataset_dir=census, year=2025, reports_dir=tmp_path / "rapports",
                           progress=lines.append, browser=None)
    assert result.ok and result.exit_code == 0
    built = sorted(o.spec.name for o in result.reports)
    assert built == ["exploration_lieux", "qualite_donnees"]
    html = (result.year_dir / "exploration_lieux_2025.html").read_text(encoding="utf-8")
    assert "Exploration des lieux" in html
    assert any(line.startswith("Attention : Rapport « Compte rendu financier » non produit : tables absentes")
               for line in lines)
    assert not (result.year_dir / "rapport_activite_2025.html").exists()
