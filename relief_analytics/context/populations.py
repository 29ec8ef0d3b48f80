"""The year's populations, each defined once: placed lieux, open lieux, members, events.

Every count a report shows is taken on one of these populations, so two documents cannot
count the same thing two ways.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from relief_analytics.geo.reference import GeoReference
from relief_analytics.geo.resolve import RESOLVED, resolution_problems, resolve_communes
from relief_analytics.indicators.lieux import is_open_at_year_end
from relief_analytics.indicators.membership import filter_valid_adhesions

ONLINE_MODE = "en ligne"


def is_placed(resolved_lieux: pd.DataFrame) -> pd.Series:
    """True for the lieux resolved to a commune of the region (the only ones counted).

    Examples
    --------
    >>> is_placed(pd.DataFrame({"resolution_status": ["résolue", "ambiguë"]})).tolist()
    [True, False]
    """
    return (resolved_lieux["resolution_status"] == RESOLVED).astype(bool)


def lieux_set_aside(resolved_lieux: pd.DataFrame) -> pd.DataFrame:
    """The lieux *not* placed in the region, with why: listed, never counted.

    Grain: one row per lieu set aside; columns ``lieu_id``, ``lieu_name``, ``commune_name``,
    ``postal_code``, ``resolution_status``, ``resolution_note``.
    """
    columns = ["lieu_id", "lieu_name", "commune_name", "postal_code", "resolution_status",
               "resolution_note"]
    kept = resolved_lieux[~is_placed(resolved_lieux)]
    return kept[[c for c in columns if c in kept.columns]].reset_index(drop=True)


def open_lieux_at_year_end(placed_lieux: pd.DataFrame, *, year: int) -> pd.DataFrame:
    """Population « lieux ouverts en fin d'année »: placed in the region and open at the end of N.

    Grain: one row per lieu (all columns of ``placed_lieux``).
    """
    placed = placed_lieux[is_placed(placed_lieux)]
    return placed[is_open_at_year_end(placed, year=year)].reset_index(drop=True)


def members_of_year(
    adhesions: pd.DataFrame, *, year: int, valid_statuses: Sequence[str]
) -> pd.DataFrame:
    """Population « membres de l'année »: members with a validated adhésion of ``year``.

    Grain: one row per member (pseudonym): ``member_id``, ``member_kinds`` (``|``-joined),
    ``payments_count``, ``amount_eur`` (sum of the year's payments).
    """
    valid = filter_valid_adhesions(adhesions, valid_statuses=valid_statuses)
    of_year = valid[valid["membership_year"] == year]
    grouped = of_year.groupby("member_id", sort=True)
    kind = of_year["member_kind"]
    morale = (kind == "morale").groupby(of_year["member_id"], sort=True).any()
    physique = (kind == "physique").groupby(of_year["member_id"], sort=True).any()
    kinds = np.select([morale & physique, morale, physique], ["morale|physique", "morale", "physique"], "")
    return pd.DataFrame({
        "member_id": morale.index, "member_kinds": kinds,
        "payments_count": grouped.size().to_numpy(), "amount_eur": grouped["amount_eur"].sum().to_numpy(),
    })


def resolve_on_site_events(evenements: pd.DataFrame, *, reference: GeoReference) -> pd.DataFrame:
    """Every event; those held on site (not « en ligne ») carry the resolution columns.

    Grain: one row per event, in the input order.
    """
    on_site = evenements["attendance_mode"] != ONLINE_MODE
    resolved = resolve_communes(
        evenements[on_site], reference=reference, postal_col=None, lat_col=None, lon_col=None)
    return pd.concat([resolved, evenements[~on_site]]).loc[evenements.index]


def events_of_year(evenements: pd.DataFrame, *, year: int) -> pd.DataFrame:
    """Population « événements de l'année »: events starting in ``year``.

    Grain: one row per event.
    """
    return evenements[evenements["start_date"].dt.year == year].reset_index(drop=True)


#: Columns of :func:`geographic_problems`.
PROBLEM_COLUMNS = ["table", "identifier", "label", "status", "problem"]


def geographic_problems(placed_lieux: pd.DataFrame, resolved_events: pd.DataFrame) -> pd.DataFrame:
    """Every geographic problem of the lieux and of the on-site events, in French.

    The one list that ``relief valider`` prints and the quality report shows: rows not placed
    (ambiguous, out of the region, conflicting clues, unresolved) and warnings on placed rows
    (swapped coordinates, unknown INSEE code…). Grain: one row per problem.
    """
    on_site = resolved_events[resolved_events["resolution_status"].notna()]
    frames = [
        resolution_problems(placed_lieux, table="lieux", id_col="lieu_id", label_col="lieu_name"),
        resolution_problems(on_site, table="evenements", id_col="event_id", label_col="title"),
    ]
    frames = [f for f in frames if len(f)]
    if not frames:
        return pd.DataFrame(columns=PROBLEM_COLUMNS)
    return pd.concat(frames, ignore_index=True)[PROBLEM_COLUMNS]


def resolve_dataset(dataset, *, reference: GeoReference) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The dataset's lieux (with ``is_placed``) and events (on-site ones resolved)."""
    lieux = resolve_communes(dataset.lieux, reference=reference)
    lieux["is_placed"] = is_placed(lieux)
    return lieux, resolve_on_site_events(dataset.evenements, reference=reference)
