"""The RELIEF plotly template: French number separators, colour-blind-safe colours, A4-sized figures.

Every report figure uses this template (``use_offline_renderer`` in :mod:`relief_analytics.figures.render`
registers it and makes it the default), so charts never set colours or fonts one by one.
"""

from __future__ import annotations

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


def register_relief_template(*, make_default: bool = True) -> None:
    """Register the template as ``"relief"`` in ``plotly.io.templates`` (and make it the default)."""
    pio.templates[TEMPLATE_NAME] = build_relief_template()
    if make_default:
        pio.templates.default = TEMPLATE_NAME
