"""The RELIEF plotly template: French number separators, colour-blind-safe colours, A4-sized figures.

Every report figure uses this template (``use_offline_renderer`` in :mod:`relief_analytics.figures.render`
registers it and makes it the default), so charts never set colours or fonts one by one.
"""

from __future__ import annotations

import functools

import plotly.graph_objects as go
import plotly.io as pio

#: Name under which the template is registered in ``plotly.io.templates``.
TEMPLATE_NAME = "relief"

#: Okabe-Ito palette (distinguishable with the common colour-vision deficiencies), ordered so the
#: first colours contrast best on white: blue, orange, green, vermillion, purple, sky blue, yellow, black.
OKABE_ITO = (
    "#0072B2",
    "#E69F00",
    "#009E73",
    "#D55E00",
    "#CC79A7",
    "#56B4E9",
    "#F0E442",
    "#000000",
)

#: Default figure size in CSS pixels. 760 px fits the report column on screen and the slides
#: (960 x 700); the print stylesheet scales figures to fit A4 portrait with 12 mm margins.
FIGURE_WIDTH_PX = 760
FIGURE_HEIGHT_PX = 420

#: Decimal comma then narrow no-break space for thousands, as babel writes ``1 234,50`` in fr_FR.
FRENCH_SEPARATORS = ",\u202f"

FONT_FAMILY = '"Segoe UI", "Helvetica Neue", Arial, "Liberation Sans", "DejaVu Sans", sans-serif'
TEXT_COLOUR = "#222222"


def build_relief_template() -> go.layout.Template:
    """Return the RELIEF template, built on ``plotly_white``.

    Examples
    --------
    >>> template = build_relief_template()
    >>> template.layout.separators
    ',\\u202f'
    >>> template.layout.width
    760
    """
    template = go.layout.Template(pio.templates["plotly_white"])
    template.layout.update(
        separators=FRENCH_SEPARATORS,
        colorway=list(OKABE_ITO),
        width=FIGURE_WIDTH_PX,
        height=FIGURE_HEIGHT_PX,
        autosize=False,
        font={"family": FONT_FAMILY, "size": 14, "color": TEXT_COLOUR},
        title={"font": {"size": 18}, "x": 0, "xanchor": "left", "y": 0.96},
        margin={"l": 64, "r": 24, "t": 64, "b": 56},
        legend={"title": {"text": ""}},
        hoverlabel={"font": {"family": FONT_FAMILY}},
    )
    # Whole numbers with thousands separators ("250 000") instead of SI suffixes ("250k").
    plain_numbers = {"exponentformat": "none", "separatethousands": True}
    template.layout.xaxis.update(plain_numbers)
    template.layout.yaxis.update(plain_numbers)
    template.layout.coloraxis.colorbar.update(plain_numbers)
    for trace_type in ("choropleth", "heatmap", "contour"):
        for trace_template in template.data[trace_type]:
            trace_template.colorbar.update(plain_numbers)
    return template


@functools.cache
def relief_template() -> go.layout.Template:
    """The RELIEF template, built once per process (a warm report kernel builds it before its
    first notebook; each notebook then registers the same one)."""
    return build_relief_template()


def register_relief_template(*, make_default: bool = True) -> None:
    """Register the template as ``"relief"`` in ``plotly.io.templates`` (and make it the default)."""
    pio.templates[TEMPLATE_NAME] = relief_template()
    if make_default:
        pio.templates.default = TEMPLATE_NAME


#: Size of a figure on a 16:9 slide (reveal.js 1280 x 720, below the slide's heading).
SLIDE_FIGURE_WIDTH_PX = 1200
SLIDE_FIGURE_HEIGHT_PX = 590
#: Smallest text on a slide, readable from the back of the room.
SLIDE_MIN_FONT_PX = 24


def for_slides(
    fig: go.Figure,
    *,
    width: int = SLIDE_FIGURE_WIDTH_PX,
    height: int = SLIDE_FIGURE_HEIGHT_PX,
    keep_title: bool = False,
) -> go.Figure:
    """Size ``fig`` for a 1280 x 720 slide, every text at least 24 px, and return it.

    The slide's heading names the figure, so the figure's own title is dropped unless
    ``keep_title``; ticks, legends, colour bars, bar labels and notes are set to 24 px. The
    figure is changed in place: a deck sizes the chart it has just drawn, and a copy would
    validate the whole figure again (a third of the deck notebook's time).

    Examples
    --------
    >>> fig = for_slides(go.Figure(go.Bar(x=["a"], y=[1]), layout={"title": {"text": "T"}}))
    >>> fig.layout.width, fig.layout.height, fig.layout.font.size, fig.layout.title.text
    (1200, 590, 24, None)
    """
    size = SLIDE_MIN_FONT_PX
    margin = fig.layout.margin
    fig.update_layout(
        width=width,
        height=height,
        font={"size": size},
        legend={"font": {"size": size}, "title": {"font": {"size": size}}},
        margin={"t": 70 if keep_title else 20, "b": max(margin.b or 0, 60),
                "l": margin.l, "r": margin.r},
    )
    if keep_title:
        fig.update_layout(title={"font": {"size": size + 4}})
    else:
        fig.update_layout(title={"text": None})
    fig.update_annotations(font={"size": size})
    # notes stacked under a map (figures.maps names them "note-carte"): one 30 px line each
    stacked = [a for a in fig.layout.annotations if a.name == "note-carte"]
    if stacked:
        base = stacked[0].yshift or 0  # below the legend, when the legend is under the map
        for index, annotation in enumerate(stacked):
            annotation.yshift = base - (size + 6) * index
        fig.update_layout(margin={"b": int(6 - base + (size + 6) * len(stacked))})
    fig.update_xaxes(tickfont={"size": size}, title={"font": {"size": size}})
    fig.update_yaxes(tickfont={"size": size}, title={"font": {"size": size}})
    for trace in fig.data:
        if hasattr(trace, "textfont"):
            trace.textfont.size = size
        colorbar = getattr(trace, "colorbar", None)
        if colorbar is not None and trace.type in ("choropleth", "heatmap", "contour"):
            colorbar.tickfont.size = size
            colorbar.title.font.size = size
        if hasattr(trace, "marker") and getattr(trace.marker, "colorbar", None) is not None \
                and trace.marker.showscale:
            trace.marker.colorbar.tickfont.size = size
    return fig
