"""One output-safety layer (issue #15 §1), by family.

- **Formulas**: every CSV, XLSX and GeoJSON writer writes a text a spreadsheet could run
  (``=``, ``+``, ``-``, ``@``, their full-width forms, after spaces, or after a tab / CR / LF) as
  text: a leading ``'`` in CSV and GeoJSON, a string cell with quote prefix in XLSX. Negative
  numbers stay numbers. The all-writers test walks the open data, the templates, the quality files
  and the report workbook (CERFA included) with :func:`output_checks.assert_no_live_formula`.
- **Links**: ``site_web`` accepts only ``http``/``https`` addresses; every other scheme is listed
  with file, line, column, value and the French rule, and the lieu is never exported.
- **Remote content**: the users' Markdown renders no image, frame or remote resource.
- **The checkers themselves** catch what they are meant to catch (a checker that can't fail is
  a defect).
"""

from __future__ import annotations

import csv
import html
import io
import json
import zipfile

import pandas as pd
import pytest
from openpyxl import Workbook, load_workbook
from output_checks import (
    assert_no_live_formula,
    assert_no_remote_load,
    assert_no_script,
    live_formula_cells,
    remote_load_problems,
    script_problems,
)
from trust_helpers import copy_sample, rewrite_csv

from relief_analytics import cli, paths
from relief_analytics.display.blocks import users_text
from relief_analytics.display.user_text import is_allowed_link, render_markdown
from relief_analytics.export.templates import build_template
from relief_analytics.load.config import read_config
from relief_analytics.load.dataset import load_table_with_notes
from relief_analytics.load.masking import mask_personal_value
from relief_analytics.report.xlsx import write_workbook
from relief_analytics.safety import (
    WEB_URL_RULE,
    is_formula_like,
    is_local_request,
    make_workbook_inert,
    neutralise_cell,
    write_excel_csv,
)

#: Texts a spreadsheet could run, one per member of the family.
FORMULAS = [
    '=HYPERLINK("http://exemple.invalid";"clic")', "@SUM(1+1)", "+1+1", "-1+1", "=1+1",
    "＝1+1", "＋1+1", "－1+1", "＠SUM(1)", "﹦1+1", "  =1+1", "\u00a0@SUM(1)", "\t=1+1", "\r=1+1", "\n=1+1",
]
#: Texts that look close but cannot run.
INERT = ["a=b", "Région", "1+1", "L'atelier", "", "#REF", "'=déjà neutralisé", "−1 (signe moins)"]


# --- the rule ---------------------------------------------------------------------------------

@pytest.mark.parametrize("text", FORMULAS)
def test_every_formula_form_gets_a_leading_apostrophe(text):
    assert is_formula_like(text)
    assert neutralise_cell(text) == "'" + text


@pytest.mark.parametrize("text", INERT)
def test_texts_that_cannot_run_are_written_as_they_are(text):
    assert not is_formula_like(text)
    assert neutralise_cell(text) == text


@pytest.mark.parametrize("number", [-3, -12.5, 0, 4.8422])
def test_numbers_stay_numbers(number):
    assert neutralise_cell(number) == number


# --- each writer ------------------------------------------------------------------------------

def _open_data(tmp_path, names: list[str]):
    from relief_analytics.export.opendata import open_data_schema, write_open_data
    from relief_analytics.geo.reference import load_reference
    from relief_analytics.indicators.public_lieux import lieux_open_data, place_lieux

    lieux = pd.DataFrame({
        "lieu_id": [f"L{i}" for i in range(len(names))], "lieu_name": names,
        "street_address": ["-3 rue Neuve"] * len(names), "postal_code": ["69003"] * len(names),
        "commune_name": ["Lyon"] * len(names), "commune_code": ["69383"] * len(names),
        "latitude": [45.7597] * len(names), "longitude": [4.8422] * len(names),
        "typologies": ["Tiers-lieu culturel"] * len(names), "legal_status": ["@asso"] * len(names),
        "opening_year": pd.array([2019] * len(names), dtype="Int64"), "state": ["ouvert"] * len(names),
        "is_member": pd.array([True] * len(names), dtype="boolean"), "website": [None] * len(names),
        "updated_date": pd.to_datetime(["2025-03-14"] * len(names)),
    })
    table = lieux_open_data(place_lieux(lieux, reference=load_reference("84")))
    write_open_data(table, tmp_path, schema=open_data_schema())
    return tmp_path


