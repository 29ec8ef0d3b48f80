"""The year context: the year's populations and every indicator table, computed once.

Layer between ``indicators`` and ``figures``: it composes load → geo → indicators for one
year; notebooks and the report builder read from it (see ``docs/architecture.md``).
The names below are imported on first use, so that ``relief_analytics.context.store`` (used by
the command line to tell whether a build is up to date) stays cheap to import.
"""

from __future__ import annotations

import importlib

__all__ = ["YearContext", "YearFacts", "build_year_context", "open_year_context"]


def __getattr__(name: str):
    if name in __all__:
        return getattr(importlib.import_module("relief_analytics.context.year"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
