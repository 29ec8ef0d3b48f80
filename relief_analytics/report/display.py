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
from relief_analytics.indicators.labels import french_label
from relief_analytics.indicators.units import unit_of


@dataclass(frozen=True)
class Html:
    """A fragment of HTML shown as is."""

    body: str

    def _repr_html_(self) -> str:
        return self.body

    def __str__(self) -> str:
        return self.body


def _formatter(column: str, series: pd.Series):
    """The display rule of a column: its unit (from its English name), else its dtype."""
    if pd.api.types.is_bool_dtype(series):
        return lambda v: "" if pd.isna(v) else ("oui" if v else "non")
    if pd.api.types.is_numeric_dtype(series):
        unit = unit_of(column)
        if unit == "number" and pd.api.types.is_integer_dtype(series):
            unit = "count"
        return lambda v: formatting.format_value(v, unit)
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

    Each row is formatted from its ``unit`` column (never from the label text): amounts and
    rates to the cent, ratios as percentages (their change in points), counts as whole numbers.
    """
    rows = []
    for rec in comparison.itertuples(index=False):
        ratio = "" if rec.unit == "ratio" or pd.isna(rec.change_ratio) else formatting.format_delta(
            rec.change_ratio, unit="percent")
        label = rec.indicator_label
        for suffix in (" (€)", " (%)", " (h)", " (€/h)"):
            label = label.replace(suffix, "")
        rows.append({
            "Indicateur": label,
            str(year - 1): formatting.format_value(rec.previous_value, rec.unit),
            str(year): formatting.format_value(rec.value, rec.unit),
            "Évolution": formatting.format_change(rec.change, rec.unit),
            "Évolution (%)": ratio,
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
    """
    from IPython.display import Markdown

    if not text.strip():
        return warning(missing)
    demoted = "\n".join("##" + line if line.startswith("#") else line for line in text.splitlines())
    return Markdown(demoted)
