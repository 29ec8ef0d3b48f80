"""Helpers of the end-to-end tests: raw-file reading (independent of the package), checksums, PDF text,
and what a reader sees in an HTML report (tiles, captioned tables, French numbers)."""

from __future__ import annotations

import csv
import hashlib
import io
import re
import subprocess
from pathlib import Path

from bs4 import BeautifulSoup

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


SPACES = str.maketrans({"\u202f": " ", "\u00a0": " "})


def fr_number(text: str) -> float:
    """``12 208,00 €`` → 12208.0; ``4 513 h`` → 4513.0; ``8 %`` → 8.0."""
    cleaned = re.sub(r"[^\d,\-]", "", text.translate(SPACES).replace(" ", ""))
    return float(cleaned.replace(",", "."))


def tiles(page: BeautifulSoup) -> dict[str, str]:
    """The key-figure tiles of a page: label → value as printed."""
    return {
        tile.select_one(".libelle").get_text(): tile.select_one(".valeur").get_text()
        for tile in page.select(".chiffre-cle")
    }


def html_table(page: BeautifulSoup, caption_start: str) -> list[dict[str, str]]:
    """The rows of the table whose caption starts with ``caption_start``, as header → cell text."""
    for table in page.select("table"):
        caption = table.find("caption")
        if caption and caption.get_text().startswith(caption_start):
            headers = [th.get_text() for th in table.select("thead th")]
            return [dict(zip(headers, [td.get_text() for td in tr.select("td")], strict=True))
                    for tr in table.select("tbody tr")]
    raise AssertionError(f"no table captioned {caption_start!r}")
