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


def panorama_table(table: pd.DataFrame, *, base: str, caption: str, total_row: bool = False) -> Html:
    """One panorama table with its national columns and, under it, its base sentence.

    ``table`` is a ``panorama_*`` table of the context; ``base`` its ``base_sentence``
    (``ctx.table("panorama_bases")``, one row per panorama table); ``total_row`` shows the last
    row as a total (« Hors métropole (ensemble) », « Ensemble de la région »).

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
    body = french_table(shown, caption=caption, numeric_columns=tuple(national),
                        highlight_last_row=total_row).body
    return Html(f"<div class='panorama'>{body}{note(base).body}</div>")


def panorama_highlights(
    territory: pd.DataFrame, legal_forms: pd.DataFrame, density: pd.DataFrame, *, base: str,
    region: str,
) -> Html:
    """Three lines of the panorama, the region beside France (the AG slide), and their base.

    The share of lieux outside the métropoles (last row of ``panorama_by_territory``), the share
    carried by an association (``panorama_by_legal_form``) and the density of the whole region
    (last row of ``panorama_density``). A national figure that config does not give reads
    « non renseigné ».

    Examples
    --------
    >>> territory = pd.DataFrame({"territory": ["Hors métropole (ensemble)"], "lieux_share": [0.58],
    ...     "national_lieux_share": [0.62]})
    >>> legal = pd.DataFrame({"legal_form_family": ["Association"], "lieux_share": [0.42],
    ...     "national_lieux_share": [float("nan")]})
    >>> density = pd.DataFrame({"lieux_per_100k": [1.9], "national_lieux_per_100k": [5.1]})
    >>> body = str(panorama_highlights(territory, legal, density, base="Base.", region="AURA"))
    >>> [cell for cell in ("58\xa0%", "62\xa0%", "non renseigné", "1,9", "5,1") if cell not in body]
    []
    """
    association = legal_forms[legal_forms["legal_form_family"] == "Association"]
    rows = [
        ("Lieux hors des métropoles", territory["lieux_share"].iloc[-1],
         territory["national_lieux_share"].iloc[-1], "ratio"),
        ("Lieux portés par une association",
         association["lieux_share"].iloc[0] if len(association) else float("nan"),
         association["national_lieux_share"].iloc[0] if len(association) else float("nan"), "ratio"),
        ("Lieux pour 100 000 habitants", density["lieux_per_100k"].iloc[-1],
         density["national_lieux_per_100k"].iloc[-1], "density"),
    ]
    frame = pd.DataFrame({
        "Indicateur": [label for label, *_ in rows],
        region: [formatting.format_value(value, unit) for _, value, _, unit in rows],
        "France": [NOT_PROVIDED if formatting.is_missing(national) else
                   formatting.format_value(national, unit) for _, _, national, unit in rows],
    })
    body = french_table(frame, numeric_columns=(region, "France")).body
    return Html(f"<div class='panorama'>{body}{note(base).body}</div>")
