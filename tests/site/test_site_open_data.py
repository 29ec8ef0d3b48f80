"""The Données page: the open-data files are valid against their Table Schema, and described."""

from __future__ import annotations

import csv
import io
import json
import re

import pytest
from bs4 import BeautifulSoup
from site_factories import by_departement, open_data_frame, open_data_row, write_dataset, write_year

from relief_analytics.site.build import build_site


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    reports = tmp_path_factory.mktemp("reports")
    rows = [open_data_row("L1", "La Fabrique"), open_data_row("L2", "=SOMME(A1)", site_web=None, annee=None),
            open_data_row("L3", "Projet, « quoted »", etat="en projet", annee=None, membre=False)]
    write_year(reports, 2025, tables={"lieux_open_data": open_data_frame(rows),
                                      "lieux_by_departement": by_departement({"26": ("Drôme", 500_000, 2, 1)})})
    dataset = write_dataset(tmp_path_factory.mktemp("donnees"))
    build_site(dataset_dir=dataset, reports_dir=reports, progress=lambda *_: None)
    return reports / "site"


def test_the_csv_is_valid_against_its_table_schema_with_frictionless(site):
    frictionless = pytest.importorskip("frictionless")
    resource = frictionless.Resource(path="lieux.csv", schema="schema.json", basepath=str(site / "donnees"))
    report = frictionless.validate(resource)
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])


def test_every_value_of_the_csv_follows_its_schema(site):
    """The schema's own rules, checked without frictionless (it is not a dependency of the tests)."""
    schema = json.loads((site / "donnees" / "schema.json").read_text(encoding="utf-8"))
    text = (site / "donnees" / "lieux.csv").read_text(encoding="utf-8")
    rows = list(csv.DictReader(io.StringIO(text)))
    fields = schema["fields"]
    assert [f["name"] for f in fields] == list(rows[0])
    assert set(schema["primaryKey"]) <= {f["name"] for f in fields}
    assert len({r["id"] for r in rows}) == len(rows) == 3
    for field in fields:
        assert field["type"] in ("string", "number", "integer", "boolean", "date")
        assert field["description"]
        rules = field.get("constraints", {})
        for row in rows:
            value = row[field["name"]]
            if value == "":
                assert not rules.get("required"), (field["name"], row["id"])
                continue
            if field["type"] == "integer":
                int(value)
            elif field["type"] == "number":
                float(value)
            elif field["type"] == "boolean":
                assert value in field["trueValues"] + field["falseValues"]
            elif field["type"] == "date":
                assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", value)
            if "pattern" in rules:
                assert re.fullmatch(rules["pattern"], value), (field["name"], value)
            if "enum" in rules:
                assert value in rules["enum"], (field["name"], value)
            for bound, compare in (("minimum", float.__ge__), ("maximum", float.__le__)):
                if bound in rules:
                    assert compare(float(value), float(rules[bound])), (field["name"], value)
    assert [r["nom"] for r in rows] == ["La Fabrique", "'=SOMME(A1)", "Projet, « quoted »"]  # inert in a spreadsheet


def test_the_data_page_gives_licence_date_and_row_counts(site):
    page = BeautifulSoup((site / "donnees.html").read_text(encoding="utf-8"), "html.parser")
    intro = page.select_one("main p").get_text(" ", strip=True)
    assert "Licence Ouverte 2.0 (Etalab)" in intro
    assert "fiches des lieux à jour au 14 mars 2025, rapports construits le 15 janvier 2026" in intro
    table = page.select("table")[0]
    cells = [[c.get_text() for c in tr.select("th, td")] for tr in table.select("tbody tr")]
    assert [(c[0], c[2]) for c in cells] == [("Lieux (CSV)", "3"), ("Lieux (GeoJSON)", "3"),
                                             ("Schéma (Table Schema)", "—"),
                                             ("Dictionnaire des champs (LISEZMOI)", "—")]
    for link in table.select("a"):
        assert (site / link["href"]).is_file()
    geojson = json.loads((site / "donnees" / "lieux.geojson").read_text(encoding="utf-8"))
    assert [f["id"] for f in geojson["features"]] == ["L1", "L2", "L3"]
