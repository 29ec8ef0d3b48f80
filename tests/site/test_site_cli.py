"""``relief rapports`` refreshes the public site when it exists or ``[site] avec_rapports`` says so."""

from __future__ import annotations

import pytest
from site_factories import by_departement, open_data_frame, open_data_row, write_dataset, write_year

from relief_analytics import cli
from relief_analytics.report import build
from relief_analytics.report.build import BuildResult


@pytest.fixture
def reports_built_by_hand(monkeypatch, tmp_path):
    """``build_reports`` replaced by the files a build leaves (the reports' own tests build them)."""
    reports_dir = tmp_path / "reports"

    def fake_build_reports(*, dataset_dir, year, reports_dir, **_):
        folder = write_year(reports_dir, 2025, tables={
            "lieux_open_data": open_data_frame([open_data_row("L1", "Atelier")]),
            "lieux_by_departement": by_departement({"26": ("Drôme", 500_000, 1, 1)})})
        return BuildResult(year=2025, year_dir=folder, reports=[])

    monkeypatch.setattr(build, "build_reports", fake_build_reports)
    return reports_dir


def test_the_site_is_left_alone_when_it_was_never_built(reports_built_by_hand, tmp_path):
    dataset = write_dataset(tmp_path / "donnees")
    assert cli.main(["rapports", "--donnees", str(dataset), "--sortie", str(reports_built_by_hand)]) == 0
    assert not (reports_built_by_hand / "site").exists()


def test_an_existing_site_is_refreshed(reports_built_by_hand, tmp_path, capsys):
    dataset = write_dataset(tmp_path / "donnees")
    (reports_built_by_hand / "site").mkdir(parents=True)
    assert cli.main(["rapports", "--donnees", str(dataset), "--sortie", str(reports_built_by_hand)]) == 0
    assert (reports_built_by_hand / "site" / "carte.html").is_file()
    assert f"Site public écrit dans {reports_built_by_hand / 'site'}" in capsys.readouterr().out


def test_the_configuration_can_ask_for_the_site(reports_built_by_hand, tmp_path):
    dataset = write_dataset(tmp_path / "donnees")
    config = dataset / "config.toml"
    config.write_text(config.read_text(encoding="utf-8").replace("cerfa_public = false",
                                                                 "cerfa_public = false\navec_rapports = true"),
                      encoding="utf-8")
    assert cli.main(["rapports", "--donnees", str(dataset), "--sortie", str(reports_built_by_hand)]) == 0
    assert (reports_built_by_hand / "site" / "index.html").is_file()


def test_a_site_that_cannot_follow_is_a_warning_not_a_failure(reports_built_by_hand, tmp_path, capsys, monkeypatch):
    dataset = write_dataset(tmp_path / "donnees")
    (reports_built_by_hand / "site").mkdir(parents=True)

    def without_lieux(*, dataset_dir, year, reports_dir, **_):
        folder = write_year(reports_dir, 2025, tables={})
        return BuildResult(year=2025, year_dir=folder, reports=[])

    monkeypatch.setattr(build, "build_reports", without_lieux)
    assert cli.main(["rapports", "--donnees", str(dataset), "--sortie", str(reports_built_by_hand)]) == 0
    err = capsys.readouterr().err
    assert err.startswith("Attention : site public non mis à jour : La table ")
    assert err.endswith("Le site précédent n'a pas été modifié.\n")
