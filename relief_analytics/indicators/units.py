"""The unit of every indicator column: its field's unit (never read from a French label).

A column of the field list (:data:`relief_analytics.indicators.labels.FIELDS`) has its declared
unit. Any other column (a French-headed quality table, the open-data table) gets the unit its name
carries, by the naming rule the declared fields also follow (STYLE.md): ``_eur`` euros, ``_hours`` hours, ``_count`` counts,
``_ratio``/``_share``/``_rate`` ratios (0.15 for 15 %), ``_per_100k`` densities, ``_km``
distances. :func:`relief_analytics.formatting.format_value` formats a value from its unit, and the
XLSX writer picks its number format from it.
"""

from __future__ import annotations

from relief_analytics.indicators.labels import FIELDS

_RATIO_SUFFIXES = ("_ratio", "_share", "_rate")
_COUNT_NAMES = ("population", "communes", "population_beyond_threshold")
_HOURS_NAMES = ("hours", "paid_hours", "volunteer_hours")


def unit_of(column: str) -> str:
    """Return the unit of an indicator column: its declared field's, else from its name.

    Examples
    --------
    >>> unit_of("commission"), unit_of("Lignes_count")
    ('text', 'count')
    """
    field = FIELDS.get(column)
    return field.unit if field is not None else unit_from_name(column)


def unit_from_name(column: str) -> str:
    """Return the unit that a column's name carries (the naming rule of STYLE.md).

    Examples
    --------
    >>> [unit_from_name(c) for c in ("amount_total_eur", "hourly_rate_eur", "retention_rate",
    ...                       "lieux_per_100k", "members_count", "volunteer_hours", "year")]
    ['eur', 'eur', 'ratio', 'density', 'count', 'hours', 'year']
    """
    if column in ("year", "opening_year", "membership_year", "snapshot_year"):
        return "year"
    if column.endswith("_eur"):
        return "eur"
    if column.endswith(_RATIO_SUFFIXES):
        return "ratio"
    if column.endswith("_per_100k"):
        return "density"
    if column.endswith("_km"):
        return "km"
    if column.endswith("_hours") or column in _HOURS_NAMES:
        return "hours"
    if column.endswith("_count") or column in _COUNT_NAMES or column.startswith("population"):
        return "count"
    return "number"
