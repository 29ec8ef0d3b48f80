"""The full report set built on the sample data, checked as a reader would see it."""

from __future__ import annotations

import ast
import json
import re
import shutil
import zipfile
from html.parser import HTMLParser

import nbformat
import pytest
from chromium_helpers import run_chromium
from e2e_helpers import YEAR, checksums, pdf_text
from openpyxl import load_workbook

from relief_analytics import formatting, paths
from relief_analytics.report.catalog import CATALOG

pytestmark = pytest.mark.slow

HTML_REPORTS = ["rapport_activite", "compte_rendu_financier", "exploration_lieux", "qualite_donnees"]


def visible_text(html: str) -> str:
    """Text a reader sees: tags, scripts and styles removed, entities decoded, spaces normalised."""

    class Text(HTMLParser):
        def __init__(self):
            super().__init__()
            self.parts, self.skip = [], 0

        def handle_starttag(self, tag, attrs):
            self.skip += tag in ("script", "style")

        def handle_endtag(self, tag):
            self.skip -= tag in ("script", "style") and self.skip > 0

        def handle_data(self, data):
            if not self.skip:
                self.parts.append(data)

    parser = Text()
    parser.feed(html)
    return re.sub(r"\s+", " ", " ".join(parser.parts))


def spaced(text: str) -> str:
    """``text`` with every run of whitespace (incl. narrow no-break spaces) as one space."""
    return re.sub(r"\s+", " ", text)


def read(built, name: str) -> str:
    return (built / f"{name}_{YEAR}.html").read_text(encoding="utf-8")


def figure_cells(name: str) -> int:
    """Code cells of the notebook whose last line draws a figure (charts./maps. call)."""
    nb = nbformat.read(paths.NOTEBOOKS_DIR / f"{name}.ipynb", as_version=4)
    count = 0
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        body = ast.parse(cell.source).body
        last = body[-1] if body else None
        call = last.value if isinstance(last, ast.Expr) and isinstance(last.value, ast.Call) else None
        if call is not None and getattr(call.func, "id", "") == "for_slides" and call.args:
            call = call.args[0] if isinstance(call.args[0], ast.Call) else None  # slide-sized
        if (call is not None and isinstance(call.func, ast.Attribute)
                and getattr(call.func.value, "id", "") in ("charts", "maps")):
            count += 1
    return count


def test_every_report_file_is_written(built):
    names = {p.name for p in built.iterdir()}
    for spec in CATALOG:
        for fmt in spec.formats:
            if fmt != "pdf" or shutil.which("chromium"):
                assert spec.output_name(fmt, YEAR) in names
    assert {"manifest.json", "qualite"} <= names
    # no executed notebook (they carry inputs and parameters) is shipped with the reports
    assert not list(built.rglob("*.ipynb"))


@pytest.mark.parametrize("name", HTML_REPORTS + ["presentation_ag"])
def test_every_figure_is_in_the_html_and_plotlyjs_once(built, name):
    html = read(built, name)
    expected = figure_cells(name)
    assert expected > 0 or name == "qualite_donnees"
    assert html.count("Plotly.newPlot(") == expected
    if expected:
        assert html.count("plotly.js v") == 1  # the library banner appears exactly once


@pytest.mark.parametrize("name", HTML_REPORTS + ["presentation_ag"])
def test_no_http_resource_is_loaded(built, name):
    html = read(built, name)
    references = []

    class Elements(HTMLParser):  # real elements only: URLs inside script text are not loaded
        def handle_starttag(self, tag, attrs):
            references.extend(value for key, value in attrs if key in ("src", "href") and value)

    Elements().feed(html)
    assert references  # the scan sees the page's own elements (anchors, data: URIs…)
    assert [r for r in references if re.match(r"(https?:)?//", r)] == []
    assert not re.search(r"@import\s+url\(\s*['\"]?(https?:)?//", html)


def test_activity_report_shows_the_years_totals_in_french(built, raw_expectations):
    text = visible_text(read(built, "rapport_activite"))
    expected = raw_expectations
    assert f"Rapport d'activité {YEAR}" in text
    assert spaced(formatting.format_number(expected["members"])) + " membres" in text
    assert spaced(formatting.format_eur(expected["adhesions_total_eur"])) in text  # 12 208,00 € in the table
    assert spaced(formatting.format_number(expected["events"])) + " événements" in text
    assert spaced(formatting.format_number(expected["participants"])) + " participants" in text
    assert spaced(formatting.format_hours(expected["volunteer_hours"])) + " heures de bénévolat" in text


def test_subsidy_report_volunteer_lines_equal_hours_times_rate(built, raw_expectations):
    from relief_analytics.load import read_config

    rate = read_config(paths.SAMPLE_DATASET_DIR).hourly_rates[YEAR]
    amount = spaced(formatting.format_eur(round(raw_expectations["volunteer_hours"] * rate, 2)))
    text = visible_text(read(built, "compte_rendu_financier"))
    assert re.search(rf"864 Personnel bénévole .*?{amount}", text)
    assert re.search(rf"870 Bénévolat .*?{amount}", text)
    hours = formatting.format_hours(raw_expectations["volunteer_hours"], decimals=1)
    assert spaced(f"{hours} × {formatting.format_eur(rate)} de l'heure = ") + amount in text
    # every significant gap of the sample is explained: the final document has no to-do
    assert "Le covoiturage entre lieux" in text
    assert "À compléter" not in text
    assert "CERFA n° 15059" in text


