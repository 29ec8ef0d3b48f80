"""Lieux indicators: states, membership of the network, typologies, legal statuses, départements.

The lieux table is a *snapshot*: each lieu has its current ``state`` and an ``opening_year`` but
no closing year. Year series are therefore built with a documented proxy, see
:func:`lieux_by_year`.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from relief_analytics.indicators._frames import NOT_PROVIDED, category_order, finalise, year_range
from relief_analytics.indicators.departements import departement_from_commune_code

OPEN_STATE = "ouvert"
PLANNED_STATE = "en projet"
MEMBER_LABEL = "Adhérent"
NON_MEMBER_LABEL = "Non adhérent"


def _count_by(values: pd.Series, column: str, order: Sequence[str] | None) -> pd.DataFrame:
    values = values.fillna(NOT_PROVIDED).astype("str")
    counts = values.value_counts()
    categories = category_order(counts.index, order)
    return finalise(pd.DataFrame({
        column: categories,
        "lieux_count": [int(counts.get(c, 0)) for c in categories],
    }))


def lieux_by_state(lieux: pd.DataFrame, *, states: Sequence[str] | None = None) -> pd.DataFrame:
    """Number of lieux per state (en projet / ouvert / fermé).

    Grain: one row per state; listed ``states`` (config ``[listes].etats_lieu``) first, in
    that order and even when zero, then any other state.

    Examples
    --------
    >>> df = pd.DataFrame({"state": ["ouvert", "ouvert", "fermé"]})
    >>> lieux_by_state(df, states=["en projet", "ouvert", "fermé"])["lieux_count"].tolist()
    [0, 2, 1]
    """
    return _count_by(lieux["state"], "state", states)


def lieux_by_membership(lieux: pd.DataFrame) -> pd.DataFrame:
    """Number of lieux whose structure is a member of the network, and of the others.

    Grain: one row per status: ``Adhérent``, ``Non adhérent`` (always present) and
    ``Non renseigné`` when ``is_member`` is missing for some lieux.

    Examples
    --------
    >>> lieux_by_membership(pd.DataFrame({"is_member": [True, False, True]}))["lieux_count"].tolist()
    [2, 1]
    """
    is_member = lieux["is_member"].astype("boolean")
    labels = pd.Series(
        np.where(is_member.fillna(False), MEMBER_LABEL, NON_MEMBER_LABEL), index=lieux.index
    ).where(is_member.notna(), NOT_PROVIDED)
    return _count_by(labels, "membership", [MEMBER_LABEL, NON_MEMBER_LABEL])


def lieux_by_typology(
    lieux: pd.DataFrame, *, typologies: Sequence[str] | None = None
) -> pd.DataFrame:
    """Number of lieux per typology; a lieu with several typologies counts in each of them.

    Grain: one row per typology; listed ``typologies`` (config ``[listes].typologies``) first,
    even when zero, then the others. ``lieux_share`` is the share of all lieux having that
    typology (ratio; the shares add up to more than 1 because typologies are multi-valued).

    Examples
    --------
    >>> df = pd.DataFrame({"typologies": ["Fablab|Coworking", "Coworking"]})
    >>> lieux_by_typology(df).values.tolist()
    [['Coworking', 2, 1.0], ['Fablab', 1, 0.5]]
    """
    exploded = (
        lieux["typologies"].fillna("").astype("str").reset_index(drop=True)
        .str.split("|").explode().str.strip()
    )
    exploded = exploded.where(exploded != "", NOT_PROVIDED)
    # a lieu listing the same typology twice counts once
    pairs = exploded.rename("typology").rename_axis("row").reset_index().drop_duplicates()
    table = _count_by(pairs["typology"], "typology", typologies)
    total = len(lieux)
    table["lieux_share"] = table["lieux_count"].astype("float64") / total if total else np.nan
    return finalise(table)


def lieux_by_legal_status(
    lieux: pd.DataFrame, *, statuses: Sequence[str] | None = None
) -> pd.DataFrame:
    """Number of lieux per legal status of their structure.

    Grain: one row per status; listed ``statuses`` (config ``[listes].statuts_juridiques``)
    first, even when zero, then the others, ``Non renseigné`` last.

    Examples
    --------
    >>> df = pd.DataFrame({"legal_status": ["SCIC", None, "Association"]})
    >>> lieux_by_legal_status(df).values.tolist()
    [['Association', 1], ['SCIC', 1], ['Non renseigné', 1]]
    """
    return _count_by(lieux["legal_status"], "legal_status", statuses)


def lieux_by_year(
    lieux: pd.DataFrame,
    *,
    first_year: int | None = None,
    last_year: int | None = None,
    open_state: str = OPEN_STATE,
    planned_state: str = PLANNED_STATE,
) -> pd.DataFrame:
    """Lieux opened each year and lieux open at the end of each year (proxy).

    Grain: one row per year from ``first_year`` (default: the earliest opening year) to
    ``last_year`` (default: the latest one).

    - ``opened_lieux_count``: lieux whose ``opening_year`` is N and that are not
      ``planned_state`` (a lieu opened in N and closed since still counts).
    - ``open_lieux_count`` (**proxy**): lieux whose state is ``open_state`` *today* and whose
      ``opening_year`` is ≤ N. The table has no closing year, so a lieu now closed is left
      out of every year, including the years it was open: past years are under-counted by the
      lieux closed since. Open lieux without an opening year are left out too.

    Examples
    --------
    >>> df = pd.DataFrame({"opening_year": pd.array([2021, 2022, 2022], dtype="Int64"),
    ...     "state": ["ouvert", "ouvert", "fermé"]})
    >>> lieux_by_year(df)[["opened_lieux_count", "open_lieux_count"]].values.tolist()
    [[1, 1], [2, 2]]
    """
    opening = lieux["opening_year"].astype("Int64")
    started = lieux["state"] != planned_state
    still_open = lieux["state"] == open_state
    years = year_range(opening.dropna(), first_year=first_year, last_year=last_year)
    rows = [
        {
            "year": year,
            "opened_lieux_count": int(((opening == year) & started).fillna(False).sum()),
            "open_lieux_count": int(((opening <= year) & still_open).fillna(False).sum()),
        }
        for year in years
    ]
    return finalise(pd.DataFrame(rows, columns=["year", "opened_lieux_count", "open_lieux_count"]))


def lieux_by_departement(lieux: pd.DataFrame, *, open_state: str = OPEN_STATE) -> pd.DataFrame:
    """Lieux per département (from the INSEE commune code, else the postal code).

    Grain: one row per département with at least one lieu, codes ascending, ``Non renseigné``
    last. Columns: ``lieux_count`` (all states), ``open_lieux_count`` (state ``open_state``),
    ``member_lieux_count`` (``is_member`` true).

    Examples
    --------
    >>> df = pd.DataFrame({"commune_code": ["69123", None], "postal_code": [None, "01000"],
    ...     "state": ["ouvert", "fermé"], "is_member": [True, False]})
    >>> lieux_by_departement(df).values.tolist()
    [['01', 1, 0, 0], ['69', 1, 1, 1]]
    """
    postal = lieux["postal_code"] if "postal_code" in lieux else None
    frame = pd.DataFrame({
        "departement_code": departement_from_commune_code(lieux["commune_code"], postal_codes=postal),
        "is_open": lieux["state"] == open_state,
        "is_member": lieux["is_member"].astype("boolean").fillna(False),
    })
    grouped = frame.groupby("departement_code")
    table = pd.DataFrame({
        "lieux_count": grouped.size(),
        "open_lieux_count": grouped["is_open"].sum(),
        "member_lieux_count": grouped["is_member"].sum(),
    })
    order = category_order(table.index, None)
    return finalise(table.reindex(order).rename_axis("departement_code").reset_index())
