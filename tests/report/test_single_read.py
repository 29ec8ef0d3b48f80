"""One build reads each raw input file exactly once; notebooks, XLSX and manifest never touch them.

Reads are counted with a Python audit hook on ``open`` in the build process. After loading, the
dataset folder is moved away: if a notebook kernel, the workbook or the manifest read a raw file
again, the build would fail.
"""

from __future__ import annotations

import shutil
import sys
from collections import Counter
from pathlib import Path

import pytest
from sample_copy import copy_sample

from relief_analytics.load import load_dataset
from relief_analytics.report.build import build_reports

pytestmark = pytest.mark.slow

_WATCHED: dict[str, object] = {"root": None, "opens": Counter()}


def _audit(event: str, args: tuple) -> None:
    root = _WATCHED["root"]
    if event == "open" and root and isinstance(args[0], str | Path) and str(args[0]).startswith(root):
        _WATCHED["opens"][Path(args[0]).name] += 1


sys.addaudithook(_audit)  # hooks cannot be removed: it only counts while "root" is set


def test_each_raw_file_is_read_once_per_build(tmp_path: Path):
    dataset = copy_sample(tmp_path / "donnees")
    hidden = tmp_path / "cache"
    expected = sorted(p.name for p in dataset.iterdir() if p.is_file())

    def load_then_hide(path: Path):
        loaded = load_dataset(path)
        shutil.move(str(path), hidden)  # nothing after loading may read the raw files
        return loaded

    _WATCHED["root"], _WATCHED["opens"] = str(dataset), Counter()
    try:
        result = build_reports(dataset_dir=dataset, year=2025, reports_dir=tmp_path / "rapports",
                               progress=lambda *_: None, load=load_then_hide, browser=None)
    finally:
        _WATCHED["root"] = None
    assert result.ok, [o.error for o in result.failed]
    opens = _WATCHED["opens"]
    assert sorted(opens) == expected  # every input file was read…
    assert set(opens.values()) == {1}  # …exactly once
    assert (tmp_path / "rapports" / "2025" / "compte_rendu_financier_2025.xlsx").is_file()


def test_the_default_year_costs_no_second_read_of_the_configuration(tmp_path: Path, monkeypatch):
    dataset = copy_sample(tmp_path / "donnees")
    from relief_analytics.report import build

    seen = {}

    def fake_context(loaded, *, year):
        seen["year"] = year
        raise RuntimeError("stop after loading")

    _WATCHED["root"], _WATCHED["opens"] = str(dataset), Counter()
    try:
        with pytest.raises(RuntimeError, match="stop after loading"):
            build.build_reports(dataset_dir=dataset, year=None, reports_dir=tmp_path / "r",
                                progress=lambda *_: None, make_context=fake_context, browser=None)
    finally:
        _WATCHED["root"] = None
    assert seen["year"] == 2025
    assert _WATCHED["opens"]["config.toml"] == 1
    assert set(_WATCHED["opens"].values()) == {1}
