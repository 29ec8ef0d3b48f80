"""Shared fixtures of the importer tests: an empty dataset folder with the sample configuration."""

from __future__ import annotations

from pathlib import Path

import pytest
from sample_copy import sample_config_text

from relief_analytics.importers.base import read_import_settings

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture
def dataset_dir(tmp_path: Path) -> Path:
    """A dataset folder holding only the sample ``config.toml`` (no table yet)."""
    folder = tmp_path / "donnees"
    folder.mkdir()
    (folder / "config.toml").write_text(sample_config_text(), encoding="utf-8")
    return folder


@pytest.fixture
def settings(dataset_dir: Path):
    return read_import_settings(dataset_dir)
