#!/usr/bin/env python3
"""Benchmark the loading of a national-scale dataset (issue #11), and of one 50 MB file.

What it measures, each in a fresh Python process (so that peak memory is the load's own),
median of ``--repetitions`` runs (3 by default), wall and CPU seconds:

- a synthetic national dataset (``scripts/generate_national.py``: 15,000 lieux, 200,000
  adhésions, 50,000 events, 300,000 contributions) generated in a temporary folder:
  ``load_dataset`` as a whole, again with Python's garbage collector paused (what
  ``load.validate.gc_paused`` around ``load_table`` would give), then its stages (read the
  files, pseudonymise the people, validate the rest), and the process's peak resident memory;
- a dataset whose adhésions file alone weighs at least 50 MB: ``load_dataset``, and
  ``relief valider`` as a user runs it.

Prints a short French table against the targets and, with ``--json PATH``, writes the figures
(machine-readable keys in French, like ``scripts/bench.py``). Exits with 1 when a target is missed.
The generated data never leaves the temporary folder.

Usage: python scripts/bench_national.py [--json PATH] [--repetitions 3] [--scale 1.0]
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import math
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SAMPLE_DIR = ROOT / "data" / "sample"

#: measured key -> (limit, unit, French label)
TARGETS = {
    "chargement_s": (10.0, "s", "jeu national : charger → valider → pseudonymiser → placer → indicateurs"),
    "rss_max_mo": (2048.0, "Mo", "jeu national : mémoire maximale"),
    "construction_s": (60.0, "s", "jeu national : construction complète des rapports"),
    "exploration_html_mo": (5.0, "Mo", "jeu national : HTML d'exploration"),
    "resolution_lignes_par_s": (-50_000.0, "lignes/s", "placement des communes (codes, code postal + nom)"),
}

#: Code run in a child process: one measured load, printed as JSON on stdout.
CHILD = r"""
import json, resource, sys, time
from pathlib import Path
stage = sys.argv[1]
directory = Path(sys.argv[2])
wall, cpu = time.perf_counter(), time.process_time()
if stage == "contexte":  # the whole chain up to every indicator of the year
    from relief_analytics.context import build_year_context
    from relief_analytics.load import load_dataset
    wall, cpu = time.perf_counter(), time.process_time()
    dataset = load_dataset(directory)
    build_year_context(dataset, year=2025)
    rows = int(dataset.summary["read_count"].sum())
    result = {"contexte": (time.perf_counter() - wall, time.process_time() - cpu)}
elif stage == "resolution":  # rows given by INSEE code, or by postal code + name
    import pandas as pd
    from relief_analytics.geo.reference import load_reference
    from relief_analytics.geo.resolve import resolve_communes
    reference = load_reference("84")
    communes = pd.DataFrame(reference.communes.drop(columns="geometry"))
    postal = communes["postal_codes"].fillna("").str.split("|").str[0]
    base = pd.DataFrame({"commune_code": communes["commune_code"], "postal_code": postal,
                         "commune_name": communes["commune_name"]})
    by_code = base.assign(postal_code=None, commune_name=None)
    by_postal = base.assign(commune_code=None)
    frame = pd.concat([by_code, by_postal] * 13, ignore_index=True)  # about 100,000 rows
    resolve_communes(frame.head(100), reference=reference)  # indexes built once, outside the timing
    wall, cpu = time.perf_counter(), time.process_time()
    resolve_communes(frame, reference=reference)
    rows = len(frame)
    result = {"resolution": (time.perf_counter() - wall, time.process_time() - cpu)}
elif stage in ("complet", "complet_gc_suspendu"):
    import gc
    from relief_analytics.load import load_dataset
    if stage == "complet_gc_suspendu":  # what load_table would gain under validate.gc_paused
        gc.disable()
    wall, cpu = time.perf_counter(), time.process_time()
    dataset = load_dataset(directory)
    rows = int(dataset.summary["read_count"].sum())
    result = {"complet": (time.perf_counter() - wall, time.process_time() - cpu)}
