"""Old path of the compte rendu's readiness check, still imported by ``report/build.py``.

# moved to relief_analytics.indicators.readiness (and the display to relief_analytics.display.cerfa);
# shim until the builder is updated
"""

from relief_analytics.indicators.readiness import missing_items  # noqa: F401 - shim

__all__ = ["missing_items"]
