"""Compte rendu financier (CERFA 15059): lines, subtotals, 864/870, balance, significant gaps."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pandas.testing as pdt
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from relief_analytics.indicators.budget import (
    BudgetError,
    attach_explanations,
    cerfa_table,
    class_label,
    gap_of,
    next_year_budget,
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


def empty(section: str, code: str) -> tuple:
    """The row of a class of the grid that has no line: its label, 0 € planned and realised."""
    label = class_label(code)
    return (section, code, label, NA, label, NA, "class_total", 0.0, 0.0)


def zero_line(code: str, label: str) -> tuple:
    """A standard account of 86/87 absent from the file, shown at 0 €."""
    return (CVN, code[:2], C86 if code.startswith("86") else C87, code, label, NA, "line", 0.0, 0.0)


EXPECTED_ROWS = [
    # section, class, class label, account, label, funder, kind, planned, realised
    (CHARGES, "60", C60, "606", "Fournitures", NA, "line", 1000.0, 1200.0),
    (CHARGES, "60", C60, NA, f"Total {C60}", NA, "class_total", 1000.0, 1200.0),
    empty(CHARGES, "61"),
    (CHARGES, "62", C62, "6226", "Honoraires", NA, "line", 3000.0, 2400.0),
    (CHARGES, "62", C62, NA, f"Total {C62}", NA, "class_total", 3000.0, 2400.0),
    *(empty(CHARGES, code) for code in ("63", "64", "65", "66", "67", "68")),
    (CHARGES, NA, NA, NA, "Total des charges", NA, "section_total", 4000.0, 3600.0),
    *(empty(PRODUITS, code) for code in ("70", "71", "72", "73")),
    (PRODUITS, "74", C74, "742", "Subvention de fonctionnement", COMMUNE, "line", 2000.0, 2500.0),
    (PRODUITS, "74", C74, "742", "Subvention de fonctionnement", REGION, "line", 10000.0, 10000.0),
    (PRODUITS, "74", C74, NA, f"Total {C74}", NA, "class_total", 12000.0, 12500.0),
    (PRODUITS, "75", C75, "756", "Cotisations", NA, "line", 500.0, 650.0),
    (PRODUITS, "75", C75, "758", "Dons", NA, "line", 0.0, 600.0),
    (PRODUITS, "75", C75, NA, f"Total {C75}", NA, "class_total", 500.0, 1250.0),
    *(empty(PRODUITS, code) for code in ("76", "77", "78")),
    (PRODUITS, NA, NA, NA, "Total des produits", NA, "section_total", 12500.0, 13750.0),
    (RESULT, NA, NA, NA, "Résultat (produits − charges)", NA, "result", 8500.0, 10150.0),
    zero_line("860", "Secours en nature"),
    (CVN, "86", C86, "861", "Locaux mis à disposition", NA, "line", 1200.0, 1200.0),
    zero_line("862", "Prestations"),
    (CVN, "86", C86, "864", "Personnel bénévole", NA, "line", 5000.0, 4752.0),
    (CVN, "86", C86, NA, f"Total {C86}", NA, "class_total", 6200.0, 5952.0),
    (CVN, "87", C87, "870", "Bénévolat", NA, "line", 5000.0, 4752.0),
    (CVN, "87", C87, "871", "Locaux prêtés", NA, "line", 1200.0, 1200.0),
    zero_line("875", "Dons en nature"),
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
    frame["gap_eur"] = gap_of(frame["planned_eur"], frame["realised_eur"])
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
        ("H", "line", NA, 5000.0),         # no prévision (« — ») counts as 0 €: yes (infinite %)
        ("I", "line", 5000.0, NA),         # no réalisation counts as 0 €: -5 000 €, -100 %: yes
        ("K", "line", NA, NA),             # no amount at all: no gap
        ("J", "line", 20000.0, 22000.0),   # 2 000 € but 10 %: no
        ("T", "class_total", 1000.0, 9000.0),  # subtotals are never listed
    ])
    result = significant_gaps(table, pct_threshold=15, eur_threshold=500)
    expected = table[table["account_code"].isin(["B", "D", "E", "F", "H", "I"])].reset_index(drop=True)
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


def test_every_class_of_the_grid_is_a_row_with_its_standard_label():
    result = cerfa_table(BUDGET, year=2025, volunteer_hours=400, hourly_rate=11.88)
    subtotals = result[result["row_kind"] == "class_total"]
    assert subtotals["class_code"].tolist() == [
        "60", "61", "62", "63", "64", "65", "66", "67", "68",
        "70", "71", "72", "73", "74", "75", "76", "77", "78", "86", "87"]
    labels = dict(zip(subtotals["class_code"], subtotals["account_label"], strict=True))
    assert labels["63"] == "63 Impôts et taxes"
    assert labels["73"] == "73 Dotations et produits de tarification"
    assert labels["78"] == "78 Reprises"
    assert labels["60"] == "Total 60 Achats"
    empty = subtotals[subtotals["class_code"] == "66"].iloc[0]
    assert (empty["planned_eur"], empty["realised_eur"], empty["gap_eur"]) == (0.0, 0.0, 0.0)


def test_the_contributions_in_kind_sit_under_the_result_with_every_standard_account():
    result = cerfa_table(BUDGET, year=2025, volunteer_hours=400, hourly_rate=11.88)
    assert result["row_kind"].tolist().index("result") < result.index[result["class_code"] == "86"][0]
    lines = result[(result["row_kind"] == "line") & result["class_code"].isin(["86", "87"])]
    assert lines["account_code"].tolist() == ["860", "861", "862", "864", "870", "871", "875"]


def _sum_of_gaps(gaps: pd.Series) -> float:
    """0 € for no line at all; missing when every line's gap is missing (no amount anywhere)."""
    return 0.0 if gaps.empty else round(float(gaps.sum(min_count=1)), 2)


