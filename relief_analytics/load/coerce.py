"""Parse text cells into typed values, one column kind at a time.

Each parser takes a text value (never ``None``) and returns the parsed value, or raises
:class:`CellError` whose message is the French rule the value broke.
"""

from __future__ import annotations

import datetime as dt
import re

import pandas as pd

from relief_analytics.schemas import KIND_LABELS_FR
from relief_analytics.text import code_key, strip_accents  # noqa: F401 - code_key re-exported


class CellError(ValueError):
    """A value that does not fit its column's kind; ``str(exc)`` is the French rule."""


_SPACES = re.compile(r"[\s\u00a0\u202f']")
_FREE_WORDS = {"gratuit", "gratuite", "offert"}


def parse_decimal(text: str) -> float:
    """``"1 234,50 €"`` → 1234.5; ``"Gratuit"`` → 0.0; ``"1.234,5"`` → 1234.5.

    >>> parse_decimal("5,00")
    5.0
    """
    raw = text.strip()
    if raw.lower() in _FREE_WORDS:
        return 0.0
    s = _SPACES.sub("", raw.replace("€", "").replace("EUR", ""))
    if "," in s and "." in s:
        # the last separator is the decimal one
        s = s.replace(".", "").replace(",", ".") if s.rfind(",") > s.rfind(".") else s.replace(",", "")
    else:
        s = s.replace(",", ".")
    try:
        value = float(s)
    except ValueError:
        raise CellError("nombre attendu (ex. 12,50)") from None
    if value != value or value in (float("inf"), float("-inf")):
        raise CellError("nombre attendu (ex. 12,50)")
    return value


def parse_integer(text: str) -> int:
    """``"2 021"`` → 2021; ``"12,0"`` → 12; ``"12,5"`` is refused."""
    try:
        value = parse_decimal(text)
    except CellError:
        raise CellError("nombre entier attendu") from None
    if not value.is_integer():
        raise CellError("nombre entier attendu")
    return int(value)


_DATE_FORMATS = ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y", "%d/%m/%y")
_TIME_FORMATS = ("%H:%M", "%H:%M:%S", "%Hh%M", "%Hh")


def parse_datetime(text: str) -> pd.Timestamp:
    """Dates ``dd/mm/yyyy`` or ISO, with an optional time ``HH:MM[:SS]``.

    >>> parse_datetime("14/03/2024 18:30")
    Timestamp('2024-03-14 18:30:00')
    """
    s = text.strip().replace("T", " ")
    s = re.sub(r"(\+\d\d:?\d\d|Z)$", "", s).strip()
    date_part, _, time_part = s.partition(" ")
    time_part = time_part.strip()
    for date_fmt in _DATE_FORMATS:
        for time_fmt in ("",) + _TIME_FORMATS if time_part else ("",):
            fmt = f"{date_fmt} {time_fmt}".strip()
            value = f"{date_part} {time_part}".strip() if time_fmt else date_part
            if time_part and not time_fmt:
                continue
            try:
                return pd.Timestamp(dt.datetime.strptime(value, fmt))
            except ValueError:
                continue
    raise CellError("date attendue au format jj/mm/aaaa (ex. 14/03/2024), éventuellement suivie de HH:MM")


def parse_date(text: str) -> pd.Timestamp:
    """A date (a time part, if any, is dropped)."""
    try:
        return parse_datetime(text).normalize()
    except CellError:
        raise CellError("date attendue au format jj/mm/aaaa (ex. 14/03/2024)") from None


_TRUE = {"oui", "o", "vrai", "true", "yes", "y", "1", "x"}
_FALSE = {"non", "n", "faux", "false", "no", "0"}


def parse_boolean(text: str) -> bool:
    """``oui``/``non`` (and vrai/faux, 1/0, x)."""
    s = strip_accents(text).strip().lower()
    if s in _TRUE:
        return True
    if s in _FALSE:
        return False
    raise CellError("« oui » ou « non » attendu")


def _as_code(text: str) -> str:
    s = text.strip().upper().replace(" ", "")
    if re.fullmatch(r"\d+\.0+", s):  # a number that went through a spreadsheet
        s = s.split(".")[0]
    return s


def parse_insee_code(text: str) -> str:
    """INSEE commune code; a lost leading zero is restored (``1053`` → ``01053``)."""
    s = _as_code(text)
    if re.fullmatch(r"\d{4}", s):
        s = "0" + s
    if not re.fullmatch(r"\d{5}|2[AB]\d{3}", s):
        raise CellError("code INSEE attendu sur 5 caractères (ex. 01053)")
    return s


def parse_postal_code(text: str) -> str:
    """French postal code; a lost leading zero is restored (``1000`` → ``01000``)."""
    s = _as_code(text)
    if re.fullmatch(r"\d{4}", s):
        s = "0" + s
    if not re.fullmatch(r"\d{5}", s):
        raise CellError("code postal attendu sur 5 chiffres (ex. 69003)")
    return s


def parse_multi(text: str) -> str:
    """Values separated by ``|`` or ``;``, returned ``|``-joined without blanks."""
    parts = [p.strip() for p in re.split(r"[|;]", text)]
    return "|".join(p for p in parts if p)


PARSERS = {
    "text": lambda s: s.strip(),
    "integer": parse_integer,
    "decimal": parse_decimal,
    "date": parse_date,
    "datetime": parse_datetime,
    "boolean": parse_boolean,
    "insee_code": parse_insee_code,
    "postal_code": parse_postal_code,
    "multi": parse_multi,
}

#: pandas dtype of each kind in processed tables.
DTYPES = {
    "text": "object",
    "integer": "Int64",
    "decimal": "float64",
    "date": "datetime64[ns]",
    "datetime": "datetime64[ns]",
    "boolean": "boolean",
    "insee_code": "object",
    "postal_code": "object",
    "multi": "object",
}

assert set(PARSERS) == set(DTYPES) == set(KIND_LABELS_FR)
