"""Helpers on year series: the N vs N-1 comparison table."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from relief_analytics.indicators._frames import finalise
from relief_analytics.indicators.labels import french_label
from relief_analytics.indicators.units import unit_of


def compare_years(
    by_year: pd.DataFrame, *, year: int, columns: Sequence[str] | None = None
) -> pd.DataFrame:
    """Compare year ``year`` with the year before, indicator by indicator.

    ``by_year`` is any "one row per year" indicator table (column ``year``), e.g. the output of
    :func:`~relief_analytics.indicators.membership.membership_by_year`.

    Grain: one row per indicator (each of ``columns``, default: every numeric column but
    ``year``), in column order. Columns: ``indicator`` (the column name, e.g.
    ``members_count``), ``indicator_label`` (its French label, see
    :mod:`relief_analytics.indicators.labels`), ``unit`` (from the column name, see
    :func:`~relief_analytics.indicators.units.unit_of`), ``previous_value`` (N-1, missing if the year
    is absent), ``value`` (N), ``change`` (N − (N-1)), ``change_ratio`` (change / N-1,
    missing when N-1 is 0 or missing). For a ratio indicator (e.g. a rate), ``change`` is in
    points of ratio (0.05 = 5 points).

    Examples
    --------
    >>> df = pd.DataFrame({"year": [2023, 2024], "members_count": [40, 50]})
    >>> compare_years(df, year=2024).values.tolist()
    [['members_count', 'Membres', 'count', 40.0, 50.0, 10.0, 0.25]]
    """
    if columns is None:
        columns = [c for c in by_year.columns
                   if c != "year" and pd.api.types.is_numeric_dtype(by_year[c])]
    indexed = by_year.set_index(by_year["year"].astype("int64"))
    if year not in indexed.index:
        raise ValueError(f"L'année {year} est absente de la série (années : {list(indexed.index)}).")

    def value_of(y: int, column: str) -> float:
        return float(indexed.at[y, column]) if y in indexed.index and not pd.isna(
            indexed.at[y, column]) else np.nan

    rows = []
    for column in columns:
        previous, current = value_of(year - 1, column), value_of(year, column)
        change = current - previous
        rows.append({
            "indicator": column,
            "indicator_label": french_label(column),
            "unit": unit_of(column),
            "previous_value": previous,
            "value": current,
            "change": change,
            "change_ratio": change / previous if previous else np.nan,
        })
    frame = pd.DataFrame(rows, columns=["indicator", "indicator_label", "unit", "previous_value",
                                        "value", "change", "change_ratio"])
    return finalise(frame)
