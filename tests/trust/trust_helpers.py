"""Helpers of the trust tests: a private copy of the sample dataset with its own salt."""

from __future__ import annotations

import shutil
from pathlib import Path

from relief_analytics import paths
from relief_analytics.load.config import SAMPLE_SALT

#: Salt of the tests' copies (≥ 32 characters, not the sample's public one).
TEST_SALT = "sel-des-tests-de-confiance-0123456789abcdef"


def copy_sample(destination: Path) -> Path:
    """Copy ``data/sample`` to ``destination`` with :data:`TEST_SALT`; return ``destination``."""
    shutil.copytree(paths.SAMPLE_DATASET_DIR, destination)
    config = destination / "config.toml"
    config.write_text(config.read_text(encoding="utf-8").replace(SAMPLE_SALT, TEST_SALT), encoding="utf-8")
    return destination