def test_open_data_csv_and_geojson_write_formula_names_as_text(tmp_path):
    out = _open_data(tmp_path, FORMULAS)
    rows = list(csv.DictReader(io.StringIO((out / "lieux.csv").read_bytes().decode("utf-8"), newline="")))
    assert {r["id"]: r["nom"] for r in rows} == {f"L{i}": "'" + f for i, f in enumerate(FORMULAS)}
    assert {r["adresse"] for r in rows} == {"'-3 rue Neuve"}
    assert {r["statut_juridique"] for r in rows} == {"'@asso"}
    assert {r["longitude"] for r in rows} == {"4.842200"}
    features = {f["id"]: f for f in json.loads((out / "lieux.geojson").read_text(encoding="utf-8"))["features"]}
    assert features["L0"]["properties"]["nom"] == "'" + FORMULAS[0]
    assert features["L0"]["properties"]["latitude"] == 45.7597  # numbers stay JSON numbers
    assert_no_live_formula(out)


def test_open_data_negative_coordinates_stay_numbers(tmp_path):
    """A lieu west of Greenwich would be « -0.5 »: a number, not a neutralised text."""
    from relief_analytics.export.opendata import open_data_csv

    table = pd.DataFrame([{c: None for c in
                           ["id", "nom", "adresse", "code_postal", "commune", "code_insee", "code_departement",
                            "latitude", "longitude", "source_coordonnees", "typologie", "statut_juridique",
                            "annee_ouverture", "etat", "membre_reseau", "site_web", "date_maj"]}])
    table.loc[0, ["id", "nom", "longitude", "latitude"]] = ["L1", "-Le Lieu-", -0.5, 45.0]
    text = open_data_csv(table)
    assert text.splitlines()[1] == "L1,'-Le Lieu-,,,,,,45.000000,-0.500000,,,,,,,,"
    (tmp_path / "lieux.csv").write_text(text, encoding="utf-8")
    assert_no_live_formula(tmp_path / "lieux.csv")


def test_open_data_schema_lists_the_allowed_values_as_the_csv_writes_them():
    from relief_analytics.export.opendata import open_data_schema

    schema = open_data_schema(lists={"etats_lieu": ["ouvert", "=1+1", "－x"], "statuts_juridiques": ["@asso"]})
    fields = {f["name"]: f for f in schema["fields"]}
    assert fields["etat"]["constraints"]["enum"] == ["ouvert", "'=1+1", "'－x"]
    assert fields["statut_juridique"]["constraints"]["enum"] == ["'@asso"]


def test_template_list_values_and_examples_are_never_formulas(tmp_path):
    config = read_config(paths.SAMPLE_DATASET_DIR)
    lists = dict(config.lists)
    lists["statuts_juridiques"] = ['=HYPERLINK("http://exemple.invalid";"clic")', "＠SUM(1)", "Association"]
    lists["etats_lieu"] = ["-1+1", "ouvert"]
    path = tmp_path / "lieux.xlsx"
    build_template("lieux", lists=lists).save(path)

    sheet = load_workbook(path)["Listes"]
    status = next(col for col in sheet.iter_cols() if col[0].value == "statuts_juridiques")
    assert [(c.value, c.data_type, c.quotePrefix) for c in status[1:3]] == [
        ('=HYPERLINK("http://exemple.invalid";"clic")', "s", True), ("＠SUM(1)", "s", True),
    ]
    examples = load_workbook(path)["Exemples"]
    status_column = next(c.column_letter for c in examples[1] if c.value == "statut_juridique")
    example = examples[f"{status_column}2"]  # the first example row takes the first status
    assert (example.value, example.data_type, example.quotePrefix) == (
        '=HYPERLINK("http://exemple.invalid";"clic")', "s", True)
    assert_no_live_formula(path)


