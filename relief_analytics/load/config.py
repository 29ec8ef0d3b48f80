"""Read a dataset's ``config.toml`` into a :class:`DatasetConfig`."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from relief_analytics.load.errors import DataError

CONFIG_FILE_NAME = "config.toml"

REQUIRED_LISTS = (
    "commissions",
    "typologies",
    "statuts_juridiques",
    "etats_lieu",
    "types_evenements",
    "modes_participation",
    "roles_gouvernance",
    "statuts_commande_valides",
)


@dataclass(frozen=True)
class DatasetConfig:
    """Settings of one dataset: network, region, code lists, rates, file names."""

    network_name: str
    network_long_name: str
    region_code: str
    first_year: int
    default_year: int
    pseudonymisation_salt: str
    files: dict[str, str]
    lists: dict[str, list[str]]
    hourly_rates: dict[int, float]
    subsidy: dict[str, Any]
    reports: dict[str, Any] = field(default_factory=dict)
    column_overrides: dict[str, dict[str, str]] = field(default_factory=dict)
    context: dict[str, Any] = field(default_factory=dict)


def _get(section: dict, key: str, where: str, path: Path) -> Any:
    if key not in section:
        raise DataError(
            f"Configuration {path} : la clé « {key} » manque dans la section [{where}]. "
            f"Ajoutez-la (voir data/sample/config.toml pour un exemple)."
        )
    return section[key]


def read_config(dataset_dir: Path) -> DatasetConfig:
    """Read and check ``<dataset_dir>/config.toml``.

    Raises
    ------
    DataError
        When the file is missing, is not valid TOML, or lacks a required key (French message).
    """
    path = Path(dataset_dir) / CONFIG_FILE_NAME
    if not path.is_file():
        raise DataError(
            f"Fichier de configuration introuvable : {path}. Chaque dossier de données contient un "
            f"config.toml ; copiez celui de data/sample/ et adaptez-le."
        )
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise DataError(f"Configuration {path} illisible : {exc}. Corrigez la syntaxe TOML.") from exc

    network = _get(raw, "reseau", "racine", path)
    lists = _get(raw, "listes", "racine", path)
    for name in REQUIRED_LISTS:
        values = _get(lists, name, "listes", path)
        if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
            raise DataError(f"Configuration {path} : [listes] {name} doit être une liste de textes.")
    rates_raw = _get(raw, "taux_horaire_benevolat", "racine", path)
    try:
        rates = {int(year): float(rate) for year, rate in rates_raw.items()}
    except (TypeError, ValueError) as exc:
        raise DataError(
            f"Configuration {path} : [taux_horaire_benevolat] attend des lignes « 2025 = 11.88 »."
        ) from exc
    return DatasetConfig(
        network_name=str(_get(network, "nom", "reseau", path)),
        network_long_name=str(network.get("nom_long", network["nom"])),
        region_code=str(_get(network, "code_region", "reseau", path)),
        first_year=int(_get(network, "premiere_annee", "reseau", path)),
        default_year=int(_get(network, "annee_par_defaut", "reseau", path)),
        pseudonymisation_salt=str(_get(network, "sel_pseudonymisation", "reseau", path)),
        files=dict(_get(raw, "fichiers", "racine", path)),
        lists={name: list(values) for name, values in lists.items()},
        hourly_rates=rates,
        subsidy=dict(raw.get("subvention", {})),
        reports=dict(raw.get("rapports", {})),
        column_overrides={k: dict(v) for k, v in raw.get("colonnes", {}).items()},
        context=dict(raw.get("contexte", {})),
    )