def test_pdfs_carry_the_same_totals(built, raw_expectations):
    if not shutil.which("pdftotext") or not (built / f"rapport_activite_{YEAR}.pdf").exists():
        pytest.skip("pdftotext ou Chromium absent : PDF non vérifiés")
    activity = pdf_text(built / f"rapport_activite_{YEAR}.pdf")
    normalise = lambda s: s.replace("\u202f", " ").replace("\u00a0", " ")  # noqa: E731
    assert normalise(formatting.format_eur(raw_expectations["adhesions_total_eur"])) in normalise(activity)
    assert normalise(formatting.format_number(raw_expectations["participants"])) in normalise(activity)
    cerfa = normalise(pdf_text(built / f"compte_rendu_financier_{YEAR}.pdf"))
    assert "Compte rendu financier de subvention 2025" in cerfa
    for line in raw_expectations["budget"]:
        if line["compte"] == "742":
            assert normalise(formatting.format_eur(float(line["realise_eur"].replace(",", ".")))) in cerfa


def test_xlsx_figures_table_equals_budget_data(built, raw_expectations):
    workbook = load_workbook(built / f"compte_rendu_financier_{YEAR}.xlsx", read_only=True)
    rows = list(workbook["Compte rendu financier"].iter_rows(values_only=True))
    header = rows[0]
    col = {name: header.index(name) for name in ("Compte", "Financeur", "Prévision (€)", "Réalisation (€)")}
    lines = {(r[col["Compte"]], r[col["Financeur"]] or ""): r for r in rows[1:] if r[col["Compte"]]}
    for line in raw_expectations["budget"]:
        row = lines[(line["compte"], line["financeur"])]
        assert row[col["Prévision (€)"]] == pytest.approx(float(line["prevu_eur"].replace(",", ".")))
        assert row[col["Réalisation (€)"]] == pytest.approx(float(line["realise_eur"].replace(",", ".")))


def test_quality_report_lists_each_deliberate_error(built):
    text = visible_text(read(built, "qualite_donnees"))
    for fichier, ligne, valeur in (("lieux.csv", 144, "Garage solidaire"), ("lieux.csv", 161, "fermee?"),
                                   ("evenements.csv", 196, "Finances"), ("contributions.csv", 2091, "30")):
        assert re.search(rf"{re.escape(fichier)} {ligne} \S+ .*?{re.escape(valeur)}", text), (fichier, ligne)
    rejects = (built / "qualite" / "rejets.csv").read_text(encoding="utf-8-sig")
    assert len(rejects.strip().splitlines()) == 1 + 4


def test_no_personal_data_in_any_output(built, personal_values):
    assert len(personal_values) > 500  # the check really has names and e-mails to look for
    contents = []
    for path in built.rglob("*"):
        if path.suffix in (".html", ".csv", ".json"):
            contents.append(path.read_text(encoding="utf-8-sig"))
        elif path.suffix == ".xlsx":
            with zipfile.ZipFile(path) as archive:
                contents += [archive.read(n).decode("utf-8") for n in archive.namelist() if n.endswith(".xml")]
        elif path.suffix == ".pdf" and shutil.which("pdftotext"):
            contents.append(pdf_text(path))
    everything = "\n".join(contents)
    leaked = sorted(v for v in personal_values if v in everything)
    assert leaked == []


def test_manifest_records_parameters_checksums_and_timings(built):
    manifest = json.loads((built / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["year"] == YEAR
    inputs = {entry["file"]: entry for entry in manifest["inputs"]}
    assert "adhesions_helloasso.csv" in inputs and len(inputs["adhesions_helloasso.csv"]["sha256"]) == 64
    assert all(r["ok"] for r in manifest["reports"].values())
    assert manifest["versions"]["relief_analytics"] == "0.1.0"


def test_maps_and_slides_render_offline(built, browser):
    if browser is None:
        pytest.skip("Chromium absent")
    explo = run_chromium(browser, "--virtual-time-budget=15000", "--dump-dom",
                                 (built / f"exploration_lieux_{YEAR}.html").as_uri())
    # choropleth paths (12 départements, 172 EPCI) and point markers drawn as SVG by plotly
    assert explo.stdout.count('class="choroplethlocation"') >= 12 + 12 + 172
    slides = run_chromium(browser, "--virtual-time-budget=15000", "--dump-dom",
                                  (built / f"presentation_ag_{YEAR}.html").as_uri())
    assert re.search(r'class="[^"]*\breveal\b[^"]*\bready\b', slides.stdout)
    # nbconvert wraps each slide in a vertical stack: one stack per slide cell of the notebook
    notebook = json.loads((paths.NOTEBOOKS_DIR / "presentation_ag.ipynb").read_text(encoding="utf-8"))
    slide_cells = [c for c in notebook["cells"]
                   if c["metadata"].get("slideshow", {}).get("slide_type") == "slide"]
    assert len(re.findall(r'<section[^>]*class="stack', slides.stdout)) == len(slide_cells) >= 10
    assert slides.stdout.count('class="choroplethlocation"') >= 12


def test_raw_input_files_are_never_modified(built, sample_checksums_before):
    assert checksums(paths.SAMPLE_DATASET_DIR) == sample_checksums_before