def test_report_workbook_types_formula_texts_as_strings_and_keeps_negative_numbers(tmp_path):
    frame = pd.DataFrame({"account_label": ["=1+1", "＋2", " @x", "Achats"], "realised_eur": [-120.5, 3.0, 0.0, 1.0]})
    path = write_workbook({"=Budget": frame}, tmp_path / "t.xlsx")
    sheet = load_workbook(path).worksheets[0]
    assert [(c.value, c.data_type) for c in sheet["A"][1:]] == [
        ("=1+1", "s"), ("＋2", "s"), (" @x", "s"), ("Achats", "s"),
    ]
    assert (sheet["B2"].value, sheet["B2"].data_type) == (-120.5, "n")
    assert_no_live_formula(path)


def test_quality_csv_writer_neutralises_every_form(tmp_path):
    path = write_excel_csv(pd.DataFrame({"Valeur": FORMULAS, "n": range(len(FORMULAS))}), tmp_path / "rejets.csv")
    rows = list(csv.reader(io.StringIO(path.read_bytes().decode("utf-8-sig"), newline=""), delimiter=";"))
    assert [r[0] for r in rows[1:]] == ["'" + f for f in FORMULAS]
    assert_no_live_formula(path)


def test_quality_csv_writer_neutralises_every_text_dtype(tmp_path):
    frame = pd.DataFrame({
        "objet": ["=a", 3], "texte": pd.array(["+b", None], dtype="string"),
        "categorie": pd.Categorical(["@c", "ok"]), "n": [-1.5, 2.0],
    })
    path = write_excel_csv(frame, tmp_path / "t.csv")
    assert path.read_bytes().decode("utf-8-sig") == "objet;texte;categorie;n\r\n'=a;'+b;'@c;-1.5\r\n3;;ok;2.0\r\n"


@pytest.fixture(scope="module")
def hostile_outputs(tmp_path_factory):
    """Every writer run once on a sample full of formulas: open data, templates, quality, workbook."""
    from relief_analytics.context import build_year_context
    from relief_analytics.load import load_dataset
    from relief_analytics.report.build import _write_geo_problems, _write_rejects, _write_xlsx

    root = tmp_path_factory.mktemp("formules")
    data = copy_sample(root / "donnees")

    ascii_formulas = [f for f in FORMULAS if f.isascii()]  # for the files saved in Windows-1252 / ASCII

    def poison(columns, limit, formulas=FORMULAS):
        def change(header, rows):
            index = [header.index(c) for c in columns]
            for i, row in enumerate(rows[:limit]):
                for j in index:
                    row[j] = formulas[i % len(formulas)] + " " + (row[j] or "texte")
        return change

    rewrite_csv(data / "lieux.csv", poison(["nom", "adresse"], 30))
    rewrite_csv(data / "budget.csv", poison(["intitule", "financeur", "action"], 60))
    rewrite_csv(data / "evenements.csv", poison(["titre"], 400, ascii_formulas))
    # a commission out of the list: the rows are rejected and their values reach rejets.csv
    rewrite_csv(data / "contributions.csv", poison(["activite", "commission"], 20, ascii_formulas))
    config = (data / "config.toml").read_text(encoding="utf-8")
    config = config.replace('etats_lieu = ["en projet", "ouvert", "fermé"]',
                            'etats_lieu = ["en projet", "ouvert", "fermé", "=1+1", "＠SUM(1)"]')
    (data / "config.toml").write_text(config, encoding="utf-8")
    before = {p.name: p.read_bytes() for p in data.iterdir()}

    out = root / "sorties"
    assert cli.main(["exporter-lieux", "--donnees", str(data), "--sortie", str(out / "ouvertes")]) == 0
    assert cli.main(["modeles", "--donnees", str(data), "--sortie", str(out / "modeles")]) == 0
    dataset = load_dataset(data)
    context = build_year_context(dataset, year=2025)
    _write_rejects(dataset, out / "qualite" / "rejets.csv")
    _write_geo_problems(context, out / "qualite" / "problemes_geographiques.csv")
    _write_xlsx(context, out / "tableaux_2025.xlsx")
    assert {p.name: p.read_bytes() for p in data.iterdir()} == before  # inputs never modified
    return out


