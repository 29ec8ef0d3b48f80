"""Build the year's report set into ``reports/<année>/``, all or nothing.

Steps: compare with the previous build (:mod:`~relief_analytics.report.plan`: reports whose
inputs did not change are kept), start warm kernels in the background, load the dataset once and
build the year context once (a ``DataError`` stops everything before any notebook runs), write
the context into a private work folder, run the report notebooks with papermill — two at a time,
in two warm kernels that each run their notebooks in turn (reset between two), reading the
context through the ``contexte`` parameter, PDFs printed by one browser — export HTML / slides /
PDF / XLSX into the work folder, write ``qualite/rejets.csv`` and ``manifest.json``, then swap
the work folder in place of ``reports/<année>/`` only if every report succeeded. A failure leaves the previous folder
untouched and keeps the failed executed notebook in ``reports/.echecs/<année>-<horodatage>/``.

Executed notebooks are never shipped (they carry the parameters cell and the code).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import shutil
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from relief_analytics.paths import REPORTS_DIR, year_reports_dir
from relief_analytics.report import folders
from relief_analytics.report.catalog import (
    CATALOG,
    ReportSpec,
    select_reports,
    without_missing_tables,
)
from relief_analytics.report.manifest import (
    MANIFEST_NAME,
    build_manifest,
    output_files,
    read_manifest,
    write_manifest,
)
from relief_analytics.report.pdf import (
    HANDOUT_OPTIONS,
    HANDOUT_QUERY,
    HANDOUT_READY_JS,
    NO_BROWSER_MESSAGE,
    PdfError,
    PdfPrinter,
    browser_version,
    configured_browser_problem,
    find_browser,
)
from relief_analytics.report.plan import (
    AUTO,
    RebuildPlan,
    content_digests,
    file_tables_of,
    input_signature,
    loaded_file_tables,
    plan_rebuild,
    report_inputs,
    report_keys,
    setting_key,
)
from relief_analytics.report.snapshot_names import snapshot_signature
from relief_analytics.report.summary import format_seconds, format_size

#: Reports sent outside the network: a final build refuses them while something is missing,
#: a draft (``draft=True``) gets the notebook parameter ``brouillon=True``.
SENT_REPORTS = ("compte_rendu_financier",)

REJECTS_PATH = Path("qualite") / "rejets.csv"
#: Every geographic problem (lieux and events are public): the quality report shows the first ones.
GEO_PROBLEMS_PATH = Path("qualite") / "problemes_geographiques.csv"
#: Column headers of ``rejets.csv`` (from ``dataset.issues``), as a volunteer reads them in Excel.
REJECTS_HEADERS = {
    "table": "Table",
    "file_name": "Fichier",
    "line_number": "Ligne",
    "column_name": "Colonne",
    "cell_value": "Valeur",
    "rule": "Règle",
}
_EXECUTIONS_DIRNAME = ".executions"

Progress = Callable[[str], None]


@dataclass
class ReportOutcome:
    """What happened to one report of the build."""

    spec: ReportSpec
    ok: bool = False
    outputs: list[str] = field(default_factory=list)
    timings_s: dict[str, float] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    error: str | None = None
    executed_notebook: Path | None = None

    def record(self) -> dict:
        """Return the manifest entry of this report."""
        return {
            "title": self.spec.title,
            "notebook": self.spec.notebook_path.name,
            "ok": self.ok,
            "outputs": list(self.outputs),
            "timings_s": {step: round(value, 2) for step, value in self.timings_s.items()},
            "warnings": list(self.warnings),
        }


@dataclass
class BuildResult:
    """The result of :func:`build_reports`."""

    year: int
    year_dir: Path
    reports: list[ReportOutcome]
    outputs: list[dict] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    browser: Path | None = None
    failures_dir: Path | None = None
    manifest_path: Path | None = None
    elapsed_s: float = 0.0
    up_to_date: bool = False

    @property
    def ok(self) -> bool:
        """True when every report was produced and ``reports/<année>/`` was replaced."""
        return all(outcome.ok for outcome in self.reports)

    @property
    def failed(self) -> list[ReportOutcome]:
        """The reports that failed."""
        return [outcome for outcome in self.reports if not outcome.ok]

    @property
    def exit_code(self) -> int:
        """0 when everything was produced, 1 when a report failed."""
        return 0 if self.ok else 1


def build_reports(
    *,
    dataset_dir: Path,
    year: int | None,
    reports_dir: Path = REPORTS_DIR,
    only: list[str] | None = None,
    progress: Progress = print,
    catalog: Sequence[ReportSpec] | None = None,
    load: Callable[[Path], object] | None = None,
    make_context: Callable[..., object] | None = None,
    browser: Path | str | None = AUTO,
    workers: int | None = None,
    force: bool = False,
    draft: bool = False,
    warm_kernels: bool = True,
) -> BuildResult:
    """Build the reports of ``year`` into ``reports_dir/<année>/``.

    Parameters
    ----------
    dataset_dir : Path
        Dataset folder (raw files and ``config.toml``).
    year : int or None
        Year of the reports; ``None`` takes ``annee_par_defaut`` from the dataset's configuration.
    reports_dir : Path
        Parent of the year folders (``reports/``).
    only : list of str, optional
        Names of the reports to build; the other files of the year folder are kept as they were.
    progress : callable
        Receives one French line per step.
    catalog : sequence of ReportSpec, optional
        The report set; defaults to :data:`relief_analytics.report.catalog.CATALOG`.
    load : callable, optional
        ``load(dataset_dir) -> dataset``; defaults to ``relief_analytics.load.load_dataset``.
    make_context : callable, optional
        ``make_context(dataset, year=…) -> context``; defaults to
        :func:`relief_analytics.context.build_year_context`.
    browser : Path, "auto" or None
        Browser printing the PDFs: ``"auto"`` looks it up (:func:`~.pdf.find_browser`), ``None``
        produces no PDF.
    workers : int, optional
        Notebooks executed at the same time (one kernel each); defaults to
        :func:`default_workers`.
    force : bool
        Rebuild even when the previous build of the year is up to date (same inputs, code,
        notebooks, parameters and browser): without it, an up-to-date set is left as it is.
    draft : bool
        Draft mode (``relief rapports --brouillon``): the reports of :data:`SENT_REPORTS` are
        watermarked « BROUILLON » and list what is missing. Without it, the build stops before
        any notebook runs while :func:`~relief_analytics.indicators.readiness.missing_items` lists
        anything.
    warm_kernels : bool
        Start the kernels before they are needed (:class:`~.execute.KernelPool`), overlapping
        the load; ``False`` lets each notebook start its own kernel when it runs.

    Returns
    -------
    BuildResult
        ``exit_code`` is 0 when everything was produced, 1 when a report failed.

    Raises
    ------
    relief_analytics.load.DataError
        From the loader, when an input file is unreadable or a required column is missing;
        in a final build, when the compte rendu financier lacks an identification field, a
        subsidy reference or the explanation of a significant gap (each one named).
    ValueError
        With a French message, when ``only`` names an unknown report.
    """
    started = time.perf_counter()
    workers = default_workers() if workers is None else workers
    dataset_dir = Path(dataset_dir).resolve()
    reports_dir = Path(reports_dir).resolve()
    specs = select_reports(catalog if catalog is not None else CATALOG, only)
    only = [spec.name for spec in specs] if only else None  # None: the whole set
    # A forced build rebuilds every report: its kernels start first thing, and boot on the
    # second core while this process imports the loader and reads the data.
    kernels = _start_kernel_pool(specs, workers) if force and warm_kernels else None
    try:
        return _build_reports(
            specs=specs, only=only, kernels=kernels, dataset_dir=dataset_dir,
            year=year, reports_dir=reports_dir, progress=progress, load=load,
            make_context=make_context, browser=browser, workers=workers, force=force,
            draft=draft, warm_kernels=warm_kernels, started=started)
    except BaseException:
        if kernels is not None:
            kernels.close()
        raise


def _build_reports(*, specs, only, kernels, dataset_dir: Path, year, reports_dir: Path,
                   progress: Progress, load, make_context, browser, workers: int, force: bool,
                   draft: bool, warm_kernels: bool, started: float) -> BuildResult:
    """:func:`build_reports` once its arguments are checked (``kernels``: already started)."""
    plan = None
    config_bytes, config_text, year = (None, None, year) if load is not None else _read_config_once(
        dataset_dir, year)
    file_tables_cache: list[dict[str, str]] = []

    def file_tables_now() -> dict[str, str]:
        if not file_tables_cache:
            file_tables_cache.append(file_tables_of(dataset_dir, text=config_text))
        return file_tables_cache[0]

    if not force:
        plan = plan_rebuild(dataset_dir, year, reports_dir, specs, browser, draft=draft,
                             file_tables=file_tables_now)
        if plan is not None and not plan.stale:
            return _up_to_date(plan, specs, dataset_dir, config_text, progress=progress,
                               started=started)
        if plan is not None and plan.kept:
            for line in plan.lines():
                progress(line)
            specs = plan.stale
            only = [spec.name for spec in specs]

    from relief_analytics.context.names import check_notebook_table_names  # before any kernel

    check_notebook_table_names([spec.notebook_path for spec in specs])
    # Kernels start now, in the background, while the data loads and the year is computed.
    if kernels is None and warm_kernels:
        kernels = _start_kernel_pool(specs, workers)
    try:
        signature = input_signature(dataset_dir)
        progress(f"Chargement des données : {dataset_dir}…")
        if load is None:
            from relief_analytics.load import load_dataset

            dataset = load_dataset(dataset_dir, config_bytes=config_bytes)
        else:
            dataset = load(dataset_dir)
        if year is None:
            year = _default_year(dataset)
        specs, not_built = without_missing_tables(
            specs, dataset.missing_tables, dataset.config.files)
        _check_year_settings(dataset, year)
        progress(f"Calcul des indicateurs {year}…")
        context = (make_context or _default_context_builder(specs, reports_dir))(dataset, year=year)
        if not draft:
            _check_sendable(specs, context, year)
        build_day = dt.date.today()  # the one clock of the build: the CERFA deadline check
        file_tables = loaded_file_tables(dataset) or file_tables_now()
        year_dir = year_reports_dir(year, reports_dir=reports_dir)
        result = BuildResult(year=year, year_dir=year_dir, reports=[], warnings=[
            *not_built, *_context_warnings(specs, context, year, today=build_day)])

        browser_path, browser_record = _choose_browser(specs, dataset, browser, result.warnings)
        result.browser = browser_path
        for warning in result.warnings:
            progress(f"Attention : {warning}")
        key_signature = [*signature, *snapshot_signature(reports_dir, year)]
        # A partial build needs the digests now, to know what it keeps; a full build only
        # records them in the manifest, and computes them while its notebooks run.
        contents = _Contents(digests=content_digests(context, specs) if plan is not None else None,
                             settings={spec.name: setting_key(key_signature, year, spec, browser_path,
                                                              draft=draft, file_tables=file_tables)
                                       for spec in specs})
        if plan is not None:  # a report whose tables came out the same is kept as it was
            same = _same_content(plan, specs, contents)
            if same and not plan.kept:  # every report read a changed file: say it now
                for line in plan.lines():
                    progress(line)
            if same:
                contents.refreshed = same
                specs = [spec for spec in specs if spec not in same]
                only = [spec.name for spec in specs]
            if plan.kept or same:
                progress(f"  À refaire : {', '.join(spec.name for spec in specs) or 'aucun'}"
                         + (f" ; gardés aussi, les tableaux qu'ils montrent sont inchangés : "
                            f"{', '.join(spec.name for spec in same)}." if same else "."))

        work_dir = folders.make_work_dir(year_dir)
    except BaseException:  # the kernels started for nothing are stopped
        if kernels is not None:
            kernels.close()
        raise
    try:
        if only is not None:
            folders.copy_previous(year_dir, work_dir, skip={MANIFEST_NAME, REJECTS_PATH.parts[0]})
        # papermill imported here, once: imported by the notebook threads, the first holds the
        # import while the second waits (the deck started 0,8 s after the first notebook)
        import papermill  # noqa: F401

        from relief_analytics.context.store import write_context
        from relief_analytics.report.execute import ensure_kernel_name, kernel_environment

        context_path = write_context(context, work_dir / _EXECUTIONS_DIRNAME)
        parameters = {"annee": year, "dossier_donnees": str(dataset_dir),
                      "contexte": str(context_path)}
        kernel_name = ensure_kernel_name()
        # One browser prints every PDF of the build, PAGES_AT_ONCE pages at a time (paired
        # runs on 2 cores: one page at a time left the deck's handout, the longest, alone at
        # the end). Its DevTools pipe must sit on descriptors 3 and 4 when it starts:
        # pdf.SPAWN_LOCK keeps the warm kernels, starting in the background, from spawning at
        # the same moment.
        printer = _start_printer(browser_path, specs, result.warnings, progress)
        # Two pools: notebooks run in one, their exports (HTML, PDF, XLSX) in the other, so a
        # kernel goes on with its next notebook while the previous one is printed. The
        # notebooks are handed out longest exports first (_longest_first).
        with kernel_environment(), contextlib.ExitStack() as stack, ThreadPoolExecutor(
            max_workers=max(1, workers), thread_name_prefix="relief-notebook"
        ) as pool, ThreadPoolExecutor(
            # one thread per report: one waiting for the browser never holds back another's
            # HTML (the GIL and PAGES_AT_ONCE bound the work done at once); three more for
            # what the build does while the first notebooks run
            max_workers=len(specs) + 3, thread_name_prefix="relief-export"
        ) as exports:
            if printer is not None:
                stack.callback(printer.close)
            if any({"html", "slides"} & set(spec.formats) for spec in specs):
                exports.submit(_warm_up_exports)
            year_files = exports.submit(_write_year_files, dataset, context, work_dir)
            if contents.digests is None:
                contents.pending = exports.submit(content_digests, context, specs)
            futures = {
                spec.name: pool.submit(
                    _build_one,
                    spec,
                    step=f"[{index}/{len(specs)}] {spec.title}",
                    year=year,
                    context=context,
                    parameters={**parameters, "date_construction": build_day.isoformat(),
                                **({"brouillon": True} if draft else {})}
                    if spec.name in SENT_REPORTS else parameters,
                    work_dir=work_dir,
                    kernel_name=kernel_name,
                    printer=printer,
                    progress=progress,
                    kernels=kernels,
                    exports=exports,
                )
                for index, spec in _longest_first(specs)
            }
            result.reports.extend(_finished(futures[spec.name].result()) for spec in specs)
            if result.ok:
                year_files.result()  # raises what writing them raised

        if not result.ok:
            return _failed(result, reports_dir=reports_dir, progress=progress, started=started)

        _publish(result, dataset=dataset, context=context, work_dir=work_dir, year_dir=year_dir,
                 dataset_dir=dataset_dir, signature=signature, specs=specs, only=only,
                 browser_path=browser_path, browser_record=browser_record, draft=draft,
                 file_tables=file_tables, contents=contents, started=started)
        for line in summary_lines(result):
            progress(line)
        return result
    finally:
        if work_dir.exists():
            shutil.rmtree(work_dir, ignore_errors=True)
        folders.release_lock(year_dir)
        if kernels is not None:
            kernels.close()


def _publish(result: BuildResult, *, dataset, context, work_dir: Path, year_dir: Path, dataset_dir: Path,
             signature: list[str], specs: Sequence[ReportSpec], only, browser_path, browser_record,
             draft: bool, file_tables: dict[str, str], contents: _Contents, started: float) -> None:
    """Every report succeeded: write the manifest into the work folder (the quality files and the
    public tables are there already, :func:`_write_year_files`), then swap it into place as
    ``reports/<année>/``."""
    year = result.year
    contents.wait()
    parameters = {"annee": year, "dossier_donnees": str(dataset_dir)}
    shutil.rmtree(work_dir / _EXECUTIONS_DIRNAME, ignore_errors=True)
    records = _previous_records(year_dir, specs) if only is not None else {}
    signature = [*signature, *snapshot_signature(year_dir.parent, year)]  # baselines read
    keys = report_keys(signature, year, [*specs, *contents.refreshed], browser_path, draft=draft,
                       file_tables=file_tables)

    def current(spec: ReportSpec) -> dict:
        return {"key": keys[spec.name], "inputs": report_inputs(signature, spec, file_tables),
                "content": contents.digests[spec.name], "setting": contents.settings[spec.name]}

    records.update({o.spec.name: {**o.record(), **current(o.spec)} for o in result.reports})
    for spec in contents.refreshed:  # kept: same content, now the key of today's files
        records[spec.name] = {**records[spec.name], **current(spec)}
    result.elapsed_s = time.perf_counter() - started
    result.outputs = output_files(work_dir)
    manifest = build_manifest(
        year=year,
        dataset_dir=dataset_dir,
        parameters=parameters,
        reports=records,
        browser=browser_record,
        outputs=result.outputs,
        warnings=result.warnings + [w for o in result.reports for w in o.warnings],
        elapsed_s=result.elapsed_s,
        checksums=dataset.input_checksums,
    )
    write_manifest(manifest, work_dir)
    folders.replace_directory(work_dir, year_dir)
    from relief_analytics.report.snapshots import keep_lieux_snapshot
    result.warnings.extend(keep_lieux_snapshot(context, year_dir.parent))  # « Ce qui a changé »
    result.manifest_path = year_dir / MANIFEST_NAME
    result.elapsed_s = time.perf_counter() - started


def _read_config_once(dataset_dir: Path, year: int | None) -> tuple[bytes | None, str | None, int | None]:
    """``config.toml``'s bytes and text, read once for the whole build, and the year to build.

    The same bytes serve the default year, the file → table map of the rebuild plan and the
    loader. An undecodable file gives ``None`` as text: the loader reports it in French.
    """
    from relief_analytics.load import read_config
    from relief_analytics.load.read import read_file_bytes

    config_path = dataset_dir / "config.toml"
    if not config_path.is_file():
        return None, None, year
    config_bytes = read_file_bytes(config_path)
    try:
        config_text = config_bytes.decode("utf-8-sig")
    except UnicodeDecodeError:
        return config_bytes, None, year
    if year is None:
        year = int(read_config(dataset_dir, text=config_text).default_year)
    return config_bytes, config_text, year


def _build_one(
    spec: ReportSpec,
    *,
    step: str,
    year: int,
    context,
    parameters: dict,
    work_dir: Path,
    kernel_name: str,
    printer: PdfPrinter | None,
    progress: Progress,
    kernels=None,
    exports: ThreadPoolExecutor | None = None,
) -> ReportOutcome | Future:
    """Execute the notebook of ``spec``, then export its outputs.

    With ``exports``, the exports are submitted there and their future is returned: the thread
    (and the kernel it released) goes on with the next notebook while this one is exported and
    printed. Without it, the outcome is returned once everything is written.
    """
    from papermill.exceptions import PapermillExecutionError

    from relief_analytics.report.execute import (
        describe_cell_failure,
        run_notebook,
        saved_template_warning,
    )
    outcome = ReportOutcome(spec=spec)
    executed_path = work_dir / _EXECUTIONS_DIRNAME / f"{spec.name}.ipynb"
    title = spec.page_title(year)

    progress(f"{step} : exécution du notebook…")
    if not spec.notebook_path.is_file():
        outcome.error = f"le notebook {_display(spec.notebook_path)} est introuvable"
        return outcome
    edited = saved_template_warning(spec.notebook_path)
    if edited:
        outcome.warnings.append(edited)
        progress(f"Attention : {edited}")
    started = time.perf_counter()
    manager = kernels.take(spec.notebook_path) if kernels is not None else None
    succeeded = False
    try:
        executed = run_notebook(
            spec.notebook_path, executed_path, parameters=parameters, kernel_name=kernel_name,
            kernel_manager=manager,
        )
        succeeded = True
    except PapermillExecutionError as exc:
        outcome.executed_notebook = executed_path
        outcome.error = describe_cell_failure(exc, _read_notebook(executed_path))
        return outcome
    except Exception as exc:  # noqa: BLE001 - kernel death, missing notebook…: reported, not raised
        outcome.executed_notebook = executed_path if executed_path.exists() else None
        outcome.error = (
            f"le notebook {spec.notebook_path} n'a pas pu être exécuté "
            f"({type(exc).__name__} : {_first_line(exc)})"
        )
        return outcome
    finally:
        outcome.timings_s["execution"] = time.perf_counter() - started
        if manager is not None:  # a kernel that ran a failed notebook is not reused
            kernels.release(manager, reuse=succeeded)

    job = _ExportJob(executed=executed, title=title, context=context, printer=printer,
                     outcome=outcome, progress=progress, step=step)
    if exports is not None:
        return exports.submit(_export_all, spec, job, executed_path=executed_path,
                              work_dir=work_dir, year=year)
    return _export_all(spec, job, executed_path=executed_path, work_dir=work_dir, year=year)


def _export_all(spec: ReportSpec, job: _ExportJob, *, executed_path: Path, work_dir: Path,
                year: int) -> ReportOutcome:
    """Write every output of an executed report, in the order of its formats."""
    outcome = job.outcome
    for fmt in spec.formats:
        target = work_dir / spec.output_name(fmt, year)
        started = time.perf_counter()
        try:
            if not EXPORTERS[fmt](job, target):
                continue
        except Exception as exc:  # noqa: BLE001 - an export failure fails this report only
            outcome.executed_notebook = executed_path
            outcome.error = (
                f"l'export {fmt.upper()} a échoué ({type(exc).__name__} : {_first_line(exc)})"
            )
            return outcome
        finally:
            outcome.timings_s[fmt] = time.perf_counter() - started
        outcome.outputs.append(target.name)
    outcome.ok = True
    return outcome


def default_workers() -> int:
    """Kernels a build runs at once: one per core beyond the first, at most two.

    The first core is the ``relief`` process's (load, exports) and the browser's. On a 2-core
    machine a second kernel made every process wait for a core: paired runs of the year set
    gave one kernel 0,5 s less wall time and 1,5 s less CPU (one kernel fewer to start).
    """
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cores = os.cpu_count() or 1
    return max(1, min(2, cores - 1))


def _longest_first(specs: Sequence[ReportSpec]) -> list[tuple[int, ReportSpec]]:
    """``(number, spec)`` in the order the notebooks are handed to the kernels: a deck with its
    handout first, then the other reports with a PDF, then the rest (catalogue order within
    each). The longest exports then overlap the notebooks still to run instead of ending the
    build after them. ``number`` is the report's place in ``specs``, as the progress lines say."""
    def export_weight(item: tuple[int, ReportSpec]) -> int:
        formats = item[1].formats
        return ("pdf" in formats) + ("pdf" in formats and "slides" in formats)

    return sorted(enumerate(specs, start=1), key=export_weight, reverse=True)


