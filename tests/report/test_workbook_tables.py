"""The XLSX tables: sheet names, French headers, the CERFA figures, no member identifiers."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from relief_analytics.load.errors import DataError
from relief_analytics.report.tables import for_workbook, workbook_tables

MEMBER_IDS = ["m-aa11", "m-bb22", "m-cc33"]


def make_dataset(**overrides) -> SimpleNamespace:
    config = SimpleNamespace(
        first_year=2023,
        hourly_rates={2023: 11.27, 2024: 11.65},
        lists={
            "statuts_commande_valides": ["Validé"],
            "commissions": ["Formation", "Communication"],
        },
        subsidy={"seuil_ecart_pct": 15, "seuil_ecart_eur": 500, "financeur": "Région"},
    )
    tables = {
        "adhesions": pd.DataFrame(
            {
                "membership_id": ["A1", "A2", "A3", "A4"],
                "order_date": pd.to_datetime(
                    ["2023-01-05", "2024-01-05", "2024-02-05", "2024-03-05"]
                ),
                "membership_year": pd.array([2023, 2024, 2024, 2024], dtype="Int64"),
                "order_status": ["Validé", "Validé", "Validé", "En attente"],
                "member_id": [MEMBER_IDS[0], MEMBER_IDS[0], MEMBER_IDS[1], MEMBER_IDS[2]],
                "member_kind": ["physique", "physique", "morale", "physique"],
                "amount_eur": [10.0, 20.0, 50.0, 5.0],
                "postal_code": ["69003", "69003", "38000", "01000"],
            }
        ),
        "evenements": pd.DataFrame(
            {
                "event_id": ["E1", "E2"],
                "start_date": pd.to_datetime(["2024-03-01", "2024-04-01"]),
                "event_kind": ["Formation", "Copil"],
                "commission": ["Formation", "Communication"],
                "attendance_mode": ["sur place", "en ligne"],
                "participants_count": pd.array([12, 8], dtype="Int64"),
                "duration_hours": [3.0, 2.0],
            }
        ),
        "lieux": pd.DataFrame(
            {
                "lieu_id": ["L1", "L2"],
                "state": ["ouvert", "fermé"],
                "opening_year": pd.array([2020, 2021], dtype="Int64"),
                "is_member": pd.array([True, False], dtype="boolean"),
                "typologies": ["Fablab", "Coworking"],
                "legal_status": ["SCIC", "Association"],
                "commune_code": ["69123", "38185"],
                "postal_code": ["69001", "38000"],
            }
        ),
        "contributions": pd.DataFrame(
            {
                "contribution_id": ["C1", "C2", "C3"],
                "member_id": [MEMBER_IDS[0], MEMBER_IDS[1], MEMBER_IDS[0]],
                "contribution_date": pd.to_datetime(["2024-01-10", "2024-02-10", "2024-03-10"]),
                "commission": ["Formation", "Formation", "Communication"],
                "hours": [10.0, 20.0, 10.0],
                "retribution_eur": [0.0, 0.0, 100.0],
            }
        ),
        "budget": pd.DataFrame(
            {
                "year": pd.array([2024] * 4, dtype="Int64"),
                "account_code": ["606", "625", "742", "756"],
                "account_label": ["Fournitures", "Déplacements", "Subvention", "Cotisations"],
                "planned_eur": [1000.0, 4000.0, 5000.0, 100.0],
                "realised_eur": [1800.0, 4100.0, 5000.0, 70.0],
                "funder": [None, None, "Région", None],
            }
        ),
        "explications_ecarts": pd.DataFrame(
            {
                "year": pd.array([2024], dtype="Int64"),
                "account_code": ["606"],
                "explanation": ["Achat de matériel d'animation."],
            }
        ),
    }
    tables.update(overrides)
    return SimpleNamespace(config=config, **tables)


def test_sheet_names_are_french_and_fit_excel():
    sheets = workbook_tables(make_dataset(), 2024)
    assert list(sheets) == [
        "Compte rendu financier",
        "Écarts significatifs",
        "Adhésions",
        "Événements",
        "Lieux par département",
        "Bénévolat",
    ]
    assert all(len(name) <= 31 for name in sheets)


def test_cerfa_sheet_values_864_870_from_volunteer_hours():
    cerfa = workbook_tables(make_dataset(), 2024)["Compte rendu financier"]
    assert cerfa.columns.tolist() == [
        "Section",
        "Classe de comptes",
        "Compte",
        "Intitulé",
        "Financeur",
        "Type de ligne",
        "Prévision (€)",
        "Réalisation (€)",
        "Écart (€)",
        "Écart (%)",
    ]
    lines = cerfa.set_index("Compte")
    # 30 unpaid hours (the 10 paid ones are not bénévolat) × 11.65 €/h
    assert lines.at["864", "Réalisation (€)"] == lines.at["870", "Réalisation (€)"] == 349.5
    assert lines.at["606", "Écart (%)"] == 80.0  # percentages, not ratios, in the sheet
    result = cerfa[cerfa["Type de ligne"] == "résultat"]
    assert result["Réalisation (€)"].tolist() == [5070.0 - 5900.0]


def test_gaps_sheet_carries_explanations():
    gaps = workbook_tables(make_dataset(), 2024)["Écarts significatifs"]
    expected = pd.DataFrame(
        {
            "Compte": ["606"],
            "Intitulé": ["Fournitures"],
            "Financeur": pd.Series([np.nan], dtype="str"),
            "Prévision (€)": [1000.0],
            "Réalisation (€)": [1800.0],
            "Écart (€)": [800.0],
            "Écart (%)": [80.0],
            "Explication de l'écart": ["Achat de matériel d'animation."],
            "Explication manquante": ["non"],
        }
    )
    pd.testing.assert_frame_equal(gaps, expected)


def test_gaps_sheet_without_explanations_table():
    dataset = make_dataset()
    del dataset.explications_ecarts
    gaps = workbook_tables(dataset, 2024)["Écarts significatifs"]
    assert gaps["Explication manquante"].tolist() == ["oui"]


def test_series_and_volunteering_sheets():
    sheets = workbook_tables(make_dataset(), 2024)
    membership = sheets["Adhésions"]
    assert membership["Année"].tolist() == [2023, 2024]
    assert membership["Membres"].tolist() == [1, 2]
    assert membership["Taux de renouvellement (%)"].tolist()[1] == 100.0
    events = sheets["Événements"]
    assert events["Heures de formation délivrées (h × participants)"].tolist() == [0.0, 36.0]
    volunteering = sheets["Bénévolat"]
    assert volunteering["Commission"].tolist() == ["Formation", "Communication", "Total"]
    assert volunteering["Heures bénévoles (h)"].tolist() == [30.0, 0.0, 30.0]
    assert volunteering["Contributeurs"].tolist() == [2, 1, 2]
    assert volunteering["Valorisation du bénévolat (€)"].tolist() == [349.5, 0.0, 349.5]
    lieux = sheets["Lieux par département"]
    assert lieux["Département"].tolist() == ["38", "69"]


def test_no_member_identifier_in_any_sheet():
    for sheet in workbook_tables(make_dataset(), 2024).values():
        cells = {str(v) for v in sheet.to_numpy().ravel()} | set(sheet.columns)
        assert not cells & set(MEMBER_IDS)
        assert "member_id" not in sheet.columns


def test_missing_threshold_is_a_french_data_error():
    dataset = make_dataset()
    dataset.config.subsidy = {"seuil_ecart_pct": 15}
    with pytest.raises(DataError, match=r"« seuil_ecart_eur » .* \[subvention\]"):
        workbook_tables(dataset, 2024)


def test_missing_hourly_rate_stops_the_workbook():
    with pytest.raises(DataError, match="l'année 2025"):
        workbook_tables(make_dataset(), 2025)


def test_for_workbook_converts_ratios_and_booleans():
    frame = pd.DataFrame(
        {"retention_rate": [0.6667], "is_explanation_missing": [True], "row_kind": ["class_total"]}
    )
    assert for_workbook(frame).to_dict("list") == {
        "Taux de renouvellement (%)": [66.7],
        "Explication manquante": ["oui"],
        "Type de ligne": ["sous-total"],
    }
