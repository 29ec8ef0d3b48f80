"""The XLSX sheets: read from the year context (nothing recomputed), French headers at write time."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pandas as pd
import pytest
from config_factories import make_subsidy
from openpyxl import load_workbook

from relief_analytics.context import build_year_context
from relief_analytics.errors import DataError
from relief_analytics.report.tables import for_workbook, workbook_tables
from relief_analytics.report.xlsx import write_workbook


@pytest.fixture(scope="module")
def sheets(sample_context):
    return workbook_tables(sample_context)


def test_sheet_names_are_french_and_fit_excel(sheets):
    assert list(sheets) == [
        "Compte rendu financier", "Écarts significatifs", "Adhésions", "Événements",
        "Lieux par département", "Lieux par typologie", "Bénévolat", "Liste des lieux",
    ]
    assert all(len(name) <= 31 for name in sheets)


def test_sheets_are_the_context_tables(sheets, sample_context):
    pd.testing.assert_frame_equal(sheets["Adhésions"], sample_context.table("membership_by_year"))
    pd.testing.assert_frame_equal(
        sheets["Lieux par département"], sample_context.table("lieux_by_departement"))
    assert sheets["Lieux par département"]["lieux_count"].sum() == sample_context.facts.open_lieux_count


def test_cerfa_sheet_values_864_870_from_volunteer_hours(sheets, sample_context):
    lines = sheets["Compte rendu financier"].set_index("account_code")
    expected = round(sample_context.facts.volunteer_hours * sample_context.facts.hourly_rate_eur, 2)
    assert lines.at["864", "realised_eur"] == lines.at["870", "realised_eur"] == expected


def test_volunteering_sheet_ends_with_the_year_total(sheets, sample_context):
    volunteering = sheets["Bénévolat"]
    assert volunteering["commission"].iloc[-1] == "Total"
    assert volunteering["volunteer_hours"].iloc[-1] == sample_context.facts.volunteer_hours
    assert volunteering["volunteer_hours"].iloc[:-1].sum() == pytest.approx(
        sample_context.facts.volunteer_hours)


def test_written_workbook_has_french_headers_and_percent_formats(sheets, tmp_path: Path):
    path = write_workbook(sheets, tmp_path / "t.xlsx")
    sheet = load_workbook(path)["Compte rendu financier"]
    headers = [c.value for c in sheet[1]]
    assert headers[-3:] == ["Réalisation (€)", "Écart (€)", "Écart (%)"]
    gap_ratio = [c for c in sheet["J"][1:] if c.value is not None][0]
    assert gap_ratio.number_format == "0.0 %" and abs(gap_ratio.value) < 10  # a ratio, not ×100


def test_no_member_identifier_in_any_sheet(sheets, sample_context):
    member_ids = set(sample_context.dataset.adhesions["member_id"])
    for sheet in sheets.values():
        cells = {str(v) for v in sheet.to_numpy().ravel()} | set(sheet.columns)
        assert not cells & member_ids
        assert "member_id" not in sheet.columns


def test_missing_threshold_is_a_french_data_error(sample_context):
    dataset = sample_context.dataset
    config = replace(dataset.config, subsidy=make_subsidy(seuil_ecart_pct=15))
    broken = replace(dataset, config=config)
    with pytest.raises(DataError, match=r"« seuil_ecart_eur » .* \[subvention\]"):
        build_year_context(broken, year=2025, reference=sample_context.reference)


def test_missing_hourly_rate_stops_the_context(sample_context):
    rates = {y: r for y, r in sample_context.dataset.config.hourly_rates.items() if y != 2025}
    config = replace(sample_context.dataset.config, hourly_rates=rates)
    broken = replace(sample_context.dataset, config=config)
    with pytest.raises(DataError, match="l'année 2025"):
        build_year_context(broken, year=2025, reference=sample_context.reference)


def test_for_workbook_translates_booleans_and_row_kinds():
    frame = pd.DataFrame(
        {"retention_rate": [0.6667], "is_explanation_missing": [True], "row_kind": ["class_total"]}
    )
    assert for_workbook(frame).to_dict("list") == {
        "retention_rate": [0.6667], "is_explanation_missing": ["oui"], "row_kind": ["sous-total"],
    }


def test_lieux_list_is_the_public_open_data_table(sheets, sample_context):
    listed = sheets["Liste des lieux"]
    assert listed.columns[:3].tolist() == ["id", "nom", "adresse"]
    assert len(listed) == int(sample_context.lieux["is_placed"].sum())
    assert not {"member_id", "email", "telephone"} & set(listed.columns)
