"""`make lab` works on copies in explorations/: the templates that `relief rapports` runs never change."""

from __future__ import annotations

import subprocess
from pathlib import Path

from relief_analytics.paths import PROJECT_DIR
from relief_analytics.report.folders import EXPLORATIONS_DIRNAME, seed_explorations


def test_missing_copies_are_seeded_and_existing_ones_never_overwritten(tmp_path: Path):
    templates = tmp_path / "notebooks"
    templates.mkdir()
    (templates / "exploration_lieux.ipynb").write_text('{"modele": 1}', encoding="utf-8")
    (templates / "rapport_activite.ipynb").write_text('{"modele": 2}', encoding="utf-8")
    (templates / "README.md").write_text("pas un notebook", encoding="utf-8")
    explorations = tmp_path / "explorations"
    explorations.mkdir()
    (explorations / "exploration_lieux.ipynb").write_text('{"filtre": "38"}', encoding="utf-8")

    copied = seed_explorations(templates, explorations)

    assert [p.name for p in copied] == ["rapport_activite.ipynb"]
    assert (explorations / "exploration_lieux.ipynb").read_text(encoding="utf-8") == '{"filtre": "38"}'
    assert (explorations / "rapport_activite.ipynb").read_text(encoding="utf-8") == '{"modele": 2}'
    assert not (explorations / "README.md").exists()
    assert (templates / "exploration_lieux.ipynb").read_text(encoding="utf-8") == '{"modele": 1}'
    assert seed_explorations(templates, explorations) == []


def test_make_lab_opens_the_explorations_folder_which_git_ignores():
    recipe = subprocess.run(
        ["make", "-n", "-C", str(PROJECT_DIR), "lab", "STAMP=/dev/null"],
        capture_output=True, text=True, check=True,
    ).stdout
    assert f"jupyter lab {EXPLORATIONS_DIRNAME}/" in recipe
    assert "jupyter lab notebooks/" not in recipe
    ignored = (PROJECT_DIR / ".gitignore").read_text(encoding="utf-8").splitlines()
    assert f"{EXPLORATIONS_DIRNAME}/" in ignored
