"""GoGoCarto gogofull JSON and back-office CSV → the same exact ``lieux`` rows."""

from __future__ import annotations

from pathlib import Path

import pytest

from relief_analytics.importers.gogocarto import import_gogocarto

FIXTURES = Path(__file__).parent / "fixtures"

EXPECTED = [
    {"lieu_id": "GGC-a1B2", "lieu_name": "La Cordée Liberté", "street_address": "12 rue de la Liberté",
     "postal_code": "69003", "commune_name": "Lyon", "commune_code": "69123", "latitude": "45,7578",
     "longitude": "4,842", "typologies": "Bureaux partagés / Coworking|Fablab / Makerspace / Hackerspace",
     "legal_status": "SCIC", "opening_year": None, "state": "ouvert", "is_member": "non",
     "website": "https://lacordee.example", "updated_date": "12/05/2024",
     "description": "Espace de travail partagé", "surface": "120 m²"},
    {"lieu_id": "GGC-c3D4", "lieu_name": "Le Moulin Partagé", "street_address": None,
     "postal_code": "38000", "commune_name": "Grenoble", "commune_code": "38185", "latitude": "45,19",
     "longitude": "5,72", "typologies": "Atelier artisanal partagé", "legal_status": None,
     "opening_year": None, "state": "ouvert", "is_member": "non", "website": None,
     "updated_date": "20/11/2023", "description": None, "surface": None},
]


@pytest.mark.parametrize("name", ["gogocarto_gogofull.json", "gogocarto_backoffice.csv"])
def test_both_formats_give_the_exact_rows(name, dataset_dir: Path, settings):
    report = import_gogocarto(FIXTURES / name, dataset_dir=dataset_dir, settings=settings)
    assert report.read_count == 3
    rows = report.rows[list(EXPECTED[0])].to_dict("records")
    assert rows == EXPECTED
    assert "referent" not in report.rows.columns or report.rows["referent"].isna().all()
    assert report.issues[["line_number", "column_name", "cell_value"]].values.tolist()[0][2] == "Ressourcerie"
    assert report.out_of_region[["nom", "raison"]].values.tolist() == [
        ["La Fabrique Parisienne", "code postal 75001 (département 75), hors région"]]
    written = (dataset_dir / "lieux.csv").read_text(encoding="utf-8-sig")
    assert "private" not in written and "04 00 00 00 00" not in written
    assert "private" not in "\n".join(report.lines_fr())


def test_json_then_csv_of_the_same_map_merge_without_duplicates(dataset_dir: Path, settings):
    import_gogocarto(FIXTURES / "gogocarto_gogofull.json", dataset_dir=dataset_dir, settings=settings)
    second = import_gogocarto(FIXTURES / "gogocarto_backoffice.csv", dataset_dir=dataset_dir,
                              settings=settings)
    assert (second.added_keys, second.updated_keys, second.unchanged_count) == ([], [], 2)
