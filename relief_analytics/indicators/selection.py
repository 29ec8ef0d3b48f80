"""Select lieux for exploration: by département, typology, state and membership.

Pure function on the lieux table after commune resolution (``departement_code`` present).
"""

from __future__ import annotations

import pandas as pd

MEMBERSHIP_CHOICES = ("tous", "oui", "non")


def parse_choice_list(text: str) -> list[str]:
    """``"38, 69"`` → ``["38", "69"]``; ``""`` → ``[]`` (no filter)."""
    return [part.strip() for part in str(text).replace(";", ",").split(",") if part.strip()]


def filter_lieux(
    lieux: pd.DataFrame,
    *,
    departements: list[str] | None = None,
    typologies: list[str] | None = None,
    states: list[str] | None = None,
    membership: str = "tous",
) -> pd.DataFrame:
    """Keep the lieux matching every given filter (an empty list means no filter).

    Grain: one row per lieu kept (same columns as the input).

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
        raise ValueError(
            f"Filtre d'adhésion « {membership} » inconnu : choisissez parmi {', '.join(MEMBERSHIP_CHOICES)}."
        )
    keep = pd.Series(True, index=lieux.index)
    if departements:
        keep &= lieux["departement_code"].isin([d.zfill(2) for d in departements])
    if typologies:
        wanted = set(typologies)
        keep &= lieux["typologies"].fillna("").map(lambda t: bool(wanted & set(t.split("|"))))
    if states:
        keep &= lieux["state"].isin(states)
    if membership != "tous":
        keep &= lieux["is_member"].fillna(False).astype(bool) == (membership == "oui")
    return lieux[keep].copy()
