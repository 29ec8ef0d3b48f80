"""OpenAgenda and Mobilizon exports → exact ``evenements`` rows."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pandas as pd
import pytest
from ledger import assert_ledger_balances

from relief_analytics.importers import _json as json_reader
from relief_analytics.importers.mobilizon import count_confirmed, import_mobilizon
from relief_analytics.importers.openagenda import import_openagenda
from relief_analytics.indicators.events import events_by_kind, events_by_year
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
    assert_ledger_balances(report)


def test_openagenda_options_choose_kind_and_commission(dataset_dir: Path, settings):
    report = import_openagenda(FIXTURES / "openagenda_evenements.json", dataset_dir=dataset_dir,
                               settings=settings, event_kind="webinaire", commission="formation")
    assert set(report.rows["event_kind"]) == {"Webinaire"}
    assert set(report.rows["commission"]) == {"Formation"}
    assert_ledger_balances(report)
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
    assert_ledger_balances(report)
    assert "Alice" not in (dataset_dir / "evenements.csv").read_text(encoding="utf-8-sig")


def test_agenda_imports_load_and_are_idempotent(dataset_dir: Path, settings):
    import_openagenda(FIXTURES / "openagenda_evenements.json", dataset_dir=dataset_dir, settings=settings)
    import_mobilizon(FIXTURES / "mobilizon_evenements.json", dataset_dir=dataset_dir, settings=settings,
                     participants=PARTICIPANTS)
    again = import_mobilizon(FIXTURES / "mobilizon_evenements.json", dataset_dir=dataset_dir,
                             settings=settings, participants=PARTICIPANTS)
    assert (again.added_keys, again.updated_keys, again.unchanged_count) == ([], [], 2)
    assert_ledger_balances(again)
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


# --- both OpenAgenda shapes, sessions, exhibitions, hostile JSON (issues #14, #15) -------------

ALL = COLUMNS + ["sessions_count", "is_long_running"]


def test_openagenda_api_file_ledger_balances(dataset_dir: Path, settings):
    report = import_openagenda(FIXTURES / "openagenda_evenements.json", dataset_dir=dataset_dir,
                               settings=settings)
    assert assert_ledger_balances(report) == {
        "lues": 4, "ajoutées": 3, "mises à jour": 0, "inchangées": 0, "fusionnées (clé répétée)": 0,
        "rejetées": 1, "hors région": 0, "vides": 0}
    assert report.rows["sessions_count"].tolist() == ["2", "1", "1"]


def test_openagenda_exporter_file_start_end_timings_string_titles(dataset_dir: Path, settings):
    report = import_openagenda(FIXTURES / "openagenda_export.json", dataset_dir=dataset_dir,
                               settings=settings)
    assert report.rows[ALL].values.tolist() == [
        ["OA-73100421", "Atelier compostage partagé", "13/09/2025 09:00", "13/09/2025 12:00", "Rencontre",
         "Animation & Mutualisation", "sur place", "Crest", "26108", None, "3", "1", "non"],
        ["OA-73100422", "Cycle « Animer un tiers-lieu »", "06/10/2025 09:00", "20/10/2025 12:00",
         "Rencontre", "Animation & Mutualisation", "mixte", "Clermont-Ferrand", "63113", None, "9", "3",
         "non"],
        ["OA-73100423", "Webinaire : financer son lieu", "04/11/2025 18:00", "04/11/2025 19:30",
         "Rencontre", "Animation & Mutualisation", "en ligne", None, None, None, "1,5", "1", "non"],
    ]
    assert report.issues[["line_number", "column_name", "cell_value", "rule"]].values.tolist() == [
        [2, "(élément)", "null", "élément qui n'est pas un événement (objet JSON attendu) : événement "
         "non importé"],
        [5, "timings", "2025-12-05T20:00:00+01:00 → 2025-12-05T18:00:00+01:00",
         "horaire invalide (début et fin ISO attendus, fin après début) : événement non importé"],
    ]
    assert assert_ledger_balances(report)["rejetées"] == 2
    lines = report.lines_fr()
    assert lines[0] == "Source : openagenda_export.json (OpenAgenda, 5 lignes lues)"
    assert "Apprendre à composter" not in "\n".join(lines)  # descriptions are never read


def test_exhibition_with_daily_timings_is_kept_apart_and_not_counted_in_hours(dataset_dir: Path, settings):
    report = import_openagenda(FIXTURES / "openagenda_exposition.json", dataset_dir=dataset_dir,
                               settings=settings)
    assert report.rows[ALL].values.tolist() == [
        ["OA-88000001", "Exposition « Lieux effervescents en images »", "01/03/2025 10:00",
         "31/05/2025 18:00", "Rencontre", "Animation & Mutualisation", "sur place", "Valence", "26362", None,
         None, "92", "oui"],
        ["OA-88000002", "Vernissage de l'exposition", "01/03/2025 18:00", "01/03/2025 21:00", "Rencontre",
         "Animation & Mutualisation", "sur place", "Valence", "26362", None, "3", "1", "non"],
    ]
    assert report.issues[["line_number", "cell_value", "rule"]].values.tolist() == [
        [1, "92 séance(s) du 1er mars 2025 au 31 mai 2025",
         "exposition / activité permanente : événement importé, compté à part ; ses heures d'ouverture "
         "ne sont pas comptées en heures de réunion"]]
    assert assert_ledger_balances(report)["ajoutées"] == 2
    for name in ("lieux", "adhesions_helloasso", "contributions", "budget"):
        shutil.copy(SAMPLE / f"{name}.csv", dataset_dir)
    dataset = load_dataset(dataset_dir)
    assert dataset.issues[dataset.issues["table"] == "evenements"].empty
    year = events_by_year(dataset.evenements).iloc[0]
    assert (int(year["events_count"]), int(year["long_running_events_count"]), int(year["sessions_count"]),
            int(year["events_missing_participants_count"])) == (2, 1, 93, 2)
    assert pd.isna(year["participants_count"])  # OpenAgenda gives none: unknown, not 0
    by_kind = events_by_kind(dataset.evenements)
    assert by_kind["duration_hours"].tolist() == [3.0]  # 736 h of opening are not meeting hours


def _write(tmp_path: Path, content: str | bytes, name: str = "agenda.json") -> Path:
    path = tmp_path / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    return path


def test_a_file_where_every_event_fails_is_an_error_listing_the_reasons(
        dataset_dir: Path, settings, tmp_path: Path):
    (dataset_dir / "evenements.csv").write_text("identifiant;titre\n", encoding="utf-8")
    path = _write(tmp_path, json.dumps({"events": [
        {"uid": 1, "title": "A", "timings": [{"from": "2025-01-01"}]},
        {"uid": 2, "title": "B", "timings": [{"from": "2025-01-02"}]},
        None,
    ]}))
    with pytest.raises(DataError) as caught:
        import_openagenda(path, dataset_dir=dataset_dir, settings=settings)
    assert str(caught.value) == (
        "Fichier agenda.json : aucun des 3 événements n'a pu être importé (« timings » : horaire invalide "
        "(début et fin ISO attendus, fin après début) : événement non importé (2 événements) ; "
        "« (élément) » : élément qui n'est pas un événement (objet JSON attendu) : événement non importé "
        "(1 événement)). Vérifiez qu'il s'agit bien d'un export OpenAgenda (JSON).")
    assert (dataset_dir / "evenements.csv").read_text(encoding="utf-8") == "identifiant;titre\n"


@pytest.mark.parametrize(("content", "message"), [
    ("[" * 200_000 + "]" * 200_000,
     "Fichier agenda.json : JSON imbriqué sur 200\u202f000 niveaux (au plus 64) : ce n'est pas un export "
     "JSON OpenAgenda. Téléchargez à nouveau l'export."),
    ('{"events": [{"uid": 1, "title": "A",\n "timings": [}',
     "Fichier agenda.json : JSON mal formé à la ligne 2, colonne 14 (fichier tronqué ou modifié à la "
     "main ?). Téléchargez à nouveau le fichier."),
    (b'{"events": [{"uid": 1, "title": "Caf\xe9"}]}',
     "Fichier agenda.json : pas encodé en UTF-8 (octet illisible à la position 37). Téléchargez à "
     "nouveau le fichier, sans l'ouvrir ni l'enregistrer dans un autre logiciel."),
    ("null", "Fichier agenda.json : liste d'événements absente (export JSON OpenAgenda attendu : une liste "
             "d'événements, ou {\"events\": [...]})."),
])
def test_hostile_json_is_a_french_sentence(content, message, dataset_dir: Path, settings, tmp_path: Path):
    with pytest.raises(DataError) as caught:
        import_openagenda(_write(tmp_path, content), dataset_dir=dataset_dir, settings=settings)
    assert str(caught.value) == message


def test_a_huge_file_is_refused_before_it_is_read(dataset_dir: Path, settings, tmp_path: Path, monkeypatch):
    monkeypatch.setattr(json_reader, "MAX_JSON_BYTES", 2_000)
    path = _write(tmp_path, json.dumps({"events": [{"uid": i, "title": "x" * 40} for i in range(100)]}))
    monkeypatch.setattr(Path, "read_bytes", lambda self: pytest.fail("read before the size check"))
    with pytest.raises(DataError) as caught:
        import_openagenda(path, dataset_dir=dataset_dir, settings=settings)
    assert str(caught.value) == (
        "Fichier agenda.json : trop volumineux pour un export JSON OpenAgenda (6 Ko, au plus 2 Ko). "
        "Vérifiez qu'il s'agit du bon fichier, ou exportez-le en plusieurs parties.")


def test_mobilizon_null_element_is_listed_and_ledger_balances(dataset_dir: Path, settings, tmp_path: Path):
    content = json.loads((FIXTURES / "mobilizon_evenements.json").read_text(encoding="utf-8"))
    elements = content if isinstance(content, list) else content.get("elements") or content["data"][
        "events"]["elements"]
    elements.append(None)
    path = _write(tmp_path, json.dumps(content), name="mobilizon.json")
    report = import_mobilizon(path, dataset_dir=dataset_dir, settings=settings)
    assert report.issues[["line_number", "column_name", "cell_value"]].values.tolist() == [
        [len(elements), "(élément)", "null"]]
    assert assert_ledger_balances(report) == {
        "lues": len(elements), "ajoutées": len(elements) - 1, "mises à jour": 0, "inchangées": 0,
        "fusionnées (clé répétée)": 0, "rejetées": 1, "hors région": 0, "vides": 0}


def test_a_file_with_one_unusable_event_says_so_in_the_singular(dataset_dir: Path, settings, tmp_path: Path):
    path = _write(tmp_path, json.dumps([{"uid": 1, "title": {"fr": "A"}, "timings": []}]))
    with pytest.raises(DataError, match=r"^Fichier agenda.json : le seul événement du fichier n'a pu être "
                                        r"importé \(« timings » : aucun horaire : événement non importé "
                                        r"\(1 événement\)\)\."):
        import_openagenda(path, dataset_dir=dataset_dir, settings=settings)


def test_an_event_given_twice_is_merged_and_said(dataset_dir: Path, settings, tmp_path: Path):
    event = {"uid": 7, "title": "Copil", "timings": [{"begin": "2025-03-14T18:00:00+01:00",
                                                      "end": "2025-03-14T20:00:00+01:00"}]}
    later = {**event, "title": "Copil de mars"}
    report = import_openagenda(_write(tmp_path, json.dumps({"events": [event, later]})),
                               dataset_dir=dataset_dir, settings=settings)
    assert report.issues[["line_number", "column_name", "cell_value", "rule"]].values.tolist() == [
        [1, "uid", "OA-7", "identifiant en double dans la source : la dernière occurrence est retenue"]]
    assert (dataset_dir / "evenements.csv").read_text(encoding="utf-8-sig").count("Copil de mars") == 1
    assert assert_ledger_balances(report) == {
        "lues": 2, "ajoutées": 1, "mises à jour": 0, "inchangées": 0, "fusionnées (clé répétée)": 1,
        "rejetées": 0, "hors région": 0, "vides": 0}
