"""Read CSV and XLSX files the way volunteers really save them, as text.

Handles: ``;``, ``,`` or tab separators (sniffed); UTF-8 with or without BOM, or Windows-1252;
CRLF; headers padded with spaces; blank rows (ignored, never counted); title rows above the
header (the header is the first row naming a known column). Every value stays text here:
parsing numbers and dates is :mod:`relief_analytics.load.coerce`'s job. Each row keeps the
line number the user sees in their spreadsheet.

Nothing is lost silently: the CSV parser's records are checked against the file's physical lines.
A quote opened and never closed (which makes a CSV parser swallow the rest of the file into one
cell) and a row with more or fewer values than the header are *structural problems*: the line is
listed in :attr:`RawTable.problems` (line, rule) and parsing resumes on the next physical line.
Every non-blank line after the header is therefore either a row of the frame or a problem.
UTF-16 files stop with a French message asking for UTF-8.
"""

from __future__ import annotations

import csv
import datetime as dt
import html
import io
import re
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from relief_analytics.formatting import format_number
from relief_analytics.load.errors import DataError
from relief_analytics.load.headers import header_key, nearest_header, normalize_header

#: Largest input file read (bytes): a bigger one is refused before it is read.
MAX_FILE_BYTES = 200_000_000


def _allow_long_cells() -> None:
    """Let a cell be as long as the file (bounded by :data:`MAX_FILE_BYTES`).

    The csv module stops at 131 072 characters per field with an untranslated ``_csv.Error``;
    the file size is what bounds the work. (The limit is a setting of the csv module.)
    """
    if csv.field_size_limit() < MAX_FILE_BYTES:
        csv.field_size_limit(MAX_FILE_BYTES)

#: Largest sheet of a workbook, in cells of work (rows × columns, as declared or as streamed):
#: 4 194 304 cells, e.g. 41 943 rows of 100 columns. A bigger sheet is refused in bounded memory.
MAX_SHEET_CELLS = 4 * 1_048_576
#: Largest uncompressed size of one sheet's XML inside an XLSX (a zip bomb is refused unread).
MAX_SHEET_XML_BYTES = 1024 * 1024 * 1024

ENCODINGS = ("utf-8-sig", "cp1252")
DELIMITERS = (";", ",", "\t")
HEADER_SEARCH_ROWS = 10
#: Invisible format characters removed from every cell and header: zero-width space, word joiner,
#: BOM, left-to-right / right-to-left marks, embeddings, overrides and isolates. They are never
#: meant as data, break matching against the code lists and can disguise a text (RTL override).
#: The zero-width joiner (U+200D) is kept: emoji sequences need it.
INVISIBLE = dict.fromkeys(
    [0x200B, 0x2060, 0xFEFF, 0x200E, 0x200F, *range(0x202A, 0x202F), *range(0x2066, 0x206A)]
)


#: Column shown for a problem that concerns a whole line, not one cell.
WHOLE_LINE = "(ligne entière)"


@dataclass(frozen=True)
class RawTable:
    """A table as read from disk: text cells, original headers, spreadsheet line numbers.

    ``problems`` lists the lines that could not become a row (one dict per line with keys
    ``ligne``, ``colonne``, ``valeur``, ``regle``; never the line's content, which may be
    personal); ``notes`` are French statements about the file as a whole (e.g. only the first
    sheet of a workbook was read).
    """

    path: Path
    frame: pd.DataFrame  # one column per original header, values str or None
    line_numbers: list[int]  # line (CSV) or row (XLSX) number of each frame row, 1-based
    encoding: str | None = None
    delimiter: str | None = None
    problems: tuple[dict, ...] = ()
    notes: tuple[str, ...] = ()
    #: Lines kept after a repair (same keys as ``problems``): e.g. values rejoined after an
    #: unquoted separator; each is a warning, the row is in ``frame``.
    repairs: tuple[dict, ...] = ()
    #: Blank lines after the header (ignored, never rows).
    blank_count: int = 0
    #: Sheet read, for a workbook.
    sheet: str | None = None

    @property
    def read_count(self) -> int:
        """Data lines found after the header: rows of the frame plus lines listed as problems."""
        return len(self.frame) + len(self.problems)


