"""Old name of :mod:`relief_analytics.safety` for the report builder.

# moved to relief_analytics.safety (import it directly); shim until the builder is updated
"""

from relief_analytics.safety import write_excel_csv  # noqa: F401 - shim

__all__ = ["write_excel_csv"]
