"""Browser lookup for PDFs (config, environment, PATH) and its French messages."""

from __future__ import annotations

import os
import shutil
import stat
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
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
    with pytest.raises(pdf.PdfError) as raised:
        pdf.html_to_pdf(page, tmp_path / "page.pdf", browser=broken)
    assert str(raised.value) == (
        "Le navigateur s'est arrêté et n'a pas produit de PDF (code de sortie 3). boom"
    )
    assert not (tmp_path / "page.pdf").exists()


def test_every_job_carries_the_error_when_the_browser_cannot_start(tmp_path: Path):
    page = tmp_path / "page.html"
    page.write_text("<html></html>")
    jobs = pdf.print_pdfs(
        [(page, tmp_path / "a.pdf"), (page, tmp_path / "b.pdf")],
        browser=tmp_path / "pas-de-navigateur",
    )
    assert [str(job.error) for job in jobs] == [
        f"Le navigateur {tmp_path / 'pas-de-navigateur'} n'a pas pu être lancé : "
        f"[Errno 2] No such file or directory: '{tmp_path / 'pas-de-navigateur'}'."
    ] * 2
    assert pdf.print_pdfs([], browser=tmp_path / "pas-de-navigateur") == []


def test_footer_numbers_every_page_and_printing_is_a4_from_css():
    assert 'Page <span class="pageNumber"></span> / <span class="totalPages"></span>' in (
        pdf.FOOTER_TEMPLATE
    )
    assert "font-size:8pt" in pdf.FOOTER_TEMPLATE  # Chromium's default footer size is tiny
    options = pdf.PRINT_OPTIONS
    assert options["displayHeaderFooter"] and options["preferCSSPageSize"]
    assert (options["paperWidth"], options["paperHeight"]) == (8.27, 11.69)


def test_root_runs_chromium_without_sandbox():
    flags = pdf.chromium_flags("/tmp/profil")
    assert "--headless" in flags and "--user-data-dir=/tmp/profil" in flags
    assert ("--no-sandbox" in flags) == (os.geteuid() == 0)


class _CountingHandler(BaseHTTPRequestHandler):
    requests: list[str] = []

    def do_GET(self):  # noqa: N802 - http.server's name
        type(self).requests.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "image/gif")
        self.end_headers()
        self.wfile.write(b"GIF89a")

    def log_message(self, *args):  # quiet
        pass


@pytest.fixture
def local_server():
    """An HTTP server on 127.0.0.1 that records every request it receives."""
    _CountingHandler.requests = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), _CountingHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", _CountingHandler.requests
    server.shutdown()
    server.server_close()


@pytest.mark.slow
@pytest.mark.browser
def test_the_printer_sends_no_request_for_remote_content(tmp_path: Path, local_server):
    """A tracking pixel, a stylesheet, a script, a frame, a font and a fetch(): none leaves."""
    browser = pdf.find_browser(None)
    if browser is None:
        pytest.skip("pas de Chromium")
    base, received = local_server
    page = tmp_path / "bilan.html"
    page.write_text(
        "<!doctype html><html><head><meta charset='utf-8'>"
        f"<link rel='stylesheet' href='{base}/style.css'>"
        f"<style>@font-face {{font-family: F; src: url('{base}/police.woff')}}"
        f" body {{font-family: F; background: url('{base}/fond.png')}}</style>"
        f"<script src='{base}/suivi.js'></script></head><body>"
        f"<p>Bilan qualitatif</p><img src='{base}/pixel.gif' alt='x'>"
        "<img src='https://suivi.example/pixel.gif' alt='y'>"
        f"<iframe src='{base}/cadre.html'></iframe>"
        f"<script>fetch('{base}/fetch'); new Image().src = '{base}/js.gif';</script>"
        "</body></html>",
        encoding="utf-8",
    )
    target = tmp_path / "bilan.pdf"
    with pdf.PdfPrinter(browser) as printer:
        printer.print_pdf(page, target)
        blocked = printer.blocked_count
    assert target.read_bytes().startswith(b"%PDF")
    assert received == []
    assert blocked >= 6


def test_only_local_urls_may_load():
    assert pdf.is_local_url("file:///tmp/rapport.html")
    assert pdf.is_local_url("data:image/png;base64,AAAA")
    assert not pdf.is_local_url("http://127.0.0.1:8000/pixel.gif")
    assert not pdf.is_local_url("https://suivi.example/p.gif")
    assert not pdf.is_local_url("ws://127.0.0.1/socket")
    assert not pdf.is_local_url("ftp://exemple.fr/a")


@pytest.mark.slow
@pytest.mark.browser
def test_one_printer_prints_pages_from_several_threads_at_once(tmp_path: Path):
    """Four threads share one browser; each page is drawn late and its PDF holds its own text."""
    from concurrent.futures import ThreadPoolExecutor

    browser = pdf.find_browser(None)
    if browser is None:
        pytest.skip("pas de Chromium")
    pages = []
    for number in range(4):
        page = tmp_path / f"page-{number}.html"
        page.write_text(
            "<!doctype html><html><head><meta charset='utf-8'></head><body>"
            f"<p>Page numéro {number}</p><div class='plotly-graph-div'></div>"
            "<script>setTimeout(function () {document.documentElement.setAttribute("
            f"'{pdf.DRAWN_ATTRIBUTE}', '1')}}, 300);</script></body></html>",
            encoding="utf-8",
        )
        pages.append(page)
    with pdf.PdfPrinter(browser) as printer, ThreadPoolExecutor(max_workers=4) as pool:
        printer.start()
        printed = list(pool.map(lambda page: printer.print_pdf(page, page.with_suffix(".pdf")),
                                pages))
    assert [path.name for path in printed] == [f"page-{n}.pdf" for n in range(4)]
    if shutil.which("pdftotext"):
        import subprocess

        texts = [subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True,
                                check=True).stdout for path in printed]
        assert [f"Page numéro {n}" in text for n, text in enumerate(texts)] == [True] * 4
    else:
        assert all(path.read_bytes().startswith(b"%PDF") for path in printed)
