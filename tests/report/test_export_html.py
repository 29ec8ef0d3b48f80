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
from relief_analytics.report.export import export_html, export_slides, strip_plotly_library
from relief_analytics.report.pdf import html_to_pdf, print_pdfs

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def html(report_html) -> str:
    return report_html.read_text(encoding="utf-8")


def test_both_figures_are_drawn_by_plotly_with_their_data(html):
    assert html.count("Plotly.newPlot(") == 2
    # Titles sit JSON-encoded in the Plotly.newPlot call; the year comes from papermill's parameter.
    assert json.dumps(f"{FIGURE_TITLE} 2025")[1:-1] in html
    assert json.dumps(SECOND_FIGURE_TITLE)[1:-1] in html


def test_plotly_js_is_inlined_exactly_once_in_the_page_head(html):
    assert html.count("plotly.js v4.1.1 (relief-analytics partial bundle") == 1
    assert html.count(LIBRARY_START) == html.count(LIBRARY_END) == 1
    assert html.index(LIBRARY_START) < html.index("</head>") < html.index("Plotly.newPlot(")
    assert len(html.encode("utf-8")) < 2_000_000  # was 5.2 MB with the full plotly.js


def test_executed_notebook_carries_figures_but_not_plotly_js(executed_figure_notebook, report_tmp):
    outputs = [
        output
        for cell in executed_figure_notebook.cells
        for output in cell.get("outputs", [])
        if "application/vnd.plotly.v1+json" in output.get("data", {})
    ]
    assert len(outputs) == 2  # JupyterLab draws both through the plotly mimetype
    assert all("Plotly.newPlot(" in "".join(o["data"]["text/html"]) for o in outputs)
    saved = (report_tmp / "figures.executed.ipynb").read_text(encoding="utf-8")
    assert LIBRARY_START not in saved and "plotly.js v" not in saved
    assert len(saved.encode("utf-8")) < 200_000  # was 7.7 MB for a real report


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


def test_library_goes_once_in_the_head_even_from_notebooks_that_carry_it_in_an_output():
    library = f"{LIBRARY_START}<script>/* old plotly.js v0 */</script>{LIBRARY_END}"
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
    for page in (export_html(nb, title="t"), export_slides(nb, title="t")):
        assert "old plotly.js v0" not in page
        assert page.count(LIBRARY_START) == 1
        assert page.index(LIBRARY_START) < page.index("</head>") < page.index('Plotly.newPlot("x")')
    assert strip_plotly_library(nb) == 1 and strip_plotly_library(nb) == 0

    without_figures = nbformat.v4.new_notebook()
    without_figures.cells = [markdown("# Titre"), code("1")]
    assert LIBRARY_START not in export_html(without_figures, title="t")


def test_report_kernels_never_import_the_rfc3987_grammar(report_tmp):
    from report_helpers import write_notebook

    from relief_analytics.report.execute import (
        ensure_kernel_name,
        kernel_environment,
        run_notebook,
    )

    source = write_notebook(
        report_tmp / "imports.ipynb",
        [
            code("import sys\nimport plotly.graph_objects as go\nimport nbformat, jsonschema"),
            code("print(sorted(k for k in ('nbformat', 'jsonschema') if k in sys.modules),"
                 " sys.modules.get('rfc3987_syntax', 'absent'))"),
        ],
    )
    with kernel_environment():
        executed = run_notebook(
            source, report_tmp / "imports.executed.ipynb", parameters={}, kernel_name=ensure_kernel_name()
        )
    assert executed.cells[-1].outputs[0]["text"] == "['jsonschema', 'nbformat'] None\n"


def _pdf_pages(pdf) -> list[str]:
    import subprocess

    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True)
    return text.stdout.split("\f")[:-1]  # one form feed after each page


def _pixels_of_colour(pdf, colour: str, *, page: int = 1) -> int:
    """Count the pixels of ``colour`` (``#RRGGBB``, ±16 per channel) on a page rendered at 40 dpi."""
    import subprocess

    ppm = subprocess.run(
        ["pdftoppm", "-r", "40", "-f", str(page), "-l", str(page), str(pdf)],
        capture_output=True,
        check=True,
    ).stdout
    header = ppm.split(b"\n", 3)
    assert header[0] == b"P6"
    pixels = header[3]
    target = bytes.fromhex(colour.lstrip("#"))
    return sum(
        1
        for i in range(0, len(pixels) - 2, 3)
        if all(abs(pixels[i + k] - target[k]) <= 16 for k in range(3))
    )