@dataclass
class _Contents:
    """Per report: the digest of what its notebook reads (:func:`~.plan.content_digests`) and
    its key without the table files (:func:`~.plan.setting_key`); ``refreshed``: the reports a
    partial build keeps because both are unchanged. A full build computes the digests in the
    background (``pending``; :meth:`wait` before reading them)."""

    digests: dict[str, str] | None
    settings: dict[str, str]
    refreshed: list[ReportSpec] = field(default_factory=list)
    pending: Future | None = None  # the digests, being computed while the notebooks run

    def wait(self) -> None:
        if self.pending is not None:
            self.digests, self.pending = self.pending.result(), None


def _same_content(plan: RebuildPlan, specs: Sequence[ReportSpec], contents: _Contents) -> list[ReportSpec]:
    """The stale reports of ``plan`` whose previous build read the same content in the same
    setting, and whose outputs are all there."""
    same = []
    for spec in specs:
        record = plan.previous["reports"].get(spec.name) or {}
        if (record.get("ok") and record.get("content") == contents.digests[spec.name]
                and record.get("setting") == contents.settings[spec.name]
                and all((plan.year_dir / name).is_file() for name in record.get("outputs", []))):
            same.append(spec)
    return same


def _finished(outcome: ReportOutcome | Future) -> ReportOutcome:
    return outcome.result() if isinstance(outcome, Future) else outcome


