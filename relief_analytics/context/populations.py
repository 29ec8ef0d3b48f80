"""The year's populations, each defined once: placed lieux, open lieux, members, events.

Every count a report shows is taken on one of these populations, so two documents cannot
count the same thing two ways.

**What is counted** (:func:`is_counted`, the one rule for every table that has a place): a row
that has a place (a lieu, an event held on site or mixed) is counted only when it is placed on
a commune of the region (``résolue``). What lies outside the region, or can't be placed
(ambiguous, conflicting clues, unresolved), is *set aside*: listed by ``relief valider`` and the
quality report (:func:`set_aside`), never counted in any document. A row with no place at all
(an event « en ligne ») is counted. :data:`COUNTING_RULE_FR` says it in French.
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

#: The counting rule as the reader is told it (``relief valider``, quality report).
COUNTING_RULE_FR = (
    "Les lieux et les événements sur place (ou mixtes) hors région ou non placés sont listés "
    "ici et ne sont comptés dans aucun rapport ; les événements en ligne, sans lieu, sont comptés."
)


def is_counted(resolved: pd.DataFrame) -> pd.Series:
    """The one rule of what is counted: placed in the region, or without a place at all.

    ``resolved`` carries the ``resolution_status`` of
    :func:`~relief_analytics.geo.resolve.resolve_communes`; a row that was not resolved because
    it has no place (an online event) has no status and is counted.

    Examples
    --------
    >>> rows = pd.DataFrame({"resolution_status": ["résolue", "hors région", "ambiguë", None]})
    >>> is_counted(rows).tolist()
    [True, False, False, True]
    """
    status = resolved["resolution_status"]
    return (status.isna() | (status == RESOLVED)).astype(bool)


def counted(resolved: pd.DataFrame) -> pd.DataFrame:
    """The rows of ``resolved`` that :func:`is_counted` keeps (same columns, same index)."""
    return resolved[is_counted(resolved)]


#: Columns of :func:`set_aside`.
SET_ASIDE_COLUMNS = ["table", "identifier", "label", "commune_name", "status", "note"]


def set_aside(resolved: pd.DataFrame, *, table: str, id_col: str, label_col: str) -> pd.DataFrame:
    """The rows that :func:`is_counted` leaves out, with why: listed, never counted.

    Grain: one row per row set aside, in the input order.

    Examples
    --------
    >>> rows = pd.DataFrame({"event_id": ["E1", "E2"], "title": ["Visite", "Webinaire"],
    ...     "commune_name": ["Paris", None], "resolution_status": ["hors région", None],
    ...     "resolution_note": ["commune « Paris » hors région (75)", None]})
    >>> set_aside(rows, table="evenements", id_col="event_id", label_col="title").values.tolist()
    [['evenements', 'E1', 'Visite', 'Paris', 'hors région', 'commune « Paris » hors région (75)']]
    """
    kept = resolved[~is_counted(resolved)]
    return pd.DataFrame({
        "table": table,
        "identifier": kept[id_col].to_numpy(dtype=object),
        "label": kept[label_col].to_numpy(dtype=object),
        "commune_name": kept["commune_name"].to_numpy(dtype=object)
        if "commune_name" in kept.columns else None,
        "status": kept["resolution_status"].to_numpy(dtype=object),
        "note": kept["resolution_note"].to_numpy(dtype=object),
    }, columns=SET_ASIDE_COLUMNS)


def is_placed(resolved_lieux: pd.DataFrame) -> pd.Series:
    """True for the rows resolved to a commune of the region (for lieux: the only ones counted).

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
    kept = resolved_lieux[~is_counted(resolved_lieux)]
    return kept[[c for c in columns if c in kept.columns]].reset_index(drop=True)


def open_lieux_at_year_end(placed_lieux: pd.DataFrame, *, year: int) -> pd.DataFrame:
    """Population « lieux ouverts en fin d'année »: placed in the region and open at the end of N.

    Grain: one row per lieu (all columns of ``placed_lieux``).
    """
    placed = counted(placed_lieux)
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


def resolve_on_site_events(
    evenements: pd.DataFrame, *, reference: GeoReference, lieux: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Every event; those held on site or mixed (not « en ligne ») carry the resolution columns.

    An on-site event that names neither a commune nor an INSEE code but refers to a lieu
    (``lieu_id``) is placed by that lieu's resolved commune, when ``lieux`` (resolved) is given.
    Online events have no place: no status, and :func:`is_counted` counts them.

    Grain: one row per event, in the input order; ``is_placed`` and ``is_counted`` added.
    """
    on_site = evenements["attendance_mode"] != ONLINE_MODE
    located = evenements[on_site]
    typed = {"lieu_id", "commune_code", "commune_name"} <= set(located.columns)
    if lieux is not None and typed and len(located):
        of_lieu = located["lieu_id"].map(
            lieux.drop_duplicates("lieu_id").set_index("lieu_id")["commune_code_resolved"])
        blank = located["commune_code"].isna() & located["commune_name"].isna() & of_lieu.notna()
        if blank.any():
            located = located.copy()
            located.loc[blank, "commune_code"] = of_lieu[blank]
    resolved = resolve_communes(
        located, reference=reference, postal_col=None, lat_col=None, lon_col=None)
    if "commune_code" in evenements.columns:  # the cells as typed, for the quality report
        resolved["commune_code"] = evenements.loc[on_site, "commune_code"]
    out = pd.concat([resolved, evenements[~on_site]]).loc[evenements.index]
    out["is_placed"] = is_placed(out)
    out["is_counted"] = is_counted(out)
    return out


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
    """The dataset's lieux and events (on-site ones resolved), with ``is_placed`` and ``is_counted``.

    The year's counts are taken on ``counted(lieux)`` and ``counted(events)`` (:func:`is_counted`).
    """
    lieux = resolve_communes(dataset.lieux, reference=reference)
    lieux["is_placed"] = is_placed(lieux)
    lieux["is_counted"] = is_counted(lieux)
    events = resolve_on_site_events(dataset.evenements, reference=reference, lieux=lieux)
    return lieux, events


def events_set_aside(resolved_events: pd.DataFrame) -> pd.DataFrame:
    """The events held on site (or mixed) not placed in the region: listed, never counted.

    Grain: one row per event set aside (columns of :data:`SET_ASIDE_COLUMNS`).
    """
    return set_aside(resolved_events, table="evenements", id_col="event_id", label_col="title")
