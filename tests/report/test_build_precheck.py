"""A setting missing for the year stops the build before any notebook runs, in French."""

from __future__ import annotations

import shutil

import pytest

from relief_analytics import paths
from relief_analytics.load import DataError
from relief_analytics.load.config import SAMPLE_SALT
from relief_analytics.report.build import build_reports


def test_missing_hourly_rate_stops_before_any_notebook(tmp_path):
    dataset = tmp_path / "donnees"
    shutil.copytree(paths.SAMPLE_DATASET_DIR, dataset)
    config = dataset / "config.toml"
    text = config.read_text(encoding="utf-8").replace(SAMPLE_SALT, "sel-de-test-0123456789abcdef" + "7" * 20)  # copy: own salt
    config.write_text(text.replace("2025 = 11.88\n", ""), encoding="utf-8")
    previous = tmp_path / "rapports" / "2025"
    previous.mkdir(parents=True)
    (previous / "rapport_activite_2025.html").write_text("ancien", encoding="utf-8")
    steps = []
    with pytest.raises(DataError) as exc:
        build_reports(dataset_dir=dataset, year=2025, reports_dir=tmp_path / "rapports", progress=steps.append)
    assert str(exc.value) == (
        "Taux horaire du bénévolat manquant pour l'année 2025 : ajoutez une ligne « 2025 = … » "
        "(en euros par heure) dans la section [taux_horaire_benevolat] du fichier config.toml."
    )
    assert not any("exécution du notebook" in step for step in steps)
    assert (previous / "rapport_activite_2025.html").read_text(encoding="utf-8") == "ancien"