@pytest.mark.slow
def test_no_writer_leaves_a_live_formula(hostile_outputs):
    written = sorted(p.relative_to(hostile_outputs).as_posix() for p in hostile_outputs.rglob("*") if p.is_file())
    assert {"ouvertes/lieux.csv", "ouvertes/lieux.geojson", "modeles/lieux.xlsx", "modeles/budget.xlsx",
            "qualite/rejets.csv", "qualite/problemes_geographiques.csv", "tableaux_2025.xlsx"} <= set(written)
    assert_no_live_formula(hostile_outputs)


@pytest.mark.slow
def test_the_formulas_reached_each_writer_as_text(hostile_outputs):
    """The walk above is not empty: the payloads are there, neutralised."""
    lieux = (hostile_outputs / "ouvertes" / "lieux.csv").read_text(encoding="utf-8")
    assert "'=HYPERLINK(" in lieux and "'＋1+1 " in lieux
    rejects = (hostile_outputs / "qualite" / "rejets.csv").read_text(encoding="utf-8-sig")
    # the rejected commission of a table about people is masked, and still written as text
    assert ";'@S••(1+1) " in rejects
    with zipfile.ZipFile(hostile_outputs / "tableaux_2025.xlsx") as archive:
        sheets = b"".join(archive.read(n) for n in archive.namelist() if n.startswith("xl/worksheets/"))
    assert b"=HYPERLINK(" in sheets and b"<f>" not in sheets
    lists = load_workbook(hostile_outputs / "modeles" / "lieux.xlsx")["Listes"]
    assert ("=1+1", "s") in [(c.value, c.data_type) for col in lists.iter_cols() for c in col]


# --- links: http(s) only, checked at load ---------------------------------------------------

LIEUX_HEADER = "identifiant;nom;commune;code_insee;typologies;etat;membre_reseau;site_web"

BAD_LINKS = [
    "javascript:alert(1)", "JavaScript:alert(1)", "  javascript:alert(1)", '"java&#x73;cript:alert(1)"',
    '"&#106;avascript:alert(1)"', "data:text/html,<b>x</b>", "file:///etc/passwd", "vbscript:msgbox(1)",
    "//exemple.fr", "https://", "https://un lieu.fr", "http://nom@exemple.fr", "ftp://exemple.fr",
]


def test_only_web_addresses_are_accepted_as_site_web(tmp_path, sample_config):
    good = ["https://exemple.fr", "HTTPS://EXEMPLE.FR/a?b=1#c", "http://exemple.fr:8080/", "www.exemple.fr"]
    rows = [f"L{i};Lieu {i};Lyon;69123;Tiers-lieu culturel;ouvert;oui;{v}" for i, v in enumerate(good + BAD_LINKS)]
    path = tmp_path / "lieux.csv"
    path.write_text("\n".join([LIEUX_HEADER, *rows]) + "\n", encoding="utf-8")

    result, _ = load_table_with_notes(path, table="lieux", config=sample_config)

    assert result.summary_fr() == "lieux.csv : 17 lignes lues, 4 acceptées, 13 rejetées"
    # a bare host as volunteers type it is completed, never refused
    assert list(result.accepted["website"]) == [*good[:3], "https://www.exemple.fr"]
    assert [tuple(r) for r in result.issues[["line_number", "column_name", "cell_value", "rule"]].itertuples(index=False)] == [
        # a user name in a link is masked like an e-mail (issue values never carry personal data)
        # (HTML entities are decoded at read: the value is shown as a browser would read it)
        (line, "site_web", mask_personal_value(html.unescape(value.strip().strip('"')), column="site_web",
                                               table="lieux"), WEB_URL_RULE)
        for line, value in zip(range(6, 19), BAD_LINKS, strict=True)
    ]
    assert WEB_URL_RULE == (
        "adresse web attendue, commençant par http:// ou https://, par exemple https://exemple.org ; "
        "les liens javascript:, data:, file:… sont refusés"
    )


