"""The snapshots the tool keeps of its public lieux table (report.snapshots)."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from factories import lieu, tiny_context

from relief_analytics.errors import DataError
from relief_analytics.report.snapshots import (
    SNAPSHOTS_DIRNAME,
    keep_lieux_snapshot,
    list_snapshots,
    write_lieux_snapshot,
)


@pytest.fixture(scope="module")
def context(tmp_path_factory):
    return tiny_context(tmp_path_factory.mktemp("data"), reports=["synthese_ca"], lieux=[
        lieu("L1", "La Forge", commune="Crest", code_insee="26108", code_postal="26400",
             typologies="Fablab / Makerspace / Hackerspace"),
        lieu("L2", "Le Four", etat="en projet", annee_ouverture=""),
    ])


def test_one_snapshot_a_day_replaced_the_same_day_kept_the_next(context, tmp_path):
    first = write_lieux_snapshot(context, tmp_path, today=dt.date(2026, 2, 3))
    again = write_lieux_snapshot(context, tmp_path, today=dt.date(2026, 2, 3))
    later = write_lieux_snapshot(context, tmp_path, today=dt.date(2026, 2, 4))
    assert first == again == tmp_path / SNAPSHOTS_DIRNAME / "lieux_2025_2026-02-03.csv"
    assert later.name == "lieux_2025_2026-02-04.csv"
    # nothing half-written or temporary is left beside them
    assert sorted(p.name for p in (tmp_path / SNAPSHOTS_DIRNAME).iterdir()) == [
        "lieux_2025_2026-02-03.csv", "lieux_2025_2026-02-04.csv"]


def test_snapshots_read_back_with_their_year_date_and_public_fields_only(context, tmp_path):
    write_lieux_snapshot(context, tmp_path, today=dt.date(2026, 2, 3))
    (tmp_path / SNAPSHOTS_DIRNAME / "notes.csv").write_text("x", encoding="utf-8")
    (tmp_path / SNAPSHOTS_DIRNAME / "lieux_2025_2026-13-45.csv").write_text("x", encoding="utf-8")
    [ref] = list_snapshots(tmp_path)
    assert (ref.year, ref.taken_on) == (2025, dt.date(2026, 2, 3))
    table = ref.read()
    assert table[["id", "nom", "commune", "etat", "annee_ouverture"]].fillna("").values.tolist() == [
        ["L1", "La Forge", "Crest", "ouvert", "2020"], ["L2", "Le Four", "Lyon", "en projet", ""]]
    text = next((tmp_path / SNAPSHOTS_DIRNAME).glob("lieux_2025_*.csv")).read_text(encoding="utf-8-sig")
    assert text.splitlines()[0].split(";")[:3] == ["id", "nom", "adresse"]


def test_a_name_kept_inert_in_the_file_reads_back_as_written(tmp_path):
    context = tiny_context(tmp_path / "data", reports=["synthese_ca"],
                           lieux=[lieu("L1", "=Le Lieu"), lieu("L2", "'Le Quai")])
    path = write_lieux_snapshot(context, tmp_path, today=dt.date(2026, 2, 3))
    assert "'=Le Lieu" in path.read_text(encoding="utf-8-sig")  # inert for a spreadsheet
    [ref] = list_snapshots(tmp_path)
    assert ref.read()["nom"].tolist() == ["=Le Lieu", "'Le Quai"]


def test_an_interrupted_write_leaves_the_previous_snapshot_and_no_partial_file(context, tmp_path,
                                                                             monkeypatch):
    kept = write_lieux_snapshot(context, tmp_path, today=dt.date(2026, 2, 3))
    before = kept.read_bytes()

    def disk_full(self, stream, **_):
        stream.write("id;nom\n")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(pd.DataFrame, "to_csv", disk_full)
    with pytest.raises(OSError):
        write_lieux_snapshot(context, tmp_path, today=dt.date(2026, 2, 3))
    assert kept.read_bytes() == before
    assert [p.name for p in (tmp_path / SNAPSHOTS_DIRNAME).iterdir()] == [kept.name]


def test_no_folder_no_snapshot(tmp_path):
    assert list_snapshots(tmp_path) == []


def test_a_file_that_is_not_a_snapshot_is_named(tmp_path):
    folder = tmp_path / SNAPSHOTS_DIRNAME
    folder.mkdir()
    (folder / "lieux_2024_2025-03-01.csv").write_text("a;b\n1;2\n", encoding="utf-8")
    [ref] = list_snapshots(tmp_path)
    with pytest.raises(DataError, match=r"lieux_2024_2025-03-01\.csv : colonne\(s\) absente\(s\) id, nom"):
        ref.read()


def test_keeping_a_snapshot_in_a_read_only_place_warns_in_french(context, tmp_path):
    blocker = tmp_path / SNAPSHOTS_DIRNAME
    blocker.write_text("un fichier à la place du dossier", encoding="utf-8")
    [warning] = keep_lieux_snapshot(context, tmp_path, today=dt.date(2026, 2, 3))
    assert warning.startswith("instantané des lieux non gardé dans instantanes/ (")
