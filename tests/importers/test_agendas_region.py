"""Agenda events held outside the region are listed « hors région », never imported silently (issue #14)."""

from __future__ import annotations

import json
from pathlib import Path

from ledger import assert_ledger_balances

from relief_analytics.importers.mobilizon import import_mobilizon
from relief_analytics.importers.openagenda import import_openagenda


def _timing(day: str) -> list[dict]:
    return [{"begin": f"2025-{day}T09:00:00+02:00", "end": f"2025-{day}T12:00:00+02:00"}]


OPENAGENDA = {"events": [
    {"uid": 501, "title": {"fr": "Atelier à Valence"}, "timings": _timing("05-10"), "attendanceMode": 1,
     "location": {"city": "Valence", "insee": "26362", "postalCode": "26000"}},
    {"uid": 502, "title": "Rencontre à Paris", "timings": _timing("05-11"), "attendanceMode": 1,
     "location": {"city": "Paris", "insee": "75056", "postalCode": "75001"}},
    {"uid": 503, "title": "Webinaire", "timings": _timing("05-12"), "attendanceMode": 2,
     "location": {"city": "Paris", "insee": "75056"}},
    {"uid": 504, "title": "Journée mixte à Nantes", "timings": _timing("05-13"), "attendanceMode": 3,
     "location": {"city": "Nantes", "postalCode": "44000", "latitude": 47.2184, "longitude": -1.5536}},
]}


def test_openagenda_events_outside_the_region_are_listed_and_online_ones_stay(dataset_dir: Path, settings,
                                                                              tmp_path: Path):
    path = tmp_path / "agenda.json"
    path.write_text(json.dumps(OPENAGENDA), encoding="utf-8")
    report = import_openagenda(path, dataset_dir=dataset_dir, settings=settings)
    assert report.rows["event_id"].tolist() == ["OA-501", "OA-503"]
    assert report.out_of_region.values.tolist() == [
        [2, "Rencontre à Paris", "Paris", "75056", "75001", "code INSEE 75056 hors région : Paris (75), code postal 75001 hors région (département 75)"],
        [4, "Journée mixte à Nantes", "Nantes", None, "44000",
         "code postal 44000 hors région (département 44), coordonnées hors région (département 44)"],
    ]
    assert_ledger_balances(report, read=4, added=2, out_of_region=2, rejected=0)
    lines = report.lines_fr()
    assert "Hors de la région configurée (non importées) : 2" in lines


def test_mobilizon_event_placed_outside_the_region_by_its_coordinates_is_listed(dataset_dir: Path, settings,
                                                                                tmp_path: Path):
    events = [
        {"uuid": "a1", "title": "Copil à Grenoble", "beginsOn": "2025-03-20T16:00:00Z",
         "endsOn": "2025-03-20T18:00:00Z", "physicalAddress": {"locality": "Grenoble", "geom": "5.7245;45.1885"}},
        {"uuid": "a2", "title": "Atelier à Bordeaux", "beginsOn": "2025-03-21T16:00:00Z",
         "endsOn": "2025-03-21T18:00:00Z", "physicalAddress": {"geom": "-0.5792;44.8378"}},
        {"uuid": "a3", "title": "Visio", "beginsOn": "2025-03-22T16:00:00Z", "endsOn": "2025-03-22T17:00:00Z",
         "onlineAddress": "https://visio.example/a3"},
    ]
    path = tmp_path / "mobilizon.json"
    path.write_text(json.dumps(events), encoding="utf-8")
    report = import_mobilizon(path, dataset_dir=dataset_dir, settings=settings)
    assert report.rows["event_id"].str[-2:].tolist() == ["a1", "a3"]
    assert report.out_of_region[["ligne", "nom", "raison"]].values.tolist() == [
        [2, "Atelier à Bordeaux", "coordonnées hors région (département 33)"]]
    assert_ledger_balances(report, read=3, added=2, out_of_region=1)
