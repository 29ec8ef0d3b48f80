"""Offline headless Chromium for tests (shared by tests/report and tests/e2e)."""

from __future__ import annotations

import subprocess
import tempfile
from pathlib import Path

from relief_analytics.report.pdf import chromium_flags


def run_chromium(browser: Path, *args: str, timeout: int = 180) -> subprocess.CompletedProcess:
    """Run headless Chromium offline (every network request goes to a closed local port)."""
    with tempfile.TemporaryDirectory(prefix="relief-chromium-test-") as profile:
        return subprocess.run(
            [str(browser), *chromium_flags(profile), "--proxy-server=127.0.0.1:9", *args],
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
