"""Benchmark of the report build against the targets of issue #19 (``make bench``; a script, not a test).

Every figure is recorded beside a short **calibration** (a fixed pure-Python and NumPy workload,
:func:`calibrate`, run before the measures and after each build repetition), so that a figure
from a slower or busier machine can be read against it: compare ``figure / calibration``.

In one run, each measure repeated ``--repetitions`` times (median quoted):

- import times in fresh processes (``import nbformat`` with and without ``relief_analytics`` first,
  the build module, ``relief -h``);
- loading the sample data, reading the geographic reference, resolving communes;
- the full year set built by :func:`relief_analytics.report.build.build_reports`, stage by stage
  (load, each notebook execution, each export, PDFs), then a rebuild with nothing changed, then the
  same set built the by-hand way (papermill CLI, then ``jupyter nbconvert`` CLI per notebook, plus
  Chromium ``--print-to-pdf``), paired in the same repetition; the ratio by-hand / build;
- ``relief rapports --force`` as a volunteer runs it: a fresh process from the shell;
- one budget line changed in a copy of the sample, then ``relief rapports`` in a fresh process:
  only the reports reading the budget are rebuilt;
- peak RSS (this process, which runs the build, and its largest child), each output's size;
- the national-scale figures of ``scripts/bench_national.py`` when that script exists (it is run as
  ``python scripts/bench_national.py --repetitions N --json .bench/national.json``; its JSON object
  is merged under ``"national"``).

Writes ``.bench/resultats.json`` and prints a short French table against the targets. Exits 1
when a measured target is missed, 2 when the build itself fails.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(PROJECT_DIR))  # measure this checkout, even where another one is installed

from relief_analytics import paths  # noqa: E402
from relief_analytics.report.catalog import CATALOG  # noqa: E402

BENCH_DIR = PROJECT_DIR / ".bench"
RESULTS_PATH = BENCH_DIR / "resultats.json"
NATIONAL_SCRIPT = PROJECT_DIR / "scripts" / "bench_national.py"
NATIONAL_RESULTS_PATH = BENCH_DIR / "national.json"

#: key -> (limit, "max" or "min", unit, French label). Keys of ``national.*`` come from
#: scripts/bench_national.py.
TARGETS = {
    "construction_complete_s": (12.0, "max", "s", "jeu complet de l'année, médiane"),
    "rapports_force_processus_s": (12.0, "max", "s", "« relief rapports --force » depuis le shell"),
    "gain_vs_methode_manuelle": (8.0, "min", "×", "gain face à papermill + nbconvert à la main"),
    "reconstruction_inchangee_s": (2.0, "max", "s", "reconstruction sans changement"),
    "reconstruction_budget_s": (5.0, "max", "s", "une ligne du budget changée : reconstruction"),
    "html_max_mo": (3.0, "max", "Mo", "plus gros rapport HTML"),
    "diaporama_ag_mo": (3.0, "max", "Mo", "diaporama de l'AG"),
    "relief_aide_s": (0.5, "max", "s", "« relief -h » à froid"),
    "chargement_donnees_s": (3.0, "max", "s", "chargement et validation des données d'exemple"),
    "lecture_referentiel_s": (1.0, "max", "s", "lecture du référentiel géographique"),
    "resolution_communes_s": (1.0, "max", "s", "placement des lieux sur les communes"),
    "national.chargement_s": (10.0, "max", "s", "national : charger → valider → indicateurs"),
    "national.rss_max_mo": (1024.0, "max", "Mo", "national : mémoire maximale"),
    "national.construction_s": (30.0, "max", "s", "national : construction complète"),
    "national.exploration_html_mo": (5.0, "max", "Mo", "national : HTML d'exploration"),
    "national.resolution_lignes_par_s": (50_000.0, "min", "lignes/s", "résolution des communes"),
}

#: Fresh-process import measures: name -> Python code run with ``python -c``.
IMPORTS = {
    "nbformat_seul": "import nbformat",
    "nbformat_apres_relief_analytics": "import relief_analytics, nbformat",
    "plotly_io_premier_rendu": (
        "import relief_analytics, plotly.graph_objects as go;"
        "from relief_analytics.figures.render import use_offline_renderer;"
        "use_offline_renderer(); go.Figure(go.Bar(x=[1], y=[2]))._repr_mimebundle_()"
    ),
    "relief_analytics_report_build": "import relief_analytics.report.build",
}

MB = 1024 * 1024


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Mesure la construction des rapports (issue #11).")
    parser.add_argument("--repetitions", type=int, default=3, help="répétitions (médiane), 3")
    parser.add_argument("--annee", type=int, default=None, help="année (défaut : config.toml)")
    parser.add_argument(
        "--sans-methode-manuelle", action="store_true", help="ne pas mesurer papermill + nbconvert"
    )
    parser.add_argument("--sans-national", action="store_true", help="ne pas lancer bench_national")
    parser.add_argument("--readme", action="store_true",
                        help="réécrire le tableau « Performances » du README depuis les résultats")
    parser.add_argument("--readme-seulement", action="store_true",
                        help="réécrire le tableau du README depuis .bench/resultats.json, sans mesurer")
    args = parser.parse_args(argv)
    reps = max(1, args.repetitions)
    if args.readme_seulement:
        return write_readme_table(json.loads(RESULTS_PATH.read_text(encoding="utf-8")))

    results: dict = {
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "machine": machine_description(),
        "repetitions": reps,
        "mesures": {},
        "notes": [],
    }
    measures = results["mesures"]

    print(f"Mesures ({reps} répétition(s), médiane) sur {results['machine']['resume']}…", flush=True)
    results["calibration"] = {"debut": calibrate()}
    print(f"  calibration : {describe_calibration(results['calibration']['debut'])}", flush=True)
    results["imports_s"] = {name: median_run([sys.executable, "-c", code], reps)
                            for name, code in IMPORTS.items()}
    measures["relief_aide_s"] = median_run([sys.executable, "-m", "relief_analytics.cli", "-h"], reps)

    measures.update(measure_data_steps(reps))

    builds = measure_builds(reps, year=args.annee, by_hand=not args.sans_methode_manuelle)
    if builds is None:
        return 2
    results.update(builds.pop("details"))
    measures.update(builds)
    measures.update(measure_site(year=args.annee, reps=reps))  # the public site (issue #18)

    if not args.sans_national:
        national = run_national(reps, results["notes"])
        if national is not None:
            results["national"] = national
            for key, value in national.get("mesures", {}).items():
                measures[f"national.{key}"] = value

    results["calibration"]["fin"] = calibrate()
    usage_self = resource.getrusage(resource.RUSAGE_SELF)
    usage_children = resource.getrusage(resource.RUSAGE_CHILDREN)
    measures["rss_max_construction_mo"] = usage_self.ru_maxrss / 1024
    measures["rss_max_processus_enfant_mo"] = usage_children.ru_maxrss / 1024

    missed = print_table(results)
    BENCH_DIR.mkdir(exist_ok=True)
    results["objectifs"] = {
        key: {"limite": limit, "sens": sense, "unite": unit, "libelle": label}
        for key, (limit, sense, unit, label) in TARGETS.items()
    }
    results["objectifs_manques"] = missed
    RESULTS_PATH.write_text(json.dumps(results, indent=2, ensure_ascii=False), encoding="utf-8")
    print(f"Résultats détaillés : {display(RESULTS_PATH)}")
    if args.readme:
        write_readme_table(results)
    return 1 if missed else 0


# -- measures ------------------------------------------------------------------------------------
def measure_data_steps(reps: int) -> dict:
    from relief_analytics.geo.reference import load_reference
    from relief_analytics.geo.resolve import resolve_communes
    from relief_analytics.load import load_dataset

    out = {"chargement_donnees_s": median_time(lambda: load_dataset(paths.SAMPLE_DATASET_DIR), reps)}

    # In a fresh process each time: load_reference may cache its result.
    out["lecture_referentiel_s"] = median(
        timed_in_fresh_process(
            "from relief_analytics.geo.reference import load_reference",
            'load_reference("84")',
        )
        for _ in range(reps)
    )
    dataset = load_dataset(paths.SAMPLE_DATASET_DIR)
    reference = load_reference("84")
    out["resolution_communes_s"] = median_time(
        lambda: resolve_communes(dataset.lieux, reference=reference), reps
    )
    return out


def measure_builds(reps: int, *, year: int | None, by_hand: bool) -> dict | None:
    """Full build, unchanged rebuild and by-hand build, paired in each repetition."""
    from relief_analytics.load import load_dataset
    from relief_analytics.report.build import build_reports

    runs: list[dict] = []
    for rep in range(1, reps + 1):
        run: dict = {}
        with tempfile.TemporaryDirectory(prefix="relief-bench-") as tmp:
            reports_dir = Path(tmp) / "reports"
            load_times: list[float] = []

            def timed_load(dataset_dir, _times=load_times):
                started = time.perf_counter()
                dataset = load_dataset(dataset_dir)
                _times.append(time.perf_counter() - started)
                return dataset

            print(f"  [{rep}/{reps}] construction complète…", flush=True)
            with cpu_clock() as cpu:
                started = time.perf_counter()
                result = build_reports(
                    dataset_dir=paths.SAMPLE_DATASET_DIR,
                    year=year,
                    reports_dir=reports_dir,
                    progress=lambda *_: None,
                    load=timed_load,
                )
                run["construction_s"] = time.perf_counter() - started
            run["construction_cpu_s"] = cpu["s"]
            if not result.ok:
                print("La construction a échoué : mesure impossible.", file=sys.stderr)
                for outcome in result.failed:
                    print(f"  {outcome.spec.name} : {outcome.error}", file=sys.stderr)
                return None
            year = result.year
            run["chargement_s"] = load_times[0] if load_times else None
            run["etapes_s"] = {o.spec.name: dict(o.timings_s) for o in result.reports}
            run["tailles_octets"] = {
                str(p.relative_to(result.year_dir)): p.stat().st_size
                for p in sorted(result.year_dir.rglob("*"))
                if p.is_file()
            }

            print(f"  [{rep}/{reps}] reconstruction sans changement…", flush=True)
            # as a volunteer runs it again: a fresh process, which must answer « à jour »
            env = {**os.environ, "PYTHONPATH": os.pathsep.join(
                [str(PROJECT_DIR), os.environ.get("PYTHONPATH", "")])}
            started = time.perf_counter()
            again = subprocess.run(
                [sys.executable, "-m", "relief_analytics.cli", "rapports", "--annee", str(year),
                 "--sortie", str(reports_dir)],
                cwd=PROJECT_DIR, env=env, capture_output=True, text=True, check=False,
            )
            run["reconstruction_inchangee_s"] = time.perf_counter() - started
            run["reconstruction_ok"] = again.returncode == 0 and "à jour" in again.stdout

            print(f"  [{rep}/{reps}] « relief rapports --force » dans un processus neuf…", flush=True)
            started = time.perf_counter()
            forced = subprocess.run(
                [sys.executable, "-m", "relief_analytics.cli", "rapports", "--annee", str(year),
                 "--sortie", str(reports_dir), "--force"],
                cwd=PROJECT_DIR, env=env, capture_output=True, text=True, check=False,
            )
            run["rapports_force_processus_s"] = time.perf_counter() - started
            run["rapports_force_ok"] = forced.returncode == 0

            print(f"  [{rep}/{reps}] une ligne du budget changée…", flush=True)
            run.update(measure_budget_change(Path(tmp) / "budget", year=year, env=env))
            run["calibration_s"] = calibrate()

            if by_hand:
                print(f"  [{rep}/{reps}] méthode manuelle (papermill + nbconvert + Chromium)…",
                      flush=True)
                with cpu_clock() as cpu:
                    started = time.perf_counter()
                    run["manuelle_etapes_s"] = build_by_hand(Path(tmp) / "main", year=year)
                    run["manuelle_s"] = time.perf_counter() - started
                run["manuelle_cpu_s"] = cpu["s"]
                run["gain"] = run["manuelle_s"] / run["construction_s"]
        runs.append(run)

    last = runs[-1]
    sizes = last["tailles_octets"]
    html = {name: size for name, size in sizes.items() if name.endswith(".html")}
    slides = [size for name, size in html.items() if name.startswith("presentation_ag")]
    out = {
        "construction_complete_s": median(r["construction_s"] for r in runs),
        "construction_cpu_s": median(r["construction_cpu_s"] for r in runs),
        "chargement_dans_construction_s": median(
            r["chargement_s"] for r in runs if r["chargement_s"] is not None
        ),
        "reconstruction_inchangee_s": median(r["reconstruction_inchangee_s"] for r in runs),
        "rapports_force_processus_s": median(r["rapports_force_processus_s"] for r in runs),
        "reconstruction_budget_s": median(r["reconstruction_budget_s"] for r in runs
                                          if r["reconstruction_budget_s"] is not None),
        "pdf_total_s": median(
            sum(steps.get("pdf", 0.0) for steps in r["etapes_s"].values()) for r in runs
        ),
        "html_max_mo": max(html.values()) / MB if html else None,
        "diaporama_ag_mo": slides[0] / MB if slides else None,
        "dossier_annee_mo": sum(sizes.values()) / MB,
    }
    if by_hand:
        out["methode_manuelle_s"] = median(r["manuelle_s"] for r in runs)
        out["methode_manuelle_cpu_s"] = median(r["manuelle_cpu_s"] for r in runs)
        out["gain_vs_methode_manuelle"] = median(r["gain"] for r in runs)
        out["gain_cpu_vs_methode_manuelle"] = out["methode_manuelle_cpu_s"] / out["construction_cpu_s"]
    stage_names = {(name, step) for r in runs for name, steps in r["etapes_s"].items() for step in steps}
    stages: dict[str, dict[str, float]] = {}
    for name, step in sorted(stage_names):
        stages.setdefault(name, {})[step] = median(
            r["etapes_s"][name][step] for r in runs if step in r["etapes_s"].get(name, {})
        )
    out["details"] = {
        "annee": year,
        "etapes_construction_s": stages,
        "tailles_octets": sizes,
        "repetitions_detail": runs,
    }
    return out


def _invented_identity(text: str) -> str:
    """The example association's identity is refused outside data/sample: the copy gets the
    synthetic one of ``scripts/generate_national.py`` (one definition for both benches)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("generate_national", PROJECT_DIR / "scripts" / "generate_national.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.invented_identity(text)


def measure_budget_change(folder: Path, *, year: int, env: dict) -> dict:
    """Build a copy of the sample, change one budget line, time ``relief rapports`` (fresh process)."""
    import shutil

    from relief_analytics.load.config import SAMPLE_SALT

    dataset = folder / "donnees"
    shutil.copytree(paths.SAMPLE_DATASET_DIR, dataset)
    config = dataset / "config.toml"  # the sample's public salt is refused outside data/sample
    config.write_text(_invented_identity(config.read_text(encoding="utf-8")).replace(
        SAMPLE_SALT, "sel-du-banc-de-mesure-0123456789abcdef"), encoding="utf-8")
    command = [sys.executable, "-m", "relief_analytics.cli", "rapports", "--annee", str(year),
               "--donnees", str(dataset), "--sortie", str(folder / "reports")]
    first = subprocess.run(command, cwd=PROJECT_DIR, env=env, capture_output=True, text=True,
                           check=False)
    if first.returncode != 0:
        return {"reconstruction_budget_s": None, "reconstruction_budget_ok": False}
    # The label of the last charge line (account 6…) is corrected: amounts stay balanced.
    budget = dataset / "budget.csv"
    lines = budget.read_text(encoding="utf-8-sig").splitlines()
    last = max(i for i, line in enumerate(lines) if line.split(";")[1:2] and line.split(";")[1].startswith("6"))
    cells = lines[last].split(";")
    cells[2] = f"{cells[2]} (corrigé)"
    lines[last] = ";".join(cells)
    budget.write_text("\n".join(lines) + "\n", encoding="utf-8")
    started = time.perf_counter()
    again = subprocess.run(command, cwd=PROJECT_DIR, env=env, capture_output=True, text=True,
                           check=False)
    seconds = time.perf_counter() - started
    partial = next((line for line in again.stdout.splitlines()
                    if line.startswith("Reconstruction partielle")), None)
    return {"reconstruction_budget_s": seconds,
            "reconstruction_budget_ok": again.returncode == 0 and partial is not None,
            "reconstruction_budget_detail": partial,
            "reconstruction_budget_code": again.returncode,
            "reconstruction_budget_sortie": again.stdout.splitlines()[-3:] + again.stderr.splitlines()[-3:]}


def calibrate() -> dict[str, float]:
    """Seconds of a fixed workload, best of 3: pure Python (loops, dicts, strings) and NumPy.

    The same work on every machine; a figure divided by these seconds compares machines.
    """
    import numpy as np

    def pure_python() -> None:
        table: dict[int, str] = {}
        total = 0
        for i in range(300_000):
            total += (i * i) % 7
            table[i % 1000] = str(i)
        sorted(table.values())

    def with_numpy() -> None:
        rng = np.random.default_rng(19)
        matrix = rng.random((300, 300))
        for _ in range(5):
            matrix = matrix @ matrix
            matrix /= matrix.max()
        np.sort(rng.random(1_000_000))

    out = {}
    for name, work in (("python_s", pure_python), ("numpy_s", with_numpy)):
        times = []
        for _ in range(3):
            started = time.perf_counter()
            work()
            times.append(time.perf_counter() - started)
        out[name] = min(times)
    out["charge_1min"] = round(os.getloadavg()[0], 2)
    return out


def describe_calibration(calibration: dict) -> str:
    return (f"Python pur {number(calibration['python_s'], 3)} s, NumPy "
            f"{number(calibration['numpy_s'], 3)} s, charge {number(calibration['charge_1min'], 1)}")


def build_by_hand(folder: Path, *, year: int) -> dict[str, float]:
    """Build the set the by-hand way: papermill CLI, then nbconvert CLI, then Chromium per PDF.

    XLSX workbooks have no by-hand CLI equivalent and are not made here.
    """
    from relief_analytics.report.execute import ensure_kernel_name
    from relief_analytics.report.pdf import chromium_flags, find_browser

    folder.mkdir(parents=True, exist_ok=True)
    bin_dir = Path(sys.executable).parent
    kernel = ensure_kernel_name()
    browser = find_browser(None)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(PROJECT_DIR), os.environ.get("PYTHONPATH", "")])}
    timings: dict[str, float] = {}

    def run(step: str, command: list[str]) -> None:
        started = time.perf_counter()
        subprocess.run(command, check=True, env=env, cwd=folder, capture_output=True, text=True)
        timings[step] = timings.get(step, 0.0) + time.perf_counter() - started

    for spec in CATALOG:
        executed = folder / f"{spec.name}.ipynb"
        run(f"{spec.name}.papermill", [
            str(bin_dir / "papermill"), str(spec.notebook_path), str(executed),
            "-p", "annee", str(year), "-p", "dossier_donnees", str(paths.SAMPLE_DATASET_DIR),
            "-k", kernel, "--cwd", str(spec.notebook_path.parent), "--no-progress-bar",
        ])
        for fmt in spec.formats:
            if fmt in ("html", "slides"):
                run(f"{spec.name}.{fmt}", [
                    str(bin_dir / "jupyter"), "nbconvert", "--to", fmt, "--no-input",
                    "--output", spec.output_name(fmt, year), str(executed),
                ])
            elif fmt == "pdf" and browser is not None:
                html = folder / spec.output_name("html", year)
                with tempfile.TemporaryDirectory(prefix="relief-bench-chromium-") as profile:
                    run(f"{spec.name}.pdf", [
                        str(browser), *chromium_flags(profile), "--no-pdf-header-footer",
                        "--virtual-time-budget=15000",
                        f"--print-to-pdf={folder / spec.output_name('pdf', year)}", html.as_uri(),
                    ])
    return timings


