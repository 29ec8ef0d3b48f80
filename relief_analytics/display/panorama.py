"""Display of the panorama (the network's lieux beside the national census), in the kernel.

Each table shows the regional column and the national one beside it; a national figure that
``config.toml`` does not give reads « non renseigné » (never 0), and the sentence under the
table states its base, source and date (the ``panorama_bases`` table of the context, built by
:func:`relief_analytics.indicators.national.panorama_base`).
"""

from __future__ import annotations

import pandas as pd

from relief_analytics import formatting
from relief_analytics.display.blocks import NOT_PROVIDED, Html, french_table, note
from relief_analytics.indicators.units import unit_of


def _national_cells(values: pd.Series, unit: str) -> pd.Series:
    return values.map(lambda v: NOT_PROVIDED if formatting.is_missing(v)
                      else formatting.format_value(v, unit)).astype(object)


def panorama_table(table: pd.DataFrame, *, base: str, caption: str) -> Html:
    """One panorama table with its national columns and, under it, its base sentence.

    ``table`` is a ``panorama_*`` table of the context; ``base`` its ``base_sentence``
    (``ctx.table("panorama_bases")``, one row per panorama table).

    Examples
    --------
    >>> frame = pd.DataFrame({"typology": ["Fablab"], "lieux_count": [3], "lieux_share": [0.5],
    ...     "national_lieux_share": [float("nan")]})
    >>> body = str(panorama_table(frame, base="Base : 6 lieux.", caption="Typologies"))
    >>> "non renseigné" in body and "Base : 6 lieux." in body
    True
    """
    shown = table.copy()
    national = [c for c in shown.columns if c.startswith("national_")]
    for column in national:
        shown[column] = _national_cells(shown[column], unit_of(column))
    body = french_table(shown, caption=caption, numeric_columns=tuple(national)).body
    return Html(f"<div class='panorama'>{body}{note(base).body}</div>")
