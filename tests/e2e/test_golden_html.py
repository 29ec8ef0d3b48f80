"""Golden test of the rendered reports: every number a reader sees in each HTML output.

The numbers of the visible text of each HTML file (scripts and styles left out, dates in words
left out since a report states the day it was produced) and the values drawn by each figure
(``y``, ``z``, ``values`` of every plotly trace) are compared with
``tests/context/golden/html/<report>.txt``. It reuses the e2e ``built`` fixture (one full build).
To accept an intended change, regenerate and review the diff::

    UPDATE_GOLDEN=1 python -m pytest -p no:cacheprovider -m slow tests/e2e/test_golden_html.py
"""

from __future__ import annotations

import base64
import re
import sys
from html.parser import HTMLParser
from pathlib import Path

import numpy as np
import pytest
from e2e_helpers import plotly_figures

sys.path.insert(0, str(Path(__file__).parents[1] / "context"))
from golden_canon import GOLDEN_DIR, compare_with_golden  # noqa: E402

pytestmark = pytest.mark.slow

_MONTHS = ("janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|novembre|décembre")
_DATE = re.compile(rf"\b\d{{1,2}}(?:er)? (?:{_MONTHS}) \d{{4}}\b")
_NUMBER = re.compile(r"[-−]?\d{1,3}(?:[\u202f\u00a0 ]\d{3})+(?:,\d+)?|[-−]?\d+(?:,\d+)?")


class _VisibleText(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self._skip += 1

    def handle_endtag(self, tag):
        if tag in ("script", "style") and self._skip:
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)


def text_numbers(html: str) -> list[str]:
    """Every number of the visible text, in reading order (French dates in words removed).

    >>> text_numbers("<p>Le 1er mars 2025 : 1 234,50 € et 12 %</p><script>var x = 9;</script>")
    ['1 234,50', '12']
    """
    parser = _VisibleText()
    parser.feed(html)
    text = _DATE.sub(" ", " ".join(parser.parts))
    return [n.replace("\u202f", " ").replace("\u00a0", " ") for n in _NUMBER.findall(text)]


def _values(array) -> list:
    if isinstance(array, dict) and "bdata" in array:
        array = np.frombuffer(base64.b64decode(array["bdata"]), dtype=array["dtype"]).tolist()
    return [f"{v:.10g}" if isinstance(v, float) else str(v) for v in np.ravel(np.asarray(array, dtype=object))]


def figure_lines(html: str) -> list[str]:
    """One line per drawn array: figure number, trace number, key, values."""
    lines = []
    for f, figure in enumerate(plotly_figures(html)):
        for t, trace in enumerate(figure["data"]):
            for key in ("y", "z", "values"):
                if key in trace:
                    lines.append(f"figure {f} trace {t} {trace.get('type', '')} {key}: "
                                 + " ".join(_values(trace[key])))
    return lines


def html_texts(built: Path) -> dict[str, str]:
    texts = {}
    for path in sorted(built.glob("*.html")):
        html = path.read_text(encoding="utf-8")
        name = path.stem.rsplit("_", 1)[0]
        texts[f"{name}.txt"] = "\n".join(["# text numbers", *text_numbers(html),
                                          "# figures", *figure_lines(html)]) + "\n"
    return texts


def test_every_number_of_the_html_reports_matches_golden_files(built):
    texts = html_texts(built)
    assert len(texts) >= 5, sorted(texts)
    problems = compare_with_golden(texts, GOLDEN_DIR / "html")
    assert not problems, "\n".join(problems)


def test_the_year_public_tables_are_written_beside_the_reports(built, personal_values):
    import json

    donnees = built / "donnees"
    header = (donnees / "lieux_by_departement.csv").read_text(encoding="utf-8-sig").splitlines()[0]
    assert header == "Département;Nom du département;Population;Lieux;Lieux pour 100 000 hab.;Lieux adhérents"
    facts = json.loads((donnees / "facts.json").read_text(encoding="utf-8"))
    golden_facts = (GOLDEN_DIR / "context" / "facts.txt").read_text(encoding="utf-8")
    assert f"open_lieux_count = {facts['open_lieux_count']}\n" in golden_facts
    assert not (donnees / "issues.csv").exists() and not (donnees / "unvalidated_orders.csv").exists()
    text = "\n".join(p.read_text(encoding="utf-8-sig") for p in donnees.glob("*.csv"))
    assert sorted(v for v in personal_values if v in text) == []
