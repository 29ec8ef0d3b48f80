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

Per-table particulars of loading are declared here too, so that the loader has no
``if table == …`` branch:

``computed``
    ``"pseudonym"``: the column is not read from the file but computed at load from the
    identity columns, which are then dropped (a table with such a column holds personal data).
``issue_label``
    What the issue list shows in its column field for a computed column (French).
``missing_rule``
    The French rule shown when a required value is missing, instead of the generic one.
``pattern_rule``
    The French rule shown when the value does not match ``str_matches``.
``normalize``
    Name of a value normaliser of :data:`relief_analytics.load.coerce.NORMALIZERS`, applied
    to each parsed value before the code-list check (e.g. ``"member_kind"``).
``fill_from``
    ``(column, part)``: an empty value is filled from that part of another column of the
    same row once parsed (e.g. ``("order_date", "year")``).
``key_rule``
    Name of a natural-key rule of :data:`relief_analytics.load.adherents.KEY_RULES`: the key is
    computed at load from the raw export instead of read as written (e.g. ``"adherent_card"``:
    one adhesion per adherent card, not per order).
``derive``
    Name of a deriver of :data:`relief_analytics.load.coerce.DERIVERS` that computes the whole
    column from the row's other parsed columns when the file does not have it (e.g.
    ``"member_kind"``: « morale » when the raison sociale is filled, else « physique »).
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
    computed: str | None = None,
    issue_label: str | None = None,
    missing_rule: str | None = None,
    pattern_rule: str | None = None,
    normalize: str | None = None,
    fill_from: tuple[str, str] | None = None,
    derive: str | None = None,
    key_rule: str | None = None,
    **checks: Any,
) -> Any:
    """Declare a column: pandera ``Field`` plus the metadata the loader and the dictionary use.

    ``description`` is in French: it is what users read in the data dictionary. The other
    keyword arguments are described in this module's docstring.
    """
    if kind not in KINDS:
        raise ValueError(f"unknown column kind {kind!r}; expected one of {KINDS}")
    if computed not in (None, "pseudonym"):
        raise ValueError(f"unknown computed column {computed!r}; expected 'pseudonym'")
    metadata = {
        "header": header,
        "synonyms": list(synonyms),
        "kind": kind,
        "required": required,
        "codes": codes,
        "computed": computed,
        "issue_label": issue_label,
        "missing_rule": missing_rule,
        "pattern_rule": pattern_rule,
        "normalize": normalize,
        "fill_from": fill_from,
        "derive": derive,
        "key_rule": key_rule,
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
