"""Rebuild only what a change touches (issue 19): reports that don't read a changed file are kept."""

from __future__ import annotations

from pathlib import Path

import pytest
from report_helpers import code, markdown, parameters_cell, write_notebook
from sample_copy import copy_sample

from relief_analytics.report.build import build_reports
from relief_analytics.report.catalog import CATALOG, ReportSpec

pytestmark = pytest.mark.slow

YEAR = 2025


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def build(dataset_dir: Path, reports_dir: Path, catalog, **kwargs):
    lines: list[str] = []
    result = build_reports(
        dataset_dir=dataset_dir, year=YEAR, reports_dir=reports_dir, progress=lines.append,
        catalog=catalog, browser=None, **kwargs,
    )
    assert result.ok, result
    return result, lines


@pytest.fixture(scope="module")
def setting(tmp_path_factory) -> dict:
    root = tmp_path_factory.mktemp("incremental")
    dataset_dir = copy_sample(root / "donnees")
    # Each run prints a fresh value: a rebuilt report differs, a kept one is byte-identical.
    notebook = write_notebook(root / "rapport.ipynb", [
        markdown("# Rapport"), parameters_cell(), code("import uuid\nprint(uuid.uuid4().hex)"),
    ])
    catalog = [ReportSpec(spec.name, spec.title, ("html",), notebook=notebook, reads=spec.reads)
               for spec in CATALOG]
    reports_dir = root / "reports"
    build(dataset_dir, reports_dir, catalog)
    year_dir = reports_dir / str(YEAR)
    before = snapshot(year_dir)
    budget = dataset_dir / "budget.csv"
    budget.write_bytes(budget.read_bytes() + b"\n")  # one more (empty) line: size and time change
    unchanged, unchanged_lines = build(dataset_dir, reports_dir, catalog)
    after_empty_line = snapshot(year_dir)
    # One label of the CERFA corrected: the tables of the CERFA change, no figure does.
    budget.write_text(budget.read_text(encoding="utf-8").replace(
        "2025;616;Primes d'assurance;", "2025;616;Primes d'assurance (multirisque);"),
        encoding="utf-8")
    result, lines = build(dataset_dir, reports_dir, catalog)
    return {"before": before, "after_empty_line": after_empty_line, "unchanged": unchanged,
            "unchanged_lines": unchanged_lines, "after": snapshot(year_dir), "result": result,
            "lines": lines, "catalog": catalog, "dataset_dir": dataset_dir,
            "reports_dir": reports_dir}


def test_a_budget_label_change_rebuilds_only_the_reports_showing_the_budget_lines(setting):
    rebuilt = [outcome.spec.name for outcome in setting["result"].reports]
    assert rebuilt == ["compte_rendu_financier", "presentation_ag"]
    before, after = setting["after_empty_line"], setting["after"]
    for name in ("rapport_activite_2025.html", "exploration_lieux_2025.html",
                 "qualite_donnees_2025.html", "synthese_ca_2025.html"):
        assert after[name] == before[name]
    for name in ("compte_rendu_financier_2025.html", "presentation_ag_2025.html"):
        assert after[name] != before[name]


def test_the_build_says_which_reports_were_rebuilt_and_why(setting):
    assert setting["lines"][:7] == [
        "Reconstruction partielle : 5 rapport(s) sur 6 lisent un fichier modifié.",
        "  rapport_activite : budget.csv a changé",
        "  compte_rendu_financier : budget.csv a changé",
        "  presentation_ag : budget.csv a changé",
        "  qualite_donnees : budget.csv a changé",
        "  synthese_ca : budget.csv a changé",
        "  Gardés tels quels (ils ne lisent aucun fichier modifié) : exploration_lieux.",
    ]
    assert "  À refaire : compte_rendu_financier, presentation_ag ; gardés aussi, les tableaux " \
           "qu'ils montrent sont inchangés : rapport_activite, qualite_donnees, synthese_ca." \
           in setting["lines"]


def test_a_budget_file_whose_tables_come_out_the_same_rebuilds_nothing(setting):
    assert setting["unchanged"].reports == []
    assert setting["after_empty_line"] == setting["before"] | {
        "manifest.json": setting["after_empty_line"]["manifest.json"]}
    assert "  À refaire : aucun ; gardés aussi, les tableaux qu'ils montrent sont inchangés : " \
           "rapport_activite, compte_rendu_financier, presentation_ag, qualite_donnees, " \
           "synthese_ca." in setting["unchanged_lines"]


def test_then_everything_is_up_to_date_and_force_rebuilds_all(setting):
    _, lines = build(setting["dataset_dir"], setting["reports_dir"], setting["catalog"])
    assert lines[0].startswith("Rapports 2025 à jour dans ")
    forced, _ = build(setting["dataset_dir"], setting["reports_dir"], setting["catalog"], force=True)
    assert len(forced.reports) == 6


def test_a_configuration_change_rebuilds_every_report(setting, tmp_path):
    config = setting["dataset_dir"] / "config.toml"
    config.write_text(config.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    result, lines = build(setting["dataset_dir"], setting["reports_dir"], setting["catalog"])
    assert len(result.reports) == 6
    assert not any(line.startswith("Reconstruction partielle") for line in lines)
