"""Hostile agenda and map JSON, generated (issue #15): a French problem or a listed row, never a crash.

Each example builds an export whose elements hold arbitrary JSON (``null``, numbers, nested lists,
strings where objects are expected…) around otherwise valid events and lieux. The importers must
either refuse the file with a :class:`DataError` or import it with a balanced ledger.
"""

from __future__ import annotations

import json
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ledger import assert_ledger_balances

from relief_analytics.importers.gogocarto import import_gogocarto
from relief_analytics.importers.mobilizon import import_mobilizon
from relief_analytics.importers.openagenda import import_openagenda
from relief_analytics.load import DataError

ANY_JSON = st.recursive(
    st.none() | st.booleans() | st.integers(-10**6, 10**6) | st.floats(allow_nan=False)
    | st.text(max_size=12) | st.sampled_from(["", "private", "2025-03-14T09:30:00+01:00", "06 12 34 56 78"]),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3),
    max_leaves=8)

OPENAGENDA_EVENT = {"uid": 1, "title": {"fr": "Rencontre"}, "attendanceMode": 1,
                    "timings": [{"begin": "2025-03-14T09:30:00+01:00", "end": "2025-03-14T12:00:00+01:00"}],
                    "location": {"city": "Crest", "insee": "26108"}}
MOBILIZON_EVENT = {"uuid": "u-1", "title": "Copil", "beginsOn": "2025-03-20T17:00:00Z",
                   "endsOn": "2025-03-20T19:00:00Z", "physicalAddress": {"locality": "Grenoble"}}
GOGOCARTO_ELEMENT = {"id": "a1", "name": "La Cordée", "geo": {"latitude": 45.75, "longitude": 4.84},
                     "address": {"addressLocality": "Lyon", "postalCode": "69003"}, "categories": ["Coworking"]}


def _mutated(base: dict, keys: st.SearchStrategy) -> st.SearchStrategy:
    """``base`` with some fields replaced by arbitrary JSON, or an arbitrary element instead."""
    replaced = st.dictionaries(keys, ANY_JSON, max_size=3).map(lambda changes: {**base, **changes})
    return st.lists(replaced | ANY_JSON, min_size=1, max_size=4)


FUZZ = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def _run(importer, path: Path, content, **options) -> None:
    path.write_text(json.dumps(content), encoding="utf-8")
    try:
        report = importer(path, dry_run=True, **options)
    except DataError as exc:
        assert str(exc).startswith(f"Fichier {path.name} : ") or "événement" in str(exc)
        return
    assert_ledger_balances(report)


@FUZZ
@given(elements=_mutated(OPENAGENDA_EVENT, st.sampled_from(
    ["uid", "title", "timings", "attendanceMode", "location", "description"])))
def test_openagenda_never_crashes(elements, dataset_dir: Path, settings, tmp_path: Path):
    _run(import_openagenda, tmp_path / "agenda.json", {"events": elements}, dataset_dir=dataset_dir,
         settings=settings)


@FUZZ
@given(elements=_mutated(MOBILIZON_EVENT, st.sampled_from(
    ["uuid", "title", "beginsOn", "endsOn", "physicalAddress", "onlineAddress", "options"])))
def test_mobilizon_never_crashes(elements, dataset_dir: Path, settings, tmp_path: Path):
    _run(import_mobilizon, tmp_path / "mobilizon.json", {"elements": elements}, dataset_dir=dataset_dir,
         settings=settings)


@FUZZ
@given(elements=_mutated(GOGOCARTO_ELEMENT, st.sampled_from(
    ["id", "name", "geo", "address", "categories", "optionValues", "description", "website"])))
def test_gogocarto_never_crashes(elements, dataset_dir: Path, settings, tmp_path: Path):
    _run(import_gogocarto, tmp_path / "carte.json", {"ontology": "gogofull", "data": elements},
         dataset_dir=dataset_dir, settings=settings)