@dataclass
class _ExportJob:
    """What the exporters of one report share: the executed notebook and the outputs so far."""

    executed: object
    title: str
    context: object
    printer: object
    outcome: object
    progress: Callable[[str], None]
    step: str
    html_path: Path | None = None
    slides_path: Path | None = None


def _warm_up_exports() -> None:
    from relief_analytics.report.export import warm_up

    with contextlib.suppress(Exception):  # only a head start: a real export reports its errors
        warm_up()


def _export_html(job: _ExportJob, target: Path) -> bool:
    from relief_analytics.report.export import export_html  # nbconvert: imported when needed

    job.progress(f"{job.step} : export HTML…")
    target.write_text(export_html(job.executed, title=job.title), encoding="utf-8")
    job.html_path = target
    return True


def _export_slides(job: _ExportJob, target: Path) -> bool:
    from relief_analytics.report.export import export_slides

    job.progress(f"{job.step} : export du diaporama…")
    target.write_text(export_slides(job.executed, title=job.title), encoding="utf-8")
    job.slides_path = target
    return True


def _export_pdf(job: _ExportJob, target: Path) -> bool:
    """Print the report's HTML (or, for the deck, its handout); False when no PDF is written."""
    if job.printer is None or not job.printer.ready():
        job.outcome.warnings.append(f"{target.name} non produit : aucun navigateur.")
        return False
    job.progress(f"{job.step} : PDF…")
    try:
        if job.html_path is None and job.slides_path is not None:  # the deck's handout
            job.printer.print_pdf(job.slides_path, target, query=HANDOUT_QUERY,
                                  ready_js=HANDOUT_READY_JS, options=HANDOUT_OPTIONS)
        else:
            job.printer.print_pdf(job.html_path, target)
    except PdfError as exc:
        job.outcome.warnings.append(f"{target.name} non produit : {exc}")
        job.progress(f"Attention : {target.name} non produit : {exc}")
        return False
    return True


