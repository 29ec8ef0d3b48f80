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


def _largest_first(table: pd.DataFrame) -> pd.DataFrame:
    """Rows by decreasing ``lieux_count``; equal counts keep their order (list order, then
    the others, ``Non renseigné`` last): the order of the bar charts, largest on top."""
    return finalise(table.sort_values("lieux_count", ascending=False, kind="stable"))


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

    Grain: one row per typology: the listed ``typologies`` (config ``[listes].typologies``),
    even when zero, and the others. Sorted like its chart
    (:func:`~relief_analytics.figures.charts.typology_chart`): most lieux first, equal counts
    in list order then the others. ``lieux_share`` is the share of all lieux having that
    typology (ratio; the shares add up to more than 1 because typologies are multi-valued).

    Examples
    --------
    >>> df = pd.DataFrame({"typologies": ["Fablab|Coworking", "Coworking"]})
    >>> lieux_by_typology(df, typologies=["Fablab", "Coworking", "Cuisine partagée"]).values.tolist()
    [['Coworking', 2, 1.0], ['Fablab', 1, 0.5], ['Cuisine partagée', 0, 0.0]]
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
    return _largest_first(table)


def lieux_by_legal_status(
    lieux: pd.DataFrame, *, statuses: Sequence[str] | None = None
) -> pd.DataFrame:
    """Number of lieux per legal status of their structure.

    Grain: one row per status: the listed ``statuses`` (config ``[listes].statuts_juridiques``),
    even when zero, and the others. Most lieux first, like the typologies; equal counts in
    list order, then the others, ``Non renseigné`` last.

    Examples
    --------
    >>> df = pd.DataFrame({"legal_status": ["SCIC", None, "Association", "SCIC"]})
    >>> lieux_by_legal_status(df, statuses=["Association", "SCOP", "SCIC"]).values.tolist()
    [['SCIC', 2], ['Association', 1], ['Non renseigné', 1], ['SCOP', 0]]
    """
    return _largest_first(_count_by(lieux["legal_status"], "legal_status", statuses))


def is_open_at_year_end(lieux: pd.DataFrame, *, year: int, open_state: str = OPEN_STATE) -> pd.Series:
    """True for the lieux counted as open at the end of ``year`` — the one definition.

    The lieux table is a snapshot (a state today, an opening year, no closing year): a lieu is
    open at the end of N when its state is ``open_state`` today and it opened in N or before.
    An open lieu whose opening year is unknown counts in every year (it is open now); a lieu
    closed since counts in no year, so past years are under-counted by the lieux closed since.

    Examples
    --------
    >>> df = pd.DataFrame({"state": ["ouvert", "ouvert", "fermé", "ouvert"],
    ...     "opening_year": pd.array([2020, 2026, 2019, None], dtype="Int64")})
    >>> is_open_at_year_end(df, year=2025).tolist()
    [True, False, False, True]
    """
    opening = lieux["opening_year"].astype("Int64")
    opened = (opening <= year).fillna(True).astype(bool)
    return (lieux["state"] == open_state).astype(bool) & opened


def lieux_by_year(
    lieux: pd.DataFrame,
    *,
    first_year: int | None = None,
    last_year: int | None = None,
    open_state: str = OPEN_STATE,
    planned_state: str = PLANNED_STATE,
) -> pd.DataFrame:
    """Lieux opened each year and lieux open at the end of each year.

    Grain: one row per year from ``first_year`` (default: the earliest opening year) to
    ``last_year`` (default: the latest one).

    - ``opened_lieux_count``: lieux whose ``opening_year`` is N and that are not
      ``planned_state`` (a lieu opened in N and closed since still counts).
    - ``open_lieux_count``: lieux open at the end of N, see :func:`is_open_at_year_end`.

    Examples
    --------
    >>> df = pd.DataFrame({"opening_year": pd.array([2021, 2022, 2022], dtype="Int64"),
    ...     "state": ["ouvert", "ouvert", "fermé"]})
    >>> lieux_by_year(df)[["opened_lieux_count", "open_lieux_count"]].values.tolist()
    [[1, 1], [2, 2]]
    """
    opening = lieux["opening_year"].astype("Int64")
    started = lieux["state"] != planned_state
    years = year_range(opening.dropna(), first_year=first_year, last_year=last_year)
    rows = [
        {
            "year": year,
            "opened_lieux_count": int(((opening == year) & started).fillna(False).sum()),
            "open_lieux_count": int(
                is_open_at_year_end(lieux, year=year, open_state=open_state).sum()),
        }
        for year in years
    ]
    return finalise(pd.DataFrame(rows, columns=["year", "opened_lieux_count", "open_lieux_count"]))
