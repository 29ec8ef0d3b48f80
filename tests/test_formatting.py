"""French formatting: exact strings, including babel's spaces.

NNBSP (U+202F, narrow no-break space) separates thousands; NBSP (U+00A0) precedes a unit.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from relief_analytics.formatting import (
    format_date,
    format_delta,
    format_eur,
    format_hours,
    format_month,
    format_number,
    format_percent,
    month_names_fr,
)

NNBSP = "\u202f"
NBSP = "\u00a0"


@pytest.mark.parametrize(
    ("value", "kwargs", "expected"),
    [
        (1234.5, {}, f"1{NNBSP}234,50{NBSP}€"),
        (1234.5, {"decimals": 0}, f"1{NNBSP}235{NBSP}€"),  # half up, not banker's rounding
        (2.675, {}, f"2,68{NBSP}€"),  # the decimal written, not the binary float 2.67499…
        (0, {}, f"0,00{NBSP}€"),
        (-5, {}, f"-5,00{NBSP}€"),
        (1234567.891, {}, f"1{NNBSP}234{NNBSP}567,89{NBSP}€"),
    ],
)
def test_format_eur(value, kwargs, expected):
    assert format_eur(value, **kwargs) == expected


@pytest.mark.parametrize("missing", [None, np.nan, pd.NA, pd.NaT, float("nan")])
def test_missing_values_are_an_em_dash(missing):
    for formatter in (format_eur, format_number, format_percent, format_hours, format_date,
                      format_month):
        assert formatter(missing) == "—"
    assert format_delta(missing, unit="eur") == "—"


def test_format_number():
    assert format_number(1234567) == f"1{NNBSP}234{NNBSP}567"
    assert format_number(1234.56, decimals=1) == f"1{NNBSP}234,6"
    assert format_number(2.5) == "3"
    assert format_number(-0.4) == "0"  # no negative zero
    assert format_number(999) == "999"


def test_format_percent_takes_a_ratio():
    assert format_percent(0.153) == f"15{NBSP}%"
    assert format_percent(0.153, decimals=1) == f"15,3{NBSP}%"
    assert format_percent(1) == f"100{NBSP}%"
    assert format_percent(12.5) == f"1{NNBSP}250{NBSP}%"


def test_format_hours():
    assert format_hours(1234) == f"1{NNBSP}234{NBSP}h"
    assert format_hours(12.5, decimals=1) == f"12,5{NBSP}h"


def test_format_date():
    assert format_date(dt.date(2024, 3, 14)) == "14 mars 2024"
    assert format_date(pd.Timestamp("2024-12-25 18:30")) == "25 décembre 2024"
    assert format_date(dt.datetime(2024, 8, 1, 9, 0)) == "1er août 2024"
    assert format_date("2025-02-03") == "3 février 2025"


def test_months():
    assert month_names_fr() == [
        "janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
        "octobre", "novembre", "décembre",
    ]
    assert format_month(3) == "mars"
    assert format_month(pd.Timestamp("2024-08-10")) == "août"
    assert format_month(dt.date(2024, 12, 1)) == "décembre"
    with pytest.raises(ValueError):
        format_month(13)


@pytest.mark.parametrize(
    ("value", "unit", "expected"),
    [
        (1234.5, "eur", f"+1{NNBSP}234,50{NBSP}€"),
        (-600, "eur", f"-600,00{NBSP}€"),
        (0, "eur", f"0,00{NBSP}€"),
        (-0.12, "percent", f"-12{NBSP}%"),
        (0.004, "percent", f"0{NBSP}%"),  # rounds to zero: no sign
        (3, "number", "+3"),
        (-3, "number", "-3"),
        (12, "hours", f"+12{NBSP}h"),
        (0.031, "points", f"+3{NBSP}pts"),
        (-0.01, "points", f"-1{NBSP}pt"),
    ],
)
def test_format_delta(value, unit, expected):
    assert format_delta(value, unit=unit) == expected


def test_format_delta_decimals_and_unknown_unit():
    assert format_delta(0.1534, unit="percent", decimals=1) == f"+15,3{NBSP}%"
    with pytest.raises(ValueError, match="unknown unit"):
        format_delta(1, unit="kg")