def _export_xlsx(job: _ExportJob, target: Path) -> bool:
    job.progress(f"{job.step} : classeur XLSX…")
    _write_xlsx(job.context, target)
    return True


#: Output format → its exporter, called in the order of the report's ``formats`` (``pdf`` after
#: ``html`` or ``slides``). An exporter returns False when it wrote nothing (a warning says why).
EXPORTERS: dict[str, Callable[[_ExportJob, Path], bool]] = {
    "html": _export_html,
    "slides": _export_slides,
    "pdf": _export_pdf,
    "xlsx": _export_xlsx,
}


#: Pages the build's browser prints at the same time.
PAGES_AT_ONCE = 2


class _SharedPrinter:
    """A :class:`PdfPrinter` shared by the build's threads, printing :data:`PAGES_AT_ONCE`
    pages at a time, and started in the background: the browser starts while the first
    notebooks run. ``on_failure(exc)`` is called once when it cannot start; no page is then
    printed (:meth:`ready` is false)."""

    def __init__(self, printer: PdfPrinter, *, on_failure: Callable[[PdfError], None]) -> None:
        self._printer = printer
        self._lock = threading.BoundedSemaphore(PAGES_AT_ONCE)
        self._on_failure = on_failure
        self._start_error: PdfError | None = None
        self._starting = threading.Thread(target=self._start, name="relief-navigateur", daemon=True)

    def start_in_background(self) -> None:
        self._starting.start()

    def _start(self) -> None:
        try:
            self._printer.start()
        except PdfError as exc:
            self._start_error = exc
            self._on_failure(exc)

    def ready(self) -> bool:
        """Wait for the browser's start; whether it started."""
        self._starting.join()
        return self._start_error is None

    def print_pdf(self, html_path: Path, pdf_path: Path, **options):
        with self._lock:
            return self._printer.print_pdf(html_path, pdf_path, **options)

    def close(self) -> None:
        if self._starting.ident is not None:
            self._starting.join()
        self._printer.close()


