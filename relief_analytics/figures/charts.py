"""Non-map charts of the reports: pure functions, indicator frames in, plotly figures out.

Every figure carries its own French title, axis titles and hover labels, the French number
separators, the report size and Okabe-Ito colours (constants shared with
:mod:`relief_analytics.figures.theme`), so it reads the same with or without the RELIEF template.
Numbers written on the bars and in the hover labels are formatted by
:mod:`relief_analytics.formatting` (``1 234,50 €``), never by plotly's own formatting.

Years are drawn as categories (``"2024"``), never as numbers, so that no separator or
interpolation ever shows ``2 024`` or ``2 023,5``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Literal

import pandas as pd
import plotly.graph_objects as go

from relief_analytics.figures.theme import FIGURE_WIDTH_PX, FRENCH_SEPARATORS, OKABE_ITO
from relief_analytics.formatting import (
    format_delta,
    format_eur,
    format_hours,
    format_number,
    format_percent,
)
from relief_analytics.indicators.labels import french_label

FIGURE_HEIGHT_PX = 400

#: Colour of the highlighted year (N) and of the other years / the prévision.
HIGHLIGHT_COLOUR = OKABE_ITO[0]
CONTEXT_COLOUR = "#A6A6A6"
#: Colours of gaps: réalisé above prévu, réalisé below prévu.
GAP_UP_COLOUR = OKABE_ITO[3]
GAP_DOWN_COLOUR = OKABE_ITO[0]

Unit = Literal["number", "eur", "hours", "percent"]

_FORMATTERS: dict[str, Callable[[object], str]] = {
    "number": format_number,
    "eur": format_eur,
    "hours": format_hours,
    "percent": format_percent,
}
_TICK_SUFFIXES = {"number": "", "eur": "\u00a0€", "hours": "\u00a0h", "percent": "\u00a0%"}


#: Label of a count the sources don't give (unknown is not zero); a missing ratio stays « — ».
NOT_PROVIDED = "non renseigné"


def _format(values: Sequence, unit: Unit) -> list[str]:
    formatter = _FORMATTERS[unit]
    return [NOT_PROVIDED if unit == "number" and pd.isna(v) else formatter(v) for v in values]


def _plotted(values: Sequence, unit: Unit) -> list:
    """Values as drawn: ratios are drawn in percent (0.25 → 25) so the axis reads ``25 %``."""
    if unit != "percent":
        return list(values)
    return [None if pd.isna(v) else round(float(v) * 100, 6) for v in values]


def _shorten(label: str, *, max_chars: int = 45) -> str:
    """Cut a long axis label with an ellipsis (the hover label keeps it whole)."""
    return label if len(label) <= max_chars else label[: max_chars - 1].rstrip() + "…"


def _wrap(label: str, *, width: int = 16) -> str:
    """Break a long axis label into lines of about ``width`` characters (``<br>``)."""
    lines, current = [], ""
    for word in str(label).split():
        if current and len(current) + 1 + len(word) > width:
            lines.append(current)
            current = word
        else:
            current = f"{current} {word}".strip()
    lines.append(current)
    return "<br>".join(lines)


def _hover(label: str, value_name: str) -> str:
    """Hover template: the category in bold, then ``value_name : <formatted value>``."""
    return f"<b>{label}</b><br>{value_name} : %{{customdata}}<extra></extra>"


def _layout(fig: go.Figure, *, title: str, x_title: str | None, y_title: str | None,
            value_axis: Literal["x", "y"] = "y", unit: Unit = "number") -> go.Figure:
    fig.update_layout(
        title={"text": title},
        width=FIGURE_WIDTH_PX,
        height=FIGURE_HEIGHT_PX,
        separators=FRENCH_SEPARATORS,
        xaxis={"title": {"text": x_title or ""}},
        yaxis={"title": {"text": y_title or ""}},
        legend={"title": {"text": ""}},
    )
    axis = {"tickformat": ",~f", "ticksuffix": _TICK_SUFFIXES[unit], "rangemode": "tozero"}
    if value_axis == "y":
        fig.update_yaxes(**axis)
        fig.update_xaxes(type="category")
    else:
        fig.update_xaxes(**axis)
        fig.update_yaxes(type="category")
    return fig


def year_series_chart(
    by_year: pd.DataFrame,
    *,
    column: str,
    year: int,
    title: str,
    y_title: str | None = None,
    kind: Literal["bar", "line"] = "bar",
    unit: Unit = "number",
) -> go.Figure:
    """Series of one indicator since the first year, year ``year`` highlighted.

    ``by_year`` is a "one row per year" indicator table (``membership_by_year`` …). Bars (or
    points) of year N are in the highlight colour, the other years in grey; each bar carries
    its value, formatted in French according to ``unit``. With ``unit="percent"`` the column
    holds ratios and is drawn in percent (0.25 is drawn at 25, labelled ``25 %``).

    Examples
    --------
    >>> df = pd.DataFrame({"year": [2023, 2024], "members_count": [40, 52]})
    >>> fig = year_series_chart(df, column="members_count", year=2024, title="Membres")
    >>> list(fig.data[0].x), list(fig.data[0].y)
    (['2023', '2024'], [40, 52])
    """
    y_title = y_title or french_label(column)
    x = [str(int(y)) for y in by_year["year"]]
    text = _format(by_year[column].tolist(), unit)
    values = _plotted(by_year[column].tolist(), unit)
    colours = [HIGHLIGHT_COLOUR if int(y) == year else CONTEXT_COLOUR for y in by_year["year"]]
    if kind == "bar":
        trace = go.Bar(x=x, y=values, text=text, textposition="outside", marker={"color": colours},
                       customdata=text, hovertemplate=_hover("%{x}", y_title), name=y_title,
                       cliponaxis=False)
    else:
        sizes = [12 if int(y) == year else 7 for y in by_year["year"]]
        trace = go.Scatter(x=x, y=values, mode="lines+markers+text", text=text,
                           textposition="top center", line={"color": CONTEXT_COLOUR},
                           marker={"color": colours, "size": sizes}, customdata=text,
                           hovertemplate=_hover("%{x}", y_title), name=y_title, cliponaxis=False)
    fig = go.Figure(trace)
    fig.update_layout(showlegend=False)
    return _layout(fig, title=title, x_title="Année", y_title=y_title, unit=unit)


def year_comparison_chart(
    frame: pd.DataFrame,
    *,
    category_column: str,
    value_column: str,
    year: int,
    title: str,
    x_title: str | None = None,
    y_title: str | None = None,
    unit: Unit = "number",
) -> go.Figure:
    """Grouped bars: each category in year N-1 (grey) and year N (highlight colour).

    ``frame`` has one row per year and category (``events_by_kind``, ``events_by_commission`` …);
    categories keep their order of first appearance; a category absent one year counts 0.

    Examples
    --------
    >>> df = pd.DataFrame({"year": [2023, 2024, 2024], "event_kind": ["Visite", "Visite", "AG"],
    ...     "events_count": [3, 5, 1]})
    >>> fig = year_comparison_chart(df, category_column="event_kind", value_column="events_count",
    ...     year=2024, title="Événements par type")
    >>> [(t.name, list(t.y)) for t in fig.data]
    [('2023', [3, 0]), ('2024', [5, 1])]
    """
    x_title = x_title if x_title is not None else french_label(category_column)
    y_title = y_title or french_label(value_column)
    selected = frame[frame["year"].isin([year - 1, year])]
    categories = list(dict.fromkeys(selected[category_column]))
    fig = go.Figure()
    for shown_year, colour in ((year - 1, CONTEXT_COLOUR), (year, HIGHLIGHT_COLOUR)):
        rows = selected[selected["year"] == shown_year].set_index(category_column)[value_column]
        raw = [rows.get(c, 0) for c in categories]
        text = _format(raw, unit)
        values = _plotted(raw, unit)
        fig.add_trace(go.Bar(
            x=[_wrap(c) for c in categories], y=values, name=str(shown_year),
            marker={"color": colour}, text=text, textposition="outside", customdata=text,
            cliponaxis=False, hovertemplate=_hover("%{x}", f"{y_title} en {shown_year}"),
        ))
    # long category names (commissions) wrapped on lines, kept horizontal: no tilted labels
    fig.update_layout(barmode="group", xaxis={"tickangle": 0})
    return _layout(fig, title=title, x_title=x_title, y_title=y_title, unit=unit)


def amount_distribution_chart(
    distribution: pd.DataFrame, *, year: int, title: str | None = None
) -> go.Figure:
    """Bars of the members of ``year`` per prix-libre bin (output of ``amount_distribution``).

    Each bar is labelled with its count and its share of the members (``12 (25 %)``).

    Examples
    --------
    >>> df = pd.DataFrame({"amount_bin": ["0 €", "1 à 10 €"], "members_count": [1, 3],
    ...     "members_share": [0.25, 0.75]})
    >>> amount_distribution_chart(df, year=2024).data[0].text
    ('1 (25\\xa0%)', '3 (75\\xa0%)')
    """
    title = title or f"Adhésions {year} : répartition des membres par montant annuel (prix libre)"
    counts = distribution["members_count"].tolist()
    text = [f"{format_number(c)} ({format_percent(s)})"
            for c, s in zip(counts, distribution["members_share"], strict=True)]
    fig = go.Figure(go.Bar(
        x=distribution["amount_bin"].tolist(), y=counts, text=text, textposition="outside",
        customdata=text, marker={"color": HIGHLIGHT_COLOUR}, cliponaxis=False, name="Membres",
        hovertemplate=_hover("%{x}", "Membres"),
    ))
    fig.update_layout(showlegend=False, bargap=0.1)
    return _layout(fig, title=title, x_title="Montant payé dans l'année", y_title="Membres")


def events_by_month_chart(
    by_month: pd.DataFrame, *, year: int, title: str | None = None
) -> go.Figure:
    """Stacked bars of the events of ``year`` per month, one colour per kind (``events_by_month``).

    Examples
    --------
    >>> from relief_analytics.indicators.events import events_by_month
    >>> ev = pd.DataFrame({"start_date": pd.to_datetime(["2024-03-05"]), "event_kind": ["Visite"]})
    >>> fig = events_by_month_chart(events_by_month(ev, year=2024), year=2024)
    >>> fig.data[0].name, fig.data[0].x[2], fig.data[0].y[2]
    ('Visite', 'mars', 1)
    """
    title = title or f"Événements {year} par mois et par type"
    fig = go.Figure()
    kinds = list(dict.fromkeys(by_month["event_kind"]))
    for index, kind in enumerate(kinds):
        rows = by_month[by_month["event_kind"] == kind].sort_values("month")
        counts = rows["events_count"].tolist()
        text = _format(counts, "number")
        fig.add_trace(go.Bar(
            x=rows["month_name"].tolist(), y=counts, name=kind, customdata=text,
            marker={"color": OKABE_ITO[index % len(OKABE_ITO)]},
            hovertemplate=f"<b>%{{x}}</b><br>{kind} : %{{customdata}}<extra></extra>",
        ))
    fig.update_layout(barmode="stack")
    return _layout(fig, title=title, x_title="Mois", y_title="Événements")


def hours_by_commission_chart(
    by_commission: pd.DataFrame,
    *,
    year: int,
    column: str = "volunteer_hours",
    title: str | None = None,
) -> go.Figure:
    """Horizontal bars of the hours given per commission in ``year`` (``volunteering_by_commission``).

    The first commission of the table is at the top; each bar is labelled ``1 234 h``.

    Examples
    --------
    >>> df = pd.DataFrame({"commission": ["Formation", "Communication"],
    ...     "volunteer_hours": [1234.0, 10.0]})
    >>> hours_by_commission_chart(df, year=2024).data[0].text
    ('1\\u202f234\\xa0h', '10\\xa0h')
    """
    label = french_label(column)
    title = title or f"Bénévolat {year} : heures par commission"
    hours = by_commission[column].tolist()
    text = _format(hours, "hours")
    fig = go.Figure(go.Bar(
        x=hours, y=by_commission["commission"].tolist(), orientation="h", text=text,
        textposition="outside", customdata=text, marker={"color": HIGHLIGHT_COLOUR},
        cliponaxis=False, name=label, hovertemplate=_hover("%{y}", label),
    ))
    fig.update_layout(showlegend=False)
    _layout(fig, title=title, x_title=label, y_title="", value_axis="x", unit="hours")
    fig.update_yaxes(autorange="reversed", automargin=True)
    # room on the right for the value labels written outside the bars
    fig.update_xaxes(range=[0, max(hours, default=1.0) * 1.2])
    return fig


def budget_by_class_chart(
    cerfa: pd.DataFrame,
    *,
    year: int,
    sections: Sequence[str] = ("Charges", "Produits"),
    title: str | None = None,
) -> go.Figure:
    """Horizontal grouped bars of prévision (grey) and réalisation (highlight) per account class.

    ``cerfa`` is the output of ``cerfa_table``; its class subtotals of ``sections`` are drawn,
    charges first, top to bottom in the table's order. Class labels (« 74 Subventions
    d'exploitation ») sit whole on the vertical axis, one per line, so they never collide.

    Examples
    --------
    >>> t = pd.DataFrame({"section": ["Charges"], "row_kind": ["class_total"],
    ...     "class_label": ["60 Achats"], "planned_eur": [100.0], "realised_eur": [120.0]})
    >>> [(tr.name, list(tr.y), list(tr.x)) for tr in budget_by_class_chart(t, year=2024).data]
    [('Prévision', ['60 Achats'], [100.0]), ('Réalisation', ['60 Achats'], [120.0])]
    """
    title = title or f"Budget {year} : prévision et réalisation par classe de comptes"
    totals = _used_classes(cerfa, sections)
    labels = totals["class_label"].tolist()
    fig = go.Figure()
    for column, name, colour in (("planned_eur", "Prévision", CONTEXT_COLOUR),
                                 ("realised_eur", "Réalisation", HIGHLIGHT_COLOUR)):
        values = totals[column].tolist()
        text = _format(values, "eur")
        fig.add_trace(go.Bar(
            y=labels, x=values, name=name, orientation="h",
            marker={"color": colour}, customdata=text, hovertemplate=_hover("%{y}", name),
        ))
    fig.update_layout(barmode="group", legend={"orientation": "h", "x": 0, "y": 1.02,
                                               "yanchor": "bottom", "traceorder": "normal"})
    _layout(fig, title=title, x_title="Montant (€)", y_title="", value_axis="x", unit="eur")
    fig.update_layout(height=max(FIGURE_HEIGHT_PX, 110 + 62 * len(labels)))
    fig.update_yaxes(autorange="reversed", automargin=True)
    return fig


def _used_classes(cerfa: pd.DataFrame, sections: Sequence[str]) -> pd.DataFrame:
    """Class subtotals of ``sections``, without the grid's classes at 0 € on both sides."""
    totals = cerfa[(cerfa["row_kind"] == "class_total") & cerfa["section"].isin(list(sections))]
    empty = totals["planned_eur"].fillna(0).eq(0) & totals["realised_eur"].fillna(0).eq(0)
    return totals[~empty]