_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


def utf16_message(path: Path) -> str:
    """French message for a file saved in UTF-16 (« Texte Unicode » in Excel)."""
    return (
        f"Fichier {path.name} : il est enregistré en UTF-16 (« Texte Unicode »), que l'outil ne lit pas. "
        f"Ouvrez-le dans votre tableur et enregistrez le fichier en UTF-8 (« CSV UTF-8 (délimité par "
        f"des points-virgules) » dans Excel, jeu de caractères « Unicode (UTF-8) » dans LibreOffice)."
    )


def decode_bytes(data: bytes, *, path: Path) -> tuple[str, str]:
    """Return ``(text, encoding)``: UTF-8 (BOM or not) first, then Windows-1252.

    Raises
    ------
    DataError
        For a UTF-16 file (byte-order mark, or NUL bytes that UTF-8 and Windows-1252 text never hold).
    """
    if data.startswith(_UTF16_BOMS) or b"\x00" in data[:4096]:
        raise DataError(utf16_message(path))
    for encoding in ENCODINGS:
        try:
            return data.decode(encoding), ("utf-8" if encoding == "utf-8-sig" else encoding)
        except UnicodeDecodeError:
            continue
    raise DataError(  # pragma: no cover - cp1252 decodes almost anything
        f"Fichier {path.name} : encodage non reconnu. Enregistrez-le en UTF-8 (CSV UTF-8)."
    )


