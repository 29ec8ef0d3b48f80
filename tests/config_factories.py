"""Real configuration objects for tests, built through the typed model (no ``SimpleNamespace``).

``config_toml()`` gives the sample's ``config.toml`` text with a test salt, optionally edited;
``make_config()`` validates a raw mapping like ``read_config`` does and returns a
:class:`~relief_analytics.load.config.DatasetConfig`; ``make_subsidy()`` builds the typed
``[subvention]`` section from TOML keys.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from relief_analytics import paths
from relief_analytics.load.config import DatasetConfig, config_from_model
from relief_analytics.load.config_model import SAMPLE_SALT, SubsidySettings, validate_config

#: A salt that passes every rule (invented, used only by tests).
TEST_SALT = "sel-de-test-4f9c2a7e1b8d3c6a9e2f5b7d1c4a8e3f"


def config_toml(*, salt: str = TEST_SALT, replace: dict[str, str] | None = None, append: str = "") -> str:
    """The sample ``config.toml`` with ``salt``, each ``replace`` pair applied, ``append`` added."""
    text = (paths.SAMPLE_DATASET_DIR / "config.toml").read_text(encoding="utf-8")
    text = text.replace(f'sel_pseudonymisation = "{SAMPLE_SALT}"', f'sel_pseudonymisation = "{salt}"')
    for old, new in (replace or {}).items():
        assert old in text, f"{old!r} is not in the sample config.toml"
        text = text.replace(old, new)
    return text + append


def raw_config(**kwargs: Any) -> dict:
    """:func:`config_toml` parsed, ready to edit as a mapping."""
    return tomllib.loads(config_toml(**kwargs))


def make_config(raw: dict | None = None, *, dataset_dir: Path | None = None) -> DatasetConfig:
    """Validate ``raw`` (default: the sample's, with the test salt) and return the config."""
    raw = raw_config() if raw is None else raw
    model = validate_config(raw, path=Path(dataset_dir or "test") / "config.toml", dataset_dir=dataset_dir)
    return config_from_model(model)


def make_subsidy(**keys: Any) -> SubsidySettings:
    """A typed ``[subvention]`` section from its TOML keys (``association={...}`` included)."""
    return SubsidySettings.model_validate(keys)
