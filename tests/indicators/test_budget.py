"""Compte rendu financier (CERFA 15059): lines, subtotals, 864/870, balance, significant gaps."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pandas.testing as pdt
import pytest

from relief_analytics.indicators.budget import (
    BudgetError,
    attach_explanations,
    cerfa_table,
    significant_gaps,
    subsidies_by_funder,
)

NNBSP = "\u202f"
NBSP = "\u00a0"
NA = np.nan


def budget_frame(rows: list[tuple]) -> pd.DataFrame:
    """Rows: (year, account_code, account_label, planned, realised, funder)."""
    frame = pd.DataFrame(rows, columns=["year", "account_code", "account_label", "planned_eur",
                                        "realised_eur", "funder"])
    frame["year"] = frame["year"].astype("Int64")
    frame["planned_eur"] = frame["planned_eur"].astype("float64")
    frame["realised_eur"] = frame["realised_eur"].astype("float64")
    frame["action"] = None
    return frame


BUDGET = budget_frame([
    (2025, "606", "Fournitures", 1000, 1200, None),
    (2025, "6226", "Honoraires", 3000, 2400, None),
    (2025, "742", "Subvention de fonctionnement", 10000, 10000, "Région Auvergne-Rhône-Alpes"),
    (2025, "742", "Subvention de fonctionnement", 2000, 2500, "Commune de Lyon"),
    (2025, "756", "", 500, 650, None),  # blank label: the chart of accounts gives "Cotisations"
    (2025, "758", "Dons", 0, 600, None),
    (2025, "861", "Locaux mis à disposition", 1200, 1200, None),
    (2025, "871", "Locaux prêtés", 1200, 1200, None),
    (2025, "864", "Bénévoles", 5000, 999, None),  # realised replaced by hours × rate
    (2025, "870", "Bénévolat", 5000, None, None),
    (2024, "606", "Fournitures", 700, 650, None),  # other year: ignored
])

CHARGES, PRODUITS, CVN, RESULT = "Charges", "Produits", "Contributions volontaires", "Résultat"
C60, C62 = "60 Achats", "62 Autres services extérieurs"
C74, C75 = "74 Subventions d'exploitation", "75 Autres produits de gestion courante"
C86 = "86 Emplois des contributions volontaires en nature"
C87 = "87 Contributions volontaires en nature"
REGION, COMMUNE = "Région Auvergne-Rhône-Alpes", "Commune de Lyon"

# 400 hours × 11.88 €/h = 4 752,00 €, in 864 and in 870
EXPECTED_ROWS = [
    # section, class, class label, account, label, funder, kind, planned, realised
    (CHARGES, "60", C60, "606", "Fournitures", NA, "line", 1000.0, 1200.0),
    (CHARGES, "60", C60, NA, f"Total {C60}", NA, "class_total", 1000.0, 1200.0),
    (CHARGES, "62", C62, "6226", "Honoraires", NA, "line", 3000.0, 2400.0),
    (CHARGES, "62", C62, NA, f"Total {C62}", NA, "class_total", 3000.0, 2400.0),
    (CHARGES, NA, NA, NA, "Total des charges", NA, "section_total", 4000.0, 3600.0),
    (PRODUITS, "74", C74, "742", "Subvention de fonctionnement", COMMUNE, "line", 2000.0, 2500.0),
    (PRODUITS, "74", C74, "742", "Subvention de fonctionnement", REGION, "line", 10000.0, 10000.0),
    (PRODUITS, "74", C74, NA, f"Total {C74}", NA, "class_total", 12000.0, 12500.0),
    (PRODUITS, "75", C75, "756", "Cotisations", NA, "line", 500.0, 650.0),
    (PRODUITS, "75", C75, "758", "Dons", NA, "line", 0.0, 600.0),
    (PRODUITS, "75", C75, NA, f"Total {C75}", NA, "class_total", 500.0, 1250.0),
    (PRODUITS, NA, NA, NA, "Total des produits", NA, "section_total", 12500.0, 13750.0),
    (RESULT, NA, NA, NA, "Résultat (produits − charges)", NA, "result", 8500.0, 10150.0),
    (CVN, "86", C86, "861", "Locaux mis à disposition", NA, "line", 1200.0, 1200.0),
    (CVN, "86", C86, "864", "Personnel bénévole", NA, "line", 5000.0, 4752.0),
    (CVN, "86", C86, NA, f"Total {C86}", NA, "class_total", 6200.0, 5952.0),
    (CVN, "87", C87, "870", "Bénévolat", NA, "line", 5000.0, 4752.0),
    (CVN, "87", C87, "871", "Locaux prêtés", NA, "line", 1200.0, 1200.0),
    (CVN, "87", C87, NA, f"Total {C87}", NA, "class_total", 6200.0, 5952.0),
]


def expected_table(rows: list[tuple], year: int = 2025) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=[
        "section", "class_code", "class_label", "account_code", "account_label", "funder",
        "row_kind", "planned_eur", "realised_eur"])
    frame.insert(0, "year", pd.array([year] * len(frame), dtype="Int64"))
    for column in ["section", "class_code", "class_label", "account_code", "account_label",
                   "funder", "row_kind"]:
        frame[column] = frame[column].astype("str")
    frame["gap_eur"] = frame["realised_eur"] - frame["planned_eur"]
    frame["gap_ratio"] = frame["gap_eur"] / frame["planned_eur"].where(frame["planned_eur"] != 0)
    return frame


def test_cerfa_table_whole_frame():
    result = cerfa_table(BUDGET, year=2025, volunteer_hours=400, hourly_rate=11.88)
    pdt.assert_frame_equal(result, expected_table(EXPECTED_ROWS))


def test_cerfa_gaps_by_hand():
    result = cerfa_table(BUDGET, year=2025, volunteer_hours=400, hourly_rate=11.88)
    lines = result.set_index("account_label")
    assert lines.at["Honoraires", "gap_eur"] == -600.0
    assert lines.at["Honoraires", "gap_ratio"] == -0.2
    assert np.isnan(lines.at["Dons", "gap_ratio"])  # nothing planned: no relative gap
    assert lines.at["Résultat (produits − charges)", "gap_eur"] == 1650.0


def test_volunteer_lines_are_hours_times_rate_and_balanced():
    result = cerfa_table(BUDGET, year=2025, volunteer_hours=123.5, hourly_rate=11.65)
    by_code = result[result["row_kind"] == "line"].set_index("account_code")["realised_eur"]
    assert by_code["864"] == by_code["870"] == round(123.5 * 11.65, 2) == 1438.78
    totals = result[result["row_kind"] == "class_total"].set_index("class_code")
    assert totals.at["86", "realised_eur"] == totals.at["87", "realised_eur"] == 2638.78
    assert totals.at["86", "planned_eur"] == totals.at["87", "planned_eur"] == 6200.0


def test_volunteer_lines_exist_even_when_the_file_has_none():
    budget = budget_frame([(2025, "606", "Fournitures", 100, 100, None),
                           (2025, "741", "Subvention État", 100, 100, "État")])
    result = cerfa_table(budget, year=2025, volunteer_hours=10, hourly_rate=10.0)
    volunteer = result[result["account_code"].isin(["864", "870"])]
    assert volunteer["account_label"].tolist() == ["Personnel bénévole", "Bénévolat"]
    assert volunteer["realised_eur"].tolist() == [100.0, 100.0]
    assert volunteer["planned_eur"].isna().all()  # no prévision in the file
    assert volunteer["gap_ratio"].isna().all()


def test_planned_volunteer_line_mirrors_the_other_one():
    budget = budget_frame([(2025, "606", "Fournitures", 100, 100, None),
                           (2025, "870", "Bénévolat", 1000, None, None)])
    result = cerfa_table(budget, year=2025, volunteer_hours=10, hourly_rate=10.0)
    planned = result[result["account_code"].isin(["864", "870"])]["planned_eur"].tolist()
    assert planned == [1000.0, 1000.0]


def test_unbalanced_contributions_in_kind_raise_a_french_error():
    budget = budget_frame([
        (2025, "606", "Fournitures", 100, 100, None),
        (2025, "861", "Locaux", 300, 300, None),
        (2025, "871", "Locaux prêtés", 300, 200, None),
    ])
    with pytest.raises(BudgetError) as error:
        cerfa_table(budget, year=2025, volunteer_hours=10, hourly_rate=10.0)
    assert str(error.value) == (
        "Les contributions volontaires en nature de 2025 ne sont pas équilibrées en réalisation : "
        f"les emplois (comptes 86) totalisent 400,00{NBSP}€ et les contributions (comptes 87) "
        f"300,00{NBSP}€. Dans le fichier budget, le total des lignes 86x doit être égal à celui "
        "des lignes 87x (les montants réalisés de 864 et 870 sont calculés à partir des heures "
        "de bénévolat)."
    )


def test_unbalanced_planned_contributions_in_kind_raise_too():
    budget = budget_frame([
        (2025, "606", "Fournitures", 100, 100, None),
        (2025, "861", "Locaux", 300, 200, None),
        (2025, "871", "Locaux prêtés", 200, 200, None),
    ])
    with pytest.raises(BudgetError, match="ne sont pas équilibrées en prévision : les emplois "
                                          f"\\(comptes 86\\) totalisent 300,00{NBSP}€"):
        cerfa_table(budget, year=2025, volunteer_hours=10, hourly_rate=10.0)


def test_a_total_adds_the_planned_lines_when_one_line_has_no_prevision():
    budget = budget_frame([(2025, "606", "Fournitures", 100, 100, None),
                           (2025, "861", "Locaux", 300, 300, None),
                           (2025, "871", "Locaux prêtés", 300, 300, None)])
    result = cerfa_table(budget, year=2025, volunteer_hours=10, hourly_rate=10.0)
    lines = result[result["row_kind"] == "line"].set_index("account_code")
    totals = result[result["row_kind"] == "class_total"].set_index("class_code")
    # 864/870 have no prévision (shown « — »); the 86 and 87 totals add what was planned
    assert lines.loc[["864", "870"], "planned_eur"].isna().all()
    assert totals.loc[["86", "87"], "planned_eur"].tolist() == [300.0, 300.0]
    assert totals.loc[["86", "87"], "realised_eur"].tolist() == [400.0, 400.0]
    assert totals.loc[["86", "87"], "gap_eur"].tolist() == [100.0, 100.0]


def test_a_year_without_budget_lines_raises():
    with pytest.raises(BudgetError, match="Aucune ligne budgétaire pour l'exercice 2030"):
        cerfa_table(BUDGET, year=2030, volunteer_hours=0, hourly_rate=11.88)


def gap_table(rows: list[tuple]) -> pd.DataFrame:
    """Rows: (account_code, row_kind, planned, realised)."""
    frame = pd.DataFrame(rows, columns=["account_code", "row_kind", "planned_eur", "realised_eur"])
    frame["gap_eur"] = (frame["realised_eur"] - frame["planned_eur"]).round(2)
    frame["gap_ratio"] = frame["gap_eur"] / frame["planned_eur"].where(frame["planned_eur"] != 0)
    return frame


def test_significant_gaps_need_both_thresholds_strictly_exceeded():
    table = gap_table([
        ("A", "line", 1000.0, 1500.0),     # 500 € exactly at the € threshold: no
        ("B", "line", 1000.0, 1500.01),    # 500,01 € and 50 %: yes
        ("C", "line", 4000.0, 4600.0),     # 600 € but 15 % exactly: no
        ("D", "line", 4000.0, 4600.4),     # 600,40 € and 15,01 %: yes
        ("E", "line", 4000.0, 3300.0),     # -700 € and -17,5 %: yes (either direction)
        ("F", "line", 0.0, 600.0),         # nothing planned, 600 €: yes (infinite %)
        ("G", "line", 0.0, 400.0),         # nothing planned, 400 €: no
        ("H", "line", NA, 5000.0),         # no prévision at all: no
        ("I", "line", 5000.0, NA),         # no réalisation yet: no
        ("J", "line", 20000.0, 22000.0),   # 2 000 € but 10 %: no
        ("T", "class_total", 1000.0, 9000.0),  # subtotals are never listed
    ])
    result = significant_gaps(table, pct_threshold=15, eur_threshold=500)
    expected = table[table["account_code"].isin(["B", "D", "E", "F"])].reset_index(drop=True)
    pdt.assert_frame_equal(result, expected)


def test_significant_gaps_on_the_cerfa_table():
    table = cerfa_table(BUDGET, year=2025, volunteer_hours=400, hourly_rate=11.88)
    result = significant_gaps(table, pct_threshold=15, eur_threshold=500)
    # 6226: -600 € / -20 %; 742 Commune: 500 € exactly (no); 758: 600 € unplanned (yes)
    assert result["account_code"].tolist() == ["6226", "758"]


def test_significant_gaps_rejects_negative_thresholds():
    with pytest.raises(ValueError, match=r"\[subvention\]"):
        significant_gaps(gap_table([]), pct_threshold=-1, eur_threshold=500)


def test_attach_explanations():
    gaps = pd.DataFrame({
        "year": pd.array([2025, 2025, 2025], dtype="Int64"),
        "account_code": ["6226", "758", "606"],
        "gap_eur": [-600.0, 600.0, 700.0],
    })
    explanations = pd.DataFrame({
        "year": pd.array([2025, 2024, 2025], dtype="Int64"),
        "account_code": ["6226", "758", "606"],
        "explanation": ["  Moins de prestations que prévu. ", "Explication d'un autre exercice", "  "],
    })
    result = attach_explanations(gaps, explanations)
    expected = gaps.assign(
        explanation=pd.Series(["Moins de prestations que prévu.", NA, NA], dtype="str"),
        is_explanation_missing=pd.array([False, True, True], dtype="boolean"),
    )
    pdt.assert_frame_equal(result, expected)


def test_subsidies_by_funder():
    budget = budget_frame([
        (2025, "742", "Subvention", 10000, 10000, REGION),
        (2025, "744", "Subvention", 2000, 2500, COMMUNE),
        (2025, "741", "Subvention", 500, 0, None),
        (2025, "756", "Cotisations", 500, 650, None),  # not a subsidy
        (2024, "742", "Subvention", 9000, 9000, REGION),  # other year
    ])
    result = subsidies_by_funder(budget, year=2025)
    expected = pd.DataFrame({
        "funder": [REGION, COMMUNE, "Financeur non précisé"],
        "planned_eur": [10000.0, 2000.0, 500.0],
        "realised_eur": [10000.0, 2500.0, 0.0],
        "gap_eur": [0.0, 500.0, -500.0],
        "gap_ratio": [0.0, 0.25, -1.0],
        "realised_share": [0.8, 0.2, 0.0],
    })
    pdt.assert_frame_equal(result, expected)
