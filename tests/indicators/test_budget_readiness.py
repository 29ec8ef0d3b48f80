"""What blocks the final compte rendu financier, and the six-month deadline (no clock read)."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from config_factories import make_subsidy

from relief_analytics.indicators.budget import cerfa_chain
from relief_analytics.indicators.readiness import (
    deadline_warning,
    missing_items,
    months_after,
    submission_deadline,
)

BUDGET = pd.DataFrame({
    "year": pd.array([2025] * 5, dtype="Int64"),
    "account_code": ["606", "742", "756", "861", "871"],
    "account_label": ["Fournitures", "Subvention Région", "Cotisations", "Locaux", "Prestations"],
    "planned_eur": [1000.0, 1000.0, 500.0, 4000.0, 4000.0],
    "realised_eur": [1000.0, 1000.0, 520.0, 4000.0, 4000.0],
    "funder": [None, "Région", None, None, None],
})


def explanations(*codes: str) -> pd.DataFrame:
    return pd.DataFrame({"year": pd.array([2025] * len(codes), dtype="Int64"),
                         "account_code": list(codes),
                         "explanation": [f"Explication du compte {code}." for code in codes]})


def gap_items(explained: pd.DataFrame) -> list[str]:
    chain = cerfa_chain(BUDGET, explained, year=2025, volunteer_hours=100.0, hourly_rate=11.88,
                        pct_threshold=15, eur_threshold=500)
    items = missing_items(make_subsidy(), chain.gaps, qualitative_review="Bilan.", year=2025)
    return [item for item in items if item.startswith("Écart significatif")]


def test_an_unexplained_unplanned_volunteer_gap_blocks_the_final_version():
    # 100 h × 11,88 € = 1 188 € on 864/870, planned « — »: significant, unexplained
    assert gap_items(explanations()) == [
        "Écart significatif du compte 864 (Personnel bénévole) : aucune explication.",
        "Écart significatif du compte 870 (Bénévolat) : aucune explication.",
    ]


def test_an_explained_volunteer_gap_no_longer_blocks():
    assert gap_items(explanations("870")) == []


def test_an_unexplained_gap_on_an_ordinary_line_blocks_too():
    budget = BUDGET.assign(realised_eur=[1800.0, 1000.0, 520.0, 4000.0, 4000.0])
    chain = cerfa_chain(budget, explanations("864"), year=2025, volunteer_hours=100.0,
                        hourly_rate=11.88, pct_threshold=15, eur_threshold=500)
    items = missing_items(make_subsidy(), chain.gaps, qualitative_review="Bilan.", year=2025)
    assert "Écart significatif du compte 606 (Fournitures) : aucune explication." in items


def test_the_signature_place_and_date_may_be_left_blank_for_the_hand():
    items = make_subsidy().missing_items()
    assert not any("signature" in item.lower() for item in items)


@pytest.mark.parametrize(("end", "deadline"), [
    (dt.date(2025, 12, 31), dt.date(2026, 6, 30)),
    (dt.date(2025, 8, 31), dt.date(2026, 2, 28)),
    (dt.date(2023, 8, 31), dt.date(2024, 2, 29)),
    (dt.date(2025, 3, 15), dt.date(2025, 9, 15)),
    (dt.date(2025, 6, 30), dt.date(2025, 12, 31)),
])
def test_the_deadline_is_six_calendar_months_after_the_end_of_the_year(end, deadline):
    assert months_after(end, 6) == deadline
    assert submission_deadline(make_subsidy(periode_fin=end), year=end.year) == deadline


def test_the_deadline_warns_at_six_months_and_one_day():
    subsidy = make_subsidy(periode_fin=dt.date(2025, 12, 31))
    assert deadline_warning(subsidy, year=2025, today=dt.date(2026, 7, 1)) == (
        "Délai dépassé : le compte rendu financier 2025 devait être envoyé au plus tard le "
        "30 juin 2026, six mois après la fin de l'exercice (31 décembre 2025) ; nous sommes le "
        "1er juillet 2026. Envoyez-le au plus vite au financeur, avec le rapport d'activité et "
        "les comptes approuvés.")


@pytest.mark.parametrize("today", [dt.date(2026, 6, 29), dt.date(2026, 6, 30), dt.date(2026, 1, 15)])
def test_the_deadline_does_not_warn_up_to_six_months(today):
    subsidy = make_subsidy(periode_fin=dt.date(2025, 12, 31))
    assert deadline_warning(subsidy, year=2025, today=today) is None


def test_without_periode_fin_the_financial_year_ends_on_31_december():
    assert deadline_warning(make_subsidy(), year=2024, today=dt.date(2025, 6, 30)) is None
    assert "30 juin 2025" in deadline_warning(make_subsidy(), year=2024, today=dt.date(2025, 7, 1))
