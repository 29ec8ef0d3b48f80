"""Print report pages to PDF with a headless Chromium/Chrome (A4 comes from the page's CSS ``@page``).

The browser is looked up in this order: the ``[rapports] navigateur`` setting of ``config.toml``,
the ``RELIEF_NAVIGATEUR`` environment variable, then ``chromium``, ``chromium-browser``,
``google-chrome`` and ``google-chrome-stable`` on the ``PATH``.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

BROWSER_ENV_VAR = "RELIEF_NAVIGATEUR"
BROWSER_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")

NO_BROWSER_MESSAGE = (
    "Aucun navigateur Chromium/Chrome trouvé : les PDF ne sont pas produits. "
    "Installez chromium ou indiquez son chemin dans config.toml [rapports] navigateur."
)

#: Seconds of page time Chromium waits for scripts (plotly draws) before printing.
VIRTUAL_TIME_BUDGET_MS = 15000
PRINT_TIMEOUT_S = 180


class PdfError(RuntimeError):
    """The browser failed to print a page; the message is in French."""


def find_browser(configured: str | None = None) -> Path | None:
    """Return the Chromium/Chrome executable to print with, or ``None`` when there is none.

    Parameters
    ----------
    configured : str, optional
        ``[rapports] navigateur`` from ``config.toml``: a path or a command name; empty means
        automatic search. A configured browser that cannot be found is skipped (see
        :func:`configured_browser_problem`) and the search goes on.
    """
    for candidate in (configured, os.environ.get(BROWSER_ENV_VAR)):
        found = _resolve(candidate)
        if found is not None:
            return found
    for name in BROWSER_NAMES:
        found = _resolve(name)
        if found is not None:
            return found
    return None


def configured_browser_problem(configured: str | None) -> str | None:
    """Return a French warning when a browser is configured but cannot be run, else ``None``."""
    candidates = [
        (value, origin)
        for value, origin in (
            (configured, "config.toml [rapports] navigateur"),
            (os.environ.get(BROWSER_ENV_VAR), f"la variable d'environnement {BROWSER_ENV_VAR}"),
        )
        if value and value.strip()
    ]
    for value, origin in candidates:
        if _resolve(value) is None:
            return (
                f"Le navigateur indiqué dans {origin} (« {value} ») est introuvable ou non "
                "exécutable : recherche automatique d'un autre navigateur."
            )
    return None


def html_to_pdf(html_path: Path, pdf_path: Path, *, browser: Path) -> Path:
    """Print ``html_path`` to ``pdf_path`` with headless ``browser`` and return ``pdf_path``.

    Raises
    ------
    PdfError
        When the browser exits with an error, times out or writes no file.
    """
    html_path = Path(html_path).resolve()
    pdf_path = Path(pdf_path).resolve()
    pdf_path.parent.mkdir(parents=True, exist_ok=True)
    pdf_path.unlink(missing_ok=True)
    with tempfile.TemporaryDirectory(prefix="relief-chromium-") as profile:
        command = [
            str(browser),
            *chromium_flags(profile),
            "--no-pdf-header-footer",
            f"--virtual-time-budget={VIRTUAL_TIME_BUDGET_MS}",
            f"--print-to-pdf={pdf_path}",
            html_path.as_uri(),
        ]
        try:
            completed = subprocess.run(
                command,
                stdin=subprocess.DEVNULL,
                capture_output=True,
                text=True,
                timeout=PRINT_TIMEOUT_S,
                check=False,
            )
        except subprocess.TimeoutExpired as exc:
            raise PdfError(
                f"Le navigateur n'a pas produit {pdf_path.name} en {PRINT_TIMEOUT_S} s."
            ) from exc
        except OSError as exc:
            raise PdfError(f"Le navigateur {browser} n'a pas pu être lancé : {exc}.") from exc
    if completed.returncode != 0 or not pdf_path.exists() or pdf_path.stat().st_size == 0:
        detail = _last_lines(completed.stderr)
        raise PdfError(
            f"Le navigateur n'a pas produit {pdf_path.name} (code de sortie "
            f"{completed.returncode}).{(' ' + detail) if detail else ''}"
        )
    return pdf_path


def chromium_flags(profile_dir: str | Path) -> list[str]:
    """Return the flags for a quiet, throw-away headless Chromium (``--no-sandbox`` as root)."""
    flags = [
        "--headless",
        "--disable-gpu",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-extensions",
        f"--user-data-dir={profile_dir}",
    ]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        flags.insert(1, "--no-sandbox")
    return flags


def browser_version(browser: Path) -> str | None:
    """Return the browser's ``--version`` line, or ``None`` when it does not answer."""
    try:
        completed = subprocess.run(
            [str(browser), "--version"],
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=30,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    lines = completed.stdout.strip().splitlines()
    return lines[0] if lines else None


def _resolve(candidate: str | None) -> Path | None:
    if not candidate or not candidate.strip():
        return None
    value = os.path.expanduser(candidate.strip())
    if os.sep in value or (os.altsep and os.altsep in value):
        path = Path(value)
        return path if path.is_file() and os.access(path, os.X_OK) else None
    found = shutil.which(value)
    return Path(found) if found else None


def _last_lines(text: str | None, count: int = 3) -> str:
    lines = [
        line
        for line in (text or "").strip().splitlines()
        if line.strip() and "dbus" not in line.lower()
    ]
    return " | ".join(lines[-count:])
