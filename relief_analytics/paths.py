"""Every path the project uses, in one place.

Nothing else in the package builds a path from ``__file__`` or the working directory.
"""

from __future__ import annotations

import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = PACKAGE_DIR.parent

ASSETS_DIR = PACKAGE_DIR / "assets"
TEMPLATES_DIR = PACKAGE_DIR / "report" / "templates"

DATA_DIR = PROJECT_DIR / "data"
SAMPLE_DATASET_DIR = DATA_DIR / "sample"
REFERENCE_DIR = DATA_DIR / "reference"
NOTEBOOKS_DIR = PROJECT_DIR / "notebooks"
REPORTS_DIR = PROJECT_DIR / "reports"
DICTIONARY_PATH = PROJECT_DIR / "docs" / "dictionnaire_des_donnees.md"

#: Environment variable pointing at a dataset folder (real data lives outside git).
DATASET_ENV_VAR = "RELIEF_DONNEES"


def default_dataset_dir() -> Path:
    """Return the dataset folder: ``$RELIEF_DONNEES`` if set, else the bundled sample."""
    value = os.environ.get(DATASET_ENV_VAR, "").strip()
    return Path(value).expanduser().resolve() if value else SAMPLE_DATASET_DIR


def year_reports_dir(year: int, *, reports_dir: Path | None = None) -> Path:
    """Return the folder holding the reports of ``year``: ``reports/<année>/``."""
    return (reports_dir or REPORTS_DIR) / str(year)
