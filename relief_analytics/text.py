"""Text helpers shared by the loaders and the geography (one implementation each)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from functools import lru_cache
from typing import Any

import numpy as np
import pandas as pd


@lru_cache(maxsize=1 << 16)
def strip_accents(text: str) -> str:
    """Return ``text`` without diacritics, ligatures spelled out (cached: names repeat).

    Examples
    --------
    >>> strip_accents("Œuilly Ça, Étoile-sur-Rhône")
    'OEuilly Ca, Etoile-sur-Rhone'
    """
    text = text.replace("œ", "oe").replace("Œ", "OE").replace("æ", "ae").replace("Æ", "AE")
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def code_key(text: str) -> str:
    """Matching key for code-list values: case, accents, apostrophes and spacing ignored.

    Examples
    --------
    >>> code_key("  Tiers-lieu  CULTUREL ")
    'tiers-lieu culturel'
    """
    return re.sub(r"\s+", " ", strip_accents(text).lower().replace("’", "'")).strip()


def map_unique(values: pd.Series, func: Callable[[Any], Any]) -> pd.Series:
    """Return ``values.map(func)``, calling ``func`` once per distinct value.

    Missing values (``None``, ``NaN``) stay ``None`` and are never passed to ``func``. The
    result is an ``object`` series on the same index: one row per row of ``values``.
    Spreadsheet columns repeat the same few values (communes, statuses, amounts) over
    thousands of rows, so the work shrinks to the number of distinct values.

    Examples
    --------
    >>> map_unique(pd.Series(["Été", None, "Été"]), strip_accents).tolist()
    ['Ete', None, 'Ete']
    """
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    mapped = np.empty(len(uniques) + 1, dtype=object)  # the last slot serves code -1 (missing)
    for i, value in enumerate(uniques):
        mapped[i] = func(value)
    return pd.Series(mapped[codes], index=values.index, dtype=object)
