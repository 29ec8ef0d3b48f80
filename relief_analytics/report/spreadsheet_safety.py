"""Keep spreadsheet cells inert: a text typed by a user never becomes a formula (OWASP CSV injection).

Excel and LibreOffice evaluate a cell that starts with ``=``, ``+``, ``-`` or ``@`` (and some
read a leading tab or carriage return the same way). Every text cell the tool writes to a CSV meant
for a spreadsheet gets a leading apostrophe (:func:`neutralise_cell`), which spreadsheet programs
show as text; XLSX cells are typed as strings instead (:mod:`relief_analytics.report.xlsx`).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

#: First characters that make a spreadsheet program read a cell as a formula.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def is_formula_like(value: object) -> bool:
    """True for a text a spreadsheet program could evaluate.

    >>> is_formula_like("=1+1"), is_formula_like("@SUM(A1)"), is_formula_like("Région"), is_formula_like(-3)
    (True, True, False, False)
    """
    return isinstance(value, str) and value.startswith(FORMULA_PREFIXES)


def neutralise_cell(value: object) -> object:
    """Return ``value`` with a leading ``'`` when it is a formula-like text; other values unchanged.

    >>> neutralise_cell("=1+1"), neutralise_cell("-5"), neutralise_cell("Région"), neutralise_cell(12.5)
    ("'=1+1", "'-5", 'Région', 12.5)
    """
    return "'" + value if is_formula_like(value) else value


def neutralise_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` whose text cells and headers are neutralised (same grain as ``frame``)."""
    out = frame.copy()
    for column in out.columns:
        if out[column].dtype == object or pd.api.types.is_string_dtype(out[column]):
            out[column] = out[column].map(neutralise_cell)
    out.columns = [neutralise_cell(str(c)) for c in out.columns]
    return out


def write_excel_csv(frame: pd.DataFrame, path: Path) -> Path:
    """Write ``frame`` as a CSV for Excel FR (``;``, UTF-8 with BOM), every text cell inert."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    neutralise_frame(frame).to_csv(path, sep=";", index=False, encoding="utf-8-sig")
    return path