def test_a_bad_site_web_is_listed_by_relief_exporter_lieux_and_never_exported(tmp_path, capsys):
    from sample_copy import sample_config_text

    data = tmp_path / "donnees"
    data.mkdir()
    (data / "config.toml").write_text(sample_config_text(), encoding="utf-8")
    (data / "lieux.csv").write_text(
        LIEUX_HEADER + "\nL1;La Fabrique;Lyon;69123;Tiers-lieu culturel;ouvert;oui;javascript:alert(1)\n"
        "L2;Le Local;Lyon;69123;Tiers-lieu culturel;ouvert;oui;https://local.exemple.fr\n", encoding="utf-8")

    assert cli.main(["exporter-lieux", "--donnees", str(data), "--sortie", str(tmp_path / "o")]) == 0
    out = capsys.readouterr().out
    assert "1 ligne rejetée à la lecture de lieux.csv, non exportée(s)" in out
    published = (tmp_path / "o" / "lieux.csv").read_text(encoding="utf-8") + (tmp_path / "o" / "lieux.geojson").read_text(encoding="utf-8")
    assert "javascript" not in published and "https://local.exemple.fr" in published

    from relief_analytics.load.validate import format_issue

    result, _ = load_table_with_notes(data / "lieux.csv", table="lieux", config=read_config(data))
    assert [format_issue(issue) for _, issue in result.issues.iterrows()] == [
        f"lieux.csv, ligne 2, colonne « site_web » : valeur « javascript:alert(1) » refusée ({WEB_URL_RULE}).",
    ]


# --- users' Markdown: no remote resource, no script ------------------------------------------

@pytest.mark.parametrize("markdown, html", [
    ("![Le jardin](https://exemple.org/pixel.gif)", "<p>[image non affichée : Le jardin]</p>\n"),
    ("![](http://exemple.org/p.png)", "<p>[image non affichée]</p>\n"),
    ('![un *plan*](//exemple.org/p.png "titre")', "<p>[image non affichée : un plan]</p>\n"),
    ("![x](data:image/png;base64,AAAA)", "<p>![x](data:image/png;base64,AAAA)</p>\n"),  # not a web target: as typed
    ("![x](file:///etc/passwd)", "<p>![x](file:///etc/passwd)</p>\n"),
    ("[![logo](https://exemple.org/l.png)](https://exemple.org)",
     '<p><a href="https://exemple.org">[image non affichée : logo]</a></p>\n'),
    ("![réf][img]\n\n[img]: https://exemple.org/p.png", "<p>[image non affichée : réf]</p>\n"),
    ("![<script>](x.png)", "<p>[image non affichée : &lt;script&gt;]</p>\n"),
])
def test_images_of_the_users_markdown_become_text(markdown, html):
    assert render_markdown(markdown) == html


REMOTE_PAYLOADS = [
    "![x](http://exemple.invalid/pixel.gif)",
    '<img src="http://exemple.invalid/p.gif">',
    '<img srcset="http://exemple.invalid/p.gif 2x">',
    '<iframe src="http://exemple.invalid/"></iframe>',
    '<link rel="stylesheet" href="http://exemple.invalid/s.css">',
    '<object data="http://exemple.invalid/o.swf"></object>',
    "<style>body{background:url(http://exemple.invalid/p.gif)}</style>",
    '<div style="background:url(http://exemple.invalid/p.gif)">x</div>',
    '<svg><image href="http://exemple.invalid/p.svg"/></svg>',
    "<video poster=http://exemple.invalid/p.jpg>",
    "[clic](javascript:alert(1))", "[clic](JAVA&#x53;CRIPT:alert(1))", "[clic](vbscript:x)", "[clic](data:text/html,x)",
    "<script>alert(1)</script>", '<a href="#" onclick="alert(1)">x</a>', "<javascript:alert(1)>",
]


@pytest.mark.parametrize("payload", REMOTE_PAYLOADS)
def test_users_text_loads_nothing_and_runs_nothing(payload):
    html = users_text(f"## Bilan\n\n{payload}\n\nFin.", missing="")._repr_html_()
    assert_no_remote_load(html)
    assert_no_script(html)
    assert "<img" not in html and "<iframe" not in html and "<a href=\"j" not in html.lower()


