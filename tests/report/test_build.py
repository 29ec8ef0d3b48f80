"""The build: all-or-nothing swap of reports/<année>/, failures kept and explained, manifest."""

from __future__ import annotations

import csv
import hashlib
import json
import re
from pathlib import Path

import nbformat
import pytest
from factories import lieu, write_dataset
from report_helpers import code, markdown, parameters_cell, write_notebook

from relief_analytics.report.build import build_reports
from relief_analytics.report.catalog import ReportSpec

pytestmark = pytest.mark.slow

YEAR = 2025

#: Ten valid lieux, then one whose state is not in the list: line 12 of lieux.csv is rejected.
LIEUX = [lieu(f"L{n}", f"Lieu {n}") for n in range(1, 11)] + [lieu("L11", "Le Dernier", etat="fermee?")]


def snapshot(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }


@pytest.fixture(scope="module")
def workspace(tmp_path_factory) -> dict:
    root = tmp_path_factory.mktemp("build")
    dataset_dir = write_dataset(root / "donnees", lieux=LIEUX)
    notebooks = root / "notebooks"
    notebooks.mkdir()
    ok = write_notebook(
        notebooks / "ok.ipynb",
        [markdown("# Rapport"), parameters_cell(), code('print(f"Rapport {annee}")')],
    )
    failing = write_notebook(
        notebooks / "failing.ipynb",
        [
            markdown("# Compte rendu"),
            parameters_cell(),
            code("x = 1"),
            code("total = {'a': 1}['manquant']\nprint(total)"),
        ],
    )
    return {
        "root": root,
        "dataset_dir": dataset_dir,
        "reports_dir": root / "reports",
        "ok": ok,
        "failing": failing,
    }


def run_build(workspace, catalog, **kwargs):
    lines: list[str] = []
    result = build_reports(
        dataset_dir=workspace["dataset_dir"],
        year=kwargs.pop("year", None),
        reports_dir=workspace["reports_dir"],
        progress=lines.append,
        catalog=catalog,
        browser=None,
        **kwargs,
    )
    return result, lines


@pytest.fixture(scope="module")
def builds(workspace) -> dict:
    """A successful build, then a build whose second notebook fails, then a partial rebuild."""
    activity = ReportSpec(
        "rapport_activite", "Rapport d'activité", ("html",), notebook=workspace["ok"]
    )
    places = ReportSpec(
        "exploration_lieux", "Exploration des lieux", ("html",), notebook=workspace["ok"]
    )
    finance = ReportSpec(
        "compte_rendu_financier", "Compte rendu financier", ("html",), notebook=workspace["failing"]
    )
    year_dir = workspace["reports_dir"] / str(YEAR)

    first, first_lines = run_build(workspace, [activity, places])
    before = snapshot(year_dir)
    # a draft: the tiny dataset's compte rendu lacks what a final version needs (checked first)
    failed, failed_lines = run_build(workspace, [activity, finance], draft=True)
    after_failure = snapshot(year_dir)
    # forced: the inputs did not change, so without it the plan would find the report up to date
    partial, partial_lines = run_build(workspace, [activity, places], only=["exploration_lieux"],
                                       force=True)
    return {
        "year_dir": year_dir,
        "first": first,
        "first_lines": first_lines,
        "before": before,
        "failed": failed,
        "failed_lines": failed_lines,
        "after_failure": after_failure,
        "partial": partial,
        "partial_lines": partial_lines,
    }


def test_successful_build_writes_the_year_folder_without_notebooks(builds, workspace):
    result, year_dir = builds["first"], builds["year_dir"]
    assert result.ok and result.exit_code == 0 and result.year == YEAR
    # the year's public tables (donnees/) are checked in test_public_tables.py
    assert sorted(name for name in builds["before"] if not name.startswith("donnees/")) == [
        "exploration_lieux_2025.html",
        "manifest.json",
        "qualite/problemes_geographiques.csv",
        "qualite/rejets.csv",
        "rapport_activite_2025.html",
    ]
    assert "donnees/facts.json" in builds["before"]
    assert not list(year_dir.rglob("*.ipynb"))
    leftovers = [p.name for p in workspace["reports_dir"].iterdir() if p.name.startswith(".2025")]
    assert leftovers == []


