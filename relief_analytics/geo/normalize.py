"""Normalisation of commune names, INSEE codes and postal codes as volunteers type them.

A *name key* is what two spellings of the same commune have in common: lower case, no accents,
no punctuation or spaces, ``St``/``Ste`` spelled out, arrondissement ordinals reduced to their
number, ``Cedex`` and stray postal codes dropped. Two keys exist for every name:

- :func:`commune_name_key` keeps a leading article (``Le Crest`` ≠ ``Crest``);
- :func:`commune_name_key` with ``drop_article=True`` drops it (``Les Allues`` = ``Allues``).

The resolver tries the first, then the second, so that a user who writes ``Crest`` gets Crest
(Drôme) and not an ambiguity with Le Crest (Puy-de-Dôme), while ``Allues`` still finds
Les Allues.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from relief_analytics.text import strip_accents

#: Leading articles, as INSEE's ``TNCC`` (type de nom en clair) codes them; index = TNCC.
ARTICLES_BY_TNCC = ("", "", "Le ", "La ", "Les ", "L'", "Aux ", "Las ", "Los ")

_LEADING_ARTICLES = frozenset({"le", "la", "les", "l", "aux", "las", "los"})
_TOKEN_REPLACEMENTS = {"st": "saint", "ste": "sainte", "sts": "saints", "stes": "saintes"}
_DROPPED_TOKENS = frozenset({"arrondissement", "arrondissements", "arr", "arrdt", "arrondt"})
_ORDINAL = re.compile(r"^0*(\d{1,2})(?:er|re|ere|e|eme|ieme|em|me|d|nd)?$")
_DEPARTEMENT_HINT = re.compile(r"\(\s*(\d{2}|2[ab]|97\d)\s*\)\s*$", re.IGNORECASE)
_SEPARATORS = re.compile(r"[^a-z0-9]+")


def split_departement_hint(name: str) -> tuple[str, str | None]:
    """Split a trailing département in brackets off a commune name.

    Examples
    --------
    >>> split_departement_hint("Saint-Hilaire (38)")
    ('Saint-Hilaire', '38')
    >>> split_departement_hint("Lyon")
    ('Lyon', None)
    """
    match = _DEPARTEMENT_HINT.search(name)
    if not match:
        return name, None
    return name[: match.start()].strip(), match.group(1).upper()


def _tokens(name: str) -> list[str]:
    text = strip_accents(name).lower().replace("°", "e")
    tokens = [token for token in _SEPARATORS.split(text) if token]
    result: list[str] = []
    skip_next_number = False
    for token in tokens:
        if token == "cedex":
            skip_next_number = True
            continue
        if skip_next_number and token.isdigit():
            skip_next_number = False
            continue
        skip_next_number = False
        if token in _DROPPED_TOKENS or (token.isdigit() and len(token) == 5):
            continue
        ordinal = _ORDINAL.match(token)
        if ordinal:
            result.append(str(int(ordinal.group(1))))
            continue
        result.append(_TOKEN_REPLACEMENTS.get(token, token))
    return result


def commune_name_key(name: object, *, drop_article: bool = False) -> str:
    """Return the comparison key of a commune name (``""`` for a missing or blank name).

    Parameters
    ----------
    name : object
        A commune name as typed (``"St-Étienne"``, ``"Lyon 3ème"``, ``"L'Isle-d'Abeau"``).
    drop_article : bool, default False
        Also drop a leading article (``Le``, ``La``, ``Les``, ``L'``, ``Aux``…).

    Examples
    --------
    >>> commune_name_key("St-Étienne")
    'saintetienne'
    >>> commune_name_key("Lyon 03") == commune_name_key("Lyon 3e Arrondissement")
    True
    >>> commune_name_key("L'Isle-d'Abeau", drop_article=True)
    'isledabeau'
    """
    if name is None or (not isinstance(name, str) and pd.isna(name)):
        return ""
    tokens = _tokens(str(name))
    if drop_article and len(tokens) > 1 and tokens[0] in _LEADING_ARTICLES:
        tokens = tokens[1:]
    return "".join(tokens)


def commune_name_key_pair(name: object) -> tuple[str, str]:
    """Return both keys of a name, ``(strict, without article)``, tokenising it once.

    Examples
    --------
    >>> commune_name_key_pair("Les Allues")
    ('lesallues', 'allues')
    """
    if name is None or (not isinstance(name, str) and pd.isna(name)):
        return "", ""
    tokens = _tokens(str(name))
    strict = "".join(tokens)
    if len(tokens) > 1 and tokens[0] in _LEADING_ARTICLES:
        return strict, "".join(tokens[1:])
    return strict, strict


def normalize_insee_code(value: object) -> str | None:
    """Return a 5-character INSEE code, restoring a lost leading zero, or ``None``.

    Accepts ``1053``, ``"1053"``, ``1053.0``, ``" 01053 "``, ``"2a004"``; anything else gives
    ``None``.

    Examples
    --------
    >>> normalize_insee_code(1053), normalize_insee_code("2a004"), normalize_insee_code("abc")
    ('01053', '2A004', None)
    """
    text = _clean_code_text(value)
    if text is None:
        return None
    if re.fullmatch(r"\d{4,5}", text):
        return text.zfill(5)
    if re.fullmatch(r"2[AB]\d{3}", text):
        return text
    return None


def normalize_postal_code(value: object) -> str | None:
    """Return a 5-digit postal code, restoring a lost leading zero, or ``None``.

    Examples
    --------
    >>> normalize_postal_code(1000), normalize_postal_code("69 003"), normalize_postal_code("")
    ('01000', '69003', None)
    """
    text = _clean_code_text(value)
    if text is None:
        return None
    text = text.replace(" ", "")
    return text.zfill(5) if re.fullmatch(r"\d{4,5}", text) else None


def _clean_code_text(value: object) -> str | None:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    if isinstance(value, float):
        if not value.is_integer():
            return None
        value = int(value)
    text = str(value).strip().upper()
    if re.fullmatch(r"\d+\.0+", text):
        text = text.split(".")[0]
    return text or None


def full_commune_name(name: str, tncc: int | str) -> str:
    """Return the commune name with its article (``Abergement-Clémenciat``, 5 → ``L'Abergement-Clémenciat``).

    Examples
    --------
    >>> full_commune_name("Houches", 4)
    'Les Houches'
    """
    return f"{ARTICLES_BY_TNCC[int(tncc)]}{name}"


def parse_coordinates(values: object) -> np.ndarray:
    """Return coordinates as floats, reading a decimal comma (``"45,76"``); ``NaN`` when unreadable.

    Grain: one value per input value, same order.

    Examples
    --------
    >>> parse_coordinates(pd.Series(["45,7640", " 4.8357 ", "", None, "N45", 45.0])).tolist()
    [45.764, 4.8357, nan, nan, nan, 45.0]
    """
    series = pd.Series(values).reset_index(drop=True)
    if pd.api.types.is_numeric_dtype(series.dtype) and not pd.api.types.is_bool_dtype(series.dtype):
        return series.to_numpy(dtype=float, na_value=np.nan)
    codes, uniques = pd.factorize(series.to_numpy(dtype=object))  # each distinct text once
    text = pd.Series(uniques, dtype="string").str.strip().str.replace(",", ".", regex=False)
    parsed = pd.to_numeric(text, errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    return np.append(parsed, np.nan)[codes]


def _code_texts(values: object) -> pd.Series:
    text = pd.Series(values, dtype="object").reset_index(drop=True)
    text = text.where(text.notna(), None).astype("string").str.strip().str.upper()
    return text.str.replace(r"^(\d+)\.0+$", r"\1", regex=True)


def normalize_insee_codes(values: object) -> pd.Series:
    """Column-wise :func:`normalize_insee_code`: 5-character codes, ``NA`` when unreadable.

    Grain: one value per input value, same order (positional index).

    Examples
    --------
    >>> normalize_insee_codes([1053, "2a004", " 69123 ", 7186.0, "abc", None]).tolist()
    ['01053', '2A004', '69123', '07186', <NA>, <NA>]
    """
    text = _code_texts(values)
    digits = text.str.fullmatch(r"\d{4,5}").fillna(False).astype(bool)
    corsica = text.str.fullmatch(r"2[AB]\d{3}").fillna(False).astype(bool)
    return text.str.zfill(5).where(digits, text.where(corsica))


def normalize_postal_codes(values: object) -> pd.Series:
    """Column-wise :func:`normalize_postal_code`: 5-digit codes, ``NA`` when unreadable.

    Grain: one value per input value, same order (positional index).

    Examples
    --------
    >>> normalize_postal_codes([1000, "69 003", "F-69", ""]).tolist()
    ['01000', '69003', <NA>, <NA>]
    """
    text = _code_texts(values).str.replace(" ", "", regex=False)
    digits = text.str.fullmatch(r"\d{4,5}").fillna(False).astype(bool)
    return text.str.zfill(5).where(digits)
