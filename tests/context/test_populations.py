"""The population definitions, as the year context uses them, on real tiny datasets."""

from __future__ import annotations

import pytest
from factories import DEFAULT_ROWS, adhesion, lieu, sample_config_text, tiny_context


@pytest.fixture(scope="module")
def ctx(tmp_path_factory):
    rows = {
        "lieux": [*DEFAULT_ROWS["lieux"], lieu("L4", "Le Lieu parisien", commune="Paris",
                                               code_insee="75056", code_postal="75011")],
        "adhesions": [*DEFAULT_ROWS["adhesions"],
                      adhesion("A5", date="01/09/2025", montant="15,00")],  # Alix pays twice
    }
    return tiny_context(tmp_path_factory.mktemp("d"), **rows)


def test_open_lieux_are_placed_open_and_opened_by_the_year(ctx):
    assert ctx.open_lieux["lieu_id"].tolist() == ["L1"]  # L2 opens in 2026, L3 is closed
    assert ctx.facts.open_lieux_count == 1
    year_row = ctx.table("lieux_by_year").set_index("year").loc[2025]
    assert year_row["open_lieux_count"] == 1
    assert ctx.table("lieux_by_departement")["lieux_count"].sum() == 1


def test_a_lieu_outside_the_region_is_set_aside_listed_and_never_counted(ctx):
    assert ctx.lieux_set_aside["lieu_id"].tolist() == ["L4"]
    assert ctx.lieux_set_aside["resolution_status"].tolist() == ["hors région"]
    assert ctx.facts.lieux_set_aside_count == 1
    assert "L4" not in ctx.table("lieux_open_data")["id"].tolist()
    assert ctx.table("unplaced_lieux")["Identifiant"].tolist() == ["L4"]


def test_members_of_the_year_are_validated_payers_once_each(ctx):
    members = ctx.members.sort_values("payments_count").reset_index(drop=True)
    assert members[["payments_count", "amount_eur"]].values.tolist() == [[1, 25.0], [2, 25.0]]
    assert ctx.facts.members_count == 2  # A3 is « En attente », A4 is of 2024
    assert ctx.table("membership_by_year").set_index("year").loc[2025, "members_count"] == 2


def test_events_of_the_year_start_in_the_year(ctx):
    assert ctx.year_events["event_id"].tolist() == ["E1", "E2"]
    assert ctx.facts.events_count == 2
    assert ctx.table("events_by_commune")[["commune_name", "events_count"]].values.tolist() == [
        ["Lyon", 1]]  # E2 is online, E3 of 2024


def test_the_next_year_counts_the_lieu_opened_that_year(tmp_path):
    config = sample_config_text().replace("2025 = 11.88\n", "2025 = 11.88\n2026 = 12.02\n")
    later = tiny_context(tmp_path, year=2026, reports=["rapport_activite"], config_text=config)
    assert later.open_lieux["lieu_id"].tolist() == ["L1", "L2"]
