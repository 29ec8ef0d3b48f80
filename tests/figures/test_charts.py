"""Charts: what a reader sees — titles, axis titles, bars, labels written the French way."""

from __future__ import annotations

import pandas as pd
import pytest

from relief_analytics.figures.charts import (
    CONTEXT_COLOUR,
    HIGHLIGHT_COLOUR,
    amount_distribution_chart,
    budget_by_class_chart,
    budget_gaps_chart,
    events_by_month_chart,
    hours_by_commission_chart,
    year_comparison_chart,
    year_series_chart,
)
from relief_analytics.formatting import month_names_fr
from relief_analytics.indicators.budget import cerfa_table
from relief_analytics.indicators.events import events_by_month

NNBSP = "\u202f"
NBSP = "\u00a0"

BY_YEAR = pd.DataFrame({
    "year": pd.array([2022, 2023, 2024], dtype="Int64"),
    "members_count": pd.array([40, 1250, 1302], dtype="Int64"),
    "retention_rate": [None, 0.5, 0.625],
})


def assert_common_layout(fig, title: str) -> None:
    assert fig.layout.title.text == title
    assert fig.layout.width == 760
    assert fig.layout.height == 400
    assert fig.layout.separators == f",{NNBSP}"


def test_year_series_chart_highlights_year_n():
    fig = year_series_chart(BY_YEAR, column="members_count", year=2024, title="Membres par année")
    assert_common_layout(fig, "Membres par année")
    bar = fig.data[0]
    assert list(bar.x) == ["2022", "2023", "2024"]  # years as text: never "2 024"
    assert list(bar.y) == [40, 1250, 1302]
    assert list(bar.text) == ["40", f"1{NNBSP}250", f"1{NNBSP}302"]
    assert list(bar.marker.color) == [CONTEXT_COLOUR, CONTEXT_COLOUR, HIGHLIGHT_COLOUR]
    assert fig.layout.xaxis.title.text == "Année"
    assert fig.layout.yaxis.title.text == "Membres"
    assert "Membres : %{customdata}" in bar.hovertemplate


def test_year_series_chart_of_a_rate_as_a_line_in_percent():
    fig = year_series_chart(BY_YEAR, column="retention_rate", year=2024, kind="line",
                            unit="percent", title="Taux de renouvellement")
    line = fig.data[0]
    assert line.mode == "lines+markers+text"
    assert list(line.y) == [None, 50.0, 62.5]
    assert list(line.text) == ["—", f"50{NBSP}%", f"63{NBSP}%"]
    assert list(line.marker.size) == [7, 7, 12]
    assert fig.layout.yaxis.title.text == "Taux de renouvellement (%)"
    assert fig.layout.yaxis.ticksuffix == f"{NBSP}%"


def test_year_comparison_chart_groups_n_minus_1_and_n():
    frame = pd.DataFrame({
        "year": [2023, 2023, 2024, 2024, 2022],
        "event_kind": ["Rencontre", "Formation", "Formation", "AG", "Rencontre"],
        "events_count": [3, 4, 6, 1, 9],
    })
    fig = year_comparison_chart(frame, category_column="event_kind", value_column="events_count",
                                year=2024, title="Événements par type, 2023 et 2024")
    assert_common_layout(fig, "Événements par type, 2023 et 2024")
    assert fig.layout.barmode == "group"
    assert [trace.name for trace in fig.data] == ["2023", "2024"]
    assert list(fig.data[0].x) == ["Rencontre", "Formation", "AG"]
    assert list(fig.data[0].y) == [3, 4, 0]
    assert list(fig.data[1].y) == [0, 6, 1]
    assert fig.data[1].marker.color == HIGHLIGHT_COLOUR
    assert fig.layout.xaxis.title.text == "Type d'événement"
    assert fig.layout.yaxis.title.text == "Événements"


def test_amount_distribution_chart():
    distribution = pd.DataFrame({
        "amount_bin": ["0 €", "1 à 10 €", "11 à 20 €", "21 à 50 €", "51 à 100 €", "Plus de 100 €"],
        "members_count": [2, 5, 1, 0, 0, 2],
        "members_share": [0.2, 0.5, 0.1, 0.0, 0.0, 0.2],
    })
    fig = amount_distribution_chart(distribution, year=2024)
    assert_common_layout(
        fig, "Adhésions 2024 : répartition des membres par montant annuel (prix libre)")
    assert list(fig.data[0].x) == distribution["amount_bin"].tolist()
    assert list(fig.data[0].y) == [2, 5, 1, 0, 0, 2]
    assert fig.data[0].text[1] == f"5 (50{NBSP}%)"
    assert fig.layout.xaxis.title.text == "Montant payé dans l'année"
    assert fig.layout.yaxis.title.text == "Membres"


