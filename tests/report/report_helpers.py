"""Helpers of the report tests: tiny notebooks written with nbformat, offline Chromium, HTML scan."""

from __future__ import annotations

import shutil
from html.parser import HTMLParser
from pathlib import Path

import nbformat
from chromium_helpers import run_chromium  # noqa: F401  (re-exported for the report tests)

FIGURE_TITLE = "Adhésions FIGTITLE"
SECOND_FIGURE_TITLE = "Évolution SECONDFIG"


def parameters_cell(annee: int = 2024, dossier: str = "data/sample") -> nbformat.NotebookNode:
    cell = nbformat.v4.new_code_cell(
        f"annee: int = {annee}  # année du rapport\n"
        f'dossier_donnees: str = "{dossier}"  # dossier du jeu de données\n'
        'contexte: str = ""  # contexte préparé par le build'
    )
    cell.metadata["tags"] = ["parameters"]
    return cell


def code(source: str, *, slide: str | None = None, tags: list[str] | None = None):
    cell = nbformat.v4.new_code_cell(source)
    if slide:
        cell.metadata["slideshow"] = {"slide_type": slide}
    if tags:
        cell.metadata["tags"] = tags
    return cell


def markdown(source: str, *, slide: str | None = None):
    cell = nbformat.v4.new_markdown_cell(source)
    if slide:
        cell.metadata["slideshow"] = {"slide_type": slide}
    return cell


def write_notebook(path: Path, cells: list) -> Path:
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.cells = cells
    nbformat.write(nb, path)
    return path


def figure_notebook_cells() -> list:
    """A small report: title, parameters, imports, two figures (one on a later slide), a table."""
    return [
        markdown("# Rapport de test", slide="slide"),
        parameters_cell(),
        code(
            "import pandas as pd\n"
            "import plotly.express as px\n"
            "import warnings\n"
            "from relief_analytics.figures.render import use_offline_renderer\n"
            "from relief_analytics.display.tiles import key_figures\n"
            "use_offline_renderer()\n"
            "warnings.warn('BRUIT_STDERR')"
        ),
        markdown("## Une figure", slide="slide"),
        code(
            f"px.bar(x=['Lyon', 'Grenoble'], y=[1234.5, 250000], title=f'{FIGURE_TITLE} {{annee}}')"
        ),
        markdown("## Chiffres clés", slide="slide"),
        code("key_figures({'lieux adhérents': '42', 'de cotisations': '12\u202f345 €'})"),
        code("pd.DataFrame({'Lieu': ['A', 'B'], 'Montant (€)': [1234.5, 99.0]})"),
        markdown("## Deuxième figure", slide="slide"),
        code(
            "px.line(x=pd.date_range('2025-01-01', periods=6, freq='MS'), y=[1, 3, 2, 5, 4, 6], "
            f"title='{SECOND_FIGURE_TITLE}')"
        ),
    ]


class ResourceScanner(HTMLParser):
    """Collect the ``src``/``href`` of real elements (not strings inside scripts) and CSS text."""

    def __init__(self):
        super().__init__()
        self.references: list[tuple[str, str, str]] = []
        self.css: list[str] = []
        self.scripts = 0
        self._in_style = False

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name in ("src", "href") and value:
                self.references.append((tag, name, value))
        self._in_style = tag == "style"
        if tag == "script":
            self.scripts += 1

    def handle_endtag(self, tag):
        if tag == "style":
            self._in_style = False

    def handle_data(self, data):
        if self._in_style:
            self.css.append(data)


def scan_resources(html: str) -> ResourceScanner:
    scanner = ResourceScanner()
    scanner.feed(html)
    return scanner


def has_pdftotext() -> bool:
    return shutil.which("pdftotext") is not None
