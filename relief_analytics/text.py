"""Text helpers shared by the loaders and the geography (one implementation each)."""

from __future__ import annotations

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