def test_progress_is_one_french_line_per_step_then_a_summary(builds):
    lines = builds["first_lines"]
    assert "[1/2] Rapport d'activité : exécution du notebook…" in lines
    assert "[1/2] Rapport d'activité : export HTML…" in lines
    assert "[2/2] Exploration des lieux : exécution du notebook…" in lines
    assert lines[-1].startswith("Durée totale : ") and lines[-1].endswith(" s.")
    assert any(
        re.fullmatch(r"  rapport_activite_2025\.html \(\d+,\d (ko|Mo)\)", line) for line in lines
    )


def test_failed_build_leaves_the_previous_folder_byte_identical(builds):
    assert builds["failed"].exit_code == 1
    assert builds["after_failure"] == builds["before"]


def test_failed_build_names_the_report_and_the_cell_in_french(builds):
    lines = builds["failed_lines"]
    assert (
        "Échec du rapport « Compte rendu financier » (compte_rendu_financier) : "
        "erreur dans la cellule n° 4 « total = {'a': 1}['manquant'] » — KeyError : 'manquant'."
    ) in lines
    assert any(line.startswith("Aucun fichier n'a été modifié dans ") for line in lines)
    assert [o.spec.name for o in builds["failed"].failed] == ["compte_rendu_financier"]


def test_failed_notebook_is_kept_for_diagnosis(builds, workspace):
    failures_dir = builds["failed"].failures_dir
    assert failures_dir.parent == workspace["reports_dir"] / ".echecs"
    assert re.fullmatch(r"2025-\d{8}-\d{6}", failures_dir.name)
    kept = failures_dir / "compte_rendu_financier.ipynb"
    executed = json.loads(kept.read_text(encoding="utf-8"))
    errors = [
        output
        for cell in executed["cells"]
        for output in cell.get("outputs", [])
        if output["output_type"] == "error"
    ]
    assert errors and errors[0]["ename"] == "KeyError"
    assert any(
        "Notebook exécuté conservé pour diagnostic : " in line for line in builds["failed_lines"]
    )
    assert not list(failures_dir.glob("rapport_activite*"))  # the report that worked is not kept


def test_manifest_records_parameters_checksums_timings_and_outputs(builds, workspace):
    year_dir = builds["year_dir"]
    manifest = json.loads(builds["before"]["manifest.json"])
    assert manifest["year"] == YEAR
    # the manifest is publishable: the data folder is written relative to itself (issue #15)
    assert manifest["parameters"] == {"annee": YEAR, "dossier_donnees": "."}
    assert manifest["dataset_dir"] == "."
    assert str(workspace["dataset_dir"]).encode() not in builds["before"]["manifest.json"]
    expected_inputs = {
        path.name: hashlib.sha256(path.read_bytes()).hexdigest()
        for path in workspace["dataset_dir"].iterdir()
    }
    assert {item["file"]: item["sha256"] for item in manifest["inputs"]} == expected_inputs
    assert manifest["versions"]["relief_analytics"] and manifest["versions"]["python"]
    assert manifest["browser"] == {"path": None, "reason": "aucun rapport PDF demandé"}
    record = manifest["reports"]["rapport_activite"]
    assert record["ok"] and record["outputs"] == ["rapport_activite_2025.html"]
    assert record["timings_s"]["execution"] > 0
    sizes = {item["file"]: item["bytes"] for item in manifest["outputs"]}
    assert sizes["rapport_activite_2025.html"] == len(
        builds["before"]["rapport_activite_2025.html"]
    )
    assert set(sizes) == set(builds["before"]) - {"manifest.json"}
    assert (year_dir / "manifest.json").exists()


def test_rejects_file_opens_in_french_excel(builds):
    raw = builds["before"]["qualite/rejets.csv"]
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(raw.decode("utf-8-sig").splitlines(), delimiter=";"))
    assert rows[0] == ["Table", "Fichier", "Ligne", "Colonne", "Valeur", "Règle"]
    assert rows[1][:3] == ["lieux", "lieux.csv", "12"]


