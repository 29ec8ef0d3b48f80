"""Volunteering indicators: hours given per year and commission, contributors, valuation.

The year of a contribution is the year of its ``contribution_date``.

Definitions:

- ``hours``: every declared hour; ``paid_hours``: hours of contributions that received a
  *rétribution* (``retribution_eur`` > 0); ``volunteer_hours`` = ``hours`` − ``paid_hours``.
- ``valuation_eur`` = ``volunteer_hours`` × the hourly rate of the year (config
  ``[taux_horaire_benevolat]``), rounded to the cent. Paid hours are left out by default because
  their cost is already a charge of the budget (62x/64x): valuing them again as bénévolat would
  count them twice in the compte rendu financier. Pass ``include_paid_hours=True`` to value
  every hour.
- ``contributors_count``: distinct ``member_id`` (pseudonyms; only the count leaves this module).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from relief_analytics.errors import DataError
from relief_analytics.indicators._frames import category_order, finalise, year_range

RATE_CONFIG_SECTION = "taux_horaire_benevolat"


class MissingHourlyRateError(DataError, LookupError):
    """The configuration has no volunteer hourly rate for a year that needs one (French message)."""


def hourly_rate_for_year(hourly_rates: Mapping[int, float], year: int) -> float:
    """Return the volunteer hourly rate of ``year`` (€/h).

    Raises
    ------
    MissingHourlyRateError
        With a French message naming the year and the configuration section.

    Examples
    --------
    >>> hourly_rate_for_year({2024: 11.65}, 2024)
    11.65
    """
    rate = hourly_rates.get(int(year))
    if rate is None or pd.isna(rate):
        raise MissingHourlyRateError(
            f"Taux horaire du bénévolat manquant pour l'année {int(year)} : ajoutez une ligne "
            f"« {int(year)} = … » (en euros par heure) dans la section [{RATE_CONFIG_SECTION}] "
            f"du fichier config.toml."
        )
    return float(rate)


def _prepare(contributions: pd.DataFrame, include_paid_hours: bool) -> pd.DataFrame:
    out = contributions.copy()
    out["year"] = out["contribution_date"].dt.year.astype("Int64")
    retribution = (
        out["retribution_eur"].astype("float64").fillna(0.0)
        if "retribution_eur" in out else pd.Series(0.0, index=out.index)
    )
    out["retribution_eur"] = retribution
    out["hours"] = out["hours"].astype("float64")
    out["paid_hours"] = out["hours"].where(retribution > 0, 0.0)
    out["volunteer_hours"] = out["hours"] if include_paid_hours else out["hours"] - out["paid_hours"]
    return out


def _summarise(grouped) -> pd.DataFrame:
    return pd.DataFrame({
        "contributions_count": grouped.size(),
        "contributors_count": grouped["member_id"].nunique(),
        "hours": grouped["hours"].sum(),
        "paid_hours": grouped["paid_hours"].sum(),
        "volunteer_hours": grouped["volunteer_hours"].sum(),
        "retribution_eur": grouped["retribution_eur"].sum(),
    })


def _add_valuation(table: pd.DataFrame, hourly_rates: Mapping[int, float]) -> pd.DataFrame:
    """Add ``hourly_rate_eur`` and ``valuation_eur``; a year without hours needs no rate."""
    rates = [
        hourly_rate_for_year(hourly_rates, year) if hours > 0 else hourly_rates.get(int(year), np.nan)
        for year, hours in zip(table["year"], table["volunteer_hours"], strict=True)
    ]
    table["hourly_rate_eur"] = pd.Series(rates, index=table.index, dtype="float64")
    table["valuation_eur"] = (table["volunteer_hours"] * table["hourly_rate_eur"]).round(2)
    table.loc[table["volunteer_hours"] == 0, "valuation_eur"] = 0.0
    return table


def volunteering_by_year(
    contributions: pd.DataFrame,
    *,
    hourly_rates: Mapping[int, float],
    first_year: int | None = None,
    last_year: int | None = None,
    include_paid_hours: bool = False,
) -> pd.DataFrame:
    """Hours, contributors, rétributions and valuation of volunteer time per year.

    Grain: one row per year from ``first_year`` (default: first year in the data) to
    ``last_year`` (default: last one); years without contribution have zeros.

    Columns: ``year``, ``contributions_count``, ``contributors_count``, ``hours``,
    ``paid_hours``, ``volunteer_hours``, ``retribution_eur``, ``hourly_rate_eur``,
    ``valuation_eur`` (see the module docstring for the definitions).

    Raises
    ------
    MissingHourlyRateError
        When a year with volunteer hours has no rate in ``hourly_rates``.

    Examples
    --------
    >>> df = pd.DataFrame({"contribution_date": pd.to_datetime(["2024-02-01", "2024-03-01"]),
    ...     "member_id": ["a", "b"], "hours": [2.0, 3.0], "retribution_eur": [0.0, 50.0]})
    >>> float(volunteering_by_year(df, hourly_rates={2024: 10.0}).loc[0, "valuation_eur"])
    20.0
    """
    prepared = _prepare(contributions, include_paid_hours)
    table = _summarise(prepared.groupby("year"))
    years = year_range(table.index, first_year=first_year, last_year=last_year)
    table = table.reindex(years, fill_value=0).rename_axis("year").reset_index()
    return finalise(_add_valuation(table, hourly_rates))


def volunteering_by_commission(
    contributions: pd.DataFrame,
    *,
    hourly_rates: Mapping[int, float],
    year: int,
    commissions: Sequence[str] | None = None,
    include_paid_hours: bool = False,
) -> pd.DataFrame:
    """Hours, contributors, rétributions and valuation of volunteer time per commission in ``year``.

    Grain: one row per commission; listed ``commissions`` (config ``[listes].commissions``)
    first, in that order and even with zero hours, then any other commission alphabetically.
    Columns as :func:`volunteering_by_year`, with ``commission`` in place of ``year``.
    ``contributors_count`` of the commissions may add up to more than the year's total: one
    person can contribute to several commissions.

    Examples
    --------
    >>> df = pd.DataFrame({"contribution_date": pd.to_datetime(["2024-02-01"]),
    ...     "member_id": ["a"], "commission": ["Formation"], "hours": [2.0]})
    >>> volunteering_by_commission(df, hourly_rates={2024: 10.0}, year=2024)["hours"].tolist()
    [2.0]
    """
    prepared = _prepare(contributions, include_paid_hours)
    prepared = prepared[prepared["year"] == year]
    table = _summarise(prepared.groupby("commission"))
    order = category_order(table.index, commissions)
    table = table.reindex(order, fill_value=0).rename_axis("commission").reset_index()
    table.insert(0, "year", year)
    table = _add_valuation(table, hourly_rates)
    return finalise(table.drop(columns="year"))