def budget_sections_chart(
    cerfa: pd.DataFrame, *, year: int, title: str | None = None
) -> go.Figure:
    """Charges and produits apart: two panels of horizontal bars, the réalisé of each class.

    Top panel « Charges », bottom panel « Produits » (classes with an amount only, in the
    table's order), each bar labelled with its amount in whole euros; the hover adds the
    prévision. Built for the AG's slide, where one mixed chart read badly.

    Examples
    --------
    >>> t = pd.DataFrame({"section": ["Charges", "Produits"], "row_kind": ["class_total"] * 2,
    ...     "class_label": ["60 Achats", "74 Subventions"], "planned_eur": [100.0, 90.0],
    ...     "realised_eur": [120.0, 80.0]})
    >>> [(tr.name, list(tr.y), tr.text) for tr in budget_sections_chart(t, year=2024).data]
    [('Charges', ['60 Achats'], ('120\xa0€',)), ('Produits', ['74 Subventions'], ('80\xa0€',))]
    """
    from plotly.subplots import make_subplots

    title = title or f"Budget {year} : charges et produits réalisés par classe de comptes"
    panels = [(section, _used_classes(cerfa, (section,))) for section in ("Charges", "Produits")]
    counts = [max(len(rows), 1) for _, rows in panels]
    fig = make_subplots(rows=2, cols=1, shared_xaxes=True)
    # panel heights follow their number of bars; room above each for its section name
    bars, top_room, gap = 0.80, 0.10, 0.10
    top_height = bars * counts[0] / sum(counts)
    domains = [(1 - top_room - top_height, 1 - top_room), (0.0, 1 - top_room - top_height - gap)]
    fig.update_layout(yaxis={"domain": list(domains[0])}, yaxis2={"domain": list(domains[1])})
    for (section, _), (_, high) in zip(panels, domains, strict=True):
        fig.add_annotation(text=f"<b>{section}</b>", x=0, xref="paper", xanchor="left",
                           y=high, yref="paper", yanchor="bottom", showarrow=False)
    everything: list[float] = []
    for index, (section, rows) in enumerate(panels, start=1):
        values = rows["realised_eur"].fillna(0).tolist()
        everything += values
        text = [format_eur(v, decimals=0) for v in values]
        hover = [f"{label}<br>Réalisé : {format_eur(r)}<br>Prévu : "
                 f"{format_eur(p) if pd.notna(p) else '—'}"
                 for label, r, p in zip(rows["class_label"], values, rows["planned_eur"],
                                        strict=True)]
        fig.add_trace(go.Bar(
            y=rows["class_label"].tolist(), x=values, name=section, orientation="h", text=text,
            textposition="outside", cliponaxis=False, customdata=hover,
            marker={"color": HIGHLIGHT_COLOUR if section == "Produits" else CONTEXT_COLOUR},
            hovertemplate="%{customdata}<extra></extra>",
        ), row=index, col=1)
    fig.update_layout(showlegend=False)
    _layout(fig, title=title, x_title="", y_title="", value_axis="x", unit="eur")
    top = max(everything, default=1.0) or 1.0
    fig.update_xaxes(range=[0, top * 1.3], tickformat=",.0f", nticks=5)
    fig.update_yaxes(autorange="reversed", automargin=True)
    fig.update_layout(height=max(FIGURE_HEIGHT_PX, 160 + 60 * sum(counts)))
    return fig


