"""Match the headers found in a file to the contract's column names."""

from __future__ import annotations

import re

from relief_analytics.load.errors import DataError
from relief_analytics.schemas import column_specs
from relief_analytics.text import strip_accents


def normalize_header(text: str) -> str:
    """Lower-case, accent-free, single-spaced form of a header, for matching.

    >>> normalize_header("  Date de la  Commande ")
    'date de la commande'
    >>> normalize_header("Année_d'adhésion")
    "annee d'adhesion"
    """
    text = strip_accents(str(text))
    text = text.replace("’", "'").lower()
    text = re.sub(r"[\s_\-]+", " ", text)
    return text.strip()


def header_lookup(model, overrides: dict[str, str] | None = None) -> dict[str, str]:
    """Map normalised header → column name, from the schema's headers, synonyms and config overrides."""
    lookup: dict[str, str] = {}
    for name, spec in column_specs(model).items():
        for header in [spec["header"], name, *spec["synonyms"]]:
            lookup.setdefault(normalize_header(header), name)
    for header, name in (overrides or {}).items():
        lookup[normalize_header(header)] = name
    return lookup


def map_headers(
    headers: list[str], model, *, file_name: str, table: str, overrides: dict[str, str] | None = None,
    computed: frozenset[str] = frozenset(),
) -> dict[str, str]:
    """Return ``{original header: column name}`` for the headers the contract knows.

    Raises
    ------
    DataError
        When a required column is absent (French message naming the expected header and
        the headers found, and how to declare another name in ``config.toml``).
    """
    specs = column_specs(model)
    unknown_targets = set((overrides or {}).values()) - set(specs)
    if unknown_targets:
        raise DataError(
            f"config.toml, section [colonnes.{table}] : colonne(s) inconnue(s) "
            f"{', '.join(sorted(unknown_targets))}. Valeurs possibles : {', '.join(specs)}."
        )
    lookup = header_lookup(model, overrides)
    mapping: dict[str, str] = {}
    for header in headers:
        name = lookup.get(normalize_header(header))
        if name and name not in mapping.values():
            mapping[header] = name
    missing = [
        name for name, spec in specs.items()
        if spec["required"] and name not in mapping.values() and name not in computed
    ]
    if missing:
        expected = ", ".join(f"« {specs[n]['header']} »" for n in missing)
        found = ", ".join(f"« {h} »" for h in headers)
        raise DataError(
            f"Fichier {file_name} : colonne(s) obligatoire(s) absente(s) : {expected}. "
            f"Colonnes trouvées : {found}. Ajoutez la colonne au fichier, ou, si elle porte un autre "
            f"nom, déclarez-le dans config.toml, section [colonnes.{table}] "
            f"(ex. \"Mon en-tête\" = \"{missing[0]}\")."
        )
    return mapping
