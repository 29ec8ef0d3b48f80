"""Read CSV and XLSX files the way volunteers really save them, as text.

Handles: ``;``, ``,`` or tab separators (sniffed); UTF-8 with or without BOM, or Windows-1252;
CRLF; headers padded with spaces; blank rows (ignored, never counted); title rows above the
header (the header is the first row naming a known column). Every value stays text here:
parsing numbers and dates is :mod:`relief_analytics.load.coerce`'s job. Each row keeps the
line number the user sees in their spreadsheet.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from relief_analytics.load.errors import DataError
from relief_analytics.load.headers import normalize_header

ENCODINGS = ("utf-8-sig", "cp1252")
DELIMITERS = (";", ",", "\t")
HEADER_SEARCH_ROWS = 10


@dataclass(frozen=True)
class RawTable:
    """A table as read from disk: text cells, original headers, spreadsheet line numbers."""

    path: Path
    frame: pd.DataFrame  # one column per original header, values str or None
    line_numbers: list[int]  # line (CSV) or row (XLSX) number of each frame row, 1-based
    encoding: str | None = None
    delimiter: str | None = None


def decode_bytes(data: bytes, *, path: Path) -> tuple[str, str]:
    """Return ``(text, encoding)``: UTF-8 (BOM or not) first, then Windows-1252."""
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
    lines = [line for line in text.splitlines() if line.strip()][:HEADER_SEARCH_ROWS]
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
        names = {normalize_header(c) for c in row if c}
        if names & known_headers:
            return i
    for i, row in enumerate(rows):
        if not _is_blank(row):
            return i
    return 0


def _to_frame(
    path: Path, numbered_rows: list[tuple[int, list[str]]], known_headers: set[str]
) -> tuple[pd.DataFrame, list[int]]:
    rows = [cells for _, cells in numbered_rows]
    if not rows:
        raise DataError(f"Fichier {path.name} : le fichier est vide. Ajoutez une ligne d'en-tête.")
    h = _find_header(rows, known_headers)
    headers = [(c or "").strip() for c in rows[h]]
    width = len(headers)
    records, lines = [], []
    for line, cells in numbered_rows[h + 1 :]:
        if _is_blank(cells):
            continue
        cells = list(cells) + [None] * (width - len(cells))
        extra = cells[width:]
        if not _is_blank(extra):
            raise DataError(
                f"Fichier {path.name}, ligne {line} : plus de valeurs ({len(cells)}) que de colonnes "
                f"d'en-tête ({width}). Vérifiez le séparateur ou les guillemets de cette ligne."
            )
        records.append([None if c is None or str(c).strip() == "" else str(c).strip() for c in cells[:width]])
        lines.append(line)
    # blank headers get a placeholder name so the column can be reported, then ignored
    headers = [hd if hd else f"(colonne {i + 1} sans nom)" for i, hd in enumerate(headers)]
    frame = pd.DataFrame(records, columns=headers, dtype=object)
    return frame, lines


def read_csv_text(path: Path, *, known_headers: set[str]) -> RawTable:
    """Read a CSV file into a :class:`RawTable` (see module docstring for the quirks handled)."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise DataError(f"Fichier {path} illisible : {exc.strerror}. Vérifiez le chemin.") from exc
    text, encoding = decode_bytes(data, path=path)
    delimiter = sniff_delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    numbered: list[tuple[int, list[str]]] = []
    start = 1
    try:
        for cells in reader:
            numbered.append((start, cells))
            start = reader.line_num + 1
    except csv.Error as exc:
        raise DataError(
            f"Fichier {path.name}, ligne {reader.line_num} : CSV mal formé ({exc}). "
            f"Vérifiez les guillemets de cette ligne."
        ) from exc
    frame, lines = _to_frame(path, numbered, known_headers)
    return RawTable(path=path, frame=frame, line_numbers=lines, encoding=encoding, delimiter=delimiter)


def _cell_text(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S") if value.time() != dt.time(0) else value.strftime("%Y-%m-%d")
    if isinstance(value, dt.date):
        return value.strftime("%Y-%m-%d")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def read_xlsx_text(path: Path, *, known_headers: set[str], sheet: str | None = None) -> RawTable:
    """Read the first (or named) sheet of an XLSX workbook into a :class:`RawTable`."""
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a damaged file
        raise DataError(
            f"Classeur {path.name} illisible ({type(exc).__name__}). Ouvrez-le et réenregistrez-le au format .xlsx."
        ) from exc
    try:
        ws = workbook[sheet] if sheet else workbook.worksheets[0]
        numbered = [
            (i, [_cell_text(v) for v in row])
            for i, row in enumerate(ws.iter_rows(values_only=True), start=1)
        ]
    finally:
        workbook.close()
    frame, lines = _to_frame(path, numbered, known_headers)
    return RawTable(path=path, frame=frame, line_numbers=lines)


def read_text_table(path: Path, *, known_headers: set[str]) -> RawTable:
    """Read a ``.csv``/``.txt`` or ``.xlsx`` file as text; other extensions are refused."""
    path = Path(path)
    if not path.is_file():
        raise DataError(f"Fichier introuvable : {path}. Vérifiez son nom dans config.toml, section [fichiers].")
    suffix = path.suffix.lower()
    if suffix in (".csv", ".txt", ".tsv"):
        return read_csv_text(path, known_headers=known_headers)
    if suffix in (".xlsx", ".xlsm"):
        return read_xlsx_text(path, known_headers=known_headers)
    raise DataError(
        f"Fichier {path.name} : format « {suffix} » non pris en charge. Enregistrez-le en CSV ou en XLSX."
    )
