"""The year context: the year's populations and every indicator table, computed once.

Layer between ``indicators`` and ``figures``: it composes load → geo → indicators for one
year; notebooks and the report builder read from it (see ``docs/architecture.md``).
"""

from __future__ import annotations

from relief_analytics.context.year import (
    YearContext,
    YearFacts,
    build_year_context,
    open_year_context,
)

__all__ = ["YearContext", "YearFacts", "build_year_context", "open_year_context"]
