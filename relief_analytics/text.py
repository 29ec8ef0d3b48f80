"""Text helpers shared by the loaders and the geography (one implementation each)."""

from __future__ import annotations

import re
import unicodedata


def strip_accents(text: str) -> str:
    """Return ``text`` without diacritics, ligatures spelled out.

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