@pytest.mark.parametrize("url, allowed", [
    ("https://exemple.fr", True), ("http://exemple.fr", True), ("mailto:contact@exemple.fr", True),
    ("page.html", True), ("#section", True), ("JavaScript:alert(1)", False), ("java%0Ascript:alert(1)", False),
    ("data:text/html,x", False), ("file:///etc/passwd", False), ("vbscript:x", False), ("ftp://x.fr", False),
])
def test_links_of_the_users_markdown(url, allowed):
    assert is_allowed_link(url) is allowed
    html = render_markdown(f"[lien]({url})")
    assert (html == f'<p><a href="{url}">lien</a></p>\n') is allowed


def test_printer_requests_allowed_are_local_only():
    assert [is_local_request(u) for u in [
        "file:///tmp/rapport.html", "data:image/png;base64,AA", "about:blank", "blob:file:///x",
        "https://exemple.org/p.gif", "http://127.0.0.1/", "//exemple.org/x", "ws://exemple.org", "",
    ]] == [True, True, True, True, False, False, False, False, False]


# --- the checkers can fail --------------------------------------------------------------------

def test_assert_no_live_formula_catches_each_format(tmp_path):
    workbook = Workbook()
    workbook.active["A1"] = "=1+1"  # openpyxl: a formula
    workbook.active["A2"] = "-5"
    workbook.save(tmp_path / "live.xlsx")
    (tmp_path / "live.csv").write_text("nom;n\n=1+1;-4.5\n ＠x;2\n", encoding="utf-8")
    (tmp_path / "live.geojson").write_text(json.dumps({"features": [{"properties": {"nom": "+1"}}]}), encoding="utf-8")

    assert live_formula_cells(tmp_path / "live.csv") == [
        "live.csv: line 2, column 1: '=1+1'", "live.csv: line 3, column 1: ' ＠x'",
    ]
    assert live_formula_cells(tmp_path / "live.geojson") == ["live.geojson: $.features[0].properties.nom: '+1'"]
    problems = live_formula_cells(tmp_path / "live.xlsx")
    assert problems[0] == "live.xlsx: xl/worksheets/sheet1.xml holds a formula element"
    assert "live.xlsx: Sheet!A1 is a formula: '=1+1'" in problems
    assert "live.xlsx: Sheet!A2 looks like a formula without quote prefix: '-5'" in problems
    with pytest.raises(AssertionError):
        assert_no_live_formula(tmp_path)

    make_workbook_inert(workbook)
    workbook.save(tmp_path / "live.xlsx")
    assert live_formula_cells(tmp_path / "live.xlsx") == []


def test_html_checkers_catch_each_load_and_script():
    page = (
        '<img src="http://x/p.gif"><img src="data:image/png;base64,AA"><a href="http://x/">lien</a>'
        '<link rel=icon href="favicon.ico"><img srcset="a.png 1x, data:image/png;base64,AA 2x">'
        '<p style="background:url(\'http://x/b.png\')">x</p><style>@import "s.css";</style>'
        '<iframe src="x"></iframe><script src="http://x/s.js"></script><script>var ok = 1;</script>'
        '<a href=" JaVaScRiPt:x">y</a><b onmouseover="x()">z</b>'
    )
    assert remote_load_problems(page) == [
        "<img src='http://x/p.gif'>", "<link href='favicon.ico'>", "<img srcset='a.png'>",
        "<p style=…>: url('http://x/b.png')", "<iframe> element", "<iframe src='x'>",
        "<script src='http://x/s.js'>", '<style>: @import "s.css"',
    ]
    assert script_problems(page, allow_inline=True) == [
        "<iframe> element", "<script src=…> element", "script URL in <a href=' JaVaScRiPt:x'>",
        "event handler onmouseover= on <b>",
    ]
    assert script_problems("<script>var ok = 1;</script>") == ["<script> element"]
    assert script_problems("<script>PWNED()</script>", allow_inline=True, sentinel="PWNED") == [
        "script body holds 'PWNED'"]
    assert_no_remote_load('<img src="data:image/png;base64,AA"><a href="https://exemple.org">x</a>')
