"""Private helpers shared by the indicator modules: dtypes by naming convention, year ranges."""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

#: Label of a missing category (département, statut…) in every indicator table.
NOT_PROVIDED = "Non renseigné"

_INT_SUFFIXES = ("_count", "_year")
_FLOAT_SUFFIXES = ("_eur", "_hours", "_ratio", "_rate", "_share")
_FLOAT_NAMES = ("hours", "value", "previous_value", "change")


def column_dtype(name: str) -> str:
    """Return the dtype a column of an indicator table has, from its name.

    ``year``, ``month`` and ``*_count`` / ``*_year`` are nullable integers (``Int64``);
    ``hours``, ``value``, ``previous_value``, ``change``, ``*_eur``, ``*_hours``, ``*_ratio``,
    ``*_rate`` and ``*_share`` are ``float64`` (missing = NaN); ``is_*`` are nullable booleans; everything else is text (``str``).
    """
    if name in ("year", "month") or name.endswith(_INT_SUFFIXES):
        return "Int64"
    if name in _FLOAT_NAMES or name.endswith(_FLOAT_SUFFIXES):
        return "float64"
    if name.startswith("is_"):
        return "boolean"
    return "str"


def finalise(frame: pd.DataFrame) -> pd.DataFrame:
    """Cast every column to its conventional dtype and reset the index (0…n-1)."""
    out = frame.reset_index(drop=True)
    return out.astype({name: column_dtype(name) for name in out.columns})


def year_range(
    years: Iterable[int], *, first_year: int | None, last_year: int | None
) -> list[int]:
    """Years from ``first_year`` (default: first year in the data) to ``last_year`` included."""
    present = sorted({int(y) for y in years if not pd.isna(y)})
    first = first_year if first_year is not None else (present[0] if present else None)
    last = last_year if last_year is not None else (present[-1] if present else None)
    if first is None or last is None:
        return []
    return list(range(int(first), int(last) + 1))


def category_order(observed: Iterable[str], preferred: Iterable[str] | None) -> list[str]:
    """Listed values first (in list order, even when absent), then other observed ones sorted.

    ``NOT_PROVIDED`` always comes last.
    """
    observed = {str(v) for v in observed if not pd.isna(v)}
    listed = list(dict.fromkeys(preferred or []))
    others = sorted(observed - set(listed) - {NOT_PROVIDED})
    tail = [NOT_PROVIDED] if NOT_PROVIDED in observed and NOT_PROVIDED not in listed else []
    return listed + others + tail
