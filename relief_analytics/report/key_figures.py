"""The key figures ("chiffres clés") of a year, each with its change since the year before.

Pure functions: by-year indicator frames in, :class:`~relief_analytics.report.tiles.KeyFigures` out.
"""

from __future__ import annotations

import pandas as pd

from relief_analytics import formatting
from relief_analytics.report.tiles import KeyFigure, KeyFigures, key_figures

#: (frame key, column, label, unit) of the activity report's tiles, in display order.
ACTIVITY_TILES = (
    ("adhesions", "members_count", "membres", "number"),
    ("adhesions", "amount_total_eur", "d'adhésions à prix libre", "eur"),
    ("evenements", "events_count", "événements", "number"),
    ("evenements", "participants_count", "participants", "number"),
    ("lieux", "open_lieux_count", "lieux ouverts recensés", "number"),
    ("benevolat", "volunteer_hours", "heures de bénévolat", "hours"),
    ("benevolat", "valuation_eur", "de bénévolat valorisé", "eur"),
    ("evenements", "formation_participant_hours", "heures de formation délivrées", "hours"),
)


def _value(frame: pd.DataFrame, column: str, year: int) -> float | None:
    row = frame.loc[frame["year"] == year, column]
    return None if row.empty or pd.isna(row.iloc[0]) else float(row.iloc[0])


def _format(value: float | None, unit: str) -> str:
    if unit == "eur":
        return formatting.format_eur(value, decimals=0)
    if unit == "hours":
        return formatting.format_hours(value)
    return formatting.format_number(value)


def year_key_figures(frames: dict[str, pd.DataFrame], *, year: int, tiles=ACTIVITY_TILES) -> KeyFigures:
    """Tiles for ``year``: value of N, and a note "+12 % par rapport à N-1".

    Parameters
    ----------
    frames : dict
        ``{"adhesions": membership_by_year(...), "evenements": events_by_year(...), ...}``;
        each frame has one row per year.
    """
    items = []
    for key, column, label, unit in tiles:
        frame = frames.get(key)
        if frame is None:
            continue
        value, previous = _value(frame, column, year), _value(frame, column, year - 1)
        note = ""
        if value is not None and previous:
            note = f"{formatting.format_delta(value / previous - 1, unit='percent')} par rapport à {year - 1}"
        elif value is not None and previous == 0:
            note = f"aucun en {year - 1}"
        items.append(KeyFigure(_format(value, unit), label, note=note, accent=len(items) < 2))
    return key_figures(items)

#: The six tiles of the AG slide (a slide holds two rows of three at most).
AG_TILES = ACTIVITY_TILES[:6]