def test_partial_build_keeps_the_other_reports(builds):
    assert builds["partial"].ok
    year_dir = builds["year_dir"]
    assert (year_dir / "rapport_activite_2025.html").read_bytes() == builds["before"][
        "rapport_activite_2025.html"
    ]
    manifest = json.loads((year_dir / "manifest.json").read_text(encoding="utf-8"))
    assert set(manifest["reports"]) == {"rapport_activite", "exploration_lieux"}
    assert "kept_from" in manifest["reports"]["rapport_activite"]
    assert "kept_from" not in manifest["reports"]["exploration_lieux"]
    assert "[1/1] Exploration des lieux : exécution du notebook…" in builds["partial_lines"]


def test_unknown_report_name_is_refused_before_anything_runs(workspace):
    spec = ReportSpec("rapport_activite", "Rapport d'activité", ("html",), notebook=workspace["ok"])
    with pytest.raises(
        ValueError, match="Rapport inconnu : inexistant. Rapports disponibles : rapport_activite."
    ):
        run_build(workspace, [spec], only=["inexistant"])


def test_data_error_stops_the_build_before_any_folder_is_touched(tmp_path, workspace):
    from relief_analytics.load import DataError

    def broken_loader(path):
        raise DataError("lieux.csv : colonne obligatoire « nom » absente.")

    with pytest.raises(DataError, match="colonne obligatoire"):
        build_reports(
            dataset_dir=workspace["dataset_dir"],
            year=YEAR,
            reports_dir=tmp_path / "reports",
            progress=lambda line: None,
            catalog=[ReportSpec("a", "A", ("html",), notebook=workspace["ok"])],
            load=broken_loader,
            browser=None,
        )
    assert not (tmp_path / "reports").exists()


def test_unchanged_inputs_are_not_rebuilt_until_forced(tmp_path):
    """Same inputs, code, notebooks and parameters: « à jour », nothing rewritten; --force rebuilds."""
    notebooks = tmp_path / "notebooks"
    notebooks.mkdir()
    spec = ReportSpec("a", "A", ("html",), notebook=write_notebook(
        notebooks / "a.ipynb", [markdown("# A"), parameters_cell(), code("print(annee)")]))
    dataset_dir = write_dataset(tmp_path / "donnees")
    workspace = {"dataset_dir": dataset_dir, "reports_dir": tmp_path / "reports"}
    first, _ = run_build(workspace, [spec], year=YEAR)
    html = tmp_path / "reports" / str(YEAR) / f"a_{YEAR}.html"
    stamp = html.stat().st_mtime_ns

    again, lines = run_build(workspace, [spec], year=YEAR)
    assert again.ok and again.up_to_date
    assert any(f"Rapports {YEAR} à jour" in line for line in lines)
    assert html.stat().st_mtime_ns == stamp

    with open(dataset_dir / "lieux.csv", "a", encoding="utf-8") as lieux:
        lieux.write("L4;Le Garage;;69003;Lyon;69123;;;Tiers-lieu culturel;Association;2020;ouvert;oui;;"
                    "01/12/2025\n")
    changed, _ = run_build(workspace, [spec], year=YEAR)
    assert changed.ok and not changed.up_to_date
    assert html.stat().st_mtime_ns != stamp

    forced, _ = run_build(workspace, [spec], year=YEAR, force=True)
    assert forced.ok and not forced.up_to_date


def test_a_parallel_build_prints_no_traceback_on_stderr(tmp_path, capfd):
    """Four kernels at once (the port race of issue 15 §10): stderr stays empty of tracebacks."""
    workspace = {
        "dataset_dir": write_dataset(tmp_path / "donnees"),
        "reports_dir": tmp_path / "reports",
    }
    notebook = write_notebook(
        tmp_path / "ok.ipynb", [markdown("# Rapport"), parameters_cell(), code("print(annee)")]
    )
    catalog = [ReportSpec(f"rapport_{n}", f"Rapport {n}", ("html",), notebook=notebook)
               for n in range(4)]
    result, _ = run_build(workspace, catalog, year=YEAR, workers=4)
    assert result.ok
    err = capfd.readouterr().err
    assert "Traceback" not in err
    assert "ZMQError" not in err


