"""Select lieux for exploration: by département, typology, state and membership.

Filters accept what a volunteer types: codes or names, in any case, with or without accents
(« isere », « 38 », « Ouvert », « coworking »). An unknown value stops with a French message
that lists the valid ones — a filter never silently gives 0 lieux.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import pandas as pd

from relief_analytics.errors import DataError
from relief_analytics.text import code_key

MEMBERSHIP_CHOICES = ("tous", "oui", "non")


def parse_choice_list(text: str) -> list[str]:
    """``"38, 69"`` → ``["38", "69"]``; ``""`` → ``[]`` (no filter).

    Examples
    --------
    >>> parse_choice_list("Isère; 69")
    ['Isère', '69']
    """
    return [part.strip() for part in str(text).replace(";", ",").split(",") if part.strip()]


def choice_keys(values: Iterable[str], *, aliases: Mapping[str, str] | None = None) -> dict[str, str]:
    """Matching keys → canonical value, for a list of valid values and their aliases.

    A value is also reachable by each part of a « A / B » label (« Coworking » for « Bureaux
    partagés / Coworking »).

    Examples
    --------
    >>> keys = choice_keys(["Bureaux partagés / Coworking"])
    >>> keys["coworking"], keys["bureaux partages / coworking"]
    ('Bureaux partagés / Coworking', 'Bureaux partagés / Coworking')
    """
    keys: dict[str, str] = {}
    for value in values:
        keys.setdefault(code_key(value), value)
        for part in value.split(" / "):
            keys.setdefault(code_key(part), value)
    for alias, value in (aliases or {}).items():
        keys.setdefault(code_key(alias), value)
    return keys


def match_choices(typed: Iterable[str], *, keys: Mapping[str, str], what: str,
                  shown: Iterable[str]) -> list[str]:
    """Map typed values to canonical ones through ``keys``; unknown values raise a French error.

    Raises
    ------
    DataError
        Naming the unknown values and listing the valid ones (``shown``).

    Examples
    --------
    >>> match_choices(["OUVERT"], keys=choice_keys(["ouvert", "fermé"]), what="état",
    ...               shown=["ouvert", "fermé"])
    ['ouvert']
    """
    matched, unknown = [], []
    for value in typed:
        key = code_key(value)
        (matched.append(keys[key]) if key in keys else unknown.append(value))
    if unknown:
        raise DataError(
            f"Filtre {what} inconnu : {', '.join(f'« {u} »' for u in unknown)}. "
            f"Valeurs possibles : {', '.join(shown)}."
        )
    return list(dict.fromkeys(matched))


def filter_lieux(
    lieux: pd.DataFrame,
    *,
    departements: list[str] | None = None,
    typologies: list[str] | None = None,
    states: list[str] | None = None,
    membership: str = "tous",
) -> pd.DataFrame:
    """Keep the lieux matching every given filter (an empty list means no filter).

    Values must be canonical (see :func:`match_choices`). Grain: one row per lieu kept.

    Parameters
    ----------
    departements : list of str
        Département codes (``"38"``); needs a ``departement_code`` column.
    typologies : list of str
        A lieu is kept when one of its ``|``-joined typologies is in the list.
    states : list of str
        Values of ``state`` to keep (``"ouvert"``…).
    membership : {"tous", "oui", "non"}
        Members of the network only, non-members only, or both.

    Examples
    --------
    >>> lieux = pd.DataFrame({"lieu_id": ["L1", "L2"], "departement_code": ["38", "69"],
    ...     "typologies": ["Tiers-lieu culturel|Cuisine partagée", "Fablab / Makerspace / Hackerspace"],
    ...     "state": ["ouvert", "ouvert"], "is_member": [True, False]})
    >>> filter_lieux(lieux, typologies=["Cuisine partagée"])["lieu_id"].tolist()
    ['L1']
    """
    if membership not in MEMBERSHIP_CHOICES:
        raise DataError(
            f"Filtre d'adhésion « {membership} » inconnu : choisissez parmi {', '.join(MEMBERSHIP_CHOICES)}."
        )
    keep = pd.Series(True, index=lieux.index)
    if departements:
        keep &= lieux["departement_code"].isin(departements)
    if typologies:
        wanted = set(typologies)
        keep &= lieux["typologies"].fillna("").map(
            lambda t: bool(wanted & {p.strip() for p in t.split("|")}))
    if states:
        keep &= lieux["state"].isin(states)
    if membership != "tous":
        keep &= lieux["is_member"].fillna(False).astype(bool) == (membership == "oui")
    return lieux[keep].copy()
