"""XLSX writing: formats by header, widths, frozen bold header."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from openpyxl import load_workbook

from relief_analytics.report.xlsx import (
    DATE_FORMAT,
    EURO_FORMAT,
    INTEGER_FORMAT,
    PERCENT_FORMAT,
    YEAR_FORMAT,
    write_workbook,
)


def test_workbook_has_one_formatted_sheet_per_table(tmp_path: Path):
    budget = pd.DataFrame(
        {
            "year": pd.array([2025, 2025], dtype="Int64"),
            "account_code": ["606", "741"],
            "realised_eur": [1234.5, None],
            "gap_ratio": [0.153, -0.02],
            "lieux_count": [3, 4],
            "Date de versement": pd.to_datetime(["2025-03-14", "2025-06-01"]),
        }
    )
    path = write_workbook(
        {"Budget: réalisé/prévu": budget, "Vide": pd.DataFrame({"A": []})}, tmp_path / "t.xlsx"
    )
    workbook = load_workbook(path)
    assert workbook.sheetnames == ["Budget  réalisé prévu", "Vide"]
    sheet = workbook.worksheets[0]
    # English columns in, French headers out (units come from the column names, not the headers)
    assert [c.value for c in sheet[1]] == [
        "Année", "Compte", "Réalisation (€)", "Écart (%)", "Lieux", "Date de versement"]
    assert all(c.font.bold for c in sheet[1])
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:F3"
    formats = [c.number_format for c in sheet[2]]
    assert formats == [
        YEAR_FORMAT,
        "General",
        EURO_FORMAT,
        PERCENT_FORMAT,
        INTEGER_FORMAT,
        DATE_FORMAT,
    ]
    assert sheet["C2"].value == 1234.5 and sheet["C3"].value is None
    assert sheet["F2"].value.year == 2025
    assert sheet.column_dimensions["F"].width >= len("14/03/2025") + 2
    assert sheet["F1"].alignment.wrap_text  # long headers wrap instead of widening the column


HOSTILE_TEXTS = ["=1+1", "+SUM(A1:A2)", "-2+3", "@SUM(1)", "\t=1", "\r=1", '=HYPERLINK("http://x","clic")']


def test_text_starting_like_a_formula_is_stored_as_text(tmp_path):
    frame = pd.DataFrame({"Financeur": HOSTILE_TEXTS, "=Montant (€)": [1.0] * len(HOSTILE_TEXTS)})
    path = write_workbook({"Budget": frame}, tmp_path / "t.xlsx")
    sheet = load_workbook(path).worksheets[0]
    # shown as typed (XML stores a carriage return as a line feed)
    assert [c.value for c in sheet["A"]][1:] == [t.replace("\r", "\n") for t in HOSTILE_TEXTS]
    assert sheet["B1"].value == "=Montant (€)"
    cells = [c for row in sheet.iter_rows() for c in row]
    assert [c.coordinate for c in cells if c.data_type == "f"] == []
    import zipfile

    with zipfile.ZipFile(path) as archive:
        xml = archive.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in xml and "<f " not in xml
