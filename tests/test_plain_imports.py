"""Modules of the package import each other with plain ``import`` statements: no hidden import, no guard.

A name served through ``importlib`` or a module ``__getattr__`` is invisible to import-linter
(the contracts of ``pyproject.toml`` would not see it), and an ``except ImportError`` around a
module of the package turns a broken import into a silent fallback instead of a loud failure.
"""

from __future__ import annotations

import ast

import pytest

from relief_analytics.paths import PACKAGE_DIR

PACKAGE = "relief_analytics"


def _imports_package(node: ast.AST) -> bool:
    for child in ast.walk(node):
        if isinstance(child, ast.Import) and any(a.name.split(".")[0] == PACKAGE for a in child.names):
            return True
        if isinstance(child, ast.ImportFrom) and (child.level or (child.module or "").split(".")[0] == PACKAGE):
            return True
    return False


def _catches_import_error(handler: ast.ExceptHandler) -> bool:
    names = [handler.type] if not isinstance(handler.type, ast.Tuple) else list(handler.type.elts)
    return any(isinstance(n, ast.Name) and n.id in {"ImportError", "ModuleNotFoundError"} for n in names)


def hidden_imports(source: str) -> list[str]:
    """What hides or guards an import of the package in ``source``, one line each."""
    tree = ast.parse(source)
    found = []
    for node in tree.body:
        if isinstance(node, ast.FunctionDef) and node.name == "__getattr__":
            found.append(f"line {node.lineno}: module __getattr__")
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if name in {"import_module", "__import__"}:
                target = node.args[0] if node.args else None
                literal = target.value if isinstance(target, ast.Constant) else None
                if literal is None or str(literal).split(".")[0] == PACKAGE:
                    found.append(f"line {node.lineno}: {name}({ast.unparse(target) if target else ''})")
        if isinstance(node, ast.Try) and any(_catches_import_error(h) for h in node.handlers):
            if any(_imports_package(statement) for statement in node.body):
                found.append(f"line {node.lineno}: import of the package guarded by except ImportError")
    return found


@pytest.mark.parametrize("source", [
    "import importlib\ndef f():\n    return importlib.import_module('relief_analytics.context.year')\n",
    "def __getattr__(name):\n    from relief_analytics.context import year\n    return getattr(year, name)\n",
    "try:\n    from relief_analytics.figures import maps\nexcept ImportError:\n    maps = None\n",
    "try:\n    from . import render\nexcept (ModuleNotFoundError, ValueError):\n    render = None\n",
    "def f(name):\n    return __import__(name)\n",
])
def test_each_kind_of_hidden_import_is_found(source: str):
    assert len(hidden_imports(source)) == 1


def test_a_third_party_guard_and_a_plain_import_are_not_hidden_imports():
    assert hidden_imports("import sys\n__import__('sys')\nfrom relief_analytics import paths\n"
                          "try:\n    import pyarrow\nexcept ImportError:\n    pyarrow = None\n") == []


def test_no_module_of_the_package_hides_or_guards_an_import_of_the_package():
    found = {
        path.relative_to(PACKAGE_DIR).as_posix(): problems
        for path in sorted(PACKAGE_DIR.rglob("*.py"))
        if (problems := hidden_imports(path.read_text(encoding="utf-8")))
    }
    assert found == {}


def test_the_year_context_names_are_plain_attributes_of_the_package():
    import relief_analytics.context as context
    from relief_analytics.context import year

    assert not hasattr(context, "__getattr__")
    assert context.build_year_context is year.build_year_context
    assert context.open_year_context is year.open_year_context
