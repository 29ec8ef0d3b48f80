"""The rebuild plan: which input files each report reads, and the French reason it is rebuilt."""

from __future__ import annotations

from relief_analytics.report.catalog import ReportSpec
from relief_analytics.report.plan import (
    change_reason,
    file_patterns,
    input_signature,
    report_inputs,
)

FILES = file_patterns({"lieux": "lieux.csv", "budget": "budget.csv",
                       "bilan_qualitatif": "bilan_qualitatif_{annee}.md"})
SIGNATURE = ["budget.csv:120:1", "bilan_qualitatif_2025.md:40:1", "config.toml:900:1",
             "lieux.csv:3000:1"]


def test_a_report_reads_its_tables_files_and_every_file_no_table_claims():
    exploration = ReportSpec("exploration_lieux", "Exploration", ("html",), reads=("lieux",))
    quality = ReportSpec("qualite_donnees", "Qualité", ("html",))  # reads=None: every file

    assert report_inputs(SIGNATURE, exploration, FILES) == ["config.toml:900:1", "lieux.csv:3000:1"]
    assert report_inputs(SIGNATURE, quality, FILES) == SIGNATURE


def test_a_year_pattern_matches_the_file_of_any_year():
    review = ReportSpec("r", "R", ("html",), reads=("bilan_qualitatif",))
    assert report_inputs(["bilan_qualitatif_2031.md:1:1"], review, FILES) == [
        "bilan_qualitatif_2031.md:1:1"]


def test_the_reason_names_the_changed_files_or_else_the_code():
    before = ["budget.csv:120:1", "lieux.csv:3000:1"]
    assert change_reason(before, ["budget.csv:121:2", "lieux.csv:3000:1"]) == "budget.csv a changé"
    assert change_reason(before, ["budget.csv:121:2"]) == "budget.csv, lieux.csv ont changé"
    assert change_reason(before, before) == "le code, le notebook, le navigateur ou le mode a changé"
    assert change_reason(None, before) == "construction précédente sans liste de fichiers lus"


def test_the_signature_lists_files_by_name_size_and_time_without_hidden_ones(tmp_path):
    (tmp_path / "lieux.csv").write_text("nom\n", encoding="utf-8")
    (tmp_path / ".cache").mkdir()
    (tmp_path / ".cache" / "x").write_text("x", encoding="utf-8")
    [entry] = input_signature(tmp_path)
    name, size, _mtime = entry.split(":")
    assert (name, size) == ("lieux.csv", "4")


def test_the_snapshots_of_earlier_years_are_part_of_a_reports_key(tmp_path):
    from relief_analytics.report.snapshot_names import SNAPSHOTS_DIRNAME, snapshot_signature

    folder = tmp_path / SNAPSHOTS_DIRNAME
    folder.mkdir()
    for name in ("lieux_2024_2025-03-01.csv", "lieux_2025_2026-02-03.csv", "notes.csv"):
        (folder / name).write_text("lieu_id\nL1\n", encoding="utf-8")
    # a build of 2025 reads the 2024 snapshots as its baseline; its own snapshots are left out
    assert [entry.split(":")[0] for entry in snapshot_signature(tmp_path, 2025)] == [
        "instantanes/lieux_2024_2025-03-01.csv"]
    assert snapshot_signature(tmp_path, 2024) == []
    assert snapshot_signature(tmp_path / "absent", 2025) == []
