"""The key figures ("chiffres clés") of a year, each with its change since the year before.

Values and changes come from the year context (:mod:`relief_analytics.context`): the same
series and the same N vs N-1 comparison (:func:`~relief_analytics.indicators.series.compare_years`)
that the tables show; units come from the column names.

Unknown is not zero: a value the sources don't give (OpenAgenda gives no participant counts) reads
« non renseigné » on its tile and in the notes, never « 0 ». A participant count known for only
some events says on how many it is based (« d'après 12 événements sur 20 »).
"""

from __future__ import annotations

import html

import pandas as pd

from relief_analytics import formatting
from relief_analytics.display.blocks import Html
from relief_analytics.display.tiles import KeyFigure, KeyFigures, key_figures
from relief_analytics.indicators.labels import ACTIVITY_TILES
from relief_analytics.indicators.units import unit_of

#: The six tiles of the AG slide (a slide holds two rows of three at most).
AG_TILES = ACTIVITY_TILES[:6]

#: What a tile or a note shows for a value that the sources don't give.
NOT_PROVIDED = "non renseigné"

#: Tiles whose value is known only for some events: column → (events missing it, all events).
PARTLY_KNOWN = {
    "participants_count": ("events_missing_participants_count", "events_count"),
    "formation_participant_hours": ("events_missing_participants_count", "events_count"),
}


def _comparison_row(comparison: pd.DataFrame, column: str) -> pd.Series | None:
    rows = comparison[comparison["indicator"] == column]
    return None if rows.empty else rows.iloc[0]


def _tile_rows(context, tiles):
    """``(label, unit, comparison row, base note)`` of each tile the context has, in tile order.

    The base note says how many events a partly known value rests on (empty when all are known).
    """
    for series_name, column, label in tiles:
        comparison = context.comparisons.get(series_name)
        row = None if comparison is None else _comparison_row(comparison, column)
        if row is not None:
            yield label, unit_of(column), row, _base_note(comparison, column)


def _value(comparison: pd.DataFrame, column: str) -> int:
    row = _comparison_row(comparison, column)
    return 0 if row is None or pd.isna(row["value"]) else int(row["value"])


def _events_note(comparison: pd.DataFrame) -> str:
    """« 96 séances, dont 1 exposition ou activité permanente » (empty for one session each)."""
    events, sessions = _value(comparison, "events_count"), _value(comparison, "sessions_count")
    apart = _value(comparison, "long_running_events_count")
    parts = []
    if sessions > events:
        parts.append(f"{formatting.format_number(sessions)} séances")
    if apart:
        parts.append(f"dont {formatting.format_number(apart)} exposition{'s' if apart > 1 else ''} ou "
                     f"activité{'s' if apart > 1 else ''} permanente{'s' if apart > 1 else ''}")
    return ", ".join(parts)


def _base_note(comparison: pd.DataFrame, column: str) -> str:
    """« d'après 12 événements sur 20 » when ``column`` is known for only some events of N;
    the sessions and the exhibitions counted apart for the events tile."""
    if column == "events_count":
        return _events_note(comparison)
    if column not in PARTLY_KNOWN:
        return ""
    missing_row, total_row = (_comparison_row(comparison, c) for c in PARTLY_KNOWN[column])
    if missing_row is None or total_row is None or pd.isna(missing_row["value"]):
        return ""
    missing, total = int(missing_row["value"]), int(total_row["value"])
    if missing == 0 or missing >= total:
        return ""
    known = total - missing
    return (f"d'après {formatting.format_number(known)} événement{'s' if known > 1 else ''} "
            f"sur {formatting.format_number(total)}")


def _note_value(value, unit: str) -> str:
    """A value of a series or table note: a missing count is « non renseigné », a missing ratio « — »."""
    if unit == "count" and pd.isna(value):
        return NOT_PROVIDED
    return formatting.format_value(value, unit)


def _shown(value, unit: str, *, compact: bool = False) -> str:
    return NOT_PROVIDED if pd.isna(value) else formatting.format_value(value, unit, compact=compact)


