"""What changed (indicators.changes): a two-year fixture with known openings, closings, newly
listed and no-longer-listed lieux, typology and state changes, renewals and lapsed members."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from relief_analytics.indicators import changes
from relief_analytics.indicators.changes import (
    LAST_AG,
    PREVIOUS_YEAR,
    Baseline,
    SnapshotRef,
)
from relief_analytics.indicators.membership import membership_by_year


def lieux(*rows) -> pd.DataFrame:
    """Open-data rows: (id, nom, commune, typologie, etat, annee_ouverture, date_maj)."""
    return pd.DataFrame(rows, columns=["id", "nom", "commune", "typologie", "etat",
                                       "annee_ouverture", "date_maj"])


#: State kept for the reports of 2024, on 1 March 2025 (before the AG of 14 June 2025).
AT_AG = lieux(
    ("L1", "La Forge", "Crest", "Fablab / Makerspace / Hackerspace", "en projet", None, "2024-05-02"),
    ("L2", "Le Four", "Die", "Cuisine partagée", "ouvert", 2019, "2024-05-02"),
    ("L3", "L'Atelier", "Lyon", "Atelier artisanal partagé", "ouvert", 2016, "2024-05-02"),
    ("L6", "Le Local", "Vienne", "Tiers-lieu culturel", "ouvert", 2020, "2024-05-02"),
    ("L7", "La Halle", "Riom", "Tiers-lieu culturel", "ouvert", 2021, "2024-05-02"),
    ("L8", "Le Quai", "Lyon", "Bureaux partagés / Coworking", "ouvert", 2017, "2024-05-02"),
)
#: State kept for the reports of 2024 again, on 1 September 2025 (after the AG): La Forge opened.
LATEST_2024 = AT_AG.copy()
LATEST_2024.loc[LATEST_2024["id"] == "L1", ["etat", "annee_ouverture"]] = ["ouvert", 2025]
#: Today's table (reports of 2025).
NOW = lieux(
    ("L1", "La Forge", "Crest", "Fablab / Makerspace / Hackerspace", "ouvert", 2025, "2025-04-02"),
    ("L2", "Le Four", "Die", "Cuisine partagée|Tiers-lieu nourricier", "ouvert", 2019, "2025-10-02"),
    ("L3", "L'Atelier", "Lyon", "Atelier artisanal partagé", "fermé", 2016, "2025-11-20"),
    ("L4", "Le Hangar", "Valence", "Tiers-lieu culturel", "ouvert", 2025, "2025-09-10"),
    ("L5", "La Grange", "Annecy", "Tiers-lieu nourricier", "ouvert", 2018, "2025-09-10"),
    ("L7", "La Halle", "Riom", "Tiers-lieu culturel", "en projet", 2021, "2025-03-01"),
    ("L8", "Le Quai", "Lyon", "Bureaux partagés / Coworking", "ouvert", 2017, "2024-05-02"),
)
SNAPSHOTS = [SnapshotRef(2024, dt.date(2025, 3, 1), lambda: AT_AG),
             SnapshotRef(2024, dt.date(2025, 9, 1), lambda: LATEST_2024),
             SnapshotRef(2023, dt.date(2024, 2, 1), lambda: pytest.fail("never read"))]
AG_DATE = dt.date(2025, 6, 14)


def listed(frame: pd.DataFrame, baseline: str) -> dict[str, list[str]]:
    mine = frame[frame["baseline"] == baseline]
    return {kind: mine.loc[mine["change_kind"] == kind, "lieu_name"].tolist()
            for kind in changes.CHANGE_KINDS if (mine["change_kind"] == kind).any()}


def test_baselines_choose_the_latest_snapshot_of_n_minus_1_and_the_last_one_before_the_ag():
    baselines = changes.choose_baselines(SNAPSHOTS, year=2025, last_ag_date=AG_DATE)
    assert [(b.name, b.snapshot.taken_on, b.since_date) for b in baselines] == [
        (PREVIOUS_YEAR, dt.date(2025, 9, 1), dt.date(2025, 1, 1)),
        (LAST_AG, dt.date(2025, 3, 1), AG_DATE),
    ]


def test_lieux_changes_since_the_previous_year_names_every_change():
    baselines = changes.choose_baselines(SNAPSHOTS, year=2025, last_ag_date=AG_DATE)
    table = changes.lieux_changes(NOW, baselines=baselines)
    assert listed(table, PREVIOUS_YEAR) == {
        "Ouvertures": ["Le Hangar"],           # newly listed, opened in 2025 (La Forge was open already)
        "Fermetures": ["L'Atelier"],
        "Nouvellement recensés": ["La Grange", "Le Hangar"],
        "Plus recensés": ["Le Local"],
        "Typologie modifiée": ["Le Four"],
        "État modifié": ["La Halle"],
    }
    four = table[(table["baseline"] == PREVIOUS_YEAR) & (table["lieu_id"] == "L2")]
    assert four["detail"].tolist() == ["Cuisine partagée → Cuisine partagée | Tiers-lieu nourricier"]
    halle = table[(table["baseline"] == PREVIOUS_YEAR) & (table["lieu_id"] == "L7")]
    assert halle[["commune_name", "detail"]].values.tolist() == [["Riom", "ouvert → en projet"]]


def test_lieux_changes_since_the_last_ag_compare_with_the_state_at_the_ag():
    baselines = changes.choose_baselines(SNAPSHOTS, year=2025, last_ag_date=AG_DATE)
    table = changes.lieux_changes(NOW, baselines=baselines)
    assert listed(table, LAST_AG) == {
        "Ouvertures": ["La Forge"],            # en projet at the AG; Le Hangar opened in 2025, maybe before it
        "Fermetures": ["L'Atelier"],
        "Nouvellement recensés": ["La Grange", "Le Hangar"],
        "Plus recensés": ["Le Local"],
        "Typologie modifiée": ["Le Four"],
        "État modifié": ["La Halle"],
    }


def test_summary_counts_every_kind_and_leaves_unknown_kinds_empty_without_snapshot():
    baselines = [Baseline(PREVIOUS_YEAR, dt.date(2025, 1, 1), SNAPSHOTS[1]),
                 Baseline(LAST_AG, AG_DATE, None)]
    summary = changes.lieux_changes_summary(changes.lieux_changes(NOW, baselines=baselines),
                                            baselines=baselines)
    counts = {(b, k): (None if pd.isna(n) else int(n)) for b, k, n in summary.itertuples(index=False)}
    assert [counts[(PREVIOUS_YEAR, k)] for k in changes.CHANGE_KINDS] == [1, 1, 2, 1, 1, 1]
    # no snapshot at the AG: openings after 2025 only (none), closings from fiches updated since
    assert [counts[(LAST_AG, k)] for k in changes.CHANGE_KINDS] == [0, 1, None, None, None, None]


def test_first_year_without_snapshot_lists_only_what_the_table_dates_say():
    baselines = changes.choose_baselines([], year=2025, last_ag_date=None)
    table = changes.lieux_changes(NOW, baselines=baselines)
    assert listed(table, PREVIOUS_YEAR) == {"Ouvertures": ["La Forge", "Le Hangar"],
                                            "Fermetures": ["L'Atelier"]}
    frame = changes.change_baselines(baselines)
    assert frame[["baseline", "has_snapshot"]].values.tolist() == [[PREVIOUS_YEAR, False]]


def test_activity_changes_count_new_renewed_and_lapsed_members_and_differences():
    adhesions = pd.DataFrame({
        "order_status": ["Validé"] * 7 + ["En attente"],
        "membership_year": [2024, 2024, 2024, 2025, 2025, 2025, 2025, 2025],
        "order_date": pd.to_datetime(["2024-02-01"] * 3 + ["2025-02-01"] * 5),
        "member_id": ["a", "b", "c", "b", "c", "d", "e", "f"],
        "member_kind": ["physique"] * 8, "amount_eur": [10.0] * 8})
    members = membership_by_year(adhesions, valid_statuses=["Validé"], first_year=2024, last_year=2025)
    events = pd.DataFrame({"year": [2024, 2025], "events_count": [10, 7],
                           "participants_count": [200, 230]})
    hours = pd.DataFrame({"year": [2024, 2025], "volunteer_hours": [120.0, 150.5]})
    budget = pd.DataFrame({"year": [2024, 2024, 2025, 2025, 2025],
                           "account_code": ["606", "741", "606", "741", "864"],
                           "realised_eur": [900.0, 1000.0, 1500.0, 1200.0, 800.0]})
    table = changes.activity_changes(members, events, hours, budget, year=2025)
    got = {r.indicator: (r.previous_value, r.value, r.change) for r in table.itertuples()}
    assert got == {
        "members_count": (3, 4, 1), "new_members_count": (3, 2, -1), "returning_members_count": (0, 0, 0),
        "renewed_members_count": (0, 2, 2), "lapsed_members_count": (0, 1, 1),
        "events_count": (10, 7, -3), "participants_count": (200, 230, 30),
        "volunteer_hours": (120.0, 150.5, 30.5), "budget_result_eur": (100.0, -300.0, -400.0),
    }


def test_no_budget_leaves_the_result_missing():
    members = pd.DataFrame({"year": [2024, 2025], "members_count": [1, 1], "new_members_count": [1, 0],
                            "returning_members_count": [0, 0],
                            "renewed_members_count": [0, 1], "lapsed_members_count": [0, 0]})
    events = pd.DataFrame({"year": [2025], "events_count": [1], "participants_count": [3]})
    hours = pd.DataFrame({"year": [2025], "volunteer_hours": [1.0]})
    table = changes.activity_changes(members, events, hours, None, year=2025).set_index("indicator")
    assert pd.isna(table.loc["budget_result_eur", "value"])
    assert pd.isna(table.loc["events_count", "previous_value"])


def test_the_budget_result_is_the_cerfa_result_of_each_year(sample_context):
    cerfa = sample_context.table("cerfa")
    result = cerfa.loc[cerfa["row_kind"] == "result", "realised_eur"].item()
    activity = sample_context.table("activity_changes").set_index("indicator")
    assert activity.loc["budget_result_eur", "value"] == result == -1152.0


def test_member_counts_add_up_from_one_year_to_the_next(sample_context):
    rows = sample_context.table("activity_changes").set_index("indicator")
    now, before = rows["value"], rows["previous_value"]
    assert now["members_count"] == (now["new_members_count"] + now["returning_members_count"]
                                    + now["renewed_members_count"])
    assert before["members_count"] == now["renewed_members_count"] + now["lapsed_members_count"]


def test_the_table_dates_are_read_cell_by_cell_whatever_their_form():
    # years as text or float, an unreadable year or date, a missing state: each read on its own
    table = lieux(
        ("M1", "La Cale", "Crest", "Tiers-lieu culturel", "ouvert", "2026", None),
        ("M2", "Le Silo", "Die", "Tiers-lieu culturel", "ouvert", "bientôt", "2025-03-01"),
        ("M3", "La Serre", "Die", "Tiers-lieu culturel", "fermé", 2010, "pas une date"),
        ("M4", "Le Dock", "Lyon", "Tiers-lieu culturel", "fermé", 2010, "2025-02-01"),
        ("M5", "La Ruche", "Lyon", "Tiers-lieu culturel", None, 2025, "2025-02-01"),
        ("M6", "Le Moulin", "Riom", "Tiers-lieu culturel", "ouvert", 2024.0, "2025-02-01"),
        ("M7", "La Scierie", "Riom", "Tiers-lieu culturel", "fermé", 2010, "2024-12-31"),
        ("M8", "Le Lavoir", "Riom", "Tiers-lieu culturel", "ouvert", 2025.0, None),
    )
    baselines = changes.choose_baselines([], year=2025, last_ag_date=None)
    found = changes.lieux_changes(table, baselines=baselines)
    assert found[["change_kind", "lieu_id", "detail"]].values.tolist() == [
        ["Ouvertures", "M1", "ouvert en 2026"], ["Ouvertures", "M8", "ouvert en 2025"],
        ["Fermetures", "M4", "fiche passée à « fermé »"]]
    undated = changes.lieux_changes(table.drop(columns="date_maj"), baselines=baselines)
    assert undated["lieu_id"].tolist() == ["M1", "M8"]
