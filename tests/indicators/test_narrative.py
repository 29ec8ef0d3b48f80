"""The narrative check: figures quoted in the bilan, read and compared with the data."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from relief_analytics.indicators.narrative import (
    ABOUT,
    AT_LEAST,
    AT_MOST,
    EXACT,
    Figure,
    contradicts,
    narrative_mismatches,
    parse_french_number,
    quoted_figures,
)

FIGURES = {
    "lieux": Figure(151, "count", "lieux ouverts fin 2025 placés dans la région"),
    "open_or_planned_lieux": Figure(163, "count", "lieux ouverts fin 2025 ou en projet"),
    "member_lieux": Figure(40, "count", "lieux adhérents"),
    "members": Figure(350, "count", "membres 2025"),
    "morale_members": Figure(92, "count", "membres 2025 personnes morales"),
    "morale_members_share": Figure(92 / 350, "ratio", "part des membres 2025 personnes morales"),
    "events": Figure(95, "count", "événements 2025 comptés"),
    "participants": Figure(2432, "count", "participants aux événements 2025"),
    "volunteer_hours": Figure(4513.0, "hours", "heures bénévoles déclarées en 2025"),
    "membership_amount": Figure(12345.6, "eur", "total des adhésions validées 2025"),
    "association_lieux_share": Figure(0.417, "ratio", "part des lieux portés par une association"),
}


def _read(text: str, year: int = 2025) -> list[tuple[str, str, str, float]]:
    return [(q.text, q.quantity, q.rule, q.value) for q in quoted_figures(text, year=year)]


# --- the parser, on a family of phrasings -------------------------------------------------------
@pytest.mark.parametrize(("text", "expected"), [
    ("Le réseau recense plus de 160 lieux.", [("plus de 160 lieux", "lieux", AT_LEAST, 160.0)]),
    ("au moins 150 tiers-lieux ouverts", [("au moins 150 tiers-lieux", "lieux", AT_LEAST, 150.0)]),
    ("pas moins de 150 lieux", [("pas moins de 150 lieux", "lieux", AT_LEAST, 150.0)]),
    ("près de 2 400 participations", [("près de 2 400 participations", "participants", ABOUT, 2400.0)]),
    ("près de 2\u202f400 participants", [("près de 2 400 participants", "participants", ABOUT, 2400.0)]),
    ("environ 350 adhérents", [("environ 350 adhérents", "members", ABOUT, 350.0)]),
    ("moins de 100 événements", [("moins de 100 événements", "events", AT_MOST, 100.0)]),
    ("350 membres, dont 92 structures", [("350 membres", "members", EXACT, 350.0),
                                         ("92 structures", "morale_members", EXACT, 92.0)]),
    ("**95 temps collectifs**", [("95 temps collectifs", "events", EXACT, 95.0)]),
    ("4 513 heures de bénévolat", [("4 513 heures de bénévolat", "volunteer_hours", EXACT, 4513.0)]),
    ("12,5 heures bénévoles", [("12,5 heures bénévoles", "volunteer_hours", EXACT, 12.5)]),
    ("12 345,60 € d'adhésions", [("12 345,60 €", "membership_amount", EXACT, 12345.6)]),
    ("environ 12 000 euros de cotisations", [("environ 12 000 euros", "membership_amount", ABOUT, 12000.0)]),
    ("26 % de nos membres sont des structures", [("26 %", "morale_members_share", EXACT, 26.0)]),
    ("plus de 160 lieux en activité ou en projet",
     [("plus de 160 lieux en activité ou en projet", "open_or_planned_lieux", AT_LEAST, 160.0)]),
    ("40 lieux adhérents", [("40 lieux adhérents", "member_lieux", EXACT, 40.0)]),
    ("une cartographie qui recense plus de\n160 lieux", [("plus de 160 lieux", "lieux", AT_LEAST, 160.0)]),
    ("plus de 4 500 h de bénévolat", [("plus de 4 500 h de bénévolat", "volunteer_hours", AT_LEAST, 4500.0)]),
    ("1 200 heures de formation", [("1 200 heures de formation", "formation_hours", EXACT, 1200.0)]),
    ("7 350 € de rétributions", [("7 350 €", "retribution", EXACT, 7350.0)]),
    ("une subvention de 60 000 €", [("60 000 €", "granted_subsidy", EXACT, 60000.0)]),
    ("quelque 300 adhérentes", [("quelque 300 adhérentes", "members", ABOUT, 300.0)]),
    ("92 personnes morales et 258 personnes physiques",
     [("92 personnes morales", "morale_members", EXACT, 92.0),
      ("258 personnes physiques", "physique_members", EXACT, 258.0)]),
    ("58 % des lieux sont hors des métropoles", [("58 %", "outside_metropoles_share", EXACT, 58.0)]),
    ("un taux de renouvellement de 70 %", [("70 %", "retention_rate", EXACT, 70.0)]),
    ("plus de 1900 lieux", [("plus de 1900 lieux", "lieux", AT_LEAST, 1900.0)]),
])
def test_quoted_figures_of_a_family_of_phrasings(text, expected):
    assert _read(text) == expected


@pytest.mark.parametrize("text", [
    "12 rencontres départementales",  # a kind of event, not a known quantity
    "13 sessions de formation",
    "des rencontres dans 12 départements",
    "12 nouveaux lieux",  # new lieux, not the lieux
    "12 lieux fermés",
    "5 membres du CA",
    "Élection du conseil d'administration 2026 (5 sièges).",
    "Un montant de 500 € sans rien dire de quoi",
    "10 000 € de subvention et 5 000 € d'adhésions",  # two amounts, two words: ambiguous
    "12 heures de route",
    "En 2024 nous comptions 140 lieux.",  # another year
    "contre 140 lieux en 2024",
    "La convention W691234567 et le SIRET 12345678900017.",
])
def test_numbers_not_next_to_a_known_quantity_are_left_alone(text):
    assert _read(text) == []


def test_line_numbers_are_those_of_the_file():
    text = "# Bilan\n\n## Publics\n\nPlus de 90 temps collectifs,\nplus de 2 400 participations.\n"
    assert [q.line for q in quoted_figures(text, year=2025)] == [5, 6]


def test_french_numbers():
    assert parse_french_number("1 234") == 1234.0
    assert parse_french_number("1\u00a0234,5") == 1234.5
    assert parse_french_number("12,50") == 12.5


# --- the comparison rules -----------------------------------------------------------------------
@pytest.mark.parametrize(("text", "contradicted"), [
    ("plus de 150 lieux", False), ("plus de 151 lieux", False), ("plus de 160 lieux", True),
    ("plus de 999 lieux", True), ("moins de 200 lieux", False), ("moins de 100 lieux", True),
    ("environ 160 lieux", False), ("près de 140 lieux", False), ("environ 200 lieux", True),
    ("151 lieux", False), ("150 lieux", True), ("4 513 heures de bénévolat", False),
    ("4 500 heures de bénévolat", True), ("environ 4 500 heures de bénévolat", False),
    ("12 345,60 € d'adhésions", False), ("12 346 € d'adhésions", False), ("12 300 € d'adhésions", True),
    ("26 % des membres sont des structures", False), ("30 % des membres sont des structures", True),
    ("environ 25 % des membres sont des structures", False),
    ("42 % des lieux sont portés par une association", False),
    ("51 % des lieux sont des associations", True),
])
def test_contradicts_under_each_rule(text, contradicted):
    (quote,) = quoted_figures(text, year=2025)
    assert contradicts(quote, FIGURES[quote.quantity]) is contradicted


def test_mismatch_message_quotes_both():
    text = "# Bilan 2025\n\n- Une cartographie qui recense plus de 999 lieux.\n- 350 membres.\n"
    table = narrative_mismatches(text, figures=FIGURES, year=2025)
    assert table["message"].tolist() == [
        "Bilan qualitatif 2025, ligne 3 : le bilan dit « plus de 999 lieux », les données en comptent "
        "151 (lieux ouverts fin 2025 placés dans la région)."]
    assert table[["line_number", "quote", "quoted_value", "computed_value"]].values.tolist() == [
        [3, "plus de 999 lieux", 999.0, 151.0]]


def test_amounts_and_hours_read_as_french_values():
    table = narrative_mismatches("4 000 heures bénévoles et 10 000 € d'adhésions.", figures=FIGURES,
                                 year=2025)
    assert table["message"].tolist() == [
        "Bilan qualitatif 2025, ligne 1 : le bilan dit « 4 000 heures bénévoles », les données donnent "
        "4\u202f513\u00a0h (heures bénévoles déclarées en 2025).",
        "Bilan qualitatif 2025, ligne 1 : le bilan dit « 10 000 € », les données donnent "
        "12\u202f345,60\u00a0€ (total des adhésions validées 2025).",
    ]


def test_right_figures_and_unknown_quantities_give_no_mismatch():
    text = "Plus de 150 lieux, 350 membres dont 92 structures, 95 temps collectifs, 12 sessions."
    assert narrative_mismatches(text, figures=FIGURES, year=2025).empty
    assert narrative_mismatches("", figures=FIGURES, year=2025).empty
    assert narrative_mismatches("Plus de 999 lieux.", figures={}, year=2025).empty


def test_a_contradicted_figure_is_an_item_missing_from_the_compte_rendu():
    import pandas as pd

    from relief_analytics.indicators.readiness import missing_items
    from relief_analytics.load.config_model import SubsidySettings

    message = narrative_mismatches("Plus de 999 lieux.", figures=FIGURES, year=2025)["message"].tolist()
    gaps = pd.DataFrame({"account_code": ["743"], "account_label": ["Subvention Département"],
                         "is_explanation_missing": [True]})
    items = missing_items(SubsidySettings(), gaps, qualitative_review="Plus de 999 lieux.", year=2025,
                          narrative=message)
    assert items[-2:] == [
        "Bilan qualitatif 2025, ligne 1 : le bilan dit « Plus de 999 lieux », les données en comptent "
        "151 (lieux ouverts fin 2025 placés dans la région).",
        "Écart significatif du compte 743 (Subvention Département) : aucune explication."]
    assert message[0] not in missing_items(SubsidySettings(), gaps, qualitative_review="x", year=2025)


@given(number=st.integers(min_value=0, max_value=9_999_999),
       qualifier=st.sampled_from(["", "plus de ", "au moins ", "environ ", "près de ", "moins de "]),
       space=st.sampled_from([" ", "\u00a0", "\u202f"]))
def test_any_french_integer_is_read_back(number, qualifier, space):
    written = f"{number:,}".replace(",", space)
    (quote,) = quoted_figures(f"Le réseau compte {qualifier}{written} membres.", year=2025)
    assert quote.value == number and quote.quantity == "members"
    assert quote.rule == {"": EXACT, "plus de ": AT_LEAST, "au moins ": AT_LEAST, "environ ": ABOUT,
                          "près de ": ABOUT, "moins de ": AT_MOST}[qualifier]


@given(quoted=st.integers(min_value=1, max_value=100_000), value=st.integers(min_value=0, max_value=200_000))
def test_plus_de_is_contradicted_exactly_when_the_data_count_less(quoted, value):
    (quote,) = quoted_figures(f"plus de {quoted} lieux", year=2025)
    assert contradicts(quote, Figure(value, "count", "")) is (value < quoted)
