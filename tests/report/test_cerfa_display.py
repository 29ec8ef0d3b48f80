"""What a reader sees of the CERFA grid, the deadline warning and the AG's budget and vote slides."""

from __future__ import annotations

import datetime as dt
import re

import pandas as pd
from config_factories import make_subsidy

from relief_analytics.display import cerfa
from relief_analytics.indicators.budget import cerfa_table, next_year_budget

NNBSP, NBSP = "\u202f", "\u00a0"

BUDGET = pd.DataFrame({
    "year": pd.array([2025] * 6, dtype="Int64"),
    "account_code": ["606", "625", "742", "756", "861", "871"],
    "account_label": ["Fournitures", "Déplacements", "Subvention Région", "Cotisations",
                      "Locaux", "Prestations"],
    "planned_eur": [1000.0, 9000.0, 9500.0, 500.0, 4000.0, 4000.0],
    "realised_eur": [1000.0, 6800.0, 9500.0, 520.0, 4000.0, 4000.0],
    "funder": [None, None, "Région", None, None, None],
})
TABLE = cerfa_table(BUDGET, year=2025, volunteer_hours=4513.0, hourly_rate=11.88)


def rows_of(html: str) -> list[list[str]]:
    """Each row of the table as the cells' texts."""
    rows = re.findall(r"<tr[^>]*>(.*?)</tr>", html)
    return [[re.sub(r"<[^>]+>", "", cell).replace(NNBSP, " ").replace(NBSP, " ")
             for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row)] for row in rows]


def test_the_synthesis_table_shows_every_class_and_86_87_under_the_result():
    rows = rows_of(str(cerfa.cerfa_figures_table(TABLE)))
    firsts = [row[0] for row in rows]
    for code in ("61", "63", "64", "65", "66", "67", "68", "70", "71", "72", "73", "76", "77", "78"):
        assert rows[firsts.index(code)][2:5] == ["0,00 €"] * 3, code
    assert rows[firsts.index("63")] == ["63", "Impôts et taxes", "0,00 €", "0,00 €", "0,00 €", "—"]
    assert rows[firsts.index("73")][1] == "Dotations et produits de tarification"
    labels = [row[1] if len(row) > 1 else row[0] for row in rows]
    result = labels.index("Résultat (produits − charges)")
    assert labels.index("Personnel bénévole") > result
    assert rows[firsts.index("864")] == ["864", "Personnel bénévole", "—", "53 614,44 €",
                                         "+53 614,44 €", "—"]
    total_86 = rows[labels.index("Total 86 Emplois des contributions volontaires en nature")]
    assert total_86[2:] == ["4 000,00 €", "57 614,44 €", "+53 614,44 €", "+1 340,4 %"]


def test_the_gap_rule_is_stated_above_the_table():
    html = str(cerfa.cerfa_figures_table(TABLE))
    assert "Une ligne sans prévision (« — ») compte pour 0 € de prévision" in html
    assert html.index("regle-ecart") < html.index("<table")


def test_the_deadline_notice_names_the_deadline_day_after_it_only():
    subsidy = make_subsidy(periode_fin=dt.date(2025, 12, 31))
    assert cerfa.deadline_notice(subsidy, year=2025, today="2026-06-30") is None
    notice = str(cerfa.deadline_notice(subsidy, year=2025, today="2026-07-01"))
    assert "⚠ Délai dépassé :</strong> le compte rendu financier 2025 devait être envoyé au plus " \
           "tard le 30 juin 2026" in notice


def test_the_budget_slide_shows_the_three_totals_as_the_reader_sees_them():
    html = cerfa.budget_totals_tiles(TABLE, year=2025).to_html().replace(NNBSP, " ").replace(NBSP, " ")
    values = re.findall(r'<span class="valeur">(.*?)</span><span class="libelle">(.*?)</span>'
                        r'<span class="evolution">(.*?)</span>', html)
    assert values == [
        ("7 800 €", "de charges en 2025", "prévu : 10 000 €"),
        ("10 020 €", "de produits en 2025", "prévu : 10 000 €"),
        ("2 220 €", "de résultat (excédent)", "prévu : 0 €"),
    ]


def test_the_vote_slide_names_the_accounts_the_result_and_the_next_budget():
    following = pd.concat([BUDGET, BUDGET.assign(year=pd.array([2026] * 6, dtype="Int64"))])
    html = str(cerfa.votes_block(TABLE, next_year_budget(following, year=2025), year=2025))
    items = [item.replace(NNBSP, " ").replace(NBSP, " ") for item in re.findall(r"<li>(.*?)</li>", html)]
    assert items == [
        "Approbation des comptes 2025",
        "Affectation du résultat 2025 : 2 220,00 € (excédent)",
        "Budget prévisionnel 2026 : 10 000 € de charges, 10 000 € de produits",
    ]
    empty = str(cerfa.votes_block(TABLE, next_year_budget(BUDGET, year=2025), year=2025))
    assert "Budget prévisionnel 2026 : à ajouter au fichier budget" in empty


def test_the_significance_rule_covers_lines_without_prevision():
    gaps = TABLE.iloc[0:0].assign(explanation=pd.Series(dtype="str"),
                                  is_explanation_missing=pd.Series(dtype="boolean"))
    text = str(cerfa.gaps_with_explanations(gaps, pct_threshold=15, eur_threshold=500))
    assert text.replace(NNBSP, " ").replace(NBSP, " ") == (
        "<p>Un écart est jugé significatif lorsqu'il dépasse à la fois 15 % de la prévision et 500 €. "
        "Une ligne sans prévision (« — » ou 0 €) l'est dès que son écart dépasse 500 €, contributions "
        "volontaires comprises.</p><p>Aucun écart significatif cette année.</p>")


def test_the_budget_slide_adds_the_contributions_in_kind_outside_the_result():
    text = str(cerfa.in_kind_note(TABLE)).replace(NNBSP, " ").replace(NBSP, " ")
    assert text == ("<p class='note contributions-nature'>En plus du résultat : 57 614 € de contributions "
                    "volontaires en nature, dont 53 614 € de bénévolat valorisé (comptes 86 et 87, "
                    "emplois = ressources).</p>")
