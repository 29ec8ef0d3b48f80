"""Each rule of the resolution chain, on its own: what it closes, what it narrows, what it leaves."""

from __future__ import annotations

import pandas as pd
import pytest

from relief_analytics.geo.resolve import RULES, resolve_communes, start_resolution

COLUMNS = {"code": "commune_code", "postal": "postal_code", "name": "commune_name",
           "lat": "latitude", "lon": "longitude"}
NAMES = [rule.name for rule in RULES]


def _rows(*rows):
    return pd.DataFrame(rows, columns=list(COLUMNS.values()), dtype=object)


def run_until(reference, frame, last: str, *, assume_in_region: bool = True):
    """The state after the rules of the chain up to ``last`` included."""
    state = start_resolution(frame, reference=reference, columns=COLUMNS,
                             assume_in_region=assume_in_region)
    for rule in RULES[: NAMES.index(last) + 1]:
        rule.apply(state)
    return state


def _candidates(state, row: int) -> list[str]:
    table = state.candidates
    return sorted(table.loc[table["row"] == row, "commune_code"])


def test_the_chain_is_named_and_ordered():
    assert NAMES == ["hors région", "candidats", "nom", "code postal", "coordonnées", "décision"]
    assert all(rule.description for rule in RULES)


def test_rule_outside_closes_rows_with_a_clue_outside_and_only_them(reference):
    frame = _rows(["75056", None, None, None, None],            # code outside
                  ["38185", None, None, 48.8566, 2.3522],       # code inside, point outside
                  [None, None, "Grenoble", None, None])          # nothing outside
    state = run_until(reference, frame, "hors région")
    assert state.decision.status[:2].tolist() == ["hors région", "conflit"]
    assert state.decision.open.tolist() == [False, False, True]


def test_rule_candidates_takes_the_first_available_source(reference):
    frame = _rows(["69266", None, "Villeurbanne", None, None],
                  [None, None, "Beaulieu", None, None],
                  [None, "01000", None, None, None],
                  [None, None, None, 45.7640, 4.8357])
    state = run_until(reference, frame, "candidats")
    assert state.source.tolist() == ["code INSEE", "nom", "code postal", "coordonnées"]
    assert _candidates(state, 0) == ["69266"]
    assert _candidates(state, 1) == ["07028", "15020", "38033", "43021", "63031"]
    assert _candidates(state, 2) == ["01053", "01344"]
    assert _candidates(state, 3) == ["69123"]
    assert state.decision.open.all()  # candidates are gathered, nothing is decided yet


def test_rule_name_contradicts_a_lone_code_but_not_a_confirmed_one(reference):
    frame = _rows(["69266", None, "Lyon", None, None],
                  ["69266", "69100", "Lyon", 45.7719, 4.8902])
    state = run_until(reference, frame, "nom")
    assert state.decision.status[0] == "conflit" and not state.decision.open[0]
    assert state.decision.open[1]
    assert "ancien nom de la commune" in state.decision.warnings.values[1]


def test_rule_postal_keeps_the_candidates_it_serves(reference):
    frame = _rows([None, "07460", "Beaulieu", None, None],
                  [None, "74000", "Grenoble", None, None])
    before = run_until(reference, frame, "nom")
    assert len(_candidates(before, 0)) == 5
    state = run_until(reference, frame, "code postal")
    assert _candidates(state, 0) == ["07028"]
    assert state.postal_checked[0]
    assert state.decision.status[1] == "conflit" and not state.decision.open[1]


def test_rule_point_narrows_and_settles_an_ambiguous_name(reference):
    frame = _rows([None, None, "Beaulieu", 45.13929, 3.94989],
                  [None, None, "Grenoble", 45.7640, 4.8357])
    state = run_until(reference, frame, "coordonnées")
    assert _candidates(state, 0) == ["43021"] and state.settled[0]
    assert state.decision.status[1] == "conflit"


def test_rule_decide_places_one_candidate_and_lists_several(reference):
    frame = _rows([None, None, "Grenoble", None, None], [None, None, "Beaulieu", None, None])
    state = run_until(reference, frame, "décision")
    assert state.decision.status.tolist() == ["résolue", "ambiguë"]
    assert state.decision.commune.tolist() == ["38185", None]
    assert state.decision.notes.values[1].startswith("candidats : Beaulieu (07, 07028)")
    assert not state.decision.open.any()


@pytest.mark.parametrize("assume_in_region", [True, False])
def test_the_chain_is_what_resolve_communes_applies(reference, assume_in_region):
    frame = _rows(["69266", "69100", "Lyon", 45.7719, 4.8902], [None, None, "Valence", None, None],
                  [None, "75011", None, None, None])
    state = run_until(reference, frame, "décision", assume_in_region=assume_in_region)
    out = resolve_communes(frame, reference=reference, assume_in_region=assume_in_region)
    assert out["resolution_status"].tolist() == state.decision.status.tolist()
    assert out["resolution_note"].fillna("—").tolist() == [v or "—" for v in state.decision.notes.values]


@pytest.mark.parametrize("assume_in_region", [True, False])
def test_a_name_borne_by_several_communes_lists_the_regions_candidates_only(reference, assume_in_region):
    out = resolve_communes(_rows([None, None, "Beaulieu", None, None]), reference=reference,
                           assume_in_region=assume_in_region)
    assert out.loc[0, "resolution_status"] == "ambiguë"
    assert out.loc[0, "resolution_note"] == (
        "candidats : Beaulieu (07, 07028) ; Beaulieu (15, 15020) ; Beaulieu (38, 38033) ; "
        "Beaulieu (43, 43021) ; Beaulieu (63, 63031)")


def test_what_exists_nowhere_is_unknown_not_outside(reference):
    out = resolve_communes(_rows(["99999", None, None, None, None], [None, "99999", None, None, None],
                                 ["75056", None, None, None, None]), reference=reference)
    assert out["resolution_status"].tolist() == ["non résolue", "non résolue", "hors région"]
    assert out["resolution_note"].tolist() == [
        "code INSEE 99999 inconnu", "code postal 99999 inconnu", "code INSEE 75056 hors région : Paris (75)"]
