"""Benchmark: build time and output sizes on the sample data, against declared targets.

Run with ``make bench``. Writes ``.bench/resultats.json`` and prints a French summary;
exits with 1 when a target is missed. Targets live here, not in timed tests.
"""

from __future__ import annotations

import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

from relief_analytics import paths
from relief_analytics.geo.reference import load_reference
from relief_analytics.geo.resolve import resolve_communes
from relief_analytics.load import load_dataset
from relief_analytics.report.build import build_reports

#: name -> (measured key, limit, unit, French label)
TARGETS = {
    "chargement_donnees_s": (3.0, "s", "chargement et validation des données d'exemple"),
    "lecture_referentiel_s": (1.0, "s", "lecture du référentiel géographique"),
    "resolution_communes_s": (1.0, "s", "placement des lieux sur les communes"),
    "construction_totale_s": (120.0, "s", "construction de tous les rapports de l'année"),
    "html_max_mo": (8.0, "Mo", "plus gros fichier HTML"),
    "pdf_max_mo": (2.0, "Mo", "plus gros PDF"),
    "dossier_annee_mo": (40.0, "Mo", "dossier reports/<année> complet"),
}


def median_time(func, repeat: int = 3) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> int:
    results: dict[str, float] = {}
    results["chargement_donnees_s"] = median_time(lambda: load_dataset(paths.SAMPLE_DATASET_DIR))
    load_reference.cache_clear()
    results["lecture_referentiel_s"] = median_time(lambda: load_reference("84"), repeat=1)
    dataset = load_dataset(paths.SAMPLE_DATASET_DIR)
    reference = load_reference("84")
    results["resolution_communes_s"] = median_time(lambda: resolve_communes(dataset.lieux, reference=reference), repeat=1)

    with tempfile.TemporaryDirectory(prefix="relief-bench-") as tmp:
        start = time.perf_counter()
        result = build_reports(dataset_dir=paths.SAMPLE_DATASET_DIR, year=None, reports_dir=Path(tmp),
                               progress=lambda *_: None)
        results["construction_totale_s"] = time.perf_counter() - start
        if not result.ok:
            print("La construction a échoué : mesure impossible.", file=sys.stderr)
            return 1
        year_dir = next(p for p in Path(tmp).iterdir() if p.is_dir() and p.name.isdigit())
        files = [p for p in year_dir.rglob("*") if p.is_file()]
        sizes = {str(p.relative_to(year_dir)): p.stat().st_size for p in files}
        mo = 1024 * 1024
        results["html_max_mo"] = max(s for n, s in sizes.items() if n.endswith(".html")) / mo
        pdfs = [s for n, s in sizes.items() if n.endswith(".pdf")]
        if pdfs:
            results["pdf_max_mo"] = max(pdfs) / mo
        results["dossier_annee_mo"] = sum(sizes.values()) / mo
        manifest = json.loads((year_dir / "manifest.json").read_text(encoding="utf-8"))

    print("Mesures (données d'exemple) :")
    missed = []
    for key, (limit, unit, label) in TARGETS.items():
        if key not in results:
            print(f"  {label} : non mesuré")
            continue
        value = results[key]
        ok = value <= limit
        missed += [] if ok else [key]
        shown = f"{value:.2f}".replace(".", ",")
        print(f"  {'✓' if ok else '✗'} {label} : {shown} {unit} (objectif ≤ {str(limit).replace('.', ',')} {unit})")
    print("Durées par rapport (exécution du notebook, exports) :")
    for report in manifest["reports"].values():
        steps = ", ".join(f"{k} {str(round(v, 1)).replace('.', ',')} s" for k, v in report["timings_s"].items())
        print(f"  {report['title']} : {steps}")

    out = paths.PROJECT_DIR / ".bench"
    out.mkdir(exist_ok=True)
    (out / "resultats.json").write_text(json.dumps({
        "mesures": results, "objectifs": {k: v[0] for k, v in TARGETS.items()},
        "tailles_octets": sizes, "durees_par_rapport": {n: r["timings_s"] for n, r in manifest["reports"].items()},
    }, indent=2, ensure_ascii=False), encoding="utf-8")
    print(f"Résultats détaillés : {out / 'resultats.json'}")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