def _start_kernel_pool(specs: Sequence[ReportSpec], workers: int):
    """Start warm kernels for the notebooks of ``specs`` (``None`` when none can be started)."""
    folders_of = {spec.notebook_path.parent.resolve() for spec in specs if spec.notebook_path.is_file()}
    if not folders_of:
        return None
    from relief_analytics.report.execute import KernelPool, ensure_kernel_name

    cwd = max(sorted(folders_of), key=lambda folder: sum(
        spec.notebook_path.parent.resolve() == folder for spec in specs))
    count = sum(spec.notebook_path.parent.resolve() == cwd for spec in specs)
    try:
        return KernelPool(kernel_name=ensure_kernel_name(), cwd=cwd, count=count,
                          ahead=max(1, workers))
    except Exception:  # noqa: BLE001 - notebooks then start their own kernels
        return None


def _write_xlsx(context, target: Path) -> None:
    from relief_analytics.report.tables import workbook_tables
    from relief_analytics.report.xlsx import write_workbook

    write_workbook(workbook_tables(context), target)


def _write_year_files(dataset, context, work_dir: Path) -> None:
    """The files of every build beside the reports: rejects, geographic problems, public tables
    (written while the notebooks run)."""
    _write_rejects(dataset, work_dir / REJECTS_PATH)
    _write_geo_problems(context, work_dir / GEO_PROBLEMS_PATH)
    _write_public_tables(context, work_dir)


