"""French wording of build results: file sizes, durations, the closing summary."""

from __future__ import annotations

from babel.numbers import format_decimal

LOCALE = "fr_FR"


def format_size(size_bytes: int) -> str:
    """Return a size in French units: ``"812 o"``, ``"35,2 ko"``, ``"4,9 Mo"`` (powers of 1000)."""
    if size_bytes < 1000:
        return f"{size_bytes} o"
    if size_bytes < 1_000_000:
        return f"{format_decimal(size_bytes / 1000, format='#,##0.0', locale=LOCALE)} ko"
    return f"{format_decimal(size_bytes / 1_000_000, format='#,##0.0', locale=LOCALE)} Mo"


def format_seconds(seconds: float) -> str:
    """Return a duration: ``"4,2 s"``, or ``"2 min 05 s"`` from one minute on."""
    if seconds < 60:
        return f"{format_decimal(seconds, format='#,##0.0', locale=LOCALE)} s"
    minutes, rest = divmod(round(seconds), 60)
    return f"{minutes} min {rest:02d} s"