def sums_of_line_gaps(table: pd.DataFrame) -> dict[str, float]:
    """Gap of every total recomputed from the lines only: class, section, result."""
    lines = table[table["row_kind"] == "line"]
    sums = {code: _sum_of_gaps(group["gap_eur"]) for code, group in lines.groupby("class_code")}
    for section in (CHARGES, PRODUITS):
        sums[section] = _sum_of_gaps(lines.loc[lines["section"] == section, "gap_eur"])
    sums[RESULT] = (NA if np.isnan(sums[PRODUITS]) and np.isnan(sums[CHARGES])
                    else round(float(np.nansum([sums[PRODUITS], -sums[CHARGES]])), 2))
    return sums


@pytest.mark.parametrize("budget", [
    BUDGET,
    budget_frame([  # the sample's shape: 861/871 planned, no volunteer time planned
        (2025, "606", "Fournitures", 2500, 2490, None),
        (2025, "625", "Déplacements", 9000, 6800, None),
        (2025, "706", "Formations", 8000, 11500, None),
        (2025, "743", "Subvention Département", 5000, 0, "Département"),
        (2025, "758", "Dons", None, 80, None),  # a line without prévision
        (2025, "861", "Locaux", 4000, 4000, None),
        (2025, "871", "Prestations en nature", 4000, 4000, None),
    ]),
])
def test_the_totals_gaps_are_the_sums_of_the_lines_gaps(budget):
    table = cerfa_table(budget, year=2025, volunteer_hours=4513.0, hourly_rate=11.88)
    sums = sums_of_line_gaps(table)
    subtotals = table[table["row_kind"] == "class_total"].set_index("class_code")["gap_eur"]
    for code, gap in subtotals.items():
        assert gap == sums.get(code, 0.0), code
    totals = table[table["row_kind"] == "section_total"].set_index("section")["gap_eur"]
    assert totals.to_dict() == {CHARGES: sums[CHARGES], PRODUITS: sums[PRODUITS]}
    assert table.loc[table["row_kind"] == "result", "gap_eur"].item() == sums[RESULT]


def test_a_line_without_prevision_has_its_whole_realisation_as_gap():
    budget = budget_frame([(2025, "606", "Fournitures", 100, 100, None),
                           (2025, "861", "Locaux", 4000, 4000, None),
                           (2025, "871", "Locaux prêtés", 4000, 4000, None)])
    table = cerfa_table(budget, year=2025, volunteer_hours=4513.0, hourly_rate=11.88)
    rows = table.set_index(table["account_code"].fillna(table["account_label"]))
    # 4 513 h × 11,88 € = 53 614,44 €, planned « — »: the gap is the whole réalisation
    assert np.isnan(rows.at["864", "planned_eur"])
    assert rows.at["864", "gap_eur"] == rows.at["870", "gap_eur"] == 53614.44
    assert np.isnan(rows.at["864", "gap_ratio"])
    total = table[(table["row_kind"] == "class_total") & (table["class_code"] == "86")].iloc[0]
    assert (total["planned_eur"], total["realised_eur"], total["gap_eur"]) == (4000.0, 57614.44, 53614.44)
    significant = significant_gaps(table, pct_threshold=15, eur_threshold=500)
    assert significant["account_code"].tolist() == ["864", "870"]


def test_one_explanation_of_the_volunteer_time_explains_864_and_870():
    gaps = pd.DataFrame({"year": pd.array([2025, 2025, 2025], dtype="Int64"),
                         "account_code": ["743", "864", "870"]})
    explanations = pd.DataFrame({"year": pd.array([2025], dtype="Int64"), "account_code": ["864"],
                                 "explanation": ["Bénévolat non budgété."]})
    result = attach_explanations(gaps, explanations)
    assert result["explanation"].tolist()[1:] == ["Bénévolat non budgété."] * 2
    assert result["is_explanation_missing"].tolist() == [True, False, False]


def test_next_year_budget_gives_the_planned_totals_of_the_following_year():
    budget = budget_frame([(2026, "606", "Fournitures", 900, None, None),
                           (2026, "742", "Subvention", 1000.5, None, REGION),
                           (2026, "861", "Locaux", 300, None, None),  # 86/87 left out
                           (2025, "606", "Fournitures", 5, 5, None)])
    result = next_year_budget(budget, year=2025)
    assert result.to_dict("list") == {"year": [2026] * 3, "section": [CHARGES, PRODUITS, RESULT],
                                      "planned_eur": [900.0, 1000.5, 100.5]}
    assert next_year_budget(budget, year=2026).empty


amounts = st.one_of(st.none(), st.integers(min_value=0, max_value=10_000_000).map(lambda c: c / 100))


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["604", "613", "6226", "641", "706", "742", "756", "771"]),
                          amounts, amounts), min_size=1, max_size=8),
       st.floats(min_value=0, max_value=5000, allow_nan=False).map(lambda h: round(h, 1)))
def test_any_budget_has_totals_gaps_equal_to_the_sums_of_the_lines_gaps(rows, hours):
    budget = budget_frame([(2025, code, "Ligne", planned, realised, None)
                           for code, planned, realised in rows])
    table = cerfa_table(budget, year=2025, volunteer_hours=hours, hourly_rate=11.88)
    sums = sums_of_line_gaps(table)
    expected = {"class_total": lambda rec: sums.get(rec.class_code, 0.0),
                "section_total": lambda rec: sums[rec.section], "result": lambda rec: sums[RESULT]}
    for rec in table.itertuples(index=False):
        if rec.row_kind in expected:
            assert rec.gap_eur == pytest.approx(expected[rec.row_kind](rec), abs=0.005, nan_ok=True), rec