def run_national(reps: int, notes: list[str]) -> dict | None:
    if not NATIONAL_SCRIPT.is_file():
        note = (f"{display(NATIONAL_SCRIPT)} absent : mesures nationales non faites.")
        notes.append(note)
        print(f"  {note}")
        return None
    print("  échelle nationale (scripts/bench_national.py)…", flush=True)
    NATIONAL_RESULTS_PATH.unlink(missing_ok=True)
    completed = subprocess.run(
        [sys.executable, str(NATIONAL_SCRIPT), "--repetitions", str(reps),
         "--json", str(NATIONAL_RESULTS_PATH)],
        cwd=PROJECT_DIR,
        check=False,
    )
    if completed.returncode not in (0, 1) or not NATIONAL_RESULTS_PATH.is_file():
        note = f"{display(NATIONAL_SCRIPT)} a échoué (code {completed.returncode})."
        notes.append(note)
        print(f"  {note}")
        return None
    return json.loads(NATIONAL_RESULTS_PATH.read_text(encoding="utf-8"))


# -- helpers -------------------------------------------------------------------------------------
def median(values) -> float | None:
    """The median, or None when no run gave the measure (its failure is recorded beside it)."""
    values = list(values)
    return statistics.median(values) if values else None


def median_time(func, reps: int) -> float:
    times = []
    for _ in range(reps):
        started = time.perf_counter()
        func()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def timed_in_fresh_process(setup: str, statement: str) -> float:
    """Seconds ``statement`` takes in a new Python process, after ``setup`` (not counted)."""
    code = (
        f"import time\n{setup}\nstarted = time.perf_counter()\n{statement}\n"
        "print(time.perf_counter() - started)"
    )
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(PROJECT_DIR), os.environ.get("PYTHONPATH", "")])}
    completed = subprocess.run(
        [sys.executable, "-c", code], check=True, cwd=PROJECT_DIR, env=env,
        capture_output=True, text=True,
    )
    return float(completed.stdout.strip().splitlines()[-1])


