"""Text typed by users stays inert: no HTML runs from Markdown, no formula from a CSV cell."""

from __future__ import annotations

import csv

import pandas as pd

from relief_analytics.display.blocks import users_text
from relief_analytics.display.user_text import render_markdown
from relief_analytics.report.build import _write_rejects
from relief_analytics.safety import neutralise_cell, write_excel_csv

SCRIPT = "<script>document.title='PWNED'</script>"
IMG = "<img src=x onerror=\"document.title='PWNED'\">"


def test_raw_html_in_the_bilan_is_shown_as_text():
    html = render_markdown(f"# Bilan\n\nTexte **gras**.\n\n{SCRIPT}\n\n{IMG}\n", demote_headings=2)
    assert html == (
        "<h3>Bilan</h3>\n<p>Texte <strong>gras</strong>.</p>\n"
        "<p>&lt;script&gt;document.title='PWNED'&lt;/script&gt;</p>\n"
        "<p>&lt;img src=x onerror=&quot;document.title='PWNED'&quot;&gt;</p>\n"
    )


def test_javascript_links_are_not_links_but_web_links_are():
    html = render_markdown("[clic](javascript:alert(1)) et [site](https://exemple.fr)")
    assert "href=\"javascript" not in html
    assert '<a href="https://exemple.fr">site</a>' in html
    assert "[clic](javascript:alert(1))" in html


def test_users_text_uses_the_inert_renderer_and_demotes_headings():
    shown = users_text(f"## Actions\n\n{IMG}", missing="Bilan absent")._repr_html_()
    assert shown == (
        "<div class='texte-utilisateurs'><h4>Actions</h4>\n"
        "<p>&lt;img src=x onerror=&quot;document.title='PWNED'&quot;&gt;</p>\n</div>"
    )
    assert "Bilan absent" in users_text("  \n", missing="Bilan absent")._repr_html_()


def test_neutralise_cell_follows_the_owasp_rule():
    assert [neutralise_cell(v) for v in ["=1+1", "+1", "-1", "@A", "\tx", "\rx", "a=b", "", 3, None]] == [
        "'=1+1", "'+1", "'-1", "'@A", "'\tx", "'\rx", "a=b", "", 3, None,
    ]


def test_rejects_csv_cells_never_start_a_formula(tmp_path):
    class Dataset:
        issues = pd.DataFrame({
            "table": ["budget"], "file_name": ["budget.csv"], "line_number": [4], "column_name": ["financeur"],
            "cell_value": ["=1+1"], "rule": ["-valeur @refusée"],
        })

    path = tmp_path / "qualite" / "rejets.csv"
    _write_rejects(Dataset(), path)
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 with BOM, for Excel FR
    rows = list(csv.reader(raw.decode("utf-8-sig").splitlines(), delimiter=";"))
    assert rows == [
        ["Table", "Fichier", "Ligne", "Colonne", "Valeur", "Règle"],
        ["budget", "budget.csv", "4", "financeur", "'=1+1", "'-valeur @refusée"],
    ]


def test_write_excel_csv_neutralises_headers_and_cells(tmp_path):
    path = write_excel_csv(pd.DataFrame({"=x": ["+1", "ok"], "n": [-1, 2]}), tmp_path / "t.csv")
    assert path.read_text(encoding="utf-8-sig") == "'=x;n\n'+1;-1\nok;2\n"
