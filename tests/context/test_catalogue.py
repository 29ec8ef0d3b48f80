"""The catalogue of the year's tables: declared entries, checked names, computed on demand."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pandas as pd
import pytest

from relief_analytics import paths
from relief_analytics.context.catalogue import (
    CATALOGUE,
    DOCUMENTS,
    SERIES,
    TABLES,
    catalogue_problems,
    documents_of_reports,
    tables_read_by,
)
from relief_analytics.context.names import check_notebook_table_names, notebook_table_problems
from relief_analytics.context.year import build_year_context
from relief_analytics.errors import DataError
from relief_analytics.indicators.units import unit_from_name
from relief_analytics.report.catalog import CATALOG


def _notebook(tmp_path: Path, name: str, *sources: str) -> Path:
    cells = [{"cell_type": "code", "metadata": {}, "source": source, "outputs": [],
              "execution_count": None} for source in sources]
    path = tmp_path / f"{name}.ipynb"
    path.write_text(json.dumps({"cells": cells, "metadata": {}, "nbformat": 4,
                                "nbformat_minor": 5}), encoding="utf-8")
    return path


@pytest.fixture
def no_kernel(monkeypatch):
    """Make any kernel start fail: the static check must not need one."""
    from jupyter_client.manager import KernelManager

    def refuse(*args, **kwargs):
        raise AssertionError("a kernel was started")

    monkeypatch.setattr(KernelManager, "start_kernel", refuse)


def test_the_catalogue_is_sound():
    assert catalogue_problems() == []


def test_a_table_nobody_reads_fails():
    orphan = dataclasses.replace(TABLES["lieux_by_legal_status"], readers=())
    problems = catalogue_problems([*CATALOGUE, dataclasses.replace(orphan, name="lieux_orphelins")])
    assert problems[:1] == [
        "Table « lieux_orphelins » : aucun document ne la lit ; retirez-la du catalogue "
        "(relief_analytics/context/catalogue.py)."
    ]


def test_an_unknown_reader_and_a_duplicate_name_fail():
    spec = TABLES["lieux_by_legal_status"]
    problems = catalogue_problems([spec, dataclasses.replace(spec, readers=("diaporama",))])
    assert problems[0] == "Table « lieux_by_legal_status » déclarée deux fois dans le catalogue."
    assert problems[1].startswith("Table « lieux_by_legal_status » : document inconnu diaporama")


def test_every_reader_is_a_document_and_every_report_a_reader_of_something():
    assert {reader for spec in CATALOGUE for reader in spec.readers} == set(DOCUMENTS)
    assert {spec.name for spec in CATALOG} <= set(DOCUMENTS)


def test_series_keys_equal_their_function_names():
    assert SERIES == ("membership_by_year", "events_by_year", "lieux_by_year",
                      "volunteering_by_year", "governance_by_year")
    for name in SERIES:
        assert TABLES[name].function.__name__ == name


def test_a_table_whose_function_has_another_name_fails():
    spec = TABLES["lieux_by_departement"]

    def count_lieux_by_departement(inputs):
        return spec.compute(inputs)

    renamed = dataclasses.replace(spec, function=count_lieux_by_departement)
    assert catalogue_problems([renamed]) == [
        "Table « lieux_by_departement » : sa fonction s'appelle « count_lieux_by_departement » ; "
        "une table porte le nom de la fonction qui la calcule (ou de la chaîne « <nom>_chain » dont "
        "elle est une partie)."
    ]
    assert catalogue_problems([TABLES["cerfa"], TABLES["cerfa_gaps"]]) == []


def test_numeric_columns_carry_their_unit_in_their_name():
    for spec in CATALOGUE:
        for column in spec.columns:
            numeric = column.dtype.lower().startswith(("int", "float"))
            if numeric and column.unit != "number":
                assert unit_from_name(column.name) == column.unit, (spec.name, column.name)


def test_a_notebook_using_an_undeclared_table_fails_before_any_kernel_starts(tmp_path, no_kernel):
    notebook = _notebook(tmp_path, "rapport_activite", "ctx = open_year_context('.', 2025)",
                         'french_table(ctx.table("benevolat_by_year"))')
    with pytest.raises(DataError) as caught:
        check_notebook_table_names([notebook])
    message = str(caught.value)
    assert message.startswith("Noms de tables à corriger dans les notebooks :\n- rapport_activite."
                              "ipynb, cellule 2, ligne 1 : table « benevolat_by_year » inconnue du "
                              "catalogue des tables de l'année")
    assert "volunteering_by_year" in message  # the declared names are listed


def test_a_comparison_of_an_unknown_series_is_named(tmp_path):
    notebook = _notebook(tmp_path, "rapport_activite", 'comparison_table(ctx.comparison("benevolat"))')
    assert notebook_table_problems([notebook])[0].startswith(
        "rapport_activite.ipynb, cellule 1, ligne 1 : série « benevolat » inconnue du catalogue")


def test_a_notebook_reading_a_table_it_is_not_a_reader_of_fails(tmp_path):
    notebook = _notebook(tmp_path, "qualite_donnees", 'x = 1\nctx.table("cerfa")')
    assert notebook_table_problems([notebook]) == [
        "qualite_donnees.ipynb, cellule 1, ligne 2 : la table « cerfa » ne compte pas "
        "« qualite_donnees » parmi ses lecteurs (compte_rendu_financier, presentation_ag, "
        "classeur) ; elle ne serait pas calculée pour ce document. Ajoutez-le à ses lecteurs "
        "dans relief_analytics/context/catalogue.py."
    ]


def test_direct_bag_access_and_computed_names_are_refused(tmp_path):
    notebook = _notebook(tmp_path, "rapport_activite", '%matplotlib inline\nctx.tables["cerfa"]',
                         "ctx.table(nom)")
    problems = notebook_table_problems([notebook])
    assert problems == [
        "rapport_activite.ipynb, cellule 1, ligne 2 : accès direct « ctx.tables[…] » ; lisez la "
        "table par « ctx.table(\"cerfa\") », dont le nom est vérifié avant l'exécution.",
        "rapport_activite.ipynb, cellule 2, ligne 1 : le nom passé à « ctx.table(…) » doit être "
        "écrit en toutes lettres (entre guillemets) pour être vérifié avant l'exécution.",
    ]


def test_the_committed_notebooks_read_declared_names_only():
    notebooks = sorted(paths.NOTEBOOKS_DIR.glob("*.ipynb"))
    assert len(notebooks) == 6
    assert notebook_table_problems(notebooks) == []


def test_sample_tables_have_their_declared_columns(sample_context):
    assert set(sample_context.tables) == set(TABLES)
    for spec in CATALOGUE:
        frame = sample_context.tables[spec.name]
        assert list(frame.columns) == [c.name for c in spec.columns], spec.name
        if len(frame):
            assert frame.dtypes.astype(str).tolist() == [c.dtype for c in spec.columns], spec.name


@pytest.fixture(scope="module")
def sample_dataset():
    from relief_analytics.load import load_dataset

    return load_dataset(paths.SAMPLE_DATASET_DIR)


def test_only_the_tables_of_the_requested_reports_are_computed(sample_dataset, sample_context):
    ctx = build_year_context(sample_dataset, year=2025, reference=sample_context.reference,
                             reports=["qualite_donnees"])
    assert ctx.documents == ("qualite_donnees", "problemes_geographiques", "site_public")
    assert list(ctx.tables) == [s.name for s in tables_read_by(ctx.documents)]
    assert "cerfa" not in ctx.tables and ctx.comparisons == {}
    pd.testing.assert_frame_equal(ctx.table("issue_list"), sample_context.table("issue_list"))
    assert ctx.facts == sample_context.facts  # facts do not depend on the reports
    with pytest.raises(KeyError, match="Table « cerfa » non calculée : aucun des documents de ce "
                                       r"contexte \(qualite_donnees, problemes_geographiques, site_public\)"):
        ctx.table("cerfa")


def test_an_unknown_table_or_series_is_named_in_french(sample_context):
    with pytest.raises(KeyError, match="Table « benevolat_by_year » inconnue du catalogue"):
        sample_context.table("benevolat_by_year")
    with pytest.raises(KeyError, match="Série « lieux_by_departement » inconnue du catalogue"):
        sample_context.comparison("lieux_by_departement")
    assert sample_context.comparison("lieux_by_year")["indicator"].tolist() == [
        "opened_lieux_count", "open_lieux_count"]


def test_documents_of_reports():
    assert documents_of_reports(None) == tuple(DOCUMENTS)
    assert documents_of_reports(["presentation_ag"]) == ("presentation_ag",
                                                          "problemes_geographiques", "site_public")


def test_the_build_stops_on_an_undeclared_name_before_loading_or_any_kernel(tmp_path, no_kernel):
    from relief_analytics.report.build import build_reports
    from relief_analytics.report.catalog import ReportSpec

    notebook = _notebook(tmp_path, "rapport_activite", 'ctx.table("lieux_par_departement")')
    spec = ReportSpec("rapport_activite", "Rapport d'activité", ("html",), notebook=notebook)

    def load(_folder):
        raise AssertionError("the dataset was loaded")

    with pytest.raises(DataError, match="table « lieux_par_departement » inconnue du catalogue"):
        build_reports(dataset_dir=tmp_path, year=2025, reports_dir=tmp_path / "reports",
                      catalog=[spec], load=load, force=True, browser=None,
                      progress=lambda *_: None)
    assert not (tmp_path / "reports").exists()


@pytest.mark.parametrize("report", [spec.name for spec in CATALOG])
def test_a_single_report_context_has_the_same_figures_as_the_full_one(report, sample_dataset,
                                                                      sample_context):
    from relief_analytics.display.key_figures import ACTIVITY_TILES, AG_TILES

    ctx = build_year_context(sample_dataset, year=2025, reference=sample_context.reference,
                             reports=[report])
    for name, frame in ctx.tables.items():
        pd.testing.assert_frame_equal(frame, sample_context.table(name), obj=name)
    for name, frame in ctx.comparisons.items():
        pd.testing.assert_frame_equal(frame, sample_context.comparison(name), obj=name)
    tiles = {"rapport_activite": ACTIVITY_TILES, "compte_rendu_financier": ACTIVITY_TILES,
             "presentation_ag": AG_TILES}.get(report, ())
    assert {series for series, _, _ in tiles} <= set(ctx.comparisons)  # no tile silently missing
