"""Static check of the table names a notebook reads, before any kernel starts.

A report notebook reaches the year's tables only through ``ctx.table("name")`` and
``ctx.comparison("name")``. :func:`notebook_table_problems` reads each notebook's code cells
(plain JSON, no kernel, no nbformat) and lists in French every name that the catalogue
(:data:`relief_analytics.context.catalogue.CATALOGUE`) does not declare, every table the
notebook reads without being one of its declared readers (it would not be computed for it),
and every direct ``ctx.tables[…]`` / ``ctx.comparisons[…]`` access, which would escape the check.
"""

from __future__ import annotations

import ast
import json
from collections.abc import Iterable
from pathlib import Path

from relief_analytics.context.catalogue import SERIES, TABLES
from relief_analytics.errors import DataError

#: The name a report notebook gives its year context.
CONTEXT_NAME = "ctx"

_ACCESSORS = {"table": "table", "comparison": "série"}
_BAGS = {"tables": "table", "comparisons": "comparison"}


def _code_cells(path: Path) -> list[tuple[int, str]]:
    notebook = json.loads(path.read_text(encoding="utf-8"))
    cells = []
    for number, cell in enumerate(notebook.get("cells", []), start=1):
        if cell.get("cell_type") == "code":
            source = cell.get("source", "")
            source = "".join(source) if isinstance(source, list) else source
            # IPython magics and shell lines are not Python: blank them, keep line numbers.
            lines = ["" if line.lstrip().startswith(("%", "!")) else line
                     for line in source.splitlines()]
            cells.append((number, "\n".join(lines)))
    return cells


def _is_context(node: ast.AST) -> bool:
    return isinstance(node, ast.Name) and node.id == CONTEXT_NAME


def table_reads(source: str) -> list[tuple[str, str | None, int]]:
    """``(accessor, literal name or None, line)`` of each read of the context in ``source``.

    ``accessor`` is ``table``, ``comparison``, or ``tables[]`` / ``comparisons[]`` for a
    direct subscript of the bags.

    >>> table_reads('ctx.table("lieux_by_year")\\nctx.comparisons["x"]\\nctx.table(name)')
    [('table', 'lieux_by_year', 1), ('comparisons[]', 'x', 2), ('table', None, 3)]
    """
    reads = []
    for node in ast.walk(ast.parse(source)):
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                and node.func.attr in _ACCESSORS and _is_context(node.func.value)):
            arg = node.args[0] if node.args else None
            name = arg.value if isinstance(arg, ast.Constant) and isinstance(arg.value, str) else None
            reads.append((node.func.attr, name, node.lineno))
        elif (isinstance(node, ast.Subscript) and isinstance(node.value, ast.Attribute)
              and node.value.attr in _BAGS and _is_context(node.value.value)):
            key = node.slice
            name = key.value if isinstance(key, ast.Constant) and isinstance(key.value, str) else None
            reads.append((f"{node.value.attr}[]", name, node.lineno))
    return sorted(reads, key=lambda read: read[2])


def notebook_table_problems(notebook_paths: Iterable[Path | str]) -> list[str]:
    """French problems of the table names read by each notebook (empty: every name is sound).

    The notebook's file stem is its document name (``rapport_activite``), as in the report set.
    """
    problems = []
    for path in map(Path, notebook_paths):
        document = path.stem
        try:
            cells = _code_cells(path)
        except (OSError, ValueError) as exc:
            problems.append(f"{path.name} : notebook illisible ({exc}).")
            continue
        for cell, source in cells:
            try:
                reads = table_reads(source)
            except SyntaxError as exc:
                problems.append(f"{path.name}, cellule {cell} : code illisible ({exc.msg}).")
                continue
            for accessor, name, line in reads:
                where = f"{path.name}, cellule {cell}, ligne {line}"
                problems += _read_problems(where, document, accessor, name)
    return problems


def _read_problems(where: str, document: str, accessor: str, name: str | None) -> list[str]:
    if accessor.endswith("[]"):
        good = _BAGS[accessor[:-2]]
        return [f"{where} : accès direct « {CONTEXT_NAME}.{accessor[:-2]}[…] » ; lisez la table par "
                f"« {CONTEXT_NAME}.{good}(\"{name or '…'}\") », dont le nom est vérifié avant "
                "l'exécution."]
    if name is None:
        return [f"{where} : le nom passé à « {CONTEXT_NAME}.{accessor}(…) » doit être écrit en "
                "toutes lettres (entre guillemets) pour être vérifié avant l'exécution."]
    known = SERIES if accessor == "comparison" else tuple(TABLES)
    if name not in known:
        return [f"{where} : {_ACCESSORS[accessor]} « {name} » inconnue du catalogue des tables "
                f"de l'année (relief_analytics/context/catalogue.py). Noms déclarés : "
                f"{', '.join(known)}."]
    if document not in TABLES[name].readers:
        return [f"{where} : la table « {name} » ne compte pas « {document} » parmi ses lecteurs "
                f"({', '.join(TABLES[name].readers)}) ; elle ne serait pas calculée pour ce "
                "document. Ajoutez-le à ses lecteurs dans relief_analytics/context/catalogue.py."]
    return []


def check_notebook_table_names(notebook_paths: Iterable[Path | str]) -> None:
    """Raise a French :class:`DataError` listing every problem of :func:`notebook_table_problems`.

    The builder calls it before any kernel starts.
    """
    problems = notebook_table_problems(notebook_paths)
    if problems:
        raise DataError("Noms de tables à corriger dans les notebooks :\n- " + "\n- ".join(problems))
