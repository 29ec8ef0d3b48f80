"""Browser lookup for PDFs (config, environment, PATH) and its French messages."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from relief_analytics.report import pdf


def fake_browser(folder: Path, name: str) -> Path:
    path = folder / name
    path.write_text("#!/bin/sh\nexit 0\n")
    path.chmod(path.stat().st_mode | stat.S_IXUSR)
    return path


@pytest.fixture
def empty_path(monkeypatch, tmp_path: Path) -> Path:
    folder = tmp_path / "bin"
    folder.mkdir()
    monkeypatch.setenv("PATH", str(folder))
    monkeypatch.delenv(pdf.BROWSER_ENV_VAR, raising=False)
    return folder


def test_configured_path_comes_first(empty_path: Path, tmp_path: Path, monkeypatch):
    configured = fake_browser(tmp_path, "mon-chrome")
    fake_browser(empty_path, "chromium")
    monkeypatch.setenv(pdf.BROWSER_ENV_VAR, str(fake_browser(tmp_path, "env-chrome")))
    assert pdf.find_browser(str(configured)) == configured
    assert pdf.configured_browser_problem(str(configured)) is None


def test_environment_variable_then_path(empty_path: Path, tmp_path: Path, monkeypatch):
    on_path = fake_browser(empty_path, "chromium-browser")
    assert pdf.find_browser("") == on_path
    from_env = fake_browser(tmp_path, "env-chrome")
    monkeypatch.setenv(pdf.BROWSER_ENV_VAR, str(from_env))
    assert pdf.find_browser(None) == from_env


def test_missing_configured_browser_is_reported_and_search_goes_on(empty_path: Path):
    found = fake_browser(empty_path, "google-chrome")
    assert pdf.find_browser("/nulle/part/chromium") == found
    problem = pdf.configured_browser_problem("/nulle/part/chromium")
    assert problem.startswith("Le navigateur indiqué dans config.toml [rapports] navigateur")


def test_no_browser_at_all(empty_path: Path):
    assert pdf.find_browser(None) is None
    assert pdf.NO_BROWSER_MESSAGE == (
        "Aucun navigateur Chromium/Chrome trouvé : les PDF ne sont pas produits. "
        "Installez chromium ou indiquez son chemin dans config.toml [rapports] navigateur."
    )


def test_failing_browser_raises_a_french_pdf_error(tmp_path: Path):
    broken = tmp_path / "broken-chrome"
    broken.write_text("#!/bin/sh\necho 'boom' >&2\nexit 3\n")
    broken.chmod(0o755)
    page = tmp_path / "page.html"
    page.write_text("<html></html>")
    with pytest.raises(
        pdf.PdfError, match=r"n'a pas produit page\.pdf \(code de sortie 3\)\. boom"
    ):
        pdf.html_to_pdf(page, tmp_path / "page.pdf", browser=broken)


def test_root_runs_chromium_without_sandbox():
    flags = pdf.chromium_flags("/tmp/profil")
    assert "--headless" in flags and "--user-data-dir=/tmp/profil" in flags
    assert ("--no-sandbox" in flags) == (os.geteuid() == 0)