def budget_gaps_chart(
    table: pd.DataFrame, *, year: int, title: str | None = None,
    sections: Sequence[str] = ("Charges", "Produits"),
) -> go.Figure:
    """Horizontal bars of the gap réalisé − prévu of each budget line (non-zero gaps only).

    ``table`` is ``cerfa_table`` or ``significant_gaps`` output; only ``row_kind == "line"``
    rows of ``sections`` are drawn (the contributions volontaires, whose gaps balance, are
    left to the table), labelled ``<compte> <intitulé>`` (and the funder for subsidies), cut at
    45 characters on the axis, whole in the hover label. Bars
    right of zero (réalisé above prévu) and left of it have two colours; each bar carries the
    signed gap (``+600,00 €``).

    Examples
    --------
    >>> t = pd.DataFrame({"row_kind": ["line"], "account_code": ["606"],
    ...     "account_label": ["Fournitures"], "funder": [None], "planned_eur": [1000.0],
    ...     "realised_eur": [1600.0], "gap_eur": [600.0]})
    >>> fig = budget_gaps_chart(t, year=2024)
    >>> fig.data[0].y, fig.data[0].text
    (('606 Fournitures',), ('+600,00\\xa0€',))
    """
    title = title or f"Budget {year} : écarts entre réalisation et prévision"
    lines = table[(table["row_kind"] == "line") & table["gap_eur"].notna() & (table["gap_eur"] != 0)]
    if "section" in lines:
        lines = lines[lines["section"].isin(list(sections))]
    labels = [
        f"{code} {label}" + (f" ({funder})" if isinstance(funder, str) and funder else "")
        for code, label, funder in zip(lines["account_code"], lines["account_label"],
                                       lines["funder"], strict=True)
    ]
    gaps = lines["gap_eur"].tolist()
    text = [format_delta(g, unit="eur") for g in gaps]
    hover = [
        f"{label}<br>Prévu : {format_eur(p)}<br>Réalisé : {format_eur(r)}<br>Écart : {t}"
        for label, p, r, t in zip(labels, lines["planned_eur"], lines["realised_eur"], text,
                                  strict=True)
    ]
    short = [_shorten(label) for label in labels]
    fig = go.Figure(go.Bar(
        x=gaps, y=short, orientation="h", text=text,
        textposition="outside", customdata=hover,
        marker={"color": [GAP_UP_COLOUR if g > 0 else GAP_DOWN_COLOUR for g in gaps]},
        cliponaxis=False, name="Écart",
        hovertemplate="%{customdata}<extra></extra>",
    ))
    fig.update_layout(showlegend=False)
    _layout(fig, title=title, x_title="Écart réalisé − prévu (€)", y_title="", value_axis="x",
            unit="eur")
    fig.update_yaxes(autorange="reversed", automargin=True)
    fig.update_xaxes(rangemode="normal", zeroline=True, zerolinecolor="#444444",
                     range=_room_for_outside_labels(gaps, text, plot_px=_plot_px(short)))
    return fig


