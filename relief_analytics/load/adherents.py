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
from relief_analytics.text import map_unique

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


def _texts(values: pd.Series | None, index: pd.Index) -> pd.Series:
    """Each cell as the readers give it (stripped text), ``None`` where empty or absent."""
    if values is None:
        return pd.Series(None, index=index, dtype=object)
    values = pd.Series(values.to_numpy(dtype=object), index=index, dtype=object)
    return values.where(values.notna() & (values != ""), None)


def _with_adherent(references: pd.Series, member_ids: pd.Series) -> pd.Series:
    """``reference-`` + the first 8 digits of the adherent's pseudonym (``P-`` dropped)."""
    return (references + "-" + map_unique(member_ids, lambda m: m.split("-", 1)[-1][:8])).astype(object)


def adhesion_keys(
    references: pd.Series | None, member_ids: pd.Series, *, cards: pd.Series | None = None
) -> tuple[pd.Series, pd.Series, pd.Series]:
    """Key of each row's adhesion: ``(keys, rules, rejected)``, one value per row of ``member_ids``.

    ``references`` are the order references as written (``None``: no such column), ``member_ids``
    the adherents' pseudonyms (``None`` where the row has no identity), ``cards`` the card URLs
    (``None``: the export has no card column). ``rules`` holds the French rule of each row
    whose key is a fallback (a warning) or cannot be made (``rejected`` is then true); a row
    with a reference and no identity keeps its reference as key (its missing identity is
    reported on its own). Column-wise: each distinct card URL is read once.

    >>> keys, rules, rejected = adhesion_keys(pd.Series(["R1", "R1", "R2"]),
    ...                                       pd.Series(["P-aaaaaaaa1111", "P-bbbbbbbb2222", "P-aaaaaaaa1111"]))
    >>> keys.tolist(), rejected.tolist()
    (['R1-aaaaaaaa', 'R1-bbbbbbbb', 'R2'], [False, False, False])
    """
    index = member_ids.index
    refs, urls = _texts(references, index), _texts(cards, index)
    members = pd.Series(member_ids.to_numpy(dtype=object), index=index, dtype=object)  # pseudonyms
    members = members.where(members.notna(), None)
    has_url = urls.notna()
    card_ids = pd.Series(None, index=index, dtype=object)
    if has_url.any():
        distinct = {url: card_id(url) for url in urls[has_url].unique()}
        card_ids[has_url] = urls[has_url].map(distinct)
    has_ref, has_member, has_card = refs.notna(), members.notna(), card_ids.notna()
    # an order holding several adherents (rows keyed without a card id) keys each on its adherent
    candidates = has_ref & has_member & ~has_card
    repeated = candidates & refs.where(candidates).duplicated(keep=False) & candidates
    several = pd.Series(False, index=index)
    if repeated.any():
        shared = pd.DataFrame({"ref": refs[repeated], "member": members[repeated]}).groupby("ref")["member"].nunique()
        several = refs.isin(shared.index[shared > 1]) & candidates

    keys = pd.Series(None, index=index, dtype=object)
    rules = pd.Series(None, index=index, dtype=object)
    rejected = pd.Series(False, index=index, dtype=bool)
    by_card = has_url & has_card
    keys[by_card] = card_ids[by_card]
    bad_card = has_url & ~has_card
    fallback = bad_card & has_ref & has_member
    keys[fallback] = _with_adherent(refs[fallback], members[fallback])
    rules[fallback] = CARD_FALLBACK_RULE
    rules[bad_card & ~fallback] = CARD_MISSING_RULE
    rejected[bad_card & ~fallback] = True
    no_url = ~has_url
    missing = no_url & ~has_ref
    rules[missing] = NO_CARD_NO_REFERENCE_RULE if cards is not None else NO_REFERENCE_RULE
    rejected[missing] = True
    keyed = no_url & has_ref
    per_adherent = keyed & has_member & (several | (cards is not None))
    keys[per_adherent] = _with_adherent(refs[per_adherent], members[per_adherent])
    keys[keyed & ~per_adherent] = refs[keyed & ~per_adherent]
    return keys.astype(object).where(keys.notna(), None), rules.astype(object).where(rules.notna(), None), rejected


#: Natural-key rules a schema column may declare (``key_rule=`` in :mod:`relief_analytics.schemas`).
KEY_RULES = {"adherent_card": adhesion_keys}
