"""Copies of the sample dataset for tests: each copy gets its own salt (the sample's is public).

Importable from every test module (pytest puts ``tests/`` on ``sys.path`` for its conftest).
"""

from __future__ import annotations

import shutil
from pathlib import Path

from relief_analytics import paths
from relief_analytics.load.config import SAMPLE_SALT

#: Salt of the tests' copies (≥ 32 characters, not the sample's public one).
TEST_SALT = "sel-des-tests-de-confiance-0123456789abcdef"


def sample_config_text() -> str:
    """The sample's ``config.toml`` with :data:`TEST_SALT`."""
    text = (paths.SAMPLE_DATASET_DIR / "config.toml").read_text(encoding="utf-8")
    return text.replace(SAMPLE_SALT, TEST_SALT)


def copy_sample(destination: Path) -> Path:
    """Copy ``data/sample`` to ``destination`` with :data:`TEST_SALT`; return ``destination``."""
    shutil.copytree(paths.SAMPLE_DATASET_DIR, destination)
    (destination / "config.toml").write_text(sample_config_text(), encoding="utf-8")
    return destination
