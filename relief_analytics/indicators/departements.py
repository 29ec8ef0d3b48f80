"""Département codes derived from postal codes and INSEE commune codes (no reference file needed).

Rules (France, 2024):

- metropolitan départements: the first two characters (``69003`` → ``69``);
- overseas (``97…``/``98…``): the first three digits (``97411`` → ``974``);
- Corsica: from an INSEE code, ``2A``/``2B`` as written (``2A004`` → ``2A``); from a postal code,
  ``20`` (a postal code does not tell 2A from 2B);
- missing or malformed code → ``"Non renseigné"``.
"""

from __future__ import annotations

import re

import pandas as pd

from relief_analytics.indicators._frames import NOT_PROVIDED


def _departement(code: object, pattern: str) -> str:
    if code is None or pd.isna(code):
        return NOT_PROVIDED
    text = str(code).strip().upper()
    if not re.fullmatch(pattern, text):
        return NOT_PROVIDED
    return text[:3] if text.startswith(("97", "98")) else text[:2]


def departement_from_postal_code(postal_codes: pd.Series) -> pd.Series:
    """Return the département code of each postal code (``"Non renseigné"`` if unknown).

    Examples
    --------
    >>> departement_from_postal_code(pd.Series(["69003", "97411", None])).tolist()
    ['69', '974', 'Non renseigné']
    """
    values = [_departement(code, r"\d{5}") for code in postal_codes]
    return pd.Series(values, index=postal_codes.index, dtype="str")


def departement_from_commune_code(
    commune_codes: pd.Series, *, postal_codes: pd.Series | None = None
) -> pd.Series:
    """Return the département of each INSEE commune code, falling back on the postal code.

    Examples
    --------
    >>> departement_from_commune_code(pd.Series(["2A004", None]), postal_codes=pd.Series([None, "01000"])).tolist()
    ['2A', '01']
    """
    from_insee = [_departement(code, r"\d{5}|2[AB]\d{3}") for code in commune_codes]
    result = pd.Series(from_insee, index=commune_codes.index, dtype="str")
    if postal_codes is not None:
        fallback = departement_from_postal_code(postal_codes.set_axis(commune_codes.index))
        result = result.where(result != NOT_PROVIDED, fallback)
    return result
