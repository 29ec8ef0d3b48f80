"""HTML export of an executed notebook: figures present, plotly.js once, nothing online, code hidden."""

from __future__ import annotations

import json
import re

import nbformat
import pytest
from report_helpers import (
    FIGURE_TITLE,
    SECOND_FIGURE_TITLE,
    code,
    has_pdftotext,
    markdown,
    run_chromium,
    scan_resources,
)

from relief_analytics.figures.render import LIBRARY_END, LIBRARY_START
from relief_analytics.report.export import place_plotly_library, prepare_for_export
from relief_analytics.report.pdf import html_to_pdf

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def html(report_html) -> str:
    return report_html.read_text(encoding="utf-8")


def test_both_figures_are_drawn_by_plotly_with_their_data(html):
    assert html.count("Plotly.newPlot(") == 2
    # Titles sit JSON-encoded in the Plotly.newPlot call; the year comes from papermill's parameter.
    assert json.dumps(f"{FIGURE_TITLE} 2025")[1:-1] in html
    assert json.dumps(SECOND_FIGURE_TITLE)[1:-1] in html


def test_plotly_js_is_inlined_exactly_once_before_the_first_figure(html):
    assert html.count("plotly.js v") == 1
    assert html.count(LIBRARY_START) == html.count(LIBRARY_END) == 1
    assert html.index("plotly.js v") < html.index("Plotly.newPlot(")


def test_no_resource_is_loaded_from_the_network(html):
    scanner = scan_resources(html)
    online = [ref for ref in scanner.references if re.match(r"(?i)\s*(https?:)?//", ref[2])]
    assert online == []
    css = "".join(scanner.css)
    assert not re.search(r"(?i)(@import|url\()\s*['\"]?(https?:)?//", css)
    assert "cdnjs" not in html and "unpkg.com" not in html and "require.js" not in html


def test_page_is_french_with_code_prompts_and_parameters_hidden(html):
    assert re.search(r'<html lang="fr"', html)
    assert "<title>Rapport de test 2025</title>" in html
    assert "use_offline_renderer" not in html  # code inputs hidden
    assert "dossier_donnees" not in html  # parameter cells removed
    assert 'class="jp-InputPrompt' not in html and 'class="jp-OutputPrompt' not in html
    assert "BRUIT_STDERR" not in html  # warnings (stderr) are not shown to readers


def test_print_css_and_key_figure_tiles_are_present(html):
    assert "@page" in html and "size: A4" in html and "margin: 12mm" in html
    assert "break-inside: avoid" in html
    assert '<div class="chiffres-cles"><div class="chiffre-cle">' in html
    assert '<table border="1" class="dataframe">' in html


def test_library_moves_to_the_first_exported_figure_when_its_cell_is_skipped():
    library = f"{LIBRARY_START}<script>/* plotly.js v0 */</script>{LIBRARY_END}"
    figure = '<div class="plotly-graph-div"></div><script>Plotly.newPlot("x")</script>'

    def figure_cell(html, slide=None):
        cell = code("fig", slide=slide)
        cell.outputs = [
            nbformat.v4.new_output("display_data", data={"text/html": html, "text/plain": ""})
        ]
        return cell

    nb = nbformat.v4.new_notebook()
    nb.cells = [
        markdown("# Titre"),
        figure_cell(library + figure, slide="skip"),
        figure_cell(figure, slide="slide"),
    ]
    slides = prepare_for_export(nb, title="t", slides=True)
    assert LIBRARY_START not in slides.cells[1].outputs[0]["data"]["text/html"]
    assert slides.cells[2].outputs[0]["data"]["text/html"].startswith(LIBRARY_START)

    page = prepare_for_export(nb, title="t", slides=False)
    assert page.cells[1].outputs[0]["data"]["text/html"].startswith(LIBRARY_START)
    assert LIBRARY_START not in page.cells[2].outputs[0]["data"]["text/html"]
    assert place_plotly_library(nbformat.v4.new_notebook(), slides=False) is False


@pytest.mark.browser
def test_pdf_is_a4_and_carries_the_figure_text(report_html, report_tmp, browser):
    if not has_pdftotext():
        pytest.skip("pdftotext (poppler-utils) is not installed")
    import subprocess

    pdf = html_to_pdf(report_html, report_tmp / "rapport_test_2025.pdf", browser=browser)
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout
    assert f"{FIGURE_TITLE} 2025" in text
    assert SECOND_FIGURE_TITLE in text
    assert re.search(r"250[\s\u202f\u00a0]000", text)  # thousands separated, no "250k"
    assert "(A4)" in info


@pytest.mark.browser
def test_figures_render_offline_in_chromium(report_html, browser):
    completed = run_chromium(
        browser, "--virtual-time-budget=10000", "--dump-dom", report_html.as_uri()
    )
    dom = completed.stdout
    assert dom.count('class="main-svg"') >= 4  # two figures, each drawn as two SVG layers
    assert "Fév 2025" in dom  # French month names from the vendored locale
