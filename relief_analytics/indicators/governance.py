"""Governance indicators: size of the CA, copilotes per commission, copil meetings.

Counts only: no function here returns who held a role (``member_id`` values never leave).
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from relief_analytics.indicators._frames import category_order, finalise, year_range
from relief_analytics.indicators.events import COPIL_KIND

CA_ROLE = "CA"
COPILOTE_ROLE = "copilote"


def governance_by_year(
    gouvernance: pd.DataFrame,
    *,
    evenements: pd.DataFrame | None = None,
    first_year: int | None = None,
    last_year: int | None = None,
    ca_role: str = CA_ROLE,
    copilote_role: str = COPILOTE_ROLE,
    copil_kind: str = COPIL_KIND,
) -> pd.DataFrame:
    """CA size, copilotes, copiloted commissions and copil meetings per year.

    Grain: one row per year from ``first_year`` (default: first year in either table) to
    ``last_year`` (default: last one).

    Columns: ``year``, ``ca_members_count`` (distinct people with role ``ca_role``),
    ``copilotes_count`` (distinct people with role ``copilote_role``, whatever the number of
    commissions they copilot), ``copiloted_commissions_count`` (commissions with at least one
    copilote), ``copil_meetings_count`` (events of kind ``copil_kind`` that started that year;
    0 when ``evenements`` is not given).

    Examples
    --------
    >>> gov = pd.DataFrame({"year": [2024, 2024, 2024], "member_id": ["a", "b", "a"],
    ...     "role": ["CA", "copilote", "copilote"], "commission": [None, "Formation", "Formation"]})
    >>> governance_by_year(gov).values.tolist()
    [[2024, 1, 2, 1, 0]]
    """
    gov = gouvernance.assign(year=gouvernance["year"].astype("Int64"))
    ca = gov[gov["role"] == ca_role].groupby("year")["member_id"].nunique()
    copilotes = gov[gov["role"] == copilote_role]
    copilote_counts = copilotes.groupby("year")["member_id"].nunique()
    commission_counts = copilotes.dropna(subset=["commission"]).groupby("year")["commission"].nunique()
    if evenements is not None:
        copil = evenements[evenements["event_kind"] == copil_kind]
        meetings = copil.groupby(copil["start_date"].dt.year).size()
    else:
        meetings = pd.Series(dtype="int64")
    years = year_range(
        list(gov["year"]) + list(meetings.index), first_year=first_year, last_year=last_year
    )
    table = pd.DataFrame({
        "year": years,
        "ca_members_count": [int(ca.get(y, 0)) for y in years],
        "copilotes_count": [int(copilote_counts.get(y, 0)) for y in years],
        "copiloted_commissions_count": [int(commission_counts.get(y, 0)) for y in years],
        "copil_meetings_count": [int(meetings.get(y, 0)) for y in years],
    })
    return finalise(table)


def copilotes_by_commission(
    gouvernance: pd.DataFrame,
    *,
    year: int,
    commissions: Sequence[str] | None = None,
    copilote_role: str = COPILOTE_ROLE,
) -> pd.DataFrame:
    """Number of copilotes of each commission in ``year``.

    Grain: one row per commission; listed ``commissions`` (config ``[listes].commissions``)
    first, even with no copilote, then the others alphabetically.

    Examples
    --------
    >>> gov = pd.DataFrame({"year": [2024, 2024], "member_id": ["a", "b"],
    ...     "role": ["copilote", "copilote"], "commission": ["Formation", "Formation"]})
    >>> copilotes_by_commission(gov, year=2024, commissions=["Formation", "Communication"]).values.tolist()
    [['Formation', 2], ['Communication', 0]]
    """
    rows = gouvernance[(gouvernance["year"] == year) & (gouvernance["role"] == copilote_role)]
    counts = rows.dropna(subset=["commission"]).groupby("commission")["member_id"].nunique()
    order = category_order(counts.index, commissions)
    return finalise(pd.DataFrame({
        "commission": order,
        "copilotes_count": [int(counts.get(c, 0)) for c in order],
    }))
