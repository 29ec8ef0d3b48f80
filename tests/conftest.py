"""Shared fixtures: the sample dataset's configuration and a writer for tiny input files."""

from __future__ import annotations

from pathlib import Path

import pytest

from relief_analytics import paths
from relief_analytics.load import read_config


@pytest.fixture(scope="session")
def sample_config():
    return read_config(paths.SAMPLE_DATASET_DIR)


@pytest.fixture
def write_bytes(tmp_path: Path):
    """Write raw bytes to ``tmp_path/name`` and return the path."""

    def _write(name: str, data: bytes) -> Path:
        path = tmp_path / name
        path.write_bytes(data)
        return path

    return _write


@pytest.fixture(scope="session")
def sample_context():
    """The year context of the bundled sample, 2025 (built once per test session)."""
    from relief_analytics.context import build_year_context
    from relief_analytics.load import load_dataset

    return build_year_context(load_dataset(paths.SAMPLE_DATASET_DIR), year=2025)
