"""Checks of written files shared by the fuzzer: no live formula, no script, no remote load."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

#: A cell a spreadsheet would run: starts (after blanks) with = + - @ or a control character,
#: and is not a plain number (negative numbers stay numbers).
_FORMULA = re.compile(r"^[\s]*[=+\-@\uff1d\uff0b\uff0d\uff20\t\r]")
_NUMBER = re.compile(r"^\s*[-+]?\d+([.,]\d+)?([eE][-+]?\d+)?\s*$")
_REMOTE = re.compile(r"""(src|href|srcset|data|action|poster)\s*=\s*["']?\s*(https?:|//|javascript:)"""
                     r"""|url\(\s*["']?\s*(https?:|//)|<script(?![^>]*type=["']?application/(json|vnd))""",
                     re.IGNORECASE)


def is_live_formula(value: object) -> bool:
    """True for a text cell a spreadsheet would evaluate."""
    return isinstance(value, str) and bool(_FORMULA.match(value)) and not _NUMBER.match(value)


def _cells_of(path: Path):
    if path.suffix == ".csv":
        text = path.read_text(encoding="utf-8-sig")
        delimiter = ";" if text.count(";") >= text.count(",") else ","
        for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter):
            yield from row
    elif path.suffix == ".xlsx":
        import openpyxl

        workbook = openpyxl.load_workbook(path)
        for sheet in workbook.worksheets:
            for row in sheet.iter_rows():
                for cell in row:
                    if cell.data_type == "f" or is_live_formula(cell.value):
                        yield cell.value if isinstance(cell.value, str) else f"={cell.value}"
    elif path.suffix in (".geojson", ".json"):
        def walk(node):
            if isinstance(node, dict):
                for value in node.values():
                    yield from walk(value)
            elif isinstance(node, list):
                for value in node:
                    yield from walk(value)
            else:
                yield node
        yield from walk(json.loads(path.read_text(encoding="utf-8")))


def assert_no_live_formula_in_folder(folder: Path) -> None:
    """Every CSV, XLSX and GeoJSON cell under ``folder`` is inert in a spreadsheet."""
    for path in sorted(folder.rglob("*")):
        if path.suffix in (".csv", ".xlsx", ".geojson") and path.is_file():
            live = [v for v in _cells_of(path) if is_live_formula(v)]
            assert not live, f"{path.name} : formule active {live[:3]}"


def assert_no_remote_load_in_folder(folder: Path) -> None:
    """No HTML or Markdown under ``folder`` loads a remote resource or runs a non-embedded script."""
    for path in sorted(folder.rglob("*")):
        if path.suffix in (".html", ".md") and path.is_file():
            match = _REMOTE.search(path.read_text(encoding="utf-8"))
            assert not match, f"{path.name} : chargement distant ou script {match.group(0)!r}"