def _plot_px(category_labels: Sequence[str]) -> int:
    """Width left to the bars of a horizontal chart once its category labels are written.

    Measured in Chromium: 45-character labels at 14 px take about 400 px of the 760.
    """
    longest = max((len(label) for label in category_labels), default=0)
    return max(FIGURE_WIDTH_PX - 24 - int(8.5 * longest + 20), 200)


def _room_for_outside_labels(values: Sequence[float], labels: Sequence[str], *,
                             plot_px: int = FIGURE_WIDTH_PX - 330) -> list[float]:
    """Axis range leaving, beyond the longest bar on each side, the width of the longest label.

    A label written outside a bar then never runs over the axis labels or off the plot (the
    « -5 000,00 € » of a large negative gap was printed over the category labels). A side
    without bars gets no room: an all-positive axis starts at 0. ``plot_px``
    is the plot's width once the category labels (up to 45 characters) have their margin.
    """
    label_px = 8.5 * max((len(label) for label in labels), default=0) + 16
    share = min(label_px / plot_px, 0.3)
    low, high = min(min(values, default=0.0), 0.0), max(max(values, default=0.0), 0.0)
    share_low, share_high = (share if low < 0 else 0.0), (share if high > 0 else 0.0)
    span = (high - low) / (1 - share_low - share_high) or 1.0
    return [low - share_low * span, high + share_high * span]



