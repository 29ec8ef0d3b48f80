"""Every value of every table of every report at the precision of its unit (sample build).

Amounts to the cent (« 11,88 € », never « 11,9 »), shares as percentages (« 8 % », never
« 0,08 »), changes of shares in points. Also: the activity report's table of contents leads to
its sections, and every département code shown in a table has its name beside it.
"""

from __future__ import annotations

import html as html_module
import re
from html.parser import HTMLParser

import pytest
from e2e_helpers import YEAR

pytestmark = pytest.mark.slow

#: The reports with tables (the AG deck has tiles and charts only).
REPORTS = ["rapport_activite", "compte_rendu_financier", "exploration_lieux", "qualite_donnees"]
EUR = re.compile(r"[+-]?\d{1,3}( \d{3})*,\d{2} €")


class Tables(HTMLParser):
    """Tables of a page: header row and body rows of visible text."""

    def __init__(self):
        super().__init__()
        self.tables, self.row, self.cell, self.skip, self.in_head = [], None, None, 0, False

    def handle_starttag(self, tag, attrs):
        self.skip += tag in ("script", "style")
        if tag == "table":
            self.tables.append({"head": [], "rows": []})
        self.in_head = True if tag == "thead" else False if tag == "tbody" else self.in_head
        if tag == "tr" and self.tables:
            self.row = []
        if tag in ("td", "th") and self.row is not None:
            self.cell = ""

    def handle_endtag(self, tag):
        self.skip -= tag in ("script", "style") and self.skip > 0
        if tag in ("td", "th") and self.cell is not None:
            self.row.append(" ".join(self.cell.replace("\u202f", " ").replace("\u00a0", " ").split()))
            self.cell = None
        if tag == "tr" and self.row is not None:
            self.tables[-1]["head" if self.in_head else "rows"].append(self.row)
            self.row = None

    def handle_data(self, data):
        if self.cell is not None and not self.skip:
            self.cell += data


def tables_of(built, name: str) -> list[dict]:
    parser = Tables()
    parser.feed((built / f"{name}_{YEAR}.html").read_text(encoding="utf-8"))
    return parser.tables


def misformatted(table: dict) -> list[tuple[str, str]]:
    head = table["head"][-1] if table["head"] else []
    problems = []
    for row in table["rows"]:
        for index, cell in enumerate(row):
            header = head[index] if index < len(head) else ""
            if "€" in cell and not EUR.fullmatch(cell):
                problems.append((header, cell))
            elif re.fullmatch(r"[+-]?0,\d+", cell) and "100 000" not in header and "km" not in header:
                problems.append((header, cell))  # a share shown as a fraction
            elif re.search(r"\bpart\b|%", header, re.I) and cell not in ("", "—") \
                    and cell.lower() != "non renseigné" \
                    and not re.search(r"(%|pts)$", cell) and not cell.isdigit():
                problems.append((header, cell))
    return problems


@pytest.mark.parametrize("name", REPORTS)
def test_every_table_value_is_at_the_precision_of_its_unit(built, name):
    tables = tables_of(built, name)
    assert tables, name
    assert [p for table in tables for p in misformatted(table)] == []


def test_the_hourly_rate_reads_to_the_cent(built):
    rows = [row for table in tables_of(built, "rapport_activite") for row in table["rows"]]
    rate = next(row for row in rows if row[0] == "Taux horaire")
    assert rate[1:4] == ["11,65 €", "11,88 €", "+0,23 €"]


def test_the_table_of_contents_leads_to_each_section(built):
    html = (built / f"rapport_activite_{YEAR}.html").read_text(encoding="utf-8")
    toc = re.search(r"<nav class=.sommaire.>(.*?)</nav>", html, re.S).group(1)
    links = re.findall(r'<a href="#([^"]+)">([^<]+)</a>', toc)
    assert [text for _, text in links] == ["Bilan de l'année", "Chiffres clés", "Ce qui a changé",
                                           "Adhésions", "Événements", "Lieux", "Panorama",
                                           "Temps bénévole", "Gouvernance"]
    ids = {html_module.unescape(i) for i in re.findall(r'<h2 id="([^"]+)"', html)}
    links = [(html_module.unescape(anchor), html_module.unescape(text)) for anchor, text in links]
    assert [anchor for anchor, _ in links if anchor not in ids] == []
    # the report opens with the bilan's narrative, before the key figures
    assert html.index("Quatre ans après son lancement") < html.index('id="Chiffres-cl')


@pytest.mark.parametrize("name", ["rapport_activite", "exploration_lieux"])
def test_every_departement_code_has_its_name(built, name):
    for table in tables_of(built, name):
        head = table["head"][-1] if table["head"] else []
        if "Département" in head:
            assert "Nom du département" in head, head
            names = [row[head.index("Nom du département")] for row in table["rows"]]
            codes = [row[head.index("Département")] for row in table["rows"]]
            assert all(n for n, c in zip(names, codes, strict=True) if c not in ("Non renseigné", "Hors région")), names
