"""Display of the narrative check in the compte rendu's draft (runs in the kernel).

The figures of the bilan qualitatif that the data contradict (the ``narrative_mismatches``
table, :func:`relief_analytics.indicators.narrative.narrative_mismatches`) are listed in the
draft, beside what is missing, each sentence quoting both the bilan and the data.
"""

from __future__ import annotations

import html

import pandas as pd

from relief_analytics.display.blocks import Html


def narrative_notice(mismatches: pd.DataFrame, *, year: int) -> Html | None:
    """The draft's list of the bilan's figures that the data contradict (None when none does).

    Examples
    --------
    >>> frame = pd.DataFrame({"message": ["Bilan qualitatif 2025, ligne 3 : le bilan dit « plus "
    ...     "de 999 lieux », les données en comptent 151 (lieux ouverts fin 2025)."]})
    >>> "plus de 999 lieux" in str(narrative_notice(frame, year=2025))
    True
    >>> narrative_notice(frame.head(0), year=2025) is None
    True
    """
    if mismatches.empty:
        return None
    listed = "".join(f"<li>{html.escape(str(message))}</li>" for message in mismatches["message"])
    count = len(mismatches)
    figures = "chiffre cité contredit" if count == 1 else "chiffres cités contredisent"
    return Html(
        f"<div class='avertissement recit-contredit' role='alert'><p><strong>⚠ Bilan qualitatif "
        f"{year} :</strong> {count} {figures} les données. Corrigez le bilan "
        f"(bilan_qualitatif_{year}.md) ou les données avant d'envoyer le compte rendu :</p>"
        f"<ul>{listed}</ul></div>")
