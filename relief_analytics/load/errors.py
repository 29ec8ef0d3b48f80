"""Re-export of :class:`relief_analytics.errors.DataError` for the loaders' callers."""

from __future__ import annotations

from relief_analytics.errors import DataError

__all__ = ["DataError"]
