"""The year's public tables as files (reports/<année>/donnees/): French CSVs and facts.json."""

from __future__ import annotations

import csv
import io
import json

import pandas as pd
import pytest

from relief_analytics import paths
from relief_analytics.context.catalogue import CATALOGUE, TABLES
from relief_analytics.report.public_tables import public_frame, write_public_tables


@pytest.fixture(scope="module")
def written(sample_context, tmp_path_factory):
    folder = tmp_path_factory.mktemp("annee") / "donnees"
    return folder, write_public_tables(sample_context, folder, parquet=False)


def _rows(path):
    return list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig")), delimiter=";"))


def test_every_public_table_and_the_facts_are_written_and_nothing_else(written, sample_context):
    folder, files = written
    public = {f"{s.name}.csv" for s in CATALOGUE if s.public}
    assert {p.name for p in files} == public | {"facts.json"}
    assert sorted(p.name for p in folder.iterdir()) == sorted(public | {"facts.json"})
    assert "issues.csv" not in public and "unvalidated_orders.csv" not in public


def test_csv_has_french_headers_decimal_comma_and_percentages(written, sample_context):
    folder, _ = written
    rows = _rows(folder / "lieux_by_typology.csv")
    assert rows[0] == ["Typologie", "Lieux", "Part des lieux (%)"]
    frame = sample_context.table("lieux_by_typology")
    first = frame.iloc[0]
    assert rows[1][:2] == [first["typology"], str(first["lieux_count"])]
    assert float(rows[1][2].replace(",", ".")) == pytest.approx(first["lieux_share"] * 100)
    assert (folder / "lieux_by_typology.csv").read_bytes().startswith(b"\xef\xbb\xbf")


def test_yes_no_and_row_kinds_read_in_french(written):
    folder, _ = written
    rows = _rows(folder / "cerfa_gaps.csv")
    header = rows[0]
    assert {r[header.index("Explication manquante")] for r in rows[1:]} <= {"oui", "non"}
    assert "line" not in {r[header.index("Type de ligne")] for r in rows[1:]}
    lieux = _rows(folder / "lieux_open_data.csv")
    assert {r[lieux[0].index("membre_reseau")] for r in lieux[1:]} <= {"oui", "non", ""}


def test_facts_json_holds_the_scalars(written, sample_context):
    folder, _ = written
    facts = json.loads((folder / "facts.json").read_text(encoding="utf-8"))
    assert facts["year"] == 2025
    assert facts["volunteer_hours"] == sample_context.facts.volunteer_hours
    assert facts["funder"] == "Région Auvergne-Rhône-Alpes"


def test_no_email_of_a_person_in_the_public_files(written):
    folder, _ = written
    raw = (paths.SAMPLE_DATASET_DIR / "adhesions_helloasso.csv").read_text(encoding="utf-8-sig")
    rows = [{k.strip(): (v or "").strip() for k, v in row.items() if k}
            for row in csv.DictReader(io.StringIO(raw), delimiter=";")]
    emails = {row["Email payeur"] for row in rows}
    emails.discard("")
    assert emails
    text = "\n".join(p.read_text(encoding="utf-8-sig") for p in folder.iterdir())
    assert [e for e in emails if e in text] == []


def test_a_formula_like_name_is_kept_inert():
    frame = pd.DataFrame({"commission": ["=HYPERLINK(1)"], "copilotes_count": [2]})
    shown = public_frame(frame, TABLES["copilotes_by_commission"])
    assert shown.columns.tolist() == ["Commission", "Copilotes"]
    from relief_analytics.safety import neutralise_frame

    assert neutralise_frame(shown).iloc[0, 0] == "'=HYPERLINK(1)"


def test_parquet_files_are_written_when_asked(sample_context, tmp_path, monkeypatch):
    calls = []
    monkeypatch.setattr(pd.DataFrame, "to_parquet", lambda self, path, index: calls.append(path.name))
    files = write_public_tables(sample_context, tmp_path, parquet=True)
    assert "lieux_by_departement.parquet" in calls
    assert {p.name for p in files} >= {"lieux_by_departement.parquet", "lieux_by_departement.csv"}


def test_only_the_computed_tables_are_written(sample_context, tmp_path):
    from dataclasses import replace

    partial = replace(sample_context, tables={"cerfa": sample_context.table("cerfa")})
    files = write_public_tables(partial, tmp_path, parquet=False)
    assert sorted(p.name for p in files) == ["cerfa.csv", "facts.json"]
