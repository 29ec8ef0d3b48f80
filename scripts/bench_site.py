"""Measure the public site (issue #18): its size, its largest page, the map's time to interactive.

``measure_site()`` builds the sample's reports of the year in a temporary folder (unless
``reports_dir`` names built reports), builds the site, then opens ``carte.html`` from disk in
headless Chromium with the network blocked and reads the time from navigation to the map being
interactive (``performance.now()`` when ``carte.js`` has drawn the map and the list). Called by
``scripts/bench.py``; alone: ``python scripts/bench_site.py``.

A page's weight is its HTML plus the local scripts and styles it loads (for the map, the communes'
borders too, loaded when zooming in); the reports published under ``rapports/`` count as pages.
"""

from __future__ import annotations

import re
import statistics
import sys
import tempfile
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(PROJECT_DIR))
sys.path.insert(0, str(PROJECT_DIR / "tests"))  # tests/devtools.py: the DevTools driver of the tests

from relief_analytics import paths  # noqa: E402

MB = 1_000_000
#: key -> (limit, "max", unit, French label), merged into scripts/bench.py's TARGETS.
SITE_TARGETS = {
    "site.total_mo": (15.0, "max", "Mo", "site public : tout le dossier"),
    "site.page_max_mo": (3.0, "max", "Mo", "site public : page la plus lourde"),
    "site.carte_interactive_s": (2.0, "max", "s", "site public : carte interactive, hors ligne"),
}
#: Rows of the README table, merged into scripts/bench.py's README_ROWS.
SITE_README_ROWS = {
    "site.total_mo": "Site public (`relief site`), dossier entier",
    "site.page_max_mo": "Site public : page la plus lourde (HTML + scripts et styles qu'elle charge)",
    "site.carte_interactive_s": "Site public : carte des lieux interactive, ouverte depuis le disque sans réseau",
}

_LOCAL = re.compile(r'(?:src|href)="([^"#:]+)"')


def page_weights(site: Path) -> dict[str, int]:
    """Bytes of each page of ``site``: its HTML plus the local scripts and styles it loads."""
    weights = {}
    for page in sorted(site.rglob("*.html")):
        html = page.read_text(encoding="utf-8", errors="replace")
        loaded = {page.parent.joinpath(ref).resolve() for ref in _LOCAL.findall(html)
                  if ref.endswith((".js", ".css"))}
        if page.name == "carte.html":
            loaded.add((site / "data" / "communes.js").resolve())
        weights[page.relative_to(site).as_posix()] = page.stat().st_size + sum(
            p.stat().st_size for p in loaded if p.is_file())
    return weights


def time_to_interactive(site: Path, *, reps: int = 3) -> list[float]:
    """Seconds from navigation to the interactive map, one fresh load per repetition."""
    from devtools import DevTools

    from relief_analytics.report.pdf import find_browser

    browser = find_browser(None)
    if browser is None:
        return []
    times = []
    with DevTools(browser, width=1280, height=800) as page:
        for _ in range(reps):
            page.open("about:blank")
            page.open((site / "carte.html").as_uri(), ready="document.body && document.body.dataset.carte === 'prete'")
            times.append(int(page.evaluate("document.body.dataset.pretMs")) / 1000)
    return times


def measure_site(reports_dir: Path | None = None, *, year: int | None = None, reps: int = 3) -> dict:
    """``site.*`` measures: total and largest page (MB), map time to interactive (s, median)."""
    from relief_analytics.site.build import build_site

    with tempfile.TemporaryDirectory(prefix="relief-bench-site-") as tmp:
        if reports_dir is None:
            from relief_analytics.report.build import build_reports

            reports_dir = Path(tmp) / "reports"
            print("  site public : construction des rapports de l'exemple…", flush=True)
            if not build_reports(dataset_dir=paths.SAMPLE_DATASET_DIR, year=year, reports_dir=reports_dir,
                                 progress=lambda *_: None).ok:
                return {}
        site = Path(tmp) / "site"
        result = build_site(dataset_dir=paths.SAMPLE_DATASET_DIR, reports_dir=reports_dir, site_dir=site,
                            year=year, progress=lambda *_: None)
        weights = page_weights(site)
        heaviest = max(weights, key=weights.get)
        times = time_to_interactive(site, reps=reps)
        pdf_bytes = sum(p.stat().st_size for p in (site / "rapports").rglob("*.pdf"))
        return {
            "site.total_mo": result.total_bytes / MB,
            "site.page_max_mo": weights[heaviest] / MB,
            "site.page_max": heaviest,
            "site.carte_mo": weights["carte.html"] / MB,
            "site.carte_interactive_s": statistics.median(times) if times else None,
            "site.carte_interactive_essais_s": times,
            "site.construction_s": result.elapsed_s,
            "site.pdf_par_annee_mo": pdf_bytes / MB / max(len(result.years), 1),
        }


if __name__ == "__main__":
    for key, value in measure_site().items():
        print(f"{key} : {value}")
