"""The site built on the bundled sample (reports 2024 and 2025 built first), once per session.

The raw-file expectations and the privacy canary's personal values are those of the end-to-end
tests (``tests/e2e/conftest.py``), loaded here under another module name: one definition.
"""

from __future__ import annotations

import importlib.util
import shutil
import sys
import tempfile
from pathlib import Path

import pytest
from site_factories import YEAR  # noqa: E402

from relief_analytics import paths

E2E_DIR = Path(__file__).resolve().parents[1] / "e2e"
if str(E2E_DIR) not in sys.path:
    sys.path.insert(0, str(E2E_DIR))  # e2e_helpers: what a reader sees in the reports' HTML

_spec = importlib.util.spec_from_file_location("e2e_conftest", E2E_DIR / "conftest.py")
_e2e = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_e2e)
personal_values = _e2e.personal_values

@pytest.fixture(scope="session")
def site_browser():
    from relief_analytics.report.pdf import find_browser

    browser = find_browser(None)
    if browser is None:
        pytest.skip("Chromium absent (apt install chromium)")
    return browser


@pytest.fixture(scope="session")
def sample_site(site_browser) -> Path:
    """``reports/site/`` of the sample: reports 2024 (without PDF) and 2025 built, then the site."""
    from relief_analytics.report.build import build_reports
    from relief_analytics.site.build import build_site

    reports_dir = Path(tempfile.mkdtemp(prefix="relief-site-e2e-"))
    for year, browser in ((YEAR - 1, None), (YEAR, "auto")):
        result = build_reports(dataset_dir=paths.SAMPLE_DATASET_DIR, year=year, reports_dir=reports_dir,
                               progress=lambda *_: None, browser=browser)
        assert result.ok, result
    build_site(dataset_dir=paths.SAMPLE_DATASET_DIR, reports_dir=reports_dir, progress=lambda *_: None)
    yield reports_dir / "site"
    shutil.rmtree(reports_dir, ignore_errors=True)