def median_run(command: list[str], reps: int) -> float:
    """Median wall time of ``command`` in a fresh process (this checkout first on the path)."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(PROJECT_DIR), os.environ.get("PYTHONPATH", "")])}

    def once():
        subprocess.run(command, check=True, cwd=PROJECT_DIR, env=env, capture_output=True)

    return median_time(once, reps)


class cpu_clock:  # noqa: N801 - used as a context manager, reads like a function
    """CPU seconds (user + system) of this process and its waited-for children inside the block."""

    def __enter__(self) -> dict:
        self.result = {"s": 0.0}
        self._start = self._now()
        return self.result

    def __exit__(self, *exc_info) -> None:
        self.result["s"] = self._now() - self._start

    @staticmethod
    def _now() -> float:
        own = resource.getrusage(resource.RUSAGE_SELF)
        children = resource.getrusage(resource.RUSAGE_CHILDREN)
        return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def machine_description() -> dict:
    load = os.getloadavg()
    memory_gb = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 1024**3
    cores = os.cpu_count()
    return {
        "coeurs": cores,
        "memoire_go": round(memory_gb, 1),
        "python": platform.python_version(),
        "systeme": platform.platform(),
        "charge_1min_au_debut": round(load[0], 2),
        "resume": f"{cores} cœurs, {memory_gb:.0f} Go, Python {platform.python_version()}, "
        f"charge {number(load[0], 1)}",
    }


def number(value: float, decimals: int = 2) -> str:
    text = f"{value:,.{decimals}f}".replace(",", "\u202f").replace(".", ",")
    return text


def print_table(results: dict) -> list[str]:
    """Print measures against targets (French); return the keys of missed targets."""
    measures = results["mesures"]
    missed = []
    calibration = results.get("calibration", {})
    for moment, label in (("debut", "au début"), ("fin", "à la fin")):
        if moment in calibration:
            print(f"Calibration {label} : {describe_calibration(calibration[moment])}")
    print("\nObjectifs (issue #19) :")
    for key, (limit, sense, unit, label) in TARGETS.items():
        value = measures.get(key)
        if value is None:
            print(f"  –  {label} : non mesuré")
            continue
        ok = value <= limit if sense == "max" else value >= limit
        if not ok:
            missed.append(key)
        sign = "≤" if sense == "max" else "≥"
        print(f"  {'✓' if ok else '✗'}  {label} : {number(value)} {unit} "
              f"(objectif {sign} {number(limit, 1)} {unit})")
    print("\nAutres mesures :")
    for key in ("construction_cpu_s", "methode_manuelle_s", "methode_manuelle_cpu_s",
                "gain_cpu_vs_methode_manuelle", "chargement_dans_construction_s", "pdf_total_s",
                "dossier_annee_mo", "rss_max_construction_mo", "rss_max_processus_enfant_mo"):
        if measures.get(key) is not None:
            print(f"  {key} : {number(measures[key])}")
    print("  imports (processus neuf, s) : " + ", ".join(
        f"{name} {number(value)}" for name, value in results.get("imports_s", {}).items()))
    print("\nÉtapes de la construction (s, médiane) :")
    for name, steps in results.get("etapes_construction_s", {}).items():
        shown = ", ".join(f"{step} {number(value)}" for step, value in steps.items())
        print(f"  {name} : {shown}")
    print("\nTailles :")
    for name, size in results.get("tailles_octets", {}).items():
        print(f"  {name} : {number(size / MB)} Mo")
    for note in results.get("notes", []):
        print(f"Note : {note}")
    return missed


README_PATH = PROJECT_DIR / "README.md"
README_START = "<!-- tableau généré par make bench : ne pas modifier à la main -->"
README_END = "<!-- fin du tableau généré -->"
#: Rows of the README table: key in ``mesures``, French label.
README_ROWS = {
    "construction_complete_s": "Jeu complet de l'année (6 rapports, 4 PDF, diaporama, XLSX), dans le processus du banc",
    "rapports_force_processus_s": "`relief rapports --force` lancé depuis le shell (processus neuf)",
    "gain_vs_methode_manuelle": "Gain face à la méthode « à la main » (papermill puis nbconvert en ligne de commande, Chromium), même exécution",
    "reconstruction_inchangee_s": "Relance sans rien changer (« à jour »)",
    "reconstruction_budget_s": "Un intitulé du budget corrigé : seuls les rapports dont un tableau change sont refaits",
    "html_max_mo": "Plus gros rapport HTML",
    "diaporama_ag_mo": "Diaporama de l'AG",
    "relief_aide_s": "`relief -h`",
    "national.chargement_s": "Réseau national synthétique : lire, valider, pseudonymiser, placer, indicateurs",
    "national.rss_max_mo": "Réseau national : mémoire au plus",
    "national.construction_s": "Réseau national : construction complète des rapports",
    "national.resolution_lignes_par_s": "Placement des communes (lignes par seconde)",
}


from scripts.bench_site import SITE_README_ROWS, SITE_TARGETS, measure_site  # noqa: E402

TARGETS.update(SITE_TARGETS), README_ROWS.update(SITE_README_ROWS)


def readme_table(results: dict) -> str:
    """The README's performance table, from a ``resultats.json`` object (French figures)."""
    machine = results.get("machine", {})
    calibration = results.get("calibration", {}).get("debut")
    lines = [
        f"Mesuré le {results.get('date', '(date inconnue)')} sur {machine.get('resume', '?')} ; "
        f"médiane de {results.get('repetitions', '?')} exécution(s).",
    ]
    if calibration:
        lines.append(f"Calibration (travail fixe, à comparer d'une machine à l'autre) : "
                     f"{describe_calibration(calibration)}.")
    lines += ["", "| Mesure | Résultat | Objectif |", "|---|---|---|"]
    measures = results.get("mesures", {})
    for key, label in README_ROWS.items():
        value = measures.get(key)
        limit, sense, unit, _ = TARGETS.get(key, (None, "max", "", ""))
        shown = "non mesuré" if value is None else f"{number(value, 1)} {unit}".strip()
        goal = "—" if limit is None else f"{'≤' if sense == 'max' else '≥'} {number(limit, 1)} {unit}".strip()
        lines.append(f"| {label} | {shown} | {goal} |")
    return "\n".join(lines)


def write_readme_table(results: dict) -> int:
    """Replace the table between the README's markers; 1 when the markers are missing."""
    text = README_PATH.read_text(encoding="utf-8")
    if README_START not in text or README_END not in text:
        print(f"Repères du tableau absents de {display(README_PATH)} : rien n'est réécrit.",
              file=sys.stderr)
        return 1
    before, rest = text.split(README_START, 1)
    _, after = rest.split(README_END, 1)
    README_PATH.write_text(f"{before}{README_START}\n{readme_table(results)}\n{README_END}{after}",
                           encoding="utf-8")
    print(f"Tableau « Performances » réécrit dans {display(README_PATH)}.")
    return 0


def display(path: Path) -> str:
    try:
        return str(path.relative_to(PROJECT_DIR))
    except ValueError:
        return str(path)


if __name__ == "__main__":
    sys.exit(main())
