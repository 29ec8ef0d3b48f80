"""Write report tables to an Excel workbook a treasurer can open and re-use directly.

One sheet per table; bold header row, frozen and filterable; column widths fitted to the content.
Tables come with their English column names: the number format follows each column's unit
(:func:`relief_analytics.indicators.units.unit_of`: ``_eur`` euros, ratios as Excel percentages,
counts as integers), and the French header is applied here, at the output boundary.
Excel shows the French separators itself (``1 234,50 €``) from the number format codes below.
Every text cell is stored as a string, never as a formula, even when it starts with ``=``
(OWASP CSV injection: see :mod:`relief_analytics.safety`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from relief_analytics.indicators.labels import french_label
from relief_analytics.indicators.units import unit_of
from relief_analytics.safety import make_workbook_inert

EURO_FORMAT = '#,##0.00 "€"'
DATE_FORMAT = "dd/mm/yyyy"
INTEGER_FORMAT = "#,##0"
DECIMAL_FORMAT = "#,##0.00"
PERCENT_FORMAT = "0.0 %"  # ratios stay ratios (0.153): Excel shows 15,3 %
YEAR_FORMAT = "0"  # 2025, not "2 025"

MAX_SHEET_NAME = 31
MAX_COLUMN_WIDTH = 60
_FORBIDDEN_IN_SHEET_NAME = re.compile(r"[\[\]:*?/\\]")
HEADER_FILL = PatternFill("solid", fgColor="DCE6EC")


def write_workbook(tables: Mapping[str, pd.DataFrame], path: Path) -> Path:
    """Write ``tables`` (sheet name -> table with English column names) to ``path``; return it.

    The index of each frame is not written: give the tables their columns explicitly.

    Examples
    --------
    >>> import tempfile
    >>> frame = pd.DataFrame({"account_code": ["606"], "realised_eur": [1234.5]})
    >>> out = write_workbook({"Budget": frame}, Path(tempfile.mkdtemp()) / "t.xlsx")
    >>> out.name
    't.xlsx'
    """
    workbook = Workbook()
    workbook.remove(workbook.active)
    used_names: set[str] = set()
    for sheet_name, frame in tables.items():
        sheet = workbook.create_sheet(_unique_sheet_name(sheet_name, used_names))
        _write_sheet(sheet, frame)
    if not workbook.sheetnames:
        workbook.create_sheet("Vide")
    make_workbook_inert(workbook)  # headers, sheet cells: a text never becomes a formula
    path.parent.mkdir(parents=True, exist_ok=True)
    workbook.save(path)
    return path


def number_format_for(column: str, series: pd.Series) -> str | None:
    """Return the Excel number format of a column from its unit and dtype (``None``: general).

    Examples
    --------
    >>> number_format_for("gap_ratio", pd.Series([0.15]))
    '0.0 %'
    """
    if pd.api.types.is_datetime64_any_dtype(series):
        return DATE_FORMAT
    if pd.api.types.is_bool_dtype(series) or not pd.api.types.is_numeric_dtype(series):
        return None
    unit = unit_of(str(column))
    if unit == "year":
        return YEAR_FORMAT
    if unit == "eur":
        return EURO_FORMAT
    if unit == "ratio":
        return PERCENT_FORMAT
    if unit == "count" or pd.api.types.is_integer_dtype(series):
        return INTEGER_FORMAT
    return DECIMAL_FORMAT


def _header(column: str) -> str:
    try:
        return french_label(column)
    except KeyError:
        return column


def _write_sheet(sheet, frame: pd.DataFrame) -> None:
    headers = [_header(str(column)) for column in frame.columns]
    sheet.append(headers)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(vertical="top", wrap_text=True)
    for row in frame.itertuples(index=False, name=None):
        sheet.append([_cell_value(value) for value in row])

    for index, (header, column) in enumerate(frame.items(), start=1):
        letter = get_column_letter(index)
        number_format = number_format_for(str(header), column)
        if number_format:
            for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
                cell.number_format = number_format
        sheet.column_dimensions[letter].width = _column_width(
            _header(str(header)), column, number_format)

    sheet.freeze_panes = "A2"
    if len(frame.columns):
        sheet.auto_filter.ref = f"A1:{get_column_letter(len(frame.columns))}{len(frame) + 1}"


def _cell_value(value):
    if value is None or value is pd.NaT:
        return None
    try:
        if pd.isna(value):
            return None
    except (TypeError, ValueError):
        pass
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime().replace(tzinfo=None)
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    return value


def _column_width(header: str, column: pd.Series, number_format: str | None) -> float:
    if number_format == DATE_FORMAT:
        content = 10
    elif number_format:
        longest = column.dropna().abs().max() if len(column.dropna()) else 0
        content = len(f"{longest:,.2f}") + 3
    else:
        lengths = column.dropna().astype(str).str.len()
        content = int(lengths.max()) if len(lengths) else 0
    header_width = max((len(word) for word in header.split()), default=0)
    return float(min(MAX_COLUMN_WIDTH, max(content, header_width, len(header) * 0.8, 8) + 2))


def _unique_sheet_name(name: str, used: set[str]) -> str:
    base = _FORBIDDEN_IN_SHEET_NAME.sub(" ", str(name)).strip().strip("'") or "Feuille"
    base = base[:MAX_SHEET_NAME]
    candidate, counter = base, 2
    while candidate.lower() in used:
        suffix = f" ({counter})"
        candidate = base[: MAX_SHEET_NAME - len(suffix)] + suffix
        counter += 1
    used.add(candidate.lower())
    return candidate
