"""Display helpers for report notebooks: French tables, title blocks, notes and warnings.

Each function returns an object with ``_repr_html_`` (so the last expression of a cell shows
it in JupyterLab and in the exported HTML) and never prints. Numbers are formatted in French
from the column names (``_eur`` → ``1 234,50 €``, ratios → ``15 %``, ``_hours`` → ``12 h``).
"""

from __future__ import annotations

import html
from dataclasses import dataclass

import pandas as pd

from relief_analytics import formatting
from relief_analytics.indicators.labels import french_label, is_ratio_column


@dataclass(frozen=True)
class Html:
    """A fragment of HTML shown as is."""

    body: str

    def _repr_html_(self) -> str:
        return self.body

    def __str__(self) -> str:
        return self.body


def _formatter(column: str, series: pd.Series):
    if column == "year":
        return lambda v: "" if pd.isna(v) else str(int(v))
    if is_ratio_column(column) or column == "change_ratio":
        return lambda v: formatting.format_percent(v, decimals=0)
    if column.endswith("_eur") or column.endswith("eur_"):
        return lambda v: formatting.format_eur(v)
    if column.endswith("_hours") or column == "hours":
        return lambda v: formatting.format_hours(v, decimals=1 if (series.dropna() % 1 != 0).any() else 0)
    if pd.api.types.is_bool_dtype(series):
        return lambda v: "" if pd.isna(v) else ("oui" if v else "non")
    if pd.api.types.is_integer_dtype(series):
        return lambda v: formatting.format_number(v)
    if pd.api.types.is_float_dtype(series):
        decimals = 0 if (series.dropna() % 1 == 0).all() else 2
        return lambda v: formatting.format_number(v, decimals=decimals)
    return lambda v: "" if v is None or (isinstance(v, float) and pd.isna(v)) else str(v)


def french_table(
    frame: pd.DataFrame, *, caption: str | None = None, headers: dict[str, str] | None = None,
    highlight_last_row: bool = False, empty: str = "Aucun élément.",
    numeric_columns: tuple[str, ...] = (),
) -> Html:
    """Return ``frame`` as an HTML table with French headers and French number formats.

    Column headers come from ``headers`` first, then :func:`french_label` for indicator
    columns; columns already in French are kept as they are.
    """
    headers = headers or {}
    if frame.empty:
        cap = f"<p class='legende'>{html.escape(caption)}</p>" if caption else ""
        return Html(f"<div class='tableau-vide'>{cap}<p>{html.escape(empty)}</p></div>")
    cells = {}
    for column in frame.columns:
        fmt = _formatter(column, frame[column])
        cells[column] = [fmt(v) for v in frame[column]]
    head = "".join(f"<th>{html.escape(headers.get(c) or _label(c))}</th>" for c in frame.columns)
    numeric = [
        (pd.api.types.is_numeric_dtype(frame[c]) and c != "year") or c in numeric_columns
        for c in frame.columns
    ]
    rows = []
    for i in range(len(frame)):
        tds = "".join(
            f'<td class="{"nombre" if numeric[j] else "texte"}">{html.escape(cells[c][i])}</td>'
            for j, c in enumerate(frame.columns)
        )
        klass = ' class="total"' if highlight_last_row and i == len(frame) - 1 else ""
        rows.append(f"<tr{klass}>{tds}</tr>")
    cap = f"<caption>{html.escape(caption)}</caption>" if caption else ""
    return Html(
        f'<table class="tableau-fr">{cap}<thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table>'
    )


def _label(column: str) -> str:
    try:
        return french_label(column)
    except KeyError:
        return column


def comparison_table(comparison: pd.DataFrame, *, year: int, caption: str | None = None) -> Html:
    """Show the output of ``indicators.series.compare_years``: indicator, N-1, N, change.

    Values are formatted from the unit written in the indicator's label: ``(€)``, ``(%)``, ``(h)``.
    """
    rows = []
    for rec in comparison.itertuples(index=False):
        label = rec.indicator
        unit = "eur" if "(€)" in label else "percent" if "(%)" in label else "hours" if "(h" in label else "number"
        fmt = {
            "eur": formatting.format_eur,
            "percent": lambda v: formatting.format_percent(v, decimals=1),
            "hours": formatting.format_hours,
            "number": lambda v: formatting.format_number(v, decimals=0 if pd.isna(v) or float(v).is_integer() else 1),
        }[unit]
        delta_unit = "points" if unit == "percent" else unit
        decimals = 1 if unit == "percent" else None
        change = "—" if pd.isna(rec.change) else formatting.format_delta(rec.change, unit=delta_unit, decimals=decimals)
        ratio = "" if unit == "percent" or pd.isna(rec.change_ratio) else formatting.format_delta(
            rec.change_ratio, unit="percent")
        rows.append({
            "Indicateur": label.replace(" (€)", "").replace(" (%)", "").replace(" (h)", ""),
            str(year - 1): fmt(rec.previous_value), str(year): fmt(rec.value),
            "Évolution": change, "Évolution (%)": ratio,
        })
    return french_table(
        pd.DataFrame(rows), caption=caption,
        numeric_columns=(str(year - 1), str(year), "Évolution", "Évolution (%)"),
    )


def title_block(title: str, *, network: str, year: int, subtitle: str | None = None) -> Html:
    """Report heading: title with the year, the network's name, the date it was produced."""
    produced = formatting.format_date(pd.Timestamp.today())
    sub = f"<p class='sous-titre'>{html.escape(subtitle)}</p>" if subtitle else ""
    return Html(
        f"<header class='entete-rapport'><h1>{html.escape(title)} {year}</h1>"
        f"<p class='reseau'>{html.escape(network)}</p>{sub}"
        f"<p class='date-production'>Document produit le {produced} par relief-analytics.</p></header>"
    )


def note(text: str) -> Html:
    """A short explanatory note (definitions, sources)."""
    return Html(f"<p class='note'>{html.escape(text)}</p>")


def warning(text: str) -> Html:
    """A visible warning box (e.g. an explanation is missing)."""
    return Html(f"<div class='avertissement' role='alert'><strong>⚠ À compléter :</strong> {html.escape(text)}</div>")


def users_text(text: str, *, missing: str):
    """Show a text written by the users (Markdown), or a visible warning when it is empty.

    Headings of the text are demoted by two levels so they sit under the report's sections.
    Raw HTML in the text is shown as text, never run (:mod:`relief_analytics.report.user_text`).
    """
    from relief_analytics.report.user_text import render_markdown

    if not text.strip():
        return warning(missing)
    return Html(f"<div class='texte-utilisateurs'>{render_markdown(text, demote_headings=2)}</div>")