def _write_rejects(dataset, path: Path) -> None:
    """Write the rejected rows and problems as CSV for Excel FR: ``;`` separated, UTF-8 with BOM."""
    from relief_analytics.safety import write_excel_csv

    write_excel_csv(dataset.issues.rename(columns=REJECTS_HEADERS), path)  # cells starting with = + - @ stay text


def _write_public_tables(context, year_dir: Path) -> None:
    """The year's public tables and facts.json in ``donnees/``."""
    from relief_analytics.report.public_tables import PUBLIC_DIRNAME, write_public_tables

    write_public_tables(context, year_dir / PUBLIC_DIRNAME)


def _write_geo_problems(context, path: Path) -> None:
    """Write the context's geographic problems with French headers."""
    problems = context.table("geographic_problems")
    from relief_analytics.indicators.labels import COLUMN_LABELS_FR
    from relief_analytics.safety import write_excel_csv

    write_excel_csv(problems.rename(columns=COLUMN_LABELS_FR), path)


def _choose_browser(specs, dataset, browser, warnings: list[str]) -> tuple[Path | None, dict]:
    if not any("pdf" in spec.formats for spec in specs):
        return None, {"path": None, "reason": "aucun rapport PDF demandé"}
    if browser is None:
        return None, {"path": None, "reason": "PDF désactivés"}
    if browser != AUTO:
        path = Path(browser)
        return path, {"path": str(path), "version": browser_version(path)}
    configured = _configured_browser(dataset)
    problem = configured_browser_problem(configured)
    if problem:
        warnings.append(problem)
    path = find_browser(configured)
    if path is None:
        warnings.append(NO_BROWSER_MESSAGE)
        return None, {"path": None, "reason": NO_BROWSER_MESSAGE}
    return path, {"path": str(path), "version": browser_version(path)}


