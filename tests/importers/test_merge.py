"""Merging into the dataset's table: overlapping exports, pseudonyms kept, atomic write."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from ledger import assert_ledger_balances
from sample_copy import copy_sample

from relief_analytics.importers import base
from relief_analytics.importers.base import merge_rows
from relief_analytics.importers.helloasso import import_helloasso
from relief_analytics.load import load_dataset

FIXTURES = Path(__file__).parent / "fixtures"
SAMPLE = Path(__file__).parents[2] / "data" / "sample"
EXPORT = FIXTURES / "helloasso_adhesions.csv"


def _part(tmp_path: Path, name: str, keep: range) -> Path:
    lines = EXPORT.read_bytes().split(b"\r\n")
    path = tmp_path / name
    path.write_bytes(b"\r\n".join([lines[0], *(lines[i] for i in keep)]) + b"\r\n")
    return path


def test_overlapping_exports_merge_without_duplicates(dataset_dir: Path, settings, tmp_path: Path):
    january_march = _part(tmp_path, "jan-mars.csv", range(1, 6))  # orders 20001–20005
    march_june = _part(tmp_path, "mars-juin.csv", range(4, 8))  # orders 20004–20007
    first = import_helloasso(january_march, dataset_dir=dataset_dir, settings=settings)
    second = import_helloasso(march_june, dataset_dir=dataset_dir, settings=settings)
    assert [k.split("-")[0] for k in first.added_keys] == ["20001", "20002", "20003", "20004", "20005"]
    assert ([k.split("-")[0] for k in second.added_keys], second.unchanged_count) == (["20006", "20007"], 2)
    assert_ledger_balances(first, read=5, added=5)
    assert_ledger_balances(second, read=4, added=2, unchanged=2)
    table = pd.read_csv(dataset_dir / "adhesions_helloasso.csv", sep=";", dtype=str, encoding="utf-8-sig")
    assert table["reference commande"].str.split("-").str[0].tolist() == [f"2000{i}" for i in range(1, 8)]


def test_import_into_a_raw_export_keeps_every_row_and_every_pseudonym(tmp_path: Path):
    folder = tmp_path / "donnees"
    copy_sample(folder)
    before = load_dataset(folder).adhesions.set_index("membership_id")
    from relief_analytics.importers.base import read_import_settings

    report = import_helloasso(EXPORT, dataset_dir=folder, settings=read_import_settings(folder))
    assert len(report.added_keys) == 7 and report.updated_keys == []
    after = load_dataset(folder)
    assert after.issues[after.issues["table"] == "adhesions"].empty
    adhesions = after.adhesions.set_index("membership_id")
    assert len(adhesions) == len(before) + 7
    pd.testing.assert_frame_equal(adhesions.loc[before.index], before)  # same rows, same pseudonyms
    written = (folder / "adhesions_helloasso.csv").read_text(encoding="utf-8-sig")
    assert "@" not in written and "Prénom" not in written
    assert (folder / "adhesions_helloasso.precedent.csv").read_bytes() == (
        SAMPLE / "adhesions_helloasso.csv").read_bytes()


def test_failed_write_leaves_the_table_untouched(dataset_dir: Path, settings, monkeypatch, tmp_path):
    import_helloasso(_part(tmp_path, "a.csv", range(1, 3)), dataset_dir=dataset_dir, settings=settings)
    table = dataset_dir / "adhesions_helloasso.csv"
    before = table.read_bytes()

    def broken(self, path, **kwargs):
        Path(path).write_text("moitié", encoding="utf-8")
        raise OSError("disque plein")

    monkeypatch.setattr(pd.DataFrame, "to_csv", broken)
    with pytest.raises(OSError):
        import_helloasso(EXPORT, dataset_dir=dataset_dir, settings=settings)
    assert table.read_bytes() == before
    assert sorted(p.name for p in dataset_dir.iterdir()) == ["adhesions_helloasso.csv", "config.toml"]


def test_empty_incoming_value_never_erases_and_new_columns_are_kept():
    existing = pd.DataFrame({"lieu_id": ["L1", "L2"], "lieu_name": ["A", "B"], "website": ["https://a", None]})
    incoming = pd.DataFrame({"lieu_id": ["L1", "L3"], "lieu_name": ["A", "C"], "website": [None, None],
                             "surface": ["120 m²", None]})
    result = merge_rows(existing, incoming, table="lieux")
    assert result.table.values.tolist() == [
        ["L1", "A", "https://a", "120 m²"], ["L2", "B", None, None], ["L3", "C", None, None]]
    assert result.changes.values.tolist() == [["L1", "surface", "", "120 m²"]]
    assert (result.added_keys, result.updated_keys) == (["L3"], ["L1"])


def test_values_equal_once_parsed_are_not_changes():
    existing = pd.DataFrame({"lieu_id": ["L1"], "latitude": ["45.75"], "postal_code": ["1000"]})
    incoming = pd.DataFrame({"lieu_id": ["L1"], "latitude": ["45,75"], "postal_code": ["01000"]})
    result = merge_rows(existing, incoming, table="lieux")
    assert result.changes.empty and result.unchanged_count == 1
    assert base.TABLE_KEYS["lieux"] == "lieu_id"