else:
    from relief_analytics.load import read_config
    from relief_analytics.load.headers import header_lookup, map_headers
    from relief_analytics.load.pseudonymise import pseudonymise_frame
    from relief_analytics.load.read import read_text_table
    from relief_analytics.load.validate import validate_table
    from relief_analytics.schemas import PERSONAL_TABLES, TABLES
    config = read_config(directory)
    totals = {"lecture": [0.0, 0.0], "pseudonymisation": [0.0, 0.0], "validation": [0.0, 0.0]}
    rows = 0

    def timed(key, func):
        wall, cpu = time.perf_counter(), time.process_time()
        value = func()
        totals[key][0] += time.perf_counter() - wall
        totals[key][1] += time.process_time() - cpu
        return value

    for table, model in TABLES.items():
        path = directory / config.files.get(table, "")
        if not path.is_file():
            continue
        known = set(header_lookup(model, config.column_overrides.get(table)))
        raw = timed("lecture", lambda: read_text_table(path, known_headers=known))
        rows += len(raw.frame)
        if table in PERSONAL_TABLES:
            mapping = map_headers(list(raw.frame.columns), model, file_name=path.name, table=table,
                                  overrides=config.column_overrides.get(table), computed=frozenset({"member_id"}))
            column_of = {name: header for header, name in mapping.items()}
            timed("pseudonymisation", lambda: pseudonymise_frame(
                raw.frame, salt=config.pseudonymisation_salt,
                organisation_col=column_of.get("organisation_name"), kind_col=column_of.get("member_kind")))
        # validate_table pseudonymises again: that share is taken out below
        timed("validation", lambda: validate_table(raw, table=table, model=model, config=config))
    for i in (0, 1):
        totals["validation"][i] -= totals["pseudonymisation"][i]
    result = {key: tuple(value) for key, value in totals.items()}
peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"temps": result, "memoire_max_mo": peak_mb, "lignes": rows}))
"""


def _generator():
    spec = importlib.util.spec_from_file_location("generate_national", ROOT / "scripts" / "generate_national.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _child(stage: str, directory: Path) -> dict:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
    done = subprocess.run(
        [sys.executable, "-c", CHILD, stage, str(directory)], capture_output=True, text=True, env=env, check=False
    )
    if done.returncode != 0:
        raise SystemExit(f"La mesure « {stage} » a échoué :\n{done.stderr[-2000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def _medians(runs: list[dict]) -> dict:
    """Median wall and CPU seconds of each stage, and the highest peak memory."""
    stages = runs[0]["temps"]
    return {
        "temps_s": {
            stage: {"mur": statistics.median(r["temps"][stage][0] for r in runs),
                    "cpu": statistics.median(r["temps"][stage][1] for r in runs)}
            for stage in stages
        },
        "memoire_max_mo": max(r["memoire_max_mo"] for r in runs),
        "lignes": runs[0]["lignes"],
    }


def _large_adhesions_dataset(directory: Path, *, megabytes: float = 50.0) -> float:
    """The sample dataset with an adhésions file of at least ``megabytes`` MB; return its size in MB."""
    generator = _generator()
    shutil.copytree(SAMPLE_DIR, directory)
    config = directory / "config.toml"  # the sample's public salt is refused outside data/sample
    text = config.read_text(encoding="utf-8")
    public = text.split('sel_pseudonymisation = "', 1)[1].split('"', 1)[0]
    config.write_text(text.replace(public, "sel-du-banc-de-mesure-0123456789abcdef"), encoding="utf-8")
    import numpy as np

    rng = np.random.default_rng(50)
    communes = generator._communes()
    people = generator.make_people(rng, 80_000)
    lieux = generator.make_lieux(rng, 2_000, communes)
    rows = 260_000
    while True:
        frame = generator.make_adhesions(rng, rows, people, lieux, communes)
        path = directory / "adhesions_helloasso.csv"
        frame.to_csv(path, sep=";", index=False, encoding="utf-8-sig", lineterminator="\r\n")
        size = path.stat().st_size / 1e6
        if size >= megabytes:
            return size
        rows = math.ceil(rows * megabytes / size * 1.01)


def _time_cli(directory: Path) -> float:
    wall = time.perf_counter()
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
    subprocess.run(
        [sys.executable, "-m", "relief_analytics.cli", "valider", "--donnees", str(directory)],
        capture_output=True, env=env, check=False,
    )
    return time.perf_counter() - wall


def _time_build(directory: Path, reports: Path) -> tuple[float, dict[str, int]]:
    """Wall seconds of ``relief rapports`` on ``directory`` and the size of each output."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
    wall = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "relief_analytics.cli", "rapports", "--donnees", str(directory),
         "--annee", "2025", "--sortie", str(reports), "--force"],
        capture_output=True, text=True, env=env, check=False,
    )
    seconds = time.perf_counter() - wall
    if done.returncode != 0:
        raise SystemExit(f"La construction nationale a échoué :\n{done.stdout[-1500:]}\n{done.stderr[-1500:]}")
    year_dir = reports / "2025"
    return seconds, {p.name: p.stat().st_size for p in sorted(year_dir.iterdir()) if p.is_file()}