def typology_chart(
    by_typology: pd.DataFrame, *, title: str | None = None, category_column: str = "typology",
) -> go.Figure:
    """Horizontal bars of the lieux per typology (``lieux_by_typology``), largest on top.

    Each bar is labelled with its count and its share of the lieux (``70 (46 %)``); a lieu can
    have several typologies, so the shares add up to more than 100 %.

    Examples
    --------
    >>> df = pd.DataFrame({"typology": ["Fablab", "Coworking"], "lieux_count": [3, 7],
    ...     "lieux_share": [0.3, 0.7]})
    >>> fig = typology_chart(df)
    >>> list(fig.data[0].y), fig.data[0].text
    (['Coworking', 'Fablab'], ('7 (70\xa0%)', '3 (30\xa0%)'))
    """
    title = title or "Lieux par typologie (un lieu peut en avoir plusieurs)"
    rows = by_typology.sort_values("lieux_count", ascending=False, kind="stable")
    counts = [int(c) for c in rows["lieux_count"]]
    text = [f"{format_number(c)} ({format_percent(s)})"
            for c, s in zip(counts, rows["lieux_share"], strict=True)]
    fig = go.Figure(go.Bar(
        x=counts, y=rows[category_column].tolist(), orientation="h", text=text,
        textposition="outside", customdata=text, marker={"color": HIGHLIGHT_COLOUR},
        cliponaxis=False, name="Lieux", hovertemplate=_hover("%{y}", "Lieux"),
    ))
    fig.update_layout(showlegend=False)
    _layout(fig, title=title, x_title="Lieux", y_title="", value_axis="x")
    fig.update_layout(height=max(FIGURE_HEIGHT_PX, 120 + 40 * len(rows)))
    fig.update_yaxes(autorange="reversed", automargin=True)
    fig.update_xaxes(range=_room_for_outside_labels(counts, text, plot_px=_plot_px(
        rows[category_column].tolist())), tickformat=",d")
    return fig