def sniff_delimiter(text: str) -> str:
    """Pick the separator that splits the first non-blank lines most consistently."""
    lines = [line for line in text[:65536].splitlines() if line.strip()][:HEADER_SEARCH_ROWS]
    best, best_score = ";", -1
    for delim in DELIMITERS:
        counts = [len(next(csv.reader([line], delimiter=delim))) for line in lines]
        if not counts:
            continue
        # many columns on most lines wins
        score = sorted(counts)[len(counts) // 2] if max(counts) > 1 else 0
        if score > best_score:
            best, best_score = delim, score
    return best


def _is_blank(cells: Iterable[object]) -> bool:
    return all(c is None or str(c).strip() == "" for c in cells)


def _find_header(rows: list[list[str]], known_headers: set[str]) -> int:
    """Index (in ``rows``) of the header row: the first row naming a known column."""
    for i, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        names = {normalize_header(str(c).translate(INVISIBLE)) for c in row if c}
        if names & known_headers or {header_key(n) for n in names} & known_headers:
            return i
    for i, row in enumerate(rows):
        if not _is_blank(row):
            return i
    return 0


def _has_invisible(text: str) -> bool:
    """Whether ``text`` holds an :data:`INVISIBLE` character (a substring search each: faster than a
    character class over a whole file)."""
    return not text.isascii() and any(chr(c) in text for c in INVISIBLE)


def _clean(cell: object) -> str | None:
    """Cell text without surrounding spaces (NBSP included) nor invisible characters; ``None`` if empty."""
    if cell is None:
        return None
    text = str(cell).translate(INVISIBLE).strip()
    return text or None


#: An HTML entity (``&#8209;``, ``&amp;``, ``&#x2011;``) written in a cell.
_ENTITY_RE = re.compile(r"&(?:#\d{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
#: A cell that ends with an entity whose ``;`` was taken as a separator (``Jean&#8209``).
_ENTITY_CUT_RE = re.compile(r"&(?:#\d{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31})$")


def unescape_entities(text: str) -> str:
    """Replace HTML entities written with their ``;`` (``&#8209;`` → ``‑``); other ``&`` stay.

    >>> unescape_entities("Jean&#8209;Pierre &amp; Cie, R&D")
    'Jean‑Pierre & Cie, R&D'
    """
    return _ENTITY_RE.sub(lambda m: html.unescape(m.group(0)), text)


def rejoin_entity_cuts(cells: list[str], width: int, delimiter: str) -> tuple[list[str], list[str]] | None:
    """Rejoin values split by the ``;`` of an unquoted HTML entity, when that is unambiguous.

    Returns ``(cells, entities rejoined)``, or ``None`` when the number of cut entities does not
    account for the extra values (then the line is a problem, never shifted).

    >>> rejoin_entity_cuts(["1", "Jean&#8209", "Pierre", "x"], 3, ";")
    (['1', 'Jean&#8209;Pierre', 'x'], ['&#8209;'])
    >>> rejoin_entity_cuts(["1", "a", "b", "x"], 3, ";") is None
    True
    """
    excess = len(cells) - width
    if delimiter != ";" or excess <= 0:
        return None
    cuts = [i for i in range(len(cells) - 1) if _ENTITY_CUT_RE.search(cells[i])]
    if len(cuts) != excess:
        return None
    joined, entities = list(cells), []
    for i in reversed(cuts):
        entities.insert(0, _ENTITY_CUT_RE.search(joined[i]).group(0) + ";")
        joined[i : i + 2] = [joined[i] + ";" + joined[i + 1]]
    return joined, entities


def _count_fields(n: int) -> str:
    return f"{n} valeur" if n == 1 else f"{n} valeurs"


def _to_frame(
    path: Path, numbered_rows: list[tuple[int, list[str]]], known_headers: set[str], *, strict_width: bool,
    invisible: bool = True, delimiter: str | None = None, entities: bool = False, sparse: bool = False,
) -> tuple[pd.DataFrame, list[int], list[dict], list[str], list[dict], int]:
    """Header detection and row shaping.

    Returns ``(frame, line numbers, problems, notes, repairs, blank count)``.

    Values in a column without a header are not data the contract knows: they are ignored, and
    a note says which lines have some.

    A row with non-blank values beyond the header's width is a problem, unless the extra values
    come from HTML entities whose ``;`` cut a value (``&#8209;``): then the values are rejoined
    and the line is listed in ``repairs``. With ``strict_width`` (CSV), a row with fewer values
    than the header's named columns is a problem too (a sign of a wrong separator or a broken
    quote). XLSX rows always have the sheet's width. ``sparse`` rows (XLSX read without its
    empty rows) count the missing line numbers as blank lines.
    """
    rows = [cells for _, cells in numbered_rows]
    if not rows:
        raise DataError(f"Fichier {path.name} : le fichier est vide. Ajoutez une ligne d'en-tête.")
    h = _find_header(rows, known_headers)
    headers = [_clean(c) or "" for c in rows[h]]
    if entities:
        headers = [unescape_entities(hd) for hd in headers]
    width = len(headers)
    named_width = width
    while named_width > 0 and not headers[named_width - 1]:
        named_width -= 1  # trailing separators after the last header: empty columns, optional
    unnamed = [i for i, hd in enumerate(headers) if not hd]
    unnamed_lines: list[int] = []
    records, lines, problems, repairs = [], [], [], []
    blank = 0
    clean = _clean if invisible else _strip_cell
    for line, cells in numbered_rows[h + 1 :]:
        count = len(cells)
        if count == width and not entities:  # the usual row, in short
            record = [clean(c) for c in cells] if invisible else [c.strip() or None for c in cells]
            if any(record):
                records.append(record)
                lines.append(line)
            else:
                blank += 1  # blank row: ignored, never a row
            continue
        if count > width and entities and (
            joined := rejoin_entity_cuts(list(cells), max(width, named_width), delimiter or ";")
        ) is not None:
            cells, cut = joined
            repairs.append({
                "line_number": line, "column_name": WHOLE_LINE,
                "cell_value": f"{_count_fields(count)} au lieu de {named_width}",
                "rule": (
                    f"le « ; » de {', '.join(f'« {e} »' for e in cut)} (entité HTML sans guillemets) "
                    f"coupait une valeur : valeurs recollées, ligne gardée ; vérifiez-la"
                ),
            })
            count = len(cells)
        too_many = count > width and not _is_blank(cells[width:])
        record = [clean(c) for c in cells[:width]]
        if not too_many and not any(record):
            blank += 1
            continue  # blank row: ignored, never a row
        if too_many or (strict_width and count < named_width):
            problems.append({
                "line_number": line, "column_name": WHOLE_LINE,
                "cell_value": f"{_count_fields(count)} au lieu de {named_width}",
                "rule": (
                    f"{'trop' if count > width else 'pas assez'} de valeurs sur la ligne "
                    f"({count} pour {named_width} colonnes d'en-tête) : vérifiez le séparateur "
                    f"et les guillemets de cette ligne"
                ),
            })
            continue
        if entities:
            record = [unescape_entities(c) if c and "&" in c else c for c in record]
        record += [None] * (width - len(record))
        records.append(record)
        lines.append(line)
    if unnamed:
        unnamed_lines = [line for line, record in zip(lines, records, strict=True)
                         if any(record[i] is not None for i in unnamed)]
    if sparse and len(numbered_rows) > h + 1:
        blank += (numbered_rows[-1][0] - numbered_rows[h][0]) - (len(numbered_rows) - h - 1)
    notes = []
    if unnamed_lines:
        shown = ", ".join(str(n) for n in unnamed_lines[:5]) + (" …" if len(unnamed_lines) > 5 else "")
        columns = ", ".join(str(i + 1) for i in unnamed)
        where = "ligne" if len(unnamed_lines) == 1 else "lignes"
        notes.append(
            f"{path.name} : valeurs ignorées dans la colonne {columns}, qui n'a pas d'en-tête "
            f"({where} {shown}) : donnez un en-tête à la colonne ou videz-la."
        )
    unique = _unique_headers(path, headers, known_headers, notes)
    for header, original in zip(unique, headers, strict=True):
        near = nearest_header(header, known_headers) if header and header == original else None
        if near:
            notes.append(
                f"{path.name} : la colonne « {header} » ne correspond à aucune colonne connue ; "
                f"la plus proche est « {near} » : renommez l'en-tête si c'est elle (sinon la colonne "
                f"est ignorée)."
            )
    # blank headers get a placeholder name so the column can be reported, then ignored
    headers = [hd if hd else f"(colonne {i + 1} sans nom)" for i, hd in enumerate(unique)]
    frame = pd.DataFrame(records, columns=headers, dtype=object)
    return frame, lines, problems, notes, repairs, blank


def _strip_cell(cell: str) -> str | None:
    """:func:`_clean` of a CSV cell (always text) in a file without any invisible character."""
    return cell.strip() or None


def _unique_headers(path: Path, headers: list[str], known_headers: set[str], notes: list[str]) -> list[str]:
    """Headers made unique: a repeated header is renamed « X (2) » and said, never merged.

    When the repeated header names a contract column, the first column is the one read and the
    note says so (which column holds which value cannot be guessed: check the file).
    """
    seen: dict[str, int] = {}
    result = []
    for i, header in enumerate(headers):
        if not header:
            result.append(header)
            continue
        norm = normalize_header(header)
        if norm not in seen:
            seen[norm] = i
            result.append(header)
            continue
        first = seen[norm]
        n = 2
        while any(normalize_header(r) == normalize_header(f"{header} ({n})") for r in result):
            n += 1
        renamed = f"{header} ({n})"
        known = norm in known_headers or header_key(header) in known_headers
        notes.append(
            f"{path.name} : l'en-tête « {header} » apparaît deux fois (colonnes {first + 1} et {i + 1}) ; "
            + (f"la colonne {first + 1} est lue, la colonne {i + 1} est ignorée (nommée « {renamed} ») : "
               f"vérifiez laquelle porte la bonne valeur, et renommez l'autre." if known else
               f"la seconde est nommée « {renamed} ».")
        )
        result.append(renamed)
    return result


class _Lines:
    """Physical lines fed one by one to ``csv.reader``; ``pos`` can be moved back after a bad record."""

    def __init__(self, lines: list[str]) -> None:
        self.lines = lines
        self.pos = 0

    def __iter__(self) -> _Lines:
        return self

    def __next__(self) -> str:
        if self.pos >= len(self.lines):
            raise StopIteration
        self.pos += 1
        return self.lines[self.pos - 1]


def _row_like(line: str, delimiter: str, width: int) -> bool:
    """True when an embedded line looks like a whole row of the table (enough separators)."""
    return line.count(delimiter) >= max(1, (width - 1) // 2)


def _swallowed(cells: list[str], *, delimiter: str, width: int, at_end: bool) -> bool:
    """True when a multi-line record is really an unclosed quote that ate the following rows."""
    for cell in cells:
        if "\n" not in cell and "\r" not in cell:
            continue
        parts = re.split(r"\r\n|\n|\r", cell)
        if any(_row_like(part, delimiter, width) for part in parts[1:]):
            return True
        if at_end and (cell.endswith("\n") or cell.endswith("\r")):
            return True  # the quote was still open at the end of the file
    return False


def _open_at_end(record_text: str, delimiter: str) -> bool:
    """True when the last record of a file ends inside a quoted value (quote never closed)."""
    if '"' not in record_text:
        return False
    try:
        list(csv.reader(io.StringIO(record_text, newline=""), delimiter=delimiter, strict=True))
    except csv.Error as exc:
        return "unexpected end of data" in str(exc)
    return False


def _unclosed_quote_problem(start: int, end: int) -> dict:
    span = f"les lignes {start} à {end}" if end > start else f"la ligne {start}"
    return {
        "line_number": start, "column_name": WHOLE_LINE, "cell_value": 'guillemet « " » non fermé',
        "rule": (
            f"guillemet ouvert et jamais fermé : {span} auraient été lues comme une seule valeur ; "
            f"fermez le guillemet ou supprimez-le (la ligne est écartée, les suivantes sont lues)"
        ),
    }


def _physical_lines(text: str) -> int:
    """Lines of ``text`` as ``csv.reader`` counts them (``\\n``, ``\\r\\n`` or a lone ``\\r`` ends one)."""
    ends = text.count("\n") + text.count("\r") - text.count("\r\n")
    return ends + (1 if text and not text.endswith(("\n", "\r")) else 0)


def _last_line(text: str) -> str:
    """The last non-empty physical line of ``text``."""
    stripped = text.rstrip("\r\n")
    return stripped[max(stripped.rfind("\n"), stripped.rfind("\r")) + 1 :]


def _parse_fast(text: str, delimiter: str) -> list[tuple[int, list[str]]] | None:
    """Parse at C speed; ``None`` when a record looks like an unclosed quote (then parse with care)."""
    _allow_long_cells()
    records = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    if len(records) == _physical_lines(text):  # no record spans lines: record i is line i
        if records and _open_at_end(_last_line(text) + "\n", delimiter):
            return None  # the last line's quote is still open at the end of the file
        return list(zip(range(1, len(records) + 1), records, strict=True))
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    numbered: list[tuple[int, list[str]]] = []
    width = 0
    start = 1
    for cells in reader:
        end = reader.line_num
        if end > start and _swallowed(cells, delimiter=delimiter, width=width, at_end=False):
            return None
        if not width and len(cells) > 1:
            width = len(cells)
        numbered.append((start, cells))
        start = end + 1
    if numbered:
        last_start = numbered[-1][0]
        if start - 1 > last_start or _open_at_end(_last_line(text) + "\n", delimiter):
            return None  # the last record spans lines, or its quote is still open at the end
    return numbered


def parse_csv_records(text: str, delimiter: str) -> tuple[list[tuple[int, list[str]]], list[dict]]:
    """Split CSV ``text`` into ``(line number, cells)`` records, checked against physical lines.

    A record that spans several lines is legitimate (a quoted cell with a line break) unless one
    of its embedded lines looks like a row of its own: then the record is an unclosed quote. That
    line becomes a problem and parsing resumes at the next physical line, so the rows after it
    are read normally instead of being swallowed.
    """
    fast = _parse_fast(text, delimiter)
    if fast is not None:
        return fast, []
    source = _Lines(list(io.StringIO(text, newline="")))
    reader = csv.reader(source, delimiter=delimiter)
    numbered: list[tuple[int, list[str]]] = []
    problems: list[dict] = []
    width = 0
    while True:
        start = source.pos
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error:  # pragma: no cover - non-strict reader; kept as a safety net
            problems.append(_unclosed_quote_problem(start + 1, source.pos))
            source.pos = start + 1
            reader = csv.reader(source, delimiter=delimiter)
            continue
        at_end = source.pos >= len(source.lines)
        if (source.pos - start > 1 and _swallowed(cells, delimiter=delimiter, width=width, at_end=at_end)) or (
            at_end and _open_at_end("".join(source.lines[start:source.pos]), delimiter)
        ):
            problems.append(_unclosed_quote_problem(start + 1, source.pos))
            source.pos = start + 1
            continue
        if not width and len(cells) > 1:
            width = len(cells)
        numbered.append((start + 1, cells))
    return numbered, problems


def _size_message(path: Path, size: int) -> str:
    return (
        f"Fichier {path.name} : {format_number(size / 1_000_000, decimals=1)} Mo, au-delà de la limite de "
        f"{format_number(MAX_FILE_BYTES / 1_000_000, decimals=1)} Mo : le fichier n'est pas lu. Découpez-le "
        f"ou retirez les colonnes et feuilles inutiles."
    )


def read_file_bytes(path: Path) -> bytes:
    """Read a whole input file once (a French ``DataError`` when it cannot be read or is too big).

    A file larger than :data:`MAX_FILE_BYTES` is refused before it is read.
    """
    try:
        size = Path(path).stat().st_size
        if size > MAX_FILE_BYTES:
            raise DataError(_size_message(Path(path), size))
        return Path(path).read_bytes()
    except OSError as exc:
        raise DataError(f"Fichier {path} illisible : {exc.strerror}. Vérifiez le chemin.") from exc


def read_csv_text(path: Path, *, known_headers: set[str], data: bytes | None = None) -> RawTable:
    """Read a CSV file into a :class:`RawTable` (see module docstring for the quirks handled).

    ``data`` is the file's content when the caller has already read it (read once per build).
    """
    if data is None:
        data = read_file_bytes(path)
    if len(data) > MAX_FILE_BYTES:
        raise DataError(_size_message(Path(path), len(data)))
    text, encoding = decode_bytes(data, path=path)
    delimiter = sniff_delimiter(text)
    numbered, quote_problems = parse_csv_records(text, delimiter)
    frame, lines, problems, notes, repairs, blank = _to_frame(
        path, numbered, known_headers, strict_width=True, invisible=_has_invisible(text),
        delimiter=delimiter, entities=_ENTITY_RE.search(text) is not None,
    )
    problems = sorted(quote_problems + problems, key=lambda p: p["line_number"])
    return RawTable(
        path=path, frame=frame, line_numbers=lines, encoding=encoding, delimiter=delimiter,
        problems=tuple(problems), notes=tuple(notes), repairs=tuple(repairs), blank_count=blank,
    )


def _cell_text(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S") if value.time() != dt.time(0) else value.strftime("%Y-%m-%d")
    if isinstance(value, dt.date):
        return value.strftime("%Y-%m-%d")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, float):
        # a real number is never ambiguous: 1.234 must not read as a thousands group (issue #15)
        text = str(value)
        return text + "0" if re.fullmatch(r"-?[1-9]\d{0,2}\.\d{3}", text) else text
    return str(value)


class _SheetTooBig(Exception):
    def __init__(self, row: int, column: int) -> None:
        self.row, self.column = row, column


def _column_letters(column: int) -> str:
    letters = ""
    while column:
        column, rest = divmod(column - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _too_big_message(path: Path, sheet: str, rows: int, columns: int, *, declared: bool) -> str:
    what = "déclare" if declared else "contient"
    cell = f"{_column_letters(columns)}{rows}"
    return (
        f"Classeur {path.name}, feuille « {sheet} » : elle {what} des cellules jusqu'à {cell} "
        f"({_thousands(rows)} lignes × {_thousands(columns)} colonnes), au-delà de la limite de "
        f"{_thousands(MAX_SHEET_CELLS)} cellules : le classeur n'est pas lu. Supprimez les lignes et "
        f"colonnes vides après vos données (ou copiez les données dans un nouveau classeur), puis "
        f"réenregistrez-le."
    )


def _thousands(value: int) -> str:
    return format_number(value)


def _check_archive(path: Path, data: bytes) -> None:
    """Refuse a workbook whose sheets would be too big to parse, before openpyxl reads them."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            for info in archive.infolist():
                if info.filename.startswith("xl/worksheets/") and info.file_size > MAX_SHEET_XML_BYTES:
                    raise DataError(
                        f"Classeur {path.name} : une feuille ({info.filename.rsplit('/', 1)[-1]}) occupe "
                        f"{info.file_size // 1024 // 1024} Mo une fois décompressée, au-delà de la limite de "
                        f"{MAX_SHEET_XML_BYTES // 1024 // 1024} Mo : le classeur n'est pas lu."
                    )
    except zipfile.BadZipFile as exc:
        raise DataError(
            f"Classeur {path.name} illisible ({type(exc).__name__}). Ouvrez-le et réenregistrez-le au format .xlsx."
        ) from exc


def _stream_sheet(ws, *, max_rows: int | None = None):
    """``(row number, cell texts)`` of each non-blank row of a read-only sheet, in bounded work.

    Streams the sheet's XML without trusting its declared dimension and without filling the
    missing rows; raises :class:`_SheetTooBig` as soon as rows × columns seen exceed
    :data:`MAX_SHEET_CELLS`.
    """
    from openpyxl.worksheet._reader import WorkSheetParser

    workbook = ws.parent
    max_width = 0
    with ws._get_source() as source:
        parser = WorkSheetParser(source, ws._shared_strings, data_only=workbook.data_only,
                                 epoch=workbook.epoch, date_formats=workbook._date_formats,
                                 timedelta_formats=workbook._timedelta_formats)
        for row_number, cells in parser.parse():
            if max_rows is not None and row_number > max_rows:
                return
            if not cells:
                continue
            width = max(cell["column"] for cell in cells)
            max_width = max(max_width, width)
            if row_number * max_width > MAX_SHEET_CELLS:
                raise _SheetTooBig(row_number, max_width)
            values: list[str | None] = [None] * width
            for cell in cells:
                values[cell["column"] - 1] = _cell_text(cell["value"])
            if not _is_blank(values):
                yield row_number, values


def _damaged(path: Path, sheet: str, exc: Exception) -> DataError:
    return DataError(
        f"Classeur {path.name} : la feuille « {sheet} » est endommagée ({type(exc).__name__}) et ne peut "
        f"pas être lue. Ouvrez le classeur dans votre tableur et réenregistrez-le au format .xlsx."
    )


def _names_known_header(rows: list[tuple[int, list[str | None]]], known_headers: set[str]) -> bool:
    for _, cells in rows:
        names = {normalize_header(str(c).translate(INVISIBLE)) for c in cells if c}
        if names & known_headers or {header_key(n) for n in names} & known_headers:
            return True
    return False


def read_xlsx_text(
    path: Path, *, known_headers: set[str], sheet: str | None = None, data: bytes | None = None
) -> RawTable:
    """Read the named sheet of an XLSX workbook, else the first sheet that holds the expected columns.

    With several sheets and no ``sheet`` named, each sheet's first rows are searched for a known
    header (a ``Meta_…`` metadata sheet often comes first); a note says which sheet was read.
    Work is bounded: the file's size, each sheet's uncompressed size and its cells (declared or
    streamed) are checked against :data:`MAX_FILE_BYTES`, :data:`MAX_SHEET_XML_BYTES` and
    :data:`MAX_SHEET_CELLS`.

    Raises
    ------
    DataError
        Unreadable or damaged workbook or sheet, unknown sheet name, too big (French message).
    """
    from openpyxl import load_workbook

    if data is None:
        data = read_file_bytes(path)
    if len(data) > MAX_FILE_BYTES:
        raise DataError(_size_message(Path(path), len(data)))
    _check_archive(path, data)
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a damaged file
        raise DataError(
            f"Classeur {path.name} illisible ({type(exc).__name__}). Ouvrez-le et réenregistrez-le au format .xlsx."
        ) from exc
    notes: list[str] = []
    try:
        names = list(workbook.sheetnames)
        if sheet is not None:
            chosen = next((n for n in names if n == sheet), None) or next(
                (n for n in names if normalize_header(n) == normalize_header(sheet)), None)
            if chosen is None:
                raise DataError(
                    f"Classeur {path.name} : pas de feuille « {sheet} ». Feuilles du classeur : "
                    + ", ".join(f"« {n} »" for n in names) + "."
                )
        else:
            chosen = names[0] if names else None
            if len(names) > 1:
                for name in names:
                    try:
                        head = list(_stream_sheet(workbook[name], max_rows=4 * HEADER_SEARCH_ROWS))
                    except _SheetTooBig:
                        head = []
                    except Exception:  # a damaged sheet that is not the data sheet is only skipped
                        head = []
                    if _names_known_header(head[:HEADER_SEARCH_ROWS], known_headers):
                        chosen = name
                        break
                others = ", ".join(f"« {n} »" for n in names if n != chosen)
                notes.append(
                    f"{path.name} : le classeur a {len(names)} feuilles ; seule la première (« {chosen} ») "
                    f"est lue, pas {others}." if chosen == names[0] else
                    f"{path.name} : le classeur a {len(names)} feuilles ; la feuille « {chosen} » est lue "
                    f"(la première qui porte les colonnes attendues), pas {others}. Pour en lire une "
                    f"autre, nommez-la (option --feuille)."
                )
        if chosen is None:
            raise DataError(f"Classeur {path.name} : aucune feuille.")
        ws = workbook[chosen]
        declared_rows, declared_columns = ws.max_row or 0, ws.max_column or 0
        if declared_rows * declared_columns > MAX_SHEET_CELLS:
            raise DataError(_too_big_message(path, chosen, declared_rows, declared_columns, declared=True))
        try:
            numbered = list(_stream_sheet(ws))
        except _SheetTooBig as big:
            raise DataError(_too_big_message(path, chosen, big.row, big.column, declared=False)) from None
        except DataError:
            raise
        except Exception as exc:  # damaged XML inside a valid zip: many exception types
            raise _damaged(path, chosen, exc) from exc
    finally:
        workbook.close()
    if not numbered:
        numbered = [(1, [])]
    sheet_width = max(len(cells) for _, cells in numbered)  # rows have the sheet's width, as in a tableur
    numbered = [(n, cells + [None] * (sheet_width - len(cells))) for n, cells in numbered]
    entities = any("&" in c for _, cells in numbered for c in cells if c)
    frame, lines, problems, more_notes, repairs, blank = _to_frame(
        path, numbered, known_headers, strict_width=False, entities=entities, sparse=True,
    )
    return RawTable(
        path=path, frame=frame, line_numbers=lines, problems=tuple(problems),
        notes=tuple(notes + more_notes), repairs=tuple(repairs), blank_count=blank, sheet=chosen,
    )


def read_text_table(
    path: Path, *, known_headers: set[str], data: bytes | None = None, sheet: str | None = None
) -> RawTable:
    """Read a ``.csv``/``.txt`` or ``.xlsx`` file as text; other extensions are refused.

    ``data`` is the file's content when the caller has already read it (read once per build);
    ``sheet`` names the sheet of a workbook to read (else it is searched, see :func:`read_xlsx_text`).
    """
    path = Path(path)
    if data is None and not path.is_file():
        raise DataError(f"Fichier introuvable : {path}. Vérifiez son nom dans config.toml, section [fichiers].")
    suffix = path.suffix.lower()
    if suffix in (".csv", ".txt", ".tsv"):
        return read_csv_text(path, known_headers=known_headers, data=data)
    if suffix in (".xlsx", ".xlsm"):
        return read_xlsx_text(path, known_headers=known_headers, data=data, sheet=sheet)
    raise DataError(
        f"Fichier {path.name} : format « {suffix} » non pris en charge. Enregistrez-le en CSV ou en XLSX."
    )
