"""French formatting of numbers, amounts, percentages and dates, built on babel.

Every figure a user reads goes through these functions, never through the system locale
(which is often English or C on the machine building the reports).

Typography, as produced by babel's ``fr_FR`` data (CLDR):

- the thousands separator is the narrow no-break space U+202F (``1 234``);
- the space before a unit (``€``, ``%``, ``h``) is the no-break space U+00A0, so that a value
  never wraps away from its unit;
- the decimal separator is the comma (``1 234,50 €``);
- the minus sign is the ASCII hyphen-minus, as babel writes it (``-12 %``);
- a missing value (``None``, ``NaN``, ``pandas.NA``, ``NaT``) is written as an em dash ``—``.

Rounding is "half up" (``2,5`` → ``3``), the rule a reader expects, not babel's default
banker's rounding.

Examples
--------
>>> format_eur(1234.5)
'1\\u202f234,50\\xa0€'
>>> format_date(pd.Timestamp("2024-03-14"))
'14 mars 2024'
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Literal

import pandas as pd
from babel.dates import format_date as _babel_format_date
from babel.dates import get_month_names
from babel.numbers import format_decimal as _babel_format_decimal

LOCALE = "fr_FR"

#: What a missing value looks like in every output.
MISSING = "—"

#: Narrow no-break space (thousands separator) and no-break space (before a unit).
NNBSP = "\u202f"
NBSP = "\u00a0"

DeltaUnit = Literal["eur", "number", "percent", "points", "hours"]


def is_missing(x: Any) -> bool:
    """Return True for ``None``, ``NaN``, ``pandas.NA`` and ``NaT`` (scalars only)."""
    if x is None:
        return True
    try:
        return bool(pd.isna(x))
    except (TypeError, ValueError):
        return False


def _quantize(x: Any, decimals: int) -> Decimal:
    """Round ``x`` half up to ``decimals`` places; never return a negative zero."""
    if decimals < 0:
        raise ValueError(f"decimals must be >= 0, got {decimals}")
    value = Decimal(str(x)).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    return value if value != 0 else Decimal(0).quantize(Decimal(1).scaleb(-decimals))


def _pattern(decimals: int) -> str:
    return "#,##0" + ("." + "0" * decimals if decimals else "")


def format_number(x: Any, *, decimals: int = 0) -> str:
    """Format a number the French way: ``1 234`` or, with ``decimals=2``, ``1 234,50``.

    Examples
    --------
    >>> format_number(1234.5, decimals=1)
    '1\\u202f234,5'
    """
    if is_missing(x):
        return MISSING
    return _babel_format_decimal(_quantize(x, decimals), format=_pattern(decimals), locale=LOCALE)


def format_eur(x: Any, *, decimals: int = 2) -> str:
    """Format an amount in euros: ``1 234,50 €`` (``decimals=0`` gives ``1 235 €``).

    Examples
    --------
    >>> format_eur(0)
    '0,00\\xa0€'
    """
    if is_missing(x):
        return MISSING
    return f"{format_number(x, decimals=decimals)}{NBSP}€"


def format_percent(x: Any, *, decimals: int = 0) -> str:
    """Format a ratio as a percentage: ``0.153`` → ``15 %`` (``decimals=1`` → ``15,3 %``).

    Examples
    --------
    >>> format_percent(0.153)
    '15\\xa0%'
    """
    if is_missing(x):
        return MISSING
    return f"{format_number(Decimal(str(x)) * 100, decimals=decimals)}{NBSP}%"


def format_hours(x: Any, *, decimals: int = 0) -> str:
    """Format a number of hours: ``1234`` → ``1 234 h``.

    Examples
    --------
    >>> format_hours(1234)
    '1\\u202f234\\xa0h'
    """
    if is_missing(x):
        return MISSING
    return f"{format_number(x, decimals=decimals)}{NBSP}h"


def month_names_fr() -> list[str]:
    """Return the twelve French month names, January first, in lower case (``janvier`` …).

    Examples
    --------
    >>> month_names_fr()[2]
    'mars'
    """
    names = get_month_names("wide", context="stand-alone", locale=LOCALE)
    return [str(names[i]) for i in range(1, 13)]


def format_month(m: Any) -> str:
    """Return the French name of a month given as a number (1–12) or a date: ``3`` → ``mars``."""
    if is_missing(m):
        return MISSING
    if isinstance(m, dt.date | pd.Timestamp):
        month = m.month
    else:
        month = int(m)
    if not 1 <= month <= 12:
        raise ValueError(f"month must be between 1 and 12, got {m!r}")
    return month_names_fr()[month - 1]


def format_date(d: Any) -> str:
    """Format a date in long French form: ``14 mars 2024``; the first of a month is ``1er``.

    Accepts ``datetime.date``, ``datetime.datetime``, ``pandas.Timestamp`` or an ISO string.

    Examples
    --------
    >>> format_date(dt.date(2024, 3, 1))
    '1er mars 2024'
    """
    if is_missing(d):
        return MISSING
    day = pd.Timestamp(d).date()
    text = _babel_format_date(day, format="d MMMM y", locale=LOCALE)
    return "1er" + text[1:] if day.day == 1 else text


def _format_points(decimals: int):
    def format_points(v: Any) -> str:
        points = _quantize(Decimal(str(v)) * 100, decimals)
        word = "pt" if abs(points) < 2 else "pts"
        return f"{format_number(points, decimals=decimals)}{NBSP}{word}"

    return format_points


def format_delta(x: Any, *, unit: DeltaUnit, decimals: int | None = None) -> str:
    """Format a change with an explicit sign: ``+1 234,50 €``, ``-12 %``, ``+3 pts``.

    Parameters
    ----------
    x
        The change. For ``unit="percent"`` it is a ratio (``0.12`` → ``+12 %``); for
        ``unit="points"`` it is a difference of two ratios, shown in percentage points
        (``0.031`` → ``+3 pts``).
    unit
        ``"eur"``, ``"number"``, ``"percent"``, ``"points"`` or ``"hours"``.
    decimals
        Defaults to 2 for euros and 0 otherwise.

    A zero change has no sign (``0 €`` is not ``+0 €``).

    Examples
    --------
    >>> format_delta(-3, unit="number")
    '-3'
    """
    if is_missing(x):
        return MISSING
    if decimals is None:
        decimals = 2 if unit == "eur" else 0
    formatters = {
        "eur": lambda v: format_eur(v, decimals=decimals),
        "number": lambda v: format_number(v, decimals=decimals),
        "percent": lambda v: format_percent(v, decimals=decimals),
        "points": _format_points(decimals),
        "hours": lambda v: format_hours(v, decimals=decimals),
    }
    if unit not in formatters:
        raise ValueError(f"unknown unit {unit!r}; expected one of {sorted(formatters)}")
    text = formatters[unit](x)
    scale = 100 if unit in ("percent", "points") else 1
    rounded = _quantize(Decimal(str(x)) * scale, decimals)
    return "+" + text if rounded > 0 else text


#: Units a value can carry (see ``relief_analytics.indicators.units.unit_of``).
Unit = Literal["count", "eur", "hours", "ratio", "density", "km", "number", "year", "text"]


def format_value(x: Any, unit: str, *, compact: bool = False) -> str:
    """Format ``x`` at the precision of its unit — the one display rule of every report.

    - ``count``: whole number (``1 234``);
    - ``eur``: to the cent (``11,88 €``); ``compact=True`` (key-figure tiles) rounds to the euro;
    - ``hours``: whole hours, one decimal when the value has a fraction (``12,5 h``);
    - ``ratio``: a percentage, one decimal when needed (``0.08`` → ``8 %``, ``0.153`` → ``15,3 %``);
    - ``density`` (per 100,000 inhabitants) and ``km``: one decimal;
    - ``number``: whole, or two decimals when the value has a fraction;
    - ``year``: ``2025``; ``text``: as is.

    Examples
    --------
    >>> format_value(11.88, "eur")
    '11,88\\xa0€'
    >>> format_value(0.08, "ratio")
    '8\\xa0%'
    >>> format_value(0.153, "ratio")
    '15,3\\xa0%'
    """
    if is_missing(x):
        return MISSING
    if unit == "text":
        return str(x)
    if unit == "year":
        return str(int(x))
    if unit == "eur":
        return format_eur(x, decimals=0 if compact else 2)
    if unit == "hours":
        return format_hours(x, decimals=0 if compact or float(x).is_integer() else 1)
    if unit == "ratio":
        decimals = 0 if float(_quantize(Decimal(str(x)) * 100, 1)).is_integer() else 1
        return format_percent(x, decimals=decimals)
    if unit == "density":
        return format_number(x, decimals=1)
    if unit == "km":
        return f"{format_number(x, decimals=1)}{NBSP}km"
    if unit == "count":
        return format_number(x, decimals=0)
    return format_number(x, decimals=0 if float(x).is_integer() else 2)


def format_change(x: Any, unit: str) -> str:
    """Format the change of a value of ``unit`` between two years, with its sign.

    A change of a ratio is in percentage points; amounts keep the cent; counts are whole.

    Examples
    --------
    >>> format_change(0.2376, "eur")
    '+0,24\\xa0€'
    >>> format_change(0.031, "ratio")
    '+3,1\\xa0pts'
    """
    if is_missing(x):
        return MISSING
    if unit == "ratio":
        return format_delta(x, unit="points", decimals=1)
    if unit == "eur":
        return format_delta(x, unit="eur", decimals=2)
    if unit == "hours":
        return format_delta(x, unit="hours", decimals=0 if float(x).is_integer() else 1)
    if unit in ("density", "km"):
        return format_delta(x, unit="number", decimals=1)
    return format_delta(x, unit="number", decimals=0 if float(x).is_integer() else 2)
