"""The report set and the notebook contract."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest
from report_helpers import code, markdown, parameters_cell, write_notebook

from relief_analytics.paths import NOTEBOOKS_DIR
from relief_analytics.report.catalog import (
    CATALOG,
    ReportSpec,
    notebook_problems,
    parameter_defaults,
    select_reports,
)


def test_catalogue_lists_the_six_reports_with_french_file_names():
    assert [spec.name for spec in CATALOG] == [
        "rapport_activite",
        "compte_rendu_financier",
        "exploration_lieux",
        "presentation_ag",
        "qualite_donnees",
        "synthese_ca",
    ]
    formats = {spec.name: spec.formats for spec in CATALOG}
    assert formats["rapport_activite"] == ("html", "pdf")
    assert formats["compte_rendu_financier"] == ("html", "pdf", "xlsx")
    assert formats["presentation_ag"] == ("slides", "pdf")  # the deck and its handout
    finance = CATALOG[1]
    assert finance.output_name("xlsx", 2025) == "compte_rendu_financier_2025.xlsx"
    assert finance.page_title(2025) == "Compte rendu financier 2025"
    assert finance.notebook_path == NOTEBOOKS_DIR / "compte_rendu_financier.ipynb"


def test_spec_refuses_a_pdf_without_html_before_it():
    with pytest.raises(ValueError, match="'pdf' needs 'html'"):
        ReportSpec("x", "X", ("pdf", "html"))


def test_select_reports_keeps_catalogue_order():
    names = [s.name for s in select_reports(CATALOG, ["qualite_donnees", "rapport_activite"])]
    assert names == ["rapport_activite", "qualite_donnees"]
    assert select_reports(CATALOG, None) == list(CATALOG)


def test_contract_accepts_a_proper_report_notebook(tmp_path: Path):
    path = write_notebook(
        tmp_path / "ok.ipynb", [markdown("# Titre"), parameters_cell(), code("1")]
    )
    assert notebook_problems(path) == []


def test_contract_lists_every_problem_in_french(tmp_path: Path):
    cell = nbformat.v4.new_code_cell('annee = "2025"\ndossier_donnees = chemin()')
    cell.metadata["tags"] = ["parameters"]
    executed = code("1")
    executed.outputs = [nbformat.v4.new_output("stream", name="stdout", text="1")]
    path = write_notebook(tmp_path / "bad.ipynb", [cell, executed])
    problems = notebook_problems(path)
    assert (
        "bad.ipynb : la cellule « parameters » ne définit pas dossier_donnees par une valeur littérale."
        in problems
    )
    assert "bad.ipynb : annee doit valoir un int (valeur trouvée : '2025')." in problems
    assert any("des sorties sont enregistrées (cellules [2])" in p for p in problems)
    assert notebook_problems(tmp_path / "absent.ipynb") == [
        f"{tmp_path / 'absent.ipynb'} : notebook introuvable."
    ]


def test_parameter_defaults_reads_annotated_literals(tmp_path):
    cell = code('annee: int = 2024  # année\ndossier_donnees: str = "data/sample"  # dossier\nx = f()')
    cell.metadata["tags"] = ["parameters"]
    path = write_notebook(tmp_path / "p.ipynb", [cell])
    assert parameter_defaults(path) == {"annee": 2024, "dossier_donnees": "data/sample"}


@pytest.mark.parametrize(
    "spec", [s for s in CATALOG if s.notebook_path.exists()], ids=lambda s: s.name
)
def test_existing_report_notebooks_follow_the_contract(spec: ReportSpec):
    assert notebook_problems(spec.notebook_path) == []
