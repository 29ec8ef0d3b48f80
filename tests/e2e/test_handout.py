"""The AG deck's handout: one slide a page, 16:9, printed by the build's one Chromium."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest
from e2e_helpers import YEAR

pytestmark = pytest.mark.slow


def test_deck_handout_has_one_16_9_page_per_slide(built):
    pdf = built / f"presentation_ag_{YEAR}.pdf"
    if not shutil.which("pdfinfo") or not shutil.which("chromium"):
        pytest.skip("pdfinfo ou Chromium absent : polycopié non vérifié")
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    pages = int(re.search(r"Pages:\s+(\d+)", info).group(1))
    width, height = map(float, re.search(r"Page size:\s+([\d.]+) x ([\d.]+)", info).groups())
    from bs4 import BeautifulSoup

    page = BeautifulSoup((built / f"presentation_ag_{YEAR}.html").read_text(encoding="utf-8"),
                         "html.parser")
    slides = sum(len(stack.find_all("section", recursive=False)) or 1
                 for stack in page.select_one(".reveal .slides").find_all("section", recursive=False))
    assert pages == slides > 10
    assert width / height == pytest.approx(16 / 9, rel=0.01)