def _fr(value: float, decimals: int = 1) -> str:
    return f"{value:,.{decimals}f}".replace(",", "\u202f").replace(".", ",")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Mesure le chargement d'un jeu de données national synthétique.")
    parser.add_argument("--json", type=Path, help="fichier JSON où écrire les mesures")
    parser.add_argument("--repetitions", type=int, default=3, help="répétitions par mesure (médiane ; défaut 3)")
    parser.add_argument("--scale", type=float, default=1.0, help="taille du jeu national (1,0 = échelle nationale)")
    parser.add_argument("--seed", type=int, default=11, help="graine du générateur")
    args = parser.parse_args(argv)

    results: dict = {"machine": {"processeurs": os.cpu_count(), "python": platform.python_version(),
                                 "systeme": platform.platform()},
                     "repetitions": args.repetitions, "echelle": args.scale}
    with tempfile.TemporaryDirectory(prefix="relief-bench-national-") as tmp:
        national = Path(tmp) / "national"
        print("Génération du jeu national…", flush=True)
        results["national_lignes_par_table"] = _generator().generate(national, seed=args.seed, scale=args.scale)
        results["national_octets"] = sum(p.stat().st_size for p in national.iterdir())
        print("Mesure du chargement complet…", flush=True)
        results["national_complet"] = _medians([_child("complet", national) for _ in range(args.repetitions)])
        print("Mesure avec le ramasse-miettes suspendu…", flush=True)
        results["national_complet_gc_suspendu"] = _medians(
            [_child("complet_gc_suspendu", national) for _ in range(args.repetitions)]
        )
        print("Mesure par étape…", flush=True)
        results["national_etapes"] = _medians([_child("etapes", national) for _ in range(args.repetitions)])
        print("Mesure jusqu'aux indicateurs (contexte de l'année)…", flush=True)
        results["national_contexte"] = _medians([_child("contexte", national) for _ in range(args.repetitions)])
        print("Mesure du placement des communes…", flush=True)
        results["resolution"] = _medians([_child("resolution", national) for _ in range(args.repetitions)])
        print("Construction complète des rapports sur le jeu national…", flush=True)
        builds = [_time_build(national, Path(tmp) / f"rapports-{i}") for i in range(args.repetitions)]
        results["national_construction_s"] = statistics.median(b[0] for b in builds)
        results["national_sorties_octets"] = builds[-1][1]
        shutil.rmtree(national)

        large = Path(tmp) / "gros_fichier"
        print("Fichier d'adhésions de 50 Mo…", flush=True)
        results["gros_fichier_mo"] = _large_adhesions_dataset(large)
        results["gros_fichier_complet"] = _medians([_child("complet", large) for _ in range(args.repetitions)])
        results["gros_fichier_relief_valider_s"] = statistics.median(_time_cli(large) for _ in range(args.repetitions))

    complete = results["national_complet"]
    context = results["national_contexte"]
    resolution = results["resolution"]
    measured = {
        "chargement_s": context["temps_s"]["contexte"]["mur"],
        "rss_max_mo": context["memoire_max_mo"],
        "construction_s": results["national_construction_s"],
        "exploration_html_mo": results["national_sorties_octets"].get("exploration_lieux_2025.html", 0) / 1e6,
        "resolution_lignes_par_s": resolution["lignes"] / resolution["temps_s"]["resolution"]["mur"],
    }
    results["mesures"] = measured
    results["objectifs"] = {key: abs(limit) for key, (limit, _, _) in TARGETS.items()}

    lines = results["national_complet"]["lignes"]
    print(f"\nJeu national synthétique : {_fr(lines, 0)} lignes, {_fr(results['national_octets'] / 1e6)} Mo "
          f"(médiane de {args.repetitions}, temps mur / temps processeur)")
    missed = []
    for key, (limit, unit, label) in TARGETS.items():
        at_least = limit < 0  # a negative limit is a minimum
        ok = measured[key] >= -limit if at_least else measured[key] <= limit
        missed += [] if ok else [key]
        sign = "≥" if at_least else "≤"
        print(f"  {'✓' if ok else '✗'} {label} : {_fr(measured[key])} {unit} "
              f"(objectif {sign} {_fr(abs(limit), 0)} {unit})")
    print(f"    processeur : {_fr(complete['temps_s']['complet']['cpu'])} s")
    paused = results["national_complet_gc_suspendu"]["temps_s"]["complet"]
    print(f"    avec le ramasse-miettes suspendu (validate.gc_paused) : {_fr(paused['mur'])} s "
          f"({_fr(paused['cpu'])} s processeur)")
    for stage, times in results["national_etapes"]["temps_s"].items():
        print(f"    étape {stage} : {_fr(times['mur'])} s ({_fr(times['cpu'])} s processeur)")
    big = results["gros_fichier_complet"]
    print(f"  Fichier d'adhésions de {_fr(results['gros_fichier_mo'])} Mo ({_fr(big['lignes'], 0)} lignes) : "
          f"load_dataset {_fr(big['temps_s']['complet']['mur'])} s, mémoire max {_fr(big['memoire_max_mo'], 0)} Mo ; "
          f"« relief valider » {_fr(results['gros_fichier_relief_valider_s'])} s")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(results, indent=2, ensure_ascii=False), encoding="utf-8")
        print(f"Résultats détaillés : {args.json}")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