def failure_lines(result: BuildResult, *, reports_dir: Path) -> list[str]:
    """Return the French lines explaining a failed build."""
    lines = []
    for outcome in result.failed:
        lines.append(
            f"Échec du rapport « {outcome.spec.title} » ({outcome.spec.name}) : "
            f"{str(outcome.error).rstrip('.')}."
        )
        if outcome.executed_notebook and result.failures_dir:
            kept = result.failures_dir / outcome.executed_notebook.name
            lines.append(f"  Notebook exécuté conservé pour diagnostic : {_display(kept)}")
    lines.append(
        f"Aucun fichier n'a été modifié dans {_display(result.year_dir)} : "
        "corrigez l'erreur puis relancez « relief rapports »."
    )
    lines.append(f"Durée : {format_seconds(result.elapsed_s)}.")
    return lines


def summary_lines(result: BuildResult) -> list[str]:
    """Return the French closing summary of a successful build: files, sizes, total time."""
    lines = [f"Rapports {result.year} écrits dans {_display(result.year_dir)} :"]
    for record in result.outputs:
        lines.append(f"  {record['file']} ({format_size(record['bytes'])})")
    lines.append(f"  {MANIFEST_NAME}")
    warnings = result.warnings + [w for o in result.reports for w in o.warnings]
    for warning in warnings:
        lines.append(f"Attention : {warning}")
    lines.append(f"Durée totale : {format_seconds(result.elapsed_s)}.")
    return lines


def _previous_records(year_dir: Path, specs: Sequence[ReportSpec]) -> dict:
    previous = read_manifest(year_dir) or {}
    rebuilt = {spec.name for spec in specs}
    return {
        name: {**record, "kept_from": previous.get("built_at")}
        for name, record in (previous.get("reports") or {}).items()
        if name not in rebuilt
    }


def _up_to_date_result(plan: RebuildPlan) -> BuildResult:
    """The result of a build that finds every report up to date: nothing rebuilt."""
    result = BuildResult(year=plan.year, year_dir=plan.year_dir, reports=[
        ReportOutcome(spec=spec, ok=True,
                      outputs=list(plan.previous["reports"][spec.name]["outputs"]))
        for spec in plan.kept
    ])
    result.up_to_date = True
    result.manifest_path = plan.year_dir / MANIFEST_NAME
    return result


def _default_context_builder(specs: Sequence[ReportSpec], reports_dir: Path | None = None):
    """``build_year_context`` computing only the tables that ``specs``' documents read."""
    from functools import partial

    from relief_analytics.context.year import build_year_context
    from relief_analytics.report.snapshots import context_snapshots

    return partial(build_year_context, reports=[spec.name for spec in specs],
                   **context_snapshots(reports_dir))


def _check_year_settings(dataset, year: int) -> None:
    """Stop before any notebook runs when ``year`` has no data or lacks a setting.

    Raises a ``DataError`` (exit code 2) with the French problems of :func:`~relief_analytics.context.checks.check_year`.
    """
    from relief_analytics.context.checks import check_year
    from relief_analytics.load.errors import DataError

    problems = check_year(dataset, year)
    if problems:
        raise DataError(" ".join(problems))


