"""The natural key of an adhesion: one adherent's card, never the order that paid for it.

A HelloAsso adhésion export has one row per adherent card: one order (one « Référence
commande », one payer) can hold several adherents, and one adherent can pay several orders.
This module holds the one rule, used by the loader (a raw export placed as the adhesions file)
and by ``relief importer helloasso`` alike:

- with a card column (« Carte d'adhérent », « Url carte d'adhérent »), the key is the card's id
  (``…?cardId=NNN``); a card cell without an id falls back to the order reference plus the
  adherent's pseudonym, with a warning;
- without a card id, the key is the order reference when the order holds one adherent, and
  the order reference plus the first 8 digits of the adherent's pseudonym when it holds
  several (the reference stays the key a treasurer finds in HelloAsso whenever it is enough).

A key that repeats (the same card twice) is not merged here: the loader lists the later rows
as « valeur en double », the importer lists them as merged under a repeated key.
"""

from __future__ import annotations

import re

import pandas as pd

from relief_analytics.load.headers import normalize_header

#: Headers of the adherent card's URL (``…?cardId=NNN``), by the export's age (normalised).
CARD_HEADERS = ("carte d'adherent", "url carte d'adherent", "carte adherent", "url carte adherent")
#: What a message shows instead of a card's URL (the URL opens the adherent's card).
CARD_SHOWN = "(adresse de carte)"
CARD_FALLBACK_RULE = ("adresse de carte d'adhérent sans identifiant (…?cardId=…) : "
                      "clé = référence de commande et adhérent")
CARD_MISSING_RULE = "adresse de carte d'adhérent sans identifiant (…?cardId=…) ni référence de commande"
NO_CARD_NO_REFERENCE_RULE = "ni carte d'adhérent ni référence de commande"
NO_REFERENCE_RULE = "référence de commande manquante"

_CARD_ID = re.compile(r"cardid=([A-Za-z0-9_-]+)", re.IGNORECASE)
_TRAILING_ID = re.compile(r"(\d+)/?$")


def card_id(value: str | None) -> str | None:
    """The per-card id at the end of a card URL (``…?cardId=NNN``), or ``None``.

    >>> card_id("https://www.helloasso.com/associations/x/adhesions/y/carte-adherent?cardId=4242")
    '4242'
    >>> card_id("https://exemple.fr/cartes/1234/"), card_id("https://exemple.fr/carte"), card_id(None)
    ('1234', None, None)
    """
    if not value:
        return None
    found = _CARD_ID.search(value) or _TRAILING_ID.search(value.split("?")[0].strip())
    return found.group(1) if found else None


def find_card_header(headers: list[str]) -> str | None:
    """The header of the card URL column among ``headers`` (as written), or ``None``."""
    return next((h for h in headers if normalize_header(h) in CARD_HEADERS), None)


def _text(value: object) -> str | None:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return None
    text = str(value).strip()
    return text or None


def _with_adherent(reference: str, member_id: str) -> str:
    return f"{reference}-{member_id.split('-', 1)[-1][:8]}"


def adhesion_keys(
    references: pd.Series | None, member_ids: pd.Series, *, cards: pd.Series | None = None
) -> tuple[pd.Series, pd.Series, pd.Series]:
    """Key of each row's adhesion: ``(keys, rules, rejected)``, one value per row of ``member_ids``.

    ``references`` are the order references as written (``None``: no such column), ``member_ids``
    the adherents' pseudonyms (``None`` where the row has no identity), ``cards`` the card URLs
    (``None``: the export has no card column). ``rules`` holds the French rule of each row
    whose key is a fallback (a warning) or cannot be made (``rejected`` is then true); a row
    with a reference and no identity keeps its reference as key (its missing identity is
    reported on its own).

    >>> keys, rules, rejected = adhesion_keys(pd.Series(["R1", "R1", "R2"]),
    ...                                       pd.Series(["P-aaaaaaaa1111", "P-bbbbbbbb2222", "P-aaaaaaaa1111"]))
    >>> keys.tolist(), rejected.tolist()
    (['R1-aaaaaaaa', 'R1-bbbbbbbb', 'R2'], [False, False, False])
    """
    index = member_ids.index
    refs = [_text(v) for v in references] if references is not None else [None] * len(index)
    members = [_text(v) for v in member_ids]
    urls = [_text(v) for v in cards] if cards is not None else [None] * len(index)
    adherents_of: dict[str, set[str]] = {}
    for ref, member, url in zip(refs, members, urls, strict=True):
        if ref is not None and member is not None and card_id(url) is None:
            adherents_of.setdefault(ref, set()).add(member)
    keys: list[str | None] = []
    rules: list[str | None] = []
    rejected: list[bool] = []
    for ref, member, url in zip(refs, members, urls, strict=True):
        key, rule, reject = None, None, False
        if url is not None:
            key = card_id(url)
            if key is None and (ref is None or member is None):
                rule, reject = CARD_MISSING_RULE, True
            elif key is None:
                key, rule = _with_adherent(ref, member), CARD_FALLBACK_RULE
        elif ref is None:
            rule, reject = (NO_CARD_NO_REFERENCE_RULE if cards is not None else NO_REFERENCE_RULE), True
        elif member is None:
            key = ref
        elif cards is not None or len(adherents_of.get(ref, ())) > 1:
            key = _with_adherent(ref, member)
        else:
            key = ref
        keys.append(key)
        rules.append(rule)
        rejected.append(reject)
    return (pd.Series(keys, index=index, dtype=object), pd.Series(rules, index=index, dtype=object),
            pd.Series(rejected, index=index, dtype=bool))


#: Natural-key rules a schema column may declare (``key_rule=`` in :mod:`relief_analytics.schemas`).
KEY_RULES = {"adherent_card": adhesion_keys}