def test_a_template_saved_with_an_edited_filter_is_flagged_in_french(tmp_path):
    """A template saved from JupyterLab (outputs, a parameter typed while exploring) is named."""
    workspace = {"dataset_dir": write_dataset(tmp_path / "donnees"),
                 "reports_dir": tmp_path / "reports"}
    edited = parameters_cell()
    edited.source += '\nfiltre_departements: str = "38"  # saisi en explorant'
    edited.execution_count = 1
    ran = code("print(annee)")
    ran.execution_count = 2
    ran.outputs = [nbformat.v4.new_output("stream", name="stdout", text="2025\n")]
    notebook = write_notebook(tmp_path / "exploration_lieux.ipynb", [markdown("# Lieux"), edited, ran])
    clean = write_notebook(tmp_path / "propre.ipynb", [markdown("# Propre"), parameters_cell(),
                                                      code("print(annee)")])
    catalog = [ReportSpec("exploration_lieux", "Exploration", ("html",), notebook=notebook),
               ReportSpec("propre", "Propre", ("html",), notebook=clean)]
    result, lines = run_build(workspace, catalog, year=YEAR)
    assert result.ok
    expected = (
        "le modèle exploration_lieux.ipynb a été exécuté et enregistré (par exemple depuis "
        "JupyterLab) : ses paramètres ou ses cellules ont pu changer et seraient publiés. "
        "Les explorations s'enregistrent dans explorations/ (make lab) ; rétablissez le modèle "
        "avec « git checkout notebooks/exploration_lieux.ipynb » ou videz ses sorties "
        "avec « make strip »."
    )
    assert result.reports[0].warnings == [expected]
    assert result.reports[1].warnings == []
    assert f"Attention : {expected}" in lines
    assert "exploration_lieux.ipynb" in json.loads(
        (result.year_dir / "manifest.json").read_text(encoding="utf-8")
    )["reports"]["exploration_lieux"]["warnings"][0]


def _kernel_children() -> list:
    import psutil

    return [child for child in psutil.Process().children(recursive=True)
            if "ipykernel" in " ".join(child.cmdline())]


def test_warm_kernels_are_stopped_when_the_data_cannot_be_read(tmp_path, workspace):
    from relief_analytics.load import DataError

    def slow_broken_loader(path):
        import time

        time.sleep(1.0)  # the warm kernels are starting meanwhile
        raise DataError("lieux.csv : colonne obligatoire « nom » absente.")

    before = _kernel_children()
    with pytest.raises(DataError):
        build_reports(
            dataset_dir=workspace["dataset_dir"], year=YEAR, reports_dir=tmp_path / "reports",
            progress=lambda line: None,
            catalog=[ReportSpec(n, n, ("html",), notebook=workspace["ok"]) for n in ("a", "b", "c")],
            load=slow_broken_loader, browser=None,
        )
    assert _kernel_children() == before


def test_no_kernel_is_left_running_after_a_build(builds, workspace, tmp_path):
    before = _kernel_children()
    result, _ = run_build(workspace, [ReportSpec("a", "A", ("html",), notebook=workspace["ok"])],
                          year=YEAR, force=True)
    assert result.ok
    assert _kernel_children() == before


def test_a_browser_that_cannot_start_leaves_the_pages_and_says_once_why_no_pdf(workspace, tmp_path):
    browser = tmp_path / "chromium"
    browser.write_text("#!/bin/sh\nexit 3\n", encoding="utf-8")
    browser.chmod(0o755)
    spec = ReportSpec("rapport_activite", "Rapport d'activité", ("html", "pdf"), notebook=workspace["ok"])
    lines: list[str] = []
    result = build_reports(dataset_dir=workspace["dataset_dir"], year=YEAR,
                           reports_dir=tmp_path / "reports", progress=lines.append,
                           catalog=[spec], browser=browser)
    assert result.ok
    assert (result.year_dir / "rapport_activite_2025.html").is_file()
    assert not (result.year_dir / "rapport_activite_2025.pdf").exists()
    why = [warning for warning in result.warnings if warning.startswith("PDF non produits : ")]
    assert len(why) == 1 and "s'est arrêté" in why[0], result.warnings
    assert f"Attention : {why[0]}" in lines[:lines.index(next(line for line in lines
                                                              if line.startswith("Rapports 2025")))]
    assert result.reports[0].warnings == ["rapport_activite_2025.pdf non produit : aucun navigateur."]
