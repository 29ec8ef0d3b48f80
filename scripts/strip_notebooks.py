"""Remove outputs and execution counts from notebooks (they are committed without outputs).

Usage: python scripts/strip_notebooks.py notebooks/*.ipynb
"""

from __future__ import annotations

import sys
from pathlib import Path

import nbformat


def strip_notebook(path: Path) -> bool:
    """Strip ``path`` in place; return True when it changed."""
    nb = nbformat.read(path, as_version=4)
    changed = False
    for cell in nb.cells:
        if cell.cell_type == "code" and (cell.outputs or cell.execution_count):
            cell.outputs, cell.execution_count = [], None
            changed = True
    for key in ("papermill", "widgets"):
        if key in nb.metadata:
            del nb.metadata[key]
            changed = True
    if changed:
        nbformat.write(nb, path)
    return changed


if __name__ == "__main__":
    for arg in sys.argv[1:]:
        if strip_notebook(Path(arg)):
            print(f"sorties retirées : {arg}")
