"""Read a dataset's ``config.toml`` into a :class:`DatasetConfig`."""

from __future__ import annotations

import re
import secrets
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from relief_analytics.load.errors import DataError

CONFIG_FILE_NAME = "config.toml"

#: Salt of the synthetic sample (public: it is in git). Refused on any other folder.
SAMPLE_SALT = "exemple-synthetique-relief-2b8e1f0c9a7d4e63b5f2a8c1d0e9f7a6"
#: Public salts (the sample's, past and present): never accepted for real data.
PUBLIC_SALTS = frozenset({SAMPLE_SALT, "exemple-synthetique-relief"})
#: 32 characters: 128 bits for a hexadecimal salt such as ``secrets.token_hex(16)``.
MIN_SALT_LENGTH = 32

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


def _salt_help() -> str:
    return (
        f"Choisissez une chaîne secrète d'au moins {MIN_SALT_LENGTH} caractères, propre à votre réseau, "
        f"et ne la publiez pas : elle rend les identifiants de membres impossibles à recalculer à partir "
        f"d'une liste d'e-mails. Par exemple (valeur tirée au hasard à l'instant) : "
        f"sel_pseudonymisation = \"{secrets.token_hex(16)}\" ; ou générez-en une avec la commande "
        f"python -c \"import secrets; print(secrets.token_hex(16))\". Gardez ensuite la même valeur "
        f"d'une année sur l'autre (sinon les identifiants changent)."
    )


def check_salt(salt: str, *, dataset_dir: Path, path: Path) -> None:
    """Refuse a salt that would let anyone recompute the pseudonyms (French :class:`DataError`).

    Rules: not empty; at least :data:`MIN_SALT_LENGTH` characters (128 bits for a hex salt);
    the sample's public salt only on the sample folder itself.
    """
    from relief_analytics.paths import SAMPLE_DATASET_DIR

    where = f"Configuration {path}, [reseau] sel_pseudonymisation"
    if not salt.strip():
        raise DataError(f"{where} : le sel est vide, les identifiants des membres seraient réversibles. {_salt_help()}")
    if salt in PUBLIC_SALTS and Path(dataset_dir).resolve() != SAMPLE_DATASET_DIR.resolve():
        raise DataError(
            f"{where} : c'est le sel public des données d'exemple (data/sample), connu de tous ; "
            f"il ne protège pas des données réelles. {_salt_help()}"
        )
    if len(salt) < MIN_SALT_LENGTH:
        raise DataError(
            f"{where} : le sel est trop court ({len(salt)} caractères, il en faut au moins "
            f"{MIN_SALT_LENGTH}). {_salt_help()}"
        )


def check_file_names(files: dict[str, Any], *, path: Path) -> None:
    """Refuse file names that leave the data folder (``../x.csv``, absolute paths, ``~``)."""
    for table, name in files.items():
        if not isinstance(name, str) or not name.strip():
            raise DataError(f"Configuration {path}, [fichiers] {table} : indiquez un nom de fichier (texte).")
        parts = Path(name.replace("\\", "/")).parts
        if (
            Path(name).is_absolute() or name.startswith(("/", "\\", "~")) or ".." in parts
            or re.match(r"^[A-Za-z]:", name)
        ):
            raise DataError(
                f"Configuration {path}, [fichiers] {table} = \"{name}\" : le fichier doit être dans le "
                f"dossier de données lui-même (ou un de ses sous-dossiers) ; les chemins absolus et « .. » "
                f"sont refusés. Copiez le fichier dans le dossier de données et indiquez son seul nom."
            )


def read_config(dataset_dir: Path, *, text: str | None = None) -> DatasetConfig:
    """Read and check ``<dataset_dir>/config.toml`` (``text``: its content, already read).

    Raises
    ------
    DataError
        When the file is missing, is not valid TOML, or lacks a required key (French message).
    """
    path = Path(dataset_dir) / CONFIG_FILE_NAME
    if text is None and not path.is_file():
        raise DataError(
            f"Fichier de configuration introuvable : {path}. Chaque dossier de données contient un "
            f"config.toml ; copiez celui de data/sample/ et adaptez-le."
        )
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8") if text is None else text)
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise DataError(f"Configuration {path} illisible : {exc}. Corrigez la syntaxe TOML.") from exc

    network = _get(raw, "reseau", "racine", path)
    lists = _get(raw, "listes", "racine", path)
    for name in REQUIRED_LISTS:
        values = _get(lists, name, "listes", path)
        if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
            raise DataError(f"Configuration {path} : [listes] {name} doit être une liste de textes.")
    salt = str(_get(network, "sel_pseudonymisation", "reseau", path))
    check_salt(salt, dataset_dir=Path(dataset_dir), path=path)
    files = dict(_get(raw, "fichiers", "racine", path))
    check_file_names(files, path=path)
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
        pseudonymisation_salt=salt,
        files=files,
        lists={name: list(values) for name, values in lists.items()},
        hourly_rates=rates,
        subsidy=dict(raw.get("subvention", {})),
        reports=dict(raw.get("rapports", {})),
        column_overrides={k: dict(v) for k, v in raw.get("colonnes", {}).items()},
        context=dict(raw.get("contexte", {})),
    )
