"""Helpers of the end-to-end tests: raw-file reading (independent of the package), checksums, PDF text."""

from __future__ import annotations

import csv
import hashlib
import io
import re
import subprocess
from pathlib import Path

from relief_analytics import paths

YEAR = 2025
SAMPLE = paths.SAMPLE_DATASET_DIR


def read_raw(name: str, encoding: str = "utf-8-sig") -> list[dict[str, str]]:
    text = (SAMPLE / name).read_text(encoding=encoding)
    delimiter = ";" if text.splitlines()[0].count(";") > text.splitlines()[0].count(",") else ","
    rows = list(csv.DictReader(io.StringIO(text), delimiter=delimiter))
    return [{k.strip(): (v or "").strip() for k, v in row.items()} for row in rows if any((v or "").strip() for v in row.values())]


def number(text: str) -> float:
    return 0.0 if text in ("", "Gratuit") else float(text.replace(" ", "").replace(",", "."))


def pdf_text(path: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout


def checksums(folder: Path) -> dict[str, str]:
    """sha256 of every file of ``folder``, by name."""
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir()) if p.is_file()}


def plotly_figures(html: str) -> list[dict]:
    """Every ``Plotly.newPlot(id, data, layout…)`` of a page, as ``{"data": …, "layout": …}``."""
    import json

    decoder = json.JSONDecoder()
    figures = []
    for match in re.finditer(r"Plotly\.newPlot\(\s*\"[^\"]+\",\s*", html):
        data, end = decoder.raw_decode(html, match.end())
        rest = re.match(r",\s*", html[end:])
        layout, _ = decoder.raw_decode(html, end + rest.end())
        figures.append({"data": data, "layout": layout})
    return figures
