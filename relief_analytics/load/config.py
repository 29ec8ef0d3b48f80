"""Read a dataset's ``config.toml`` into a :class:`DatasetConfig`.

Every rule (types, ranges, unknown keys, salts, file names) lives in the typed model
:mod:`relief_analytics.load.config_model`; this module reads the file and keeps the shape the
loaders use.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from relief_analytics.load.config_model import (
    CONFIG_FILE_NAME,
    MIN_SALT_LENGTH,
    PUBLIC_SALTS,
    REQUIRED_LISTS,
    SAMPLE_SALT,
    ConfigFile,
    ContextSettings,
    ImportSettingsModel,
    ReportSettings,
    SiteSettings,
    SubsidySettings,
    file_name_problem,
    validate_config,
)
from relief_analytics.load.errors import DataError

__all__ = [
    "CONFIG_FILE_NAME", "MIN_SALT_LENGTH", "PUBLIC_SALTS", "REQUIRED_LISTS", "SAMPLE_SALT",
    "DatasetConfig", "config_from_model", "read_config",
]


@dataclass(frozen=True)
class DatasetConfig:
    """Settings of one dataset: network, region, code lists, rates, file names, typed sections."""

    network_name: str
    network_long_name: str
    region_code: str
    first_year: int
    default_year: int
    pseudonymisation_salt: str = field(repr=False)
    files: dict[str, str]
    lists: dict[str, list[str]]
    hourly_rates: dict[int, float]
    subsidy: SubsidySettings = field(default_factory=SubsidySettings)
    reports: ReportSettings = field(default_factory=ReportSettings)
    column_overrides: dict[str, dict[str, str]] = field(default_factory=dict)
    context: ContextSettings = field(default_factory=ContextSettings)
    importing: ImportSettingsModel = field(default_factory=ImportSettingsModel)
    last_ag_date: dt.date | None = None
    site: SiteSettings = field(default_factory=SiteSettings)


def config_from_model(model: ConfigFile) -> DatasetConfig:
    """The :class:`DatasetConfig` of a validated :class:`ConfigFile`."""
    network = model.network
    return DatasetConfig(
        network_name=network.name,
        network_long_name=network.long_name or network.name,
        region_code=network.region_code,
        first_year=network.first_year,
        default_year=network.default_year,
        pseudonymisation_salt=network.salt,
        files=model.files.as_dict(),
        lists={name: list(getattr(model.lists, name)) for name in REQUIRED_LISTS},
        hourly_rates=dict(model.hourly_rates),
        subsidy=model.subsidy,
        reports=model.reports,
        column_overrides={table: dict(names) for table, names in model.column_overrides.items()},
        context=model.context,
        importing=model.importing,
        last_ag_date=network.last_ag_date,
        site=model.site,
    )


def read_config(dataset_dir: Path, *, text: str | None = None) -> DatasetConfig:
    """Read and check ``<dataset_dir>/config.toml`` (``text``: its content, already read).

    Raises
    ------
    DataError
        When the file is missing or is not valid TOML, or listing every problem of its content
        (French message, see :func:`~relief_analytics.load.config_model.validate_config`).
    """
    path = Path(dataset_dir) / CONFIG_FILE_NAME
    if text is None and not path.is_file():
        raise DataError(
            f"Fichier de configuration introuvable : {path}. Chaque dossier de données contient un "
            f"config.toml ; copiez celui de data/sample/ et adaptez-le."
        )
    problem = file_name_problem(CONFIG_FILE_NAME, dataset_dir=Path(dataset_dir))
    if problem:
        raise DataError(f"Configuration {path} : {problem}")
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8") if text is None else text)
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise DataError(f"Configuration {path} illisible : {exc}. Corrigez la syntaxe TOML.") from exc
    return config_from_model(validate_config(raw, path=path, dataset_dir=Path(dataset_dir)))
