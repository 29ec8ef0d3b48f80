"""One rule for what is counted: a row with a place counts only when placed in the region.

A copy of the sample gets one event and one lieu outside the region and one of each that
can't be placed, plus one online event: the year context counts the online event, counts none
of the others, and lists each of them.
"""

from __future__ import annotations

import pandas as pd
import pytest
from sample_copy import copy_sample

from relief_analytics.context import build_year_context, populations
from relief_analytics.geo.reference import load_reference
from relief_analytics.load import load_dataset

EXTRA_EVENTS = (
    'EV2025-901,Visite d\'un lieu parisien,14/10/2025 10:00,14/10/2025 12:00,Visite,'
    'Animation & Mutualisation,sur place,,Paris,75056,500,2\n'
    'EV2025-902,Rencontre introuvable,15/10/2025 10:00,15/10/2025 12:00,Rencontre,'
    'Animation & Mutualisation,mixte,,Nullepart-sur-Rien,,300,2\n'
    'EV2025-903,Webinaire ajouté,16/10/2025 10:00,16/10/2025 11:00,Webinaire,'
    'Communication,en ligne,,,,7,1\n'
)
EXTRA_LIEUX = (
    "L0901;La Friche Parisienne;1 rue Invente;75011;Paris;75056;;;Tiers-lieu culturel;"
    "Association;2020;ouvert;non;;01/12/2025\n"
    "L0902;Le Lieu Perdu;;;Nullepart-sur-Rien;;;;Tiers-lieu culturel;Association;2020;ouvert;"
    "non;;01/12/2025\n"
)


@pytest.fixture(scope="module")
def augmented_folder(tmp_path_factory):
    folder = copy_sample(tmp_path_factory.mktemp("population") / "donnees")
    with open(folder / "evenements.csv", "a", encoding="utf-8") as out:
        out.write(EXTRA_EVENTS)
    with open(folder / "lieux.csv", "a", encoding="utf-8") as out:
        out.write(EXTRA_LIEUX)
    return folder


@pytest.fixture(scope="module")
def augmented(augmented_folder):
    return build_year_context(load_dataset(augmented_folder), year=2025)


def _of_year(frame: pd.DataFrame, indicator: str) -> float:
    return float(frame.set_index("indicator").loc[indicator, "value"])


def test_out_of_region_and_unplaced_events_count_nowhere_online_ones_count(augmented, sample_context):
    before, after = sample_context, augmented
    assert after.facts.events_count == before.facts.events_count + 1
    assert len(after.year_events) == len(before.year_events) + 1
    for indicator, added in (("events_count", 1), ("participants_count", 7)):
        assert _of_year(after.comparisons["events_by_year"], indicator) == (
            _of_year(before.comparisons["events_by_year"], indicator) + added), indicator
    month = after.table("events_by_month").set_index("month")
    month_before = before.table("events_by_month").set_index("month")
    assert month["events_count"].sum() == month_before["events_count"].sum() + 1
    modes = after.table("events_by_attendance_mode").set_index("attendance_mode")["events_count"]
    modes_before = before.table("events_by_attendance_mode").set_index("attendance_mode")["events_count"]
    assert (modes - modes_before).to_dict() == {"en ligne": 1, "mixte": 0, "sur place": 0}
    assert "75056" not in set(after.table("events_by_commune")["commune_code"])


def test_out_of_region_and_unplaced_lieux_count_nowhere(augmented, sample_context):
    assert augmented.facts.open_lieux_count == sample_context.facts.open_lieux_count
    by_dep = augmented.table("lieux_by_departement")
    assert by_dep["lieux_count"].sum() == sample_context.table("lieux_by_departement")["lieux_count"].sum()
    assert augmented.facts.lieux_set_aside_count == 2
    assert augmented.lieux_set_aside["lieu_id"].tolist() == ["L0901", "L0902"]


def test_every_row_set_aside_is_listed_with_why(augmented):
    events = populations.events_set_aside(augmented.evenements)
    assert events[["identifier", "status"]].values.tolist() == [
        ["EV2025-901", "hors région"], ["EV2025-902", "non résolue"]]
    assert events["note"].tolist() == [
        "code INSEE 75056 hors région : Paris (75)",
        "nom « Nullepart-sur-Rien » inconnu dans la région",
    ]
    problems = augmented.table("geographic_problems")
    listed = set(zip(problems["table"], problems["identifier"], strict=True))
    assert {("evenements", "EV2025-901"), ("evenements", "EV2025-902"),
            ("lieux", "L0901"), ("lieux", "L0902")} <= listed
    assert set(augmented.table("unplaced_events")["Identifiant"]) == {"EV2025-901", "EV2025-902"}


def test_is_counted_is_the_one_rule():
    rows = pd.DataFrame({"resolution_status": ["résolue", "hors région", "conflit", "ambiguë",
                                               "non résolue", None]})
    assert populations.is_counted(rows).tolist() == [True, False, False, False, False, True]
    assert populations.counted(rows).index.tolist() == [0, 5]


def test_an_on_site_event_without_commune_is_placed_by_its_lieu():
    reference = load_reference("84")
    lieux = pd.DataFrame({"lieu_id": ["L1"], "commune_code_resolved": ["38185"]})
    events = pd.DataFrame({
        "event_id": ["E1", "E2"], "title": ["Atelier", "Visite"], "attendance_mode": ["sur place"] * 2,
        "lieu_id": ["L1", "L9"], "commune_name": [None, None], "commune_code": [None, None]})
    out = populations.resolve_on_site_events(events, reference=reference, lieux=lieux)
    assert out["commune_code_resolved"].tolist()[0] == "38185"
    assert out["is_counted"].tolist() == [True, False]
    assert out["commune_code"].isna().all()  # the typed cells are shown as typed


def test_relief_valider_lists_them_and_states_the_rule(augmented_folder, capsys):
    from relief_analytics import cli

    assert cli.main(["valider", "--donnees", str(augmented_folder)]) == 0
    out = capsys.readouterr().out
    assert "Communes : 178 lieux placés dans la région sur 180 ; 5 problèmes géographiques." in out
    assert ("Événements sur place ou mixtes : 156 placés dans la région sur 158 ; les événements en "
            "ligne n'ont pas de lieu et sont comptés.") in out
    assert populations.COUNTING_RULE_FR in out
    assert ("  evenements EV2025-901 « Visite d'un lieu parisien » : hors région — code INSEE 75056 "
            "hors région : Paris (75)") in out
    assert "  lieux L0902 « Le Lieu Perdu » : non résolue — nom « Nullepart-sur-Rien » inconnu dans la région" in out
