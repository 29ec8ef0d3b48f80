"""OpenAgenda and Mobilizon exports → exact ``evenements`` rows."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from relief_analytics.importers.mobilizon import count_confirmed, import_mobilizon
from relief_analytics.importers.openagenda import import_openagenda
from relief_analytics.load import DataError, load_dataset

FIXTURES = Path(__file__).parent / "fixtures"
SAMPLE = Path(__file__).parents[2] / "data" / "sample"
COLUMNS = ["event_id", "title", "start_date", "end_date", "event_kind", "commission",
           "attendance_mode", "commune_name", "commune_code", "participants_count", "duration_hours"]
PARTICIPANTS = sorted(FIXTURES.glob("participants_*.csv"))


def test_openagenda_rows(dataset_dir: Path, settings):
    report = import_openagenda(FIXTURES / "openagenda_evenements.json", dataset_dir=dataset_dir,
                               settings=settings)
    assert report.rows[COLUMNS].values.tolist() == [
        ["OA-51234567", "Rencontre régionale des tiers-lieux", "14/03/2025 09:30", "14/03/2025 17:00",
         "Rencontre", "Animation & Mutualisation", "mixte", "Lyon", "69383", None, "6"],
        ["OA-51234568", "Webinar: open data", "02/04/2025 18:00", "02/04/2025 19:30", "Rencontre",
         "Animation & Mutualisation", "en ligne", None, None, None, "1,5"],
        ["OA-51234569", "Visite du Moulin", "20/05/2025 10:00", "20/05/2025 12:00", "Rencontre",
         "Animation & Mutualisation", "sur place", "Crest", None, None, "2"],
    ]
    assert report.issues[["line_number", "column_name", "rule"]].values.tolist() == [
        [4, "timings", "aucun horaire : événement non importé"]]


def test_openagenda_options_choose_kind_and_commission(dataset_dir: Path, settings):
    report = import_openagenda(FIXTURES / "openagenda_evenements.json", dataset_dir=dataset_dir,
                               settings=settings, event_kind="webinaire", commission="formation")
    assert set(report.rows["event_kind"]) == {"Webinaire"}
    assert set(report.rows["commission"]) == {"Formation"}
    with pytest.raises(DataError, match="Type « Salon » inconnu"):
        import_openagenda(FIXTURES / "openagenda_evenements.json", dataset_dir=dataset_dir,
                          settings=settings, event_kind="Salon")


def test_mobilizon_counts_confirmed_roles_only():
    assert count_confirmed(PARTICIPANTS[0]) == (5, 7)  # creator, moderator, 3 participants
    assert count_confirmed(PARTICIPANTS[1]) == (3, 4)  # French labels


def test_mobilizon_rows_with_participants(dataset_dir: Path, settings):
    report = import_mobilizon(FIXTURES / "mobilizon_evenements.json", dataset_dir=dataset_dir,
                              settings=settings, participants=PARTICIPANTS, event_kind="Copil")
    assert report.rows[COLUMNS].values.tolist() == [
        ["MBZ-7c1f0e2a-0d5b-4a51-9d0a-3c2b9b0f1a11", "Copil ouvert de printemps", "20/03/2025 17:00",
         "20/03/2025 19:30", "Copil", "Animation & Mutualisation", "mixte", "Grenoble", None, "5",
         "2,5"],
        ["MBZ-9e2d4c6b-1a2b-4c3d-8e9f-0a1b2c3d4e5f", "Atelier réparation", "07/06/2025 10:00",
         "07/06/2025 14:00", "Copil", "Animation & Mutualisation", "sur place", "Saint-Étienne", None,
         "3", "4"],
    ]
    assert "Alice" not in "\n".join(report.lines_fr())
    assert "Alice" not in (dataset_dir / "evenements.csv").read_text(encoding="utf-8-sig")


def test_agenda_imports_load_and_are_idempotent(dataset_dir: Path, settings):
    import_openagenda(FIXTURES / "openagenda_evenements.json", dataset_dir=dataset_dir, settings=settings)
    import_mobilizon(FIXTURES / "mobilizon_evenements.json", dataset_dir=dataset_dir, settings=settings,
                     participants=PARTICIPANTS)
    again = import_mobilizon(FIXTURES / "mobilizon_evenements.json", dataset_dir=dataset_dir,
                             settings=settings, participants=PARTICIPANTS)
    assert (again.added_keys, again.updated_keys, again.unchanged_count) == ([], [], 2)
    for name in ("lieux", "adhesions_helloasso", "contributions", "budget"):
        shutil.copy(SAMPLE / f"{name}.csv", dataset_dir)
    dataset = load_dataset(dataset_dir)
    assert dataset.issues[dataset.issues["table"] == "evenements"].empty
    assert dataset.evenements["participants_count"].tolist()[3:] == [5, 3]
    assert dataset.evenements["duration_hours"].tolist() == [6.0, 1.5, 2.0, 2.5, 4.0]


def test_participants_file_of_unknown_event_is_refused(dataset_dir: Path, settings, tmp_path: Path):
    stray = tmp_path / "participants.csv"
    shutil.copy(PARTICIPANTS[1], stray)
    with pytest.raises(DataError, match="impossible de savoir à quel événement"):
        import_mobilizon(FIXTURES / "mobilizon_evenements.json", dataset_dir=dataset_dir,
                         settings=settings, participants=[stray])
