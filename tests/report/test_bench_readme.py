"""The README's performance table is generated from the bench's results, with the calibration."""

from __future__ import annotations

import importlib.util

from relief_analytics.paths import PROJECT_DIR


def load_bench():
    spec = importlib.util.spec_from_file_location("bench", PROJECT_DIR / "scripts" / "bench.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_table_quotes_date_calibration_and_each_figure_against_its_target():
    bench = load_bench()
    results = {
        "date": "2026-12-01 22:00 UTC",
        "repetitions": 3,
        "machine": {"resume": "2 cœurs, 24 Go, Python 3.11.7, charge 0,4"},
        "calibration": {"debut": {"python_s": 0.0861, "numpy_s": 0.3297, "charge_1min": 0.4}},
        "mesures": {"rapports_force_processus_s": 11.04, "reconstruction_budget_s": 4.46},
    }
    table = bench.readme_table(results).splitlines()
    assert table[0] == ("Mesuré le 2026-12-01 22:00 UTC sur 2 cœurs, 24 Go, Python 3.11.7, "
                        "charge 0,4 ; médiane de 3 exécution(s).")
    assert table[1] == ("Calibration (travail fixe, à comparer d'une machine à l'autre) : "
                        "Python pur 0,086 s, NumPy 0,330 s, charge 0,4.")
    assert "| `relief rapports --force` lancé depuis le shell (processus neuf) | 11,0 s | ≤ 12,0 s |" in table
    assert ("| Un intitulé du budget corrigé : seuls les rapports dont un tableau change sont refaits "
            "| 4,5 s | ≤ 5,0 s |") in table
    assert "| `relief -h` | non mesuré | ≤ 0,5 s |" in table


def test_the_readme_carries_the_markers_the_bench_rewrites_between():
    bench = load_bench()
    text = (PROJECT_DIR / "README.md").read_text(encoding="utf-8")
    assert text.index(bench.README_START) < text.index(bench.README_END)