@pytest.mark.browser
def test_one_browser_prints_a4_pdfs_with_drawn_figures_and_page_numbers(
    report_html, report_tmp, browser
):
    if not has_pdftotext():
        pytest.skip("pdftotext (poppler-utils) is not installed")
    import subprocess

    from relief_analytics.figures.theme import OKABE_ITO

    long_page = report_tmp / "long.html"
    long_page.write_text(
        "<html><body>" + "".join(f"<p>Paragraphe {n}</p>" for n in range(150)) + "</body></html>",
        encoding="utf-8",
    )
    jobs = print_pdfs(
        [(report_html, report_tmp / "rapport.pdf"), (long_page, report_tmp / "long.pdf")],
        browser=browser,
    )
    assert [job.error for job in jobs] == [None, None]
    report_pdf, long_pdf = (job.pdf_path for job in jobs)

    pages = _pdf_pages(report_pdf)
    text = "".join(pages)
    assert f"{FIGURE_TITLE} 2025" in text  # drawn by plotly: the title only exists in its SVG
    assert SECOND_FIGURE_TITLE in text
    assert re.search(r"250[\s\u202f\u00a0]000", text)  # thousands separated, no "250k"
    assert _pixels_of_colour(report_pdf, OKABE_ITO[0]) > 500  # the bars are painted
    for number, page in enumerate(pages, start=1):
        assert re.search(rf"Page {number} / {len(pages)}\s*$", page), page[-200:]
    info = subprocess.run(["pdfinfo", str(report_pdf)], capture_output=True, text=True).stdout
    assert "(A4)" in info

    long_pages = _pdf_pages(long_pdf)
    assert len(long_pages) >= 3
    assert [re.search(r"Page (\d+) / (\d+)\s*$", p).groups() for p in long_pages] == [
        (str(n), str(len(long_pages))) for n in range(1, len(long_pages) + 1)
    ]


@pytest.mark.browser
def test_pdf_of_a_page_whose_figures_never_draw_is_a_french_error(report_tmp, browser):
    page = report_tmp / "jamais.html"
    page.write_text('<html><body><div class="plotly-graph-div"></div></body></html>')
    jobs = print_pdfs(
        [(page, report_tmp / "jamais.pdf"), (report_tmp / "absent.html", report_tmp / "absent.pdf")],
        browser=browser,
        draw_timeout_s=1,
    )
    assert str(jobs[0].error) == (
        "Les figures de jamais.html ne sont pas dessinées après 1 s : jamais.pdf n'est pas produit."
    )
    assert str(jobs[1].error) == "absent.pdf : la page absent.html est introuvable."
    assert not (report_tmp / "jamais.pdf").exists() and not (report_tmp / "absent.pdf").exists()


@pytest.mark.browser
def test_html_to_pdf_still_prints_one_page(report_html, report_tmp, browser):
    pdf = html_to_pdf(report_html, report_tmp / "seul.pdf", browser=browser)
    assert pdf.read_bytes().startswith(b"%PDF-")


@pytest.mark.browser
def test_figures_render_offline_in_chromium(report_html, browser):
    completed = run_chromium(
        browser, "--virtual-time-budget=10000", "--dump-dom", report_html.as_uri()
    )
    dom = completed.stdout
    assert dom.count('class="main-svg"') >= 4  # two figures, each drawn as two SVG layers
    assert "Fév 2025" in dom  # French month names from the vendored locale


def test_a_long_table_shows_its_first_rows_and_says_where_the_rest_is():
    import pandas as pd

    from relief_analytics.display.blocks import french_table

    html = str(french_table(pd.DataFrame({"lieu_id": [f"L{i}" for i in range(250)]}), caption="Lieux",
                            max_rows=200, full_list="qualite/problemes_geographiques.csv"))
    assert html.count("<tr>") == 1 + 200  # header + the first rows
    assert ("Lieux — 200 premières lignes affichées, 50 autres non affichées : liste complète dans "
            "qualite/problemes_geographiques.csv") in html
