"""The order in which a build hands its notebooks to the kernels."""

from __future__ import annotations

from relief_analytics.report.build import _longest_first
from relief_analytics.report.catalog import CATALOG, ReportSpec


def test_the_deck_and_the_other_printed_reports_run_first_and_keep_their_numbers():
    order = [(number, spec.name) for number, spec in _longest_first(CATALOG)]
    assert order == [
        (4, "presentation_ag"),
        (1, "rapport_activite"), (2, "compte_rendu_financier"), (6, "synthese_ca"),
        (3, "exploration_lieux"), (5, "qualite_donnees"),
    ]


def test_reports_without_a_pdf_keep_the_catalogue_order():
    specs = [ReportSpec("b", "B", ("html",)), ReportSpec("a", "A", ("html",))]
    assert [spec.name for _, spec in _longest_first(specs)] == ["b", "a"]


def test_a_build_runs_one_kernel_per_core_beyond_the_first_and_at_most_two(monkeypatch):
    import os

    from relief_analytics.report.build import default_workers

    got = {}
    for cores in (1, 2, 3, 8):
        monkeypatch.setattr(os, "sched_getaffinity", lambda pid, n=cores: set(range(n)), raising=False)
        got[cores] = default_workers()
    assert got == {1: 1, 2: 1, 3: 2, 8: 2}
