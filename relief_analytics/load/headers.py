"""Match the headers found in a file to the contract's column names."""

from __future__ import annotations

import difflib
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


#: Abbreviations and synonyms a volunteer types for a contract header (keys and values are
#: :func:`header_key` forms).
HEADER_SYNONYMS = {
    "cp": "code postal", "code post": "code postal", "c postal": "code postal", "postal": "code postal",
    "insee": "code insee", "code com": "code insee", "code commune insee": "code insee",
    "tel": "telephone", "dept": "departement", "dep": "departement",
    "lat": "latitude", "lon": "longitude", "lng": "longitude", "long": "longitude",
    "nom lieu": "nom du lieu", "ref commande": "reference commande", "ref": "reference",
    "typo": "typologie", "categorie": "typologie", "site internet": "site web", "url": "site web",
}

_FILLER_WORDS = frozenset({"de", "du", "des", "d", "la", "le", "les", "l", "n", "no", "s", "x"})


def header_key(text: str) -> str:
    """A looser form of :func:`normalize_header`: punctuation, small words and plurals ignored.

    >>> header_key(" Typologies "), header_key("Typologie(s)"), header_key("N° SIRET"), header_key("CP")
    ('typologie', 'typologie', 'siret', 'code postal')
    >>> header_key("Date de la commande") == header_key("date commande")
    True
    """
    text = normalize_header(text)
    text = re.sub(r"[^\w@]+", " ", text)
    words = [w for w in text.split() if w not in _FILLER_WORDS]
    words = [w[:-1] if len(w) > 3 and w[-1] in "sx" and not w.endswith(("ss", "prix")) else w
             for w in words]
    key = " ".join(words)
    return HEADER_SYNONYMS.get(key, key)


class HeaderLookup(dict):
    """``{normalised header: column name}`` that also finds a header by its :func:`header_key`.

    ``lookup.get(normalize_header(h))`` therefore maps « Typologie », « typologies », « CP » or
    « Code Postal » alike; exact headers and synonyms always win over the looser form.
    """

    def get(self, key, default=None):
        if dict.__contains__(self, key):
            return dict.__getitem__(self, key)
        return dict.get(self, header_key(key), default) if isinstance(key, str) else default

    def __contains__(self, key) -> bool:
        return dict.__contains__(self, key) or (isinstance(key, str) and dict.__contains__(self, header_key(key)))

    def __missing__(self, key):
        if isinstance(key, str) and dict.__contains__(self, header_key(key)):
            return dict.__getitem__(self, header_key(key))
        raise KeyError(key)


def header_lookup(model, overrides: dict[str, str] | None = None) -> HeaderLookup:
    """Map normalised header → column name, from the schema's headers, synonyms and config overrides.

    Each header is also entered by its :func:`header_key` (singular, without small words or
    punctuation), so a close spelling of a contract header maps to it.
    """
    lookup = HeaderLookup()
    specs = column_specs(model)
    for header, name in (overrides or {}).items():
        dict.__setitem__(lookup, normalize_header(header), name)
    for name, spec in specs.items():
        for header in [spec["header"], name, *spec["synonyms"]]:
            lookup.setdefault(normalize_header(header), name)
    for header, name in (overrides or {}).items():
        lookup.setdefault(header_key(header), name)
    for name, spec in specs.items():
        for header in [spec["header"], name, *spec["synonyms"]]:
            lookup.setdefault(header_key(header), name)
    return lookup


def nearest_header(header: str, known: set[str] | dict) -> str | None:
    """The known (normalised) header closest to ``header`` when ``header`` itself is not known.

    >>> nearest_header("Typologes", {"typologies", "nom"})
    'typologies'
    >>> nearest_header("Votre tiers-lieu préféré ?", {"typologies", "nom"}) is None
    True
    """
    norm = normalize_header(header)
    if not norm or norm in known or header_key(header) in known:
        return None
    keys = [k for k in known if k]
    close = difflib.get_close_matches(norm, keys, n=1, cutoff=0.8) or difflib.get_close_matches(
        header_key(header), keys, n=1, cutoff=0.8)
    return close[0] if close else None


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