def _check_sendable(specs: Sequence[ReportSpec], context, year: int) -> None:
    """Stop a final build while a report sent to a funder lacks something; name each item.

    Raises ``DataError`` (exit code 2, French message) before any notebook runs.
    """
    if not any(spec.name in SENT_REPORTS for spec in specs):
        return
    from relief_analytics.errors import DataError
    from relief_analytics.indicators.readiness import missing_items

    narrative = (context.table("narrative_mismatches")["message"].tolist()
                 if "narrative_mismatches" in context.tables else [])
    missing = missing_items(
        context.config.subsidy, context.table("cerfa_gaps"),
        qualitative_review=context.qualitative_review(), year=year, narrative=narrative,
    )
    if missing:
        listed = "\n".join(f"  - {item}" for item in missing)
        raise DataError(
            f"le compte rendu financier {year} ne peut pas être produit en version à envoyer : "
            f"il manque {len(missing)} élément(s).\n{listed}\n"
            "Complétez config.toml (sections subvention et subvention.association), le bilan "
            "qualitatif ou le fichier des explications des écarts, ou produisez un brouillon "
            "avec « relief rapports --brouillon »."
        )


def _up_to_date(plan: RebuildPlan, specs: Sequence[ReportSpec], dataset_dir: Path,
                config_text: str | None, *, progress: Progress, started: float) -> BuildResult:
    """Say that the set is up to date and return it; the deadline warning is still given (it
    moves with the day, not with the inputs)."""
    fresh = _up_to_date_result(plan)
    fresh.elapsed_s = time.perf_counter() - started
    progress(
        f"Rapports {fresh.year} à jour dans {_display(fresh.year_dir)} : données, code et "
        "paramètres inchangés depuis la dernière construction (--force pour tout refaire)."
    )
    if config_text is not None:
        from relief_analytics.load import read_config

        deadline = _deadline_warning(specs, read_config(dataset_dir, text=config_text),
                                     fresh.year, today=dt.date.today())
        if deadline:
            fresh.warnings.append(deadline)
            progress(f"Attention : {deadline}")
    return fresh


def _context_warnings(specs: Sequence[ReportSpec], context, year: int, *,
                      today: dt.date) -> list[str]:
    """French warnings the year's figures give: the bilan's figures that the data contradict
    (#17 §4, shown in every report that shows the bilan; the final compte rendu is refused in
    :func:`_check_sendable`) and the compte rendu's six-month deadline."""
    warnings = []
    if "narrative_mismatches" in context.tables:
        warnings += [str(message) for message in context.table("narrative_mismatches")["message"]]
    deadline = _deadline_warning(specs, context.config, year, today=today)
    if deadline:
        warnings.append(deadline)
    return warnings


def _start_printer(browser_path: Path | None, specs: Sequence[ReportSpec], warnings: list[str],
                   progress: Progress):
    """The build's one printer, starting in the background when a report has a PDF; ``None``
    without a browser. When it cannot start, the build says once that no PDF is produced."""
    if browser_path is None or not any("pdf" in spec.formats for spec in specs):
        return None

    def failed(exc: PdfError) -> None:
        warnings.append(f"PDF non produits : {exc}")
        progress(f"Attention : PDF non produits : {exc}")

    printer = _SharedPrinter(PdfPrinter(browser_path), on_failure=failed)
    printer.start_in_background()
    return printer


def _failed(result: BuildResult, *, reports_dir: Path, progress: Progress,
            started: float) -> BuildResult:
    """Keep the executed notebooks of the failed reports for diagnosis and say what failed."""
    result.failures_dir = folders.keep_failures(
        [o.executed_notebook for o in result.failed if o.executed_notebook],
        reports_dir=reports_dir,
        year=result.year,
    )
    result.elapsed_s = time.perf_counter() - started
    for line in failure_lines(result, reports_dir=reports_dir):
        progress(line)
    return result


def _deadline_warning(specs: Sequence[ReportSpec], config, year: int, *,
                      today: dt.date) -> str | None:
    """The French warning of a compte rendu past its six-month deadline, or ``None``.

    ``config`` is the dataset's :class:`~relief_analytics.load.config.DatasetConfig`.
    """
    if not any(spec.name in SENT_REPORTS for spec in specs):
        return None
    from relief_analytics.indicators.readiness import deadline_warning

    return deadline_warning(config.subsidy, year=year, today=today)


def _default_year(dataset) -> int:
    return int(dataset.config.default_year)


def _configured_browser(dataset) -> str | None:
    return dataset.config.reports.configured_browser


def _read_notebook(path: Path):
    import nbformat

    try:
        return nbformat.read(path, as_version=4)
    except Exception:  # noqa: BLE001 - only used to refine a message
        return None


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else ""


def _display(path: Path) -> str:
    """Show a path relative to the current folder when it is inside it."""
    try:
        return str(Path(path).resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)
