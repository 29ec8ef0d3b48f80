"""The fuzzer's hostile strings and mutations of a dataset folder (see ``test_fuzz.py``).

A :class:`Mutation` is plain data, so that hypothesis prints a failing example as something a
developer can read and replay: the file, the row, the column and the value.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path

#: Personal values that must never be printed verbatim (fictitious; any column, any table).
CANARIES = ("jeanne.canari@example.org", "06 12 34 56 78", "0612345678", "+33 6 98 76 54 32")

#: Strings a hostile or clumsy user puts in a cell: formulas, markup, remote loads, spreadsheet
#: errors, ambiguous numbers, dates, personal values, separators and control characters.
HOSTILE = (
    '=HYPERLINK("http://pisteur.example/x","clic")', "=1+1", "@SUM(A1:A2)", "+1+1", "-1+1",
    "\t=1+1", "\r=1+1", " =1+1", "＝1+1", "=cmd|' /C calc'!A0",
    "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "javascript:alert(1)",
    "JAVASCRIPT:alert(1)", " javascript:alert(1)", "data:text/html,<script>alert(1)</script>",
    "![pixel](http://pisteur.example/p.png)", "<img src='http://pisteur.example/p.png'>",
    "<iframe src='http://pisteur.example/'></iframe>", "[lien](javascript:alert(1))",
    "#REF!", "#N/A", "#VALUE!", "#DIV/0!", "#NOM?", "Err:502",
    "1.500", "1,500", "1.234,50", "1 234,50", "-22565", "-0", "1e308", "NaN", "inf", "0x1F",
    "01/01/69", "31/02/2025", "2025-13-01", "00/00/0000", "9999",
    *CANARIES, "Jeanne Canari 06 12 34 56 78",
    "&#8209;x;y", "a;b;c", "a,b,c", '"non fermé', "\x00", "\u202e", "\ufeff", "Ünïcödé ✓ 😀",
    "", " ", "None", "null", "../../etc/passwd", "{{7*7}}", "${jndi:ldap://x}", "x" * 5000,
)


@dataclass(frozen=True)
class Mutation:
    """One change to one file of a dataset folder."""

    kind: str
    file: str
    row: int = 0
    column: int = 0
    value: str = ""


def _read_table(path: Path) -> tuple[list[list[str]], str, str, bytes]:
    from relief_analytics.load.read import decode_bytes, sniff_delimiter

    data = path.read_bytes()
    text, encoding = decode_bytes(data, path=path)
    delimiter = sniff_delimiter(text)
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    bom = b"\xef\xbb\xbf" if data.startswith(b"\xef\xbb\xbf") else b""
    return rows, delimiter, encoding, bom


def _write_table(path: Path, rows, delimiter: str, encoding: str, bom: bytes) -> None:
    out = io.StringIO(newline="")
    csv.writer(out, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    path.write_bytes(bom + out.getvalue().encode(encoding, errors="replace"))


def apply_mutation(folder: Path, mutation: Mutation) -> str:
    """Apply ``mutation`` to the file it names in ``folder`` (a private copy of a dataset).

    Returns the ``config.toml`` section of a mutated configuration value (``""`` otherwise).
    """
    path = folder / mutation.file
    if mutation.kind in ("byte_flip", "truncate"):
        data = bytearray(path.read_bytes())
        if not data:
            return
        position = mutation.row % len(data)
        if mutation.kind == "byte_flip":
            data[position] ^= mutation.column
        else:
            del data[position:]
        path.write_bytes(bytes(data))
        return ""
    if mutation.kind == "append_text":
        path.write_text(path.read_text(encoding="utf-8") + "\n\n" + mutation.value + "\n", encoding="utf-8")
        return ""
    if mutation.kind == "config_value":
        lines = path.read_text(encoding="utf-8").splitlines()
        assignments = [i for i, line in enumerate(lines) if re.match(r"^\s*[\w\"-]+\s*=", line)]
        index = assignments[mutation.row % len(assignments)]
        key = lines[index].split("=", 1)[0]
        value = mutation.value.replace("\\", "\\\\").replace('"', '\\"')
        value = "".join(ch if ch.isprintable() else f"\\u{ord(ch):04x}" for ch in value)
        lines[index] = f'{key}= "{value}"'
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        sections = [line.strip()[1:-1] for line in lines[:index] if re.match(r"^\s*\[[^\]]+\]\s*$", line)]
        return sections[-1] if sections else ""
    if mutation.kind == "encoding":
        rows, delimiter, _, _ = _read_table(path)
        _write_table(path, rows, delimiter, mutation.value, b"")
        return ""
    rows, delimiter, encoding, bom = _read_table(path)
    header, body = rows[0], rows[1:]
    column = mutation.column % max(len(header), 1)
    if mutation.kind == "duplicate_header":
        header[column] = header[(column + 1) % len(header)]
    elif mutation.kind == "missing_header":
        for row in rows:
            if len(row) > column:
                del row[column]
    elif mutation.kind == "blank_header":
        header[column] = ""
    elif body:
        row = body[mutation.row % len(body)]
        if mutation.kind == "cell":
            while len(row) <= column:
                row.append("")
            row[column] = mutation.value
        elif mutation.kind == "huge_cell" and row:
            row[column % len(row)] = "x" * 2_000_000
        elif mutation.kind == "extra_field":
            row.insert(column % (len(row) + 1), "décalé")
        elif mutation.kind == "missing_field" and row:
            del row[column % len(row)]
    _write_table(path, rows, delimiter, encoding, bom)
    return ""
