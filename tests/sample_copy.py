"""Copies of the sample dataset for tests: each copy gets its own salt (the sample's is public).

Importable from every test module (pytest puts ``tests/`` on ``sys.path`` for its conftest).
"""

from __future__ import annotations

import shutil
from pathlib import Path

from relief_analytics import paths
from relief_analytics.load.config import SAMPLE_SALT
from relief_analytics.load.config_model import SAMPLE_IDENTITY

#: Salt of the tests' copies (≥ 32 characters, not the sample's public one).
TEST_SALT = "sel-des-tests-de-confiance-0123456789abcdef"
#: Invented identity of the copies (the example association's is refused outside data/sample).
TEST_IDENTITY = {"rna": "W389999001", "siret": "99999999900011", "numero_convention": "TEST-2025-0001"}


def sample_config_text() -> str:
    """The sample's ``config.toml`` with :data:`TEST_SALT` and :data:`TEST_IDENTITY`."""
    text = (paths.SAMPLE_DATASET_DIR / "config.toml").read_text(encoding="utf-8")
    for _, key, _, value in SAMPLE_IDENTITY:
        text = text.replace(f'{key} = "{value}"', f'{key} = "{TEST_IDENTITY[key]}"')
    return text.replace(SAMPLE_SALT, TEST_SALT)


def copy_sample(destination: Path) -> Path:
    """Copy ``data/sample`` to ``destination`` with :data:`TEST_SALT`; return ``destination``."""
    shutil.copytree(paths.SAMPLE_DATASET_DIR, destination)
    (destination / "config.toml").write_text(sample_config_text(), encoding="utf-8")
    return destination
