"""Helpers shared by the table schemas.

Each table is a pandera ``DataFrameModel``. A column's ``metadata`` carries what the loader
and the data dictionary need beyond pandera's own checks:

``header``
    The French header expected in the user's file (matched ignoring case, accents,
    spaces and punctuation).
``synonyms``
    Other headers accepted for the same column (e.g. HelloAsso's column names).
``kind``
    How raw text is parsed: ``text``, ``integer``, ``decimal``, ``date``, ``datetime``,
    ``boolean``, ``insee_code``, ``postal_code``, ``multi`` (values separated by ``|``).
``required``
    Whether the column must be present in the file (a missing required column stops the run).
``codes``
    Name of a list in the dataset configuration (``[listes]``) holding the allowed values.
"""

from __future__ import annotations

from typing import Any

import pandera.pandas as pa

KINDS = ("text", "integer", "decimal", "date", "datetime", "boolean", "insee_code", "postal_code", "multi")

#: French label of each kind, used in the data dictionary and in error messages.
KIND_LABELS_FR = {
    "text": "texte",
    "integer": "nombre entier",
    "decimal": "nombre décimal (virgule ou point)",
    "date": "date (jj/mm/aaaa ou aaaa-mm-jj)",
    "datetime": "date et heure (jj/mm/aaaa HH:MM)",
    "boolean": "oui / non",
    "insee_code": "code INSEE de commune (5 caractères)",
    "postal_code": "code postal (5 chiffres)",
    "multi": "liste de valeurs séparées par « | »",
}


def column(
    description: str,
    *,
    header: str,
    kind: str = "text",
    required: bool = True,
    nullable: bool = False,
    codes: str | None = None,
    synonyms: tuple[str, ...] = (),
    **checks: Any,
) -> Any:
    """Declare a column: pandera ``Field`` plus the metadata the loader and the dictionary use.

    ``description`` is in French: it is what users read in the data dictionary.
    """
    if kind not in KINDS:
        raise ValueError(f"unknown column kind {kind!r}; expected one of {KINDS}")
    metadata = {
        "header": header,
        "synonyms": list(synonyms),
        "kind": kind,
        "required": required,
        "codes": codes,
    }
    return pa.Field(description=description, nullable=nullable, metadata=metadata, **checks)


def column_specs(model: type[pa.DataFrameModel]) -> dict[str, dict[str, Any]]:
    """Return ``{column_name: {description, nullable, checks, **metadata}}`` in declaration order."""
    schema = model.to_schema()
    specs = {}
    for name, col in schema.columns.items():
        specs[name] = {
            "description": col.description,
            "nullable": col.nullable,
            "unique": col.unique,
            "checks": list(col.checks),
            **(col.metadata or {}),
        }
    return specs
