"""Shared fixtures of the importer tests: an empty dataset folder with the sample configuration."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from relief_analytics.importers.base import read_import_settings
from relief_analytics.paths import SAMPLE_DATASET_DIR

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture
def dataset_dir(tmp_path: Path) -> Path:
    """A dataset folder holding only the sample ``config.toml`` (no table yet)."""
    folder = tmp_path / "donnees"
    folder.mkdir()
    shutil.copy(SAMPLE_DATASET_DIR / "config.toml", folder / "config.toml")
    return folder


@pytest.fixture
def settings(dataset_dir: Path):
    return read_import_settings(dataset_dir)