def test_events_by_month_chart_stacks_kinds():
    events = pd.DataFrame({
        "start_date": pd.to_datetime(["2024-03-05", "2024-03-20", "2024-11-02"]),
        "event_kind": ["Formation", "Copil", "Formation"],
    })
    fig = events_by_month_chart(events_by_month(events, year=2024, kinds=["Formation", "Copil"]),
                                year=2024)
    assert_common_layout(fig, "Événements 2024 par mois et par type")
    assert fig.layout.barmode == "stack"
    assert [trace.name for trace in fig.data] == ["Formation", "Copil"]
    assert list(fig.data[0].x) == month_names_fr()
    assert list(fig.data[0].y) == [0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1, 0]
    assert list(fig.data[1].y) == [0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0]
    assert fig.data[0].marker.color != fig.data[1].marker.color
    assert fig.layout.xaxis.title.text == "Mois"


def test_hours_by_commission_chart_is_horizontal():
    frame = pd.DataFrame({"commission": ["Formation", "Communication"],
                          "volunteer_hours": [1234.0, 12.5]})
    fig = hours_by_commission_chart(frame, year=2024)
    assert_common_layout(fig, "Bénévolat 2024 : heures par commission")
    bar = fig.data[0]
    assert bar.orientation == "h"
    assert list(bar.y) == ["Formation", "Communication"]
    assert list(bar.x) == [1234.0, 12.5]
    assert list(bar.text) == [f"1{NNBSP}234{NBSP}h", f"13{NBSP}h"]
    assert fig.layout.xaxis.title.text == "Heures bénévoles (h)"
    assert fig.layout.yaxis.autorange == "reversed"  # first commission on top


@pytest.fixture
def cerfa():
    budget = pd.DataFrame({
        "year": pd.array([2025] * 4, dtype="Int64"),
        "account_code": ["606", "6226", "742", "758"],
        "account_label": ["Fournitures", "Honoraires", "Subvention",
                          "Dons manuels reçus de personnes physiques et de structures adhérentes"],
        "planned_eur": [1000.0, 3000.0, 4000.0, 0.0],
        "realised_eur": [1200.0, 2400.0, 4000.0, 600.0],
        "funder": [None, None, "Région", None],
    })
    return cerfa_table(budget, year=2025, volunteer_hours=10, hourly_rate=11.88)


def test_budget_by_class_chart(cerfa):
    fig = budget_by_class_chart(cerfa, year=2025)
    assert_common_layout(fig, "Budget 2025 : prévision et réalisation par classe de comptes")
    assert [trace.name for trace in fig.data] == ["Prévision", "Réalisation"]
    # horizontal bars: whole class labels, one per line on the vertical axis (they cannot collide)
    assert {trace.orientation for trace in fig.data} == {"h"}
    assert list(fig.data[0].y) == [
        "60 Achats", "62 Autres services extérieurs", "74 Subventions d'exploitation",
        "75 Autres produits de gestion courante"]
    assert list(fig.data[0].x) == [1000.0, 3000.0, 4000.0, 0.0]
    assert list(fig.data[1].x) == [1200.0, 2400.0, 4000.0, 600.0]
    assert fig.data[1].customdata[1] == f"2{NNBSP}400,00{NBSP}€"
    assert fig.layout.xaxis.title.text == "Montant (€)"
    assert fig.layout.xaxis.ticksuffix == f"{NBSP}€"
    assert fig.layout.yaxis.autorange == "reversed"


def test_budget_gaps_chart_shows_signed_gaps(cerfa):
    fig = budget_gaps_chart(cerfa, year=2025)
    assert_common_layout(fig, "Budget 2025 : écarts entre réalisation et prévision")
    bar = fig.data[0]
    # the 742 line has no gap; 864/870 have no prévision: not drawn
    assert list(bar.y) == ["606 Fournitures", "6226 Honoraires",
                           "758 Dons manuels reçus de personnes physique…"]  # 45 characters
    assert list(bar.x) == [200.0, -600.0, 600.0]
    assert list(bar.text) == [f"+200,00{NBSP}€", f"-600,00{NBSP}€", f"+600,00{NBSP}€"]
    assert bar.marker.color[0] != bar.marker.color[1]
    assert bar.customdata[1] == (
        f"6226 Honoraires<br>Prévu : 3{NNBSP}000,00{NBSP}€<br>Réalisé : 2{NNBSP}400,00{NBSP}€"
        f"<br>Écart : -600,00{NBSP}€")
    assert fig.layout.xaxis.title.text == "Écart réalisé − prévu (€)"
    # beyond the longest bar of each side, room for the longest label (9 characters, ~86 px
    # of a ~430 px plot): the « -600,00 € » label stays clear of the category labels
    low, high = fig.layout.xaxis.range
    assert low < -600 - 0.19 * (high - low) and high > 600 + 0.19 * (high - low)


def test_typology_chart_counts_and_shares_from_zero():
    from relief_analytics.figures.charts import typology_chart

    table = pd.DataFrame({"typology": ["Fablab", "Coworking", "Cuisine partagée"],
                          "lieux_count": [35, 70, 10], "lieux_share": [0.2318, 0.4636, 0.0662]})
    fig = typology_chart(table)
    bar = fig.data[0]
    assert list(bar.y) == ["Coworking", "Fablab", "Cuisine partagée"]
    assert list(bar.text) == [f"70 (46{NBSP}%)", f"35 (23{NBSP}%)", f"10 (7{NBSP}%)"]
    low, high = fig.layout.xaxis.range
    assert low == 0 and high > 70  # the axis starts at 0, with room for « 70 (46 %) »
