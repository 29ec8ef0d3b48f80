"""The ``relief`` command as a shell runs it: its quick exit keeps every line and the exit code."""

from __future__ import annotations

import os
import subprocess
import sys

from relief_analytics.paths import PROJECT_DIR


def _relief(*args: str, cwd) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(PROJECT_DIR), os.environ.get("PYTHONPATH", "")])}
    return subprocess.run([sys.executable, "-m", "relief_analytics.cli", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, check=False, timeout=300)


def test_a_piped_output_is_written_to_its_last_line_before_the_quick_exit(tmp_path):
    run = _relief("valider", cwd=tmp_path)  # the sample: its report ends with the bilan's check
    assert run.returncode == 0, run.stderr
    assert run.stdout.rstrip().splitlines()[-1] == (
        "Bilan qualitatif 2025 : aucun chiffre cité ne contredit les données.")


def test_a_failure_keeps_its_code_and_its_french_message(tmp_path):
    run = _relief("valider", "--donnees", str(tmp_path / "absent"), cwd=tmp_path)
    assert run.returncode == 2
    assert "absent" in run.stderr and "Traceback" not in run.stderr