def year_key_figures(context, *, tiles=ACTIVITY_TILES) -> KeyFigures:
    """Tiles of the context's year: the value of N and « +12 % par rapport à N-1 ».

    Parameters
    ----------
    context : relief_analytics.context.YearContext
        The year context; each tile reads ``context.comparisons[series]``.
    tiles : sequence of (series, column, label)
    """
    year = context.year
    items = []
    for label, unit, row, base in _tile_rows(context, tiles):
        note = ""
        if not pd.isna(row["value"]) and not pd.isna(row["change_ratio"]):
            change = formatting.format_delta(row["change_ratio"], unit="percent")
            note = f"{change} par rapport à {year - 1}"
        elif not pd.isna(row["value"]) and row["previous_value"] == 0:
            note = f"aucun en {year - 1}"
        if base:
            note = f"{base} ; {note}" if note else base
        value = _shown(row["value"], unit, compact=True)
        items.append(KeyFigure(value, label, note=note, accent=len(items) < 2))
    return key_figures(items)


def key_figure_notes(context, *, tiles=ACTIVITY_TILES):
    """Speaker notes of the key figures: each exact value, the year before and the change.

    Tiles round amounts to the euro; the notes keep the unit's full precision (« 12 208,00 € »)
    so the speaker can quote the exact figure. One line per tile present in the context.
    """
    year = context.year
    lines = []
    for label, unit, row, base in _tile_rows(context, tiles):
        previous = _shown(row["previous_value"], unit)
        change = formatting.format_change(row["change"], unit) if not pd.isna(row["change"]) else ""
        ratio = "" if pd.isna(row["change_ratio"]) else (
            f", {formatting.format_delta(row['change_ratio'], unit='percent', decimals=1)}")
        evolution = f" : {change}{ratio}" if change else ""
        based = f", {base}" if base else ""
        lines.append(f"<li>{html.escape(label.capitalize() if pd.isna(row['value']) else label)} en {year} : "
                     f"{_shown(row['value'], unit)}{based} ({previous} en {year - 1}{evolution})</li>"
                     if pd.isna(row["value"]) else
                     f"<li>{formatting.format_value(row['value'], unit)} {html.escape(label)} en {year}"
                     f"{based} ({previous} en {year - 1}{evolution})</li>")
    return Html(f"<ul class='notes-chiffres'>{''.join(lines)}</ul>")


def series_notes(by_year: pd.DataFrame, *, column: str, label: str):
    """Speaker notes of a yearly series: « label : 2021 : 100 ; 2022 : 150 ; … » at full precision.

    Examples
    --------
    >>> series_notes(pd.DataFrame({"year": [2024, 2025], "members_count": [290, 350]}),
    ...              column="members_count", label="Membres").body
    '<p>Membres : 2024 : 290 ; 2025 : 350.</p>'
    >>> series_notes(pd.DataFrame({"year": [2025], "participants_count": pd.array([None], dtype="Int64")}),
    ...              column="participants_count", label="Participants").body
    '<p>Participants : 2025 : non renseigné.</p>'
    """
    unit = unit_of(column)
    values = " ; ".join(f"{int(year)} : {_note_value(value, unit)}"
                        for year, value in zip(by_year["year"], by_year[column], strict=True))
    return Html(f"<p>{html.escape(label)} : {values}.</p>")


def rows_notes(frame: pd.DataFrame, *, label_column: str, value_column: str, title: str):
    """Speaker notes of a table: « title : label 1 : value ; label 2 : value … », full precision.

    Examples
    --------
    >>> rows_notes(pd.DataFrame({"commission": ["Formation"], "volunteer_hours": [848.5]}),
    ...            label_column="commission", value_column="volunteer_hours", title="Heures").body
    '<p>Heures : Formation : 848,5\\xa0h.</p>'
    """
    unit = unit_of(value_column)
    values = " ; ".join(f"{html.escape(str(label))} : {_note_value(value, unit)}"
                        for label, value in zip(frame[label_column], frame[value_column], strict=True))
    return Html(f"<p>{html.escape(title)} : {values}.</p>")
