"""Small helpers to build imported rows as text, in the formats the loaders read back."""

from __future__ import annotations

import functools
import math

import pandas as pd

from relief_analytics.load.coerce import PARSERS, CellError, column_upper_bound
from relief_analytics.load.coerce import code_key as _code_key
from relief_analytics.load.validate import two_digit_year_rule


@functools.lru_cache(maxsize=1 << 16)
def code_key(text: str) -> str:
    """Cached :func:`relief_analytics.load.coerce.code_key` (national tables repeat values a lot)."""
    return _code_key(text)


def text_or_none(value: object) -> str | None:
    """Stripped text, or ``None`` for a missing / blank value."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    text = str(value).strip()
    return text or None


def format_decimal(value: float | None) -> str | None:
    """``12.5`` → ``"12,5"`` (French decimal comma, as the loaders read it)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    return (f"{value:.6f}".rstrip("0").rstrip(".")).replace(".", ",")


def format_amount(value: float) -> str:
    """``10`` → ``"10,00"``."""
    return f"{value:.2f}".replace(".", ",")


def format_datetime(value: pd.Timestamp | None) -> str | None:
    """``dd/mm/yyyy HH:MM`` (or ``dd/mm/yyyy`` at midnight)."""
    if value is None or pd.isna(value):
        return None
    if value.hour == 0 and value.minute == 0:
        return value.strftime("%d/%m/%Y")
    return value.strftime("%d/%m/%Y %H:%M")


def format_date(value: pd.Timestamp | None) -> str | None:
    """``dd/mm/yyyy``."""
    if value is None or pd.isna(value):
        return None
    return value.strftime("%d/%m/%Y")


def parse_or_issue(kind: str, text: str | None, add_issue, *, upper: float | None = None) -> object:
    """Parse ``text`` with the loader's parser of ``kind``; on failure call ``add_issue(rule)``.

    ``upper`` is the column's maximum, for numbers (``45.764`` is a latitude, not 45 764).
    """
    if text is None:
        return None
    try:
        if upper is not None and kind in ("decimal", "integer"):
            return PARSERS[kind](text, upper=upper)
        return PARSERS[kind](text)
    except CellError as exc:
        add_issue(str(exc))
        return None


def match_code(value: str, allowed: list[str]) -> str | None:
    """The value of ``allowed`` equal to ``value`` ignoring case, accents and spacing."""
    return _keyed(tuple(allowed)).get(code_key(value))


@functools.lru_cache(maxsize=64)
def _keyed(allowed: tuple[str, ...]) -> dict[str, str]:
    return {code_key(v): v for v in allowed}


@functools.lru_cache(maxsize=256)
def french_header(table: str, name: str) -> str:
    """The French header of contract column ``name`` of ``table`` (``name`` itself if unknown).

    >>> french_header("lieux", "commune_name"), french_header("lieux", "carte")
    ('commune', 'carte')
    """
    from relief_analytics.schemas import TABLES, column_specs

    spec = column_specs(TABLES[table]).get(name) if table in TABLES else None
    return spec["header"] if spec else name


class RowReader:
    """Reads the cells of one source row and collects its problems (French rules).

    ``header_of`` maps a contract column name to the header in the source file, so that issues
    name the column as the user sees it.
    """

    def __init__(self, record: dict, *, table: str, file_name: str, line: int,
                 header_of: dict[str, str], labels: dict[str, str] | None = None, years: range | None = None):
        self.record = record
        #: Years a two-digit year may be read in (config.toml); outside them the date is listed.
        self.years = years
        self.labels = labels or header_of
        self.table = table
        self.file_name = file_name
        self.line = line
        self.header_of = header_of
        self.issues: list[dict] = []
        self.rejected = False

    def cell(self, name: str) -> str | None:
        """Text of column ``name`` (a contract name), ``None`` if absent or blank."""
        header = self.header_of.get(name)
        return text_or_none(self.record.get(header)) if header else None

    def issue(self, name: str, value: object, rule: str, *, reject: bool = False) -> None:
        """Record a problem of column ``name``; ``reject`` marks the row as not imported."""
        self.rejected = self.rejected or reject
        self.issues.append({
            "table": self.table, "file_name": self.file_name, "line_number": self.line,
            "column_name": self.labels.get(name) or french_header(self.table, name),
            "cell_value": "" if value is None else str(value),
            "rule": rule,
        })

    def parse(self, name: str, kind: str, *, reject: bool = False, suffix: str = "") -> object:
        """Parsed value of column ``name`` (``None`` if blank or invalid; invalid is recorded)."""
        text = self.cell(name)
        value = parse_or_issue(kind, text, lambda rule: self.issue(name, text, rule + suffix, reject=reject),
                               upper=column_upper_bound(self.table, name))
        if kind in ("date", "datetime") and value is not None and self.years is not None:
            rule = two_digit_year_rule(text, value.year, self.years)
            if rule is not None:  # « 01/01/69 » is not silently 1969
                self.issue(name, text, rule + suffix, reject=reject)
                return None
        return value
