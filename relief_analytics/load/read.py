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
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from relief_analytics.load.errors import DataError
from relief_analytics.load.headers import normalize_header

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
        if names & known_headers:
            return i
    for i, row in enumerate(rows):
        if not _is_blank(row):
            return i
    return 0


_INVISIBLE_RE = re.compile("[" + "".join(chr(c) for c in INVISIBLE) + "]")


def _clean(cell: object) -> str | None:
    """Cell text without surrounding spaces (NBSP included) nor invisible characters; ``None`` if empty."""
    if cell is None:
        return None
    text = str(cell).translate(INVISIBLE).strip()
    return text or None


def _count_fields(n: int) -> str:
    return f"{n} valeur" if n == 1 else f"{n} valeurs"


def _to_frame(
    path: Path, numbered_rows: list[tuple[int, list[str]]], known_headers: set[str], *, strict_width: bool,
    invisible: bool = True,
) -> tuple[pd.DataFrame, list[int], list[dict], list[str]]:
    """Header detection and row shaping; returns ``(frame, line numbers, problems, notes)``.

    Values in a column without a header are not data the contract knows: they are ignored, and
    a note says which lines have some.

    A row with non-blank values beyond the header's width is a problem; with ``strict_width``
    (CSV), so is a row with fewer values than the header's named columns (a sign of a wrong
    separator or a broken quote). XLSX rows always have the sheet's width.
    """
    rows = [cells for _, cells in numbered_rows]
    if not rows:
        raise DataError(f"Fichier {path.name} : le fichier est vide. Ajoutez une ligne d'en-tête.")
    h = _find_header(rows, known_headers)
    headers = [_clean(c) or "" for c in rows[h]]
    width = len(headers)
    named_width = width
    while named_width > 0 and not headers[named_width - 1]:
        named_width -= 1  # trailing separators after the last header: empty columns, optional
    unnamed = [i for i, hd in enumerate(headers) if not hd]
    unnamed_lines: list[int] = []
    records, lines, problems = [], [], []
    for line, cells in numbered_rows[h + 1 :]:
        count = len(cells)
        too_many = count > width and not _is_blank(cells[width:])
        if invisible:
            record = [_clean(c) for c in cells[:width]]
        else:  # CSV cells are str: same result as _clean without a call per cell (no invisible character)
            record = [c.strip() or None for c in cells[:width]]
        if not too_many and not any(record):
            continue  # blank row: ignored, never counted
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
        record += [None] * (width - len(record))
        if unnamed and any(record[i] is not None for i in unnamed):
            unnamed_lines.append(line)
        records.append(record)
        lines.append(line)
    notes = []
    if unnamed_lines:
        shown = ", ".join(str(n) for n in unnamed_lines[:5]) + (" …" if len(unnamed_lines) > 5 else "")
        columns = ", ".join(str(i + 1) for i in unnamed)
        where = "ligne" if len(unnamed_lines) == 1 else "lignes"
        notes.append(
            f"{path.name} : valeurs ignorées dans la colonne {columns}, qui n'a pas d'en-tête "
            f"({where} {shown}) : donnez un en-tête à la colonne ou videz-la."
        )
    # blank headers get a placeholder name so the column can be reported, then ignored
    headers = [hd if hd else f"(colonne {i + 1} sans nom)" for i, hd in enumerate(headers)]
    frame = pd.DataFrame(records, columns=headers, dtype=object)
    return frame, lines, problems, notes


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


def _parse_fast(text: str, delimiter: str) -> list[tuple[int, list[str]]] | None:
    """Parse at C speed; ``None`` when a record looks like an unclosed quote (then parse with care)."""
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
        stripped = text.rstrip("\r\n")
        tail = stripped[max(stripped.rfind("\n"), stripped.rfind("\r")) + 1 :]
        if start - 1 > last_start or _open_at_end(tail + "\n", delimiter):
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


def read_file_bytes(path: Path) -> bytes:
    """Read a whole input file once (a French ``DataError`` when it cannot be read)."""
    try:
        return Path(path).read_bytes()
    except OSError as exc:
        raise DataError(f"Fichier {path} illisible : {exc.strerror}. Vérifiez le chemin.") from exc


def read_csv_text(path: Path, *, known_headers: set[str], data: bytes | None = None) -> RawTable:
    """Read a CSV file into a :class:`RawTable` (see module docstring for the quirks handled).

    ``data`` is the file's content when the caller has already read it (read once per build).
    """
    if data is None:
        data = read_file_bytes(path)
    text, encoding = decode_bytes(data, path=path)
    delimiter = sniff_delimiter(text)
    numbered, quote_problems = parse_csv_records(text, delimiter)
    frame, lines, problems, notes = _to_frame(
        path, numbered, known_headers, strict_width=True, invisible=_INVISIBLE_RE.search(text) is not None
    )
    problems = sorted(quote_problems + problems, key=lambda p: p["line_number"])
    return RawTable(
        path=path, frame=frame, line_numbers=lines, encoding=encoding, delimiter=delimiter,
        problems=tuple(problems), notes=tuple(notes),
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


def read_xlsx_text(
    path: Path, *, known_headers: set[str], sheet: str | None = None, data: bytes | None = None
) -> RawTable:
    """Read the first (or named) sheet of an XLSX workbook into a :class:`RawTable`."""
    import io

    from openpyxl import load_workbook

    if data is None:
        data = read_file_bytes(path)
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a damaged file
        raise DataError(
            f"Classeur {path.name} illisible ({type(exc).__name__}). Ouvrez-le et réenregistrez-le au format .xlsx."
        ) from exc
    notes: list[str] = []
    try:
        ws = workbook[sheet] if sheet else workbook.worksheets[0]
        if not sheet and len(workbook.sheetnames) > 1:
            others = ", ".join(f"« {name} »" for name in workbook.sheetnames[1:])
            notes.append(
                f"{path.name} : le classeur a {len(workbook.sheetnames)} feuilles ; seule la première "
                f"(« {ws.title} ») est lue, pas {others}."
            )
        numbered = [
            (i, [_cell_text(v) for v in row])
            for i, row in enumerate(ws.iter_rows(values_only=True), start=1)
        ]
    finally:
        workbook.close()
    frame, lines, problems, more_notes = _to_frame(path, numbered, known_headers, strict_width=False)
    return RawTable(
        path=path, frame=frame, line_numbers=lines, problems=tuple(problems), notes=tuple(notes + more_notes)
    )


def read_text_table(path: Path, *, known_headers: set[str], data: bytes | None = None) -> RawTable:
    """Read a ``.csv``/``.txt`` or ``.xlsx`` file as text; other extensions are refused.

    ``data`` is the file's content when the caller has already read it (read once per build).
    """
    path = Path(path)
    if data is None and not path.is_file():
        raise DataError(f"Fichier introuvable : {path}. Vérifiez son nom dans config.toml, section [fichiers].")
    suffix = path.suffix.lower()
    if suffix in (".csv", ".txt", ".tsv"):
        return read_csv_text(path, known_headers=known_headers, data=data)
    if suffix in (".xlsx", ".xlsm"):
        return read_xlsx_text(path, known_headers=known_headers, data=data)
    raise DataError(
        f"Fichier {path.name} : format « {suffix} » non pris en charge. Enregistrez-le en CSV ou en XLSX."
    )
