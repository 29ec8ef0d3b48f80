"""Output safety shared by every writer: no formula in a spreadsheet cell, web links only.

Imports no layer of the package (like :mod:`relief_analytics.formatting`), so the loaders, the
exports, the templates and the report builder all use the same rules.

Spreadsheet cells (OWASP « CSV injection »)
    Excel and LibreOffice evaluate a cell that starts with ``=``, ``+``, ``-`` or ``@``, and some
    read a leading tab, carriage return or line feed the same way. Some also accept the full-width
    (``＝ ＋ － ＠``) and small-form variants, or spaces before the sign. Every text the tool writes
    to a CSV or GeoJSON meant for a spreadsheet gets a leading apostrophe when it could run
    (:func:`neutralise_cell`), which spreadsheet programs show as text; in an XLSX the cell is typed
    as a string with Excel's « quote prefix » (:func:`make_workbook_inert`), so even editing the cell
    does not turn it into a formula. Numbers are never touched: ``-3`` stays a number.

Web links
    A link written in a table (``site_web``) must be a web address: ``http://`` or ``https://``
    followed by a host (:data:`WEB_URL_PATTERN`). ``javascript:``, ``data:``, ``file:``,
    ``vbscript:``… are refused at load, whatever their case, spaces or HTML entities.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

#: First characters that make a spreadsheet program read a cell as a formula (after optional
#: leading spaces for the signs). Full-width and small-form variants included.
FORMULA_SIGNS = ("=", "+", "-", "@", "＝", "＋", "－", "＠", "﹦", "﹢", "﹣", "﹫")

#: Control characters that start a formula (or hide one) in some spreadsheet programs.
FORMULA_CONTROLS = ("\t", "\r", "\n")

#: Kept for the writers that imported the former name.
FORMULA_PREFIXES = FORMULA_SIGNS + FORMULA_CONTROLS

#: The only links accepted in a table: http(s), a host, no space anywhere.
WEB_URL_PATTERN = r"^(?i:https?)://[^\s/?#@\\]+(?:[/?#][^\s]*)?$"

#: French rule shown when a link is not a web address (issue list, ``relief valider``).
WEB_URL_RULE = (
    "adresse web attendue, commençant par http:// ou https://, par exemple https://exemple.org ; "
    "les liens javascript:, data:, file:… sont refusés"
)

#: How the data dictionary names the rule (instead of the pattern itself).
WEB_URL_LABEL = "adresse web commençant par `http://` ou `https://`"

_WEB_URL_RE = re.compile(WEB_URL_PATTERN)


def is_formula_like(value: object) -> bool:
    """True for a text a spreadsheet program could evaluate.

    >>> is_formula_like("=1+1"), is_formula_like("  @SUM(A1)"), is_formula_like("＝1"), is_formula_like(-3)
    (True, True, True, False)
    >>> is_formula_like("Région"), is_formula_like("a=b"), is_formula_like("\\nx")
    (False, False, True)
    """
    if not isinstance(value, str) or not value:
        return False
    return value.startswith(FORMULA_CONTROLS) or value.lstrip().startswith(FORMULA_SIGNS)


def neutralise_cell(value: object) -> object:
    """Return ``value`` with a leading ``'`` when it is a formula-like text; other values unchanged.

    >>> neutralise_cell("=1+1"), neutralise_cell("-5"), neutralise_cell("Région"), neutralise_cell(-12.5)
    ("'=1+1", "'-5", 'Région', -12.5)
    """
    return "'" + value if is_formula_like(value) else value


def neutralise_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` whose text cells and headers are neutralised (same grain as ``frame``).

    Numeric, boolean and date columns are left as they are: a negative number stays a number.
    """
    out = frame.copy()
    for column in out.columns:
        values = out[column]
        if isinstance(values.dtype, pd.CategoricalDtype):
            values = values.astype(object)
        if values.dtype == object or pd.api.types.is_string_dtype(values):
            out[column] = values.map(neutralise_cell)
    out.columns = [neutralise_cell(str(c)) for c in out.columns]
    return out


def write_excel_csv(frame: pd.DataFrame, path: Path) -> Path:
    """Write ``frame`` as a CSV for Excel FR (``;``, UTF-8 with BOM, CRLF), every text cell inert.

    Lines end with CRLF (RFC 4180), so a cell holding a lone carriage return is quoted and can
    never start a new row (a new row would begin with whatever follows it, unneutralised).
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    neutralise_frame(frame).to_csv(path, sep=";", index=False, encoding="utf-8-sig", lineterminator="\r\n")
    return path


def csv_line(cells: list[str], *, delimiter: str = ",") -> str:
    r"""One CSV record (RFC 4180 quoting), ``\n``-terminated, from cells already turned into text.

    A cell is quoted when it holds the delimiter, a double quote, a line feed **or a carriage
    return** (the :mod:`csv` module leaves a lone CR unquoted when lines end with LF, and readers
    then start a new row there).

    >>> print(csv_line(["L1", "a,b", "x\ry", "-4.5"]).encode())
    b'L1,"a,b","x\ry",-4.5\n'
    >>> csv_line(['a"b'])
    '"a""b"\n'
    """
    special = (delimiter, '"', "\n", "\r")
    quoted = ['"' + c.replace('"', '""') + '"' if any(s in c for s in special) else c for c in cells]
    return delimiter.join(quoted) + "\n"


def make_workbook_inert(workbook) -> int:
    """Type every formula-like text cell of every sheet of an openpyxl ``workbook`` as text.

    openpyxl stores a value starting with ``=`` as a formula: such cells (and any formula cell)
    become string cells with Excel's quote prefix, shown as typed and never computed, even after
    the cell is edited. Numbers, dates and other texts are untouched. Returns how many cells
    were changed. Call it just before ``workbook.save``.
    """
    changed = 0
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.data_type == "f" or is_formula_like(cell.value):
                    cell.value = str(cell.value)
                    cell.data_type = "s"
                    cell.quotePrefix = True
                    changed += 1
    return changed


def is_web_url(value: object) -> bool:
    """True for an ``http``/``https`` address with a host and no space.

    >>> [is_web_url(v) for v in ["https://exemple.org/a?b=1", "HTTP://x.fr", "javascript:alert(1)",
    ...                          " https://x.fr", "data:text/html,x", "//x.fr", "https://"]]
    [True, True, False, False, False, False, False]
    """
    return isinstance(value, str) and _WEB_URL_RE.match(value) is not None


#: URL schemes a browser printing a report may load: the page and what it embeds. Every other
#: request (``http``, ``https``, ``ws``, ``ftp``…) is to be refused by the printer
#: (:func:`is_local_request`), so a link typed by a user can never make the build download.
LOCAL_REQUEST_SCHEMES = frozenset({"file", "data", "blob", "about"})


def is_local_request(url: str) -> bool:
    """Whether a request of the PDF printer stays on this computer (the printer refuses the others).

    For the report printer (e.g. DevTools ``Fetch.requestPaused``: continue when True, fail
    with ``BlockedByClient`` otherwise).

    >>> [is_local_request(u) for u in ["file:///tmp/r.html", "data:image/png;base64,AA", "about:blank",
    ...                                "https://exemple.org/pixel.gif", "//exemple.org/x", "ws://x"]]
    [True, True, True, False, False, False]
    """
    match = re.match(r"^\s*([A-Za-z][A-Za-z0-9+.\-]*):", url or "")
    return match is not None and match.group(1).lower() in LOCAL_REQUEST_SCHEMES
