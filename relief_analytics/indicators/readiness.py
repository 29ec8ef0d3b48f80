"""What the compte rendu financier still lacks before it can be sent to the funder.

Read on both sides of the build: the builder refuses the final document while
:func:`missing_items` lists anything (before any kernel starts), and the notebook lists the same
sentences in the draft. Pure: the typed ``[subvention]`` settings and the gaps table in, French
sentences out.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from relief_analytics.load.config_model import SubsidySettings


def missing_items(
    subsidy: SubsidySettings, gaps: pd.DataFrame, *, qualitative_review: str, year: int,
    narrative: Sequence[str] = (),
) -> list[str]:
    """What the compte rendu still lacks before it can be sent, one French sentence each.

    The identification and references of ``[subvention]`` (rules in
    :meth:`~relief_analytics.load.config_model.SubsidySettings.missing_items`), the qualitative
    review of ``year``, a bilan whose figures agree with the data (``narrative``: the messages
    of the ``narrative_mismatches`` table, one per contradicted figure, see
    :func:`~relief_analytics.indicators.narrative.narrative_mismatches`), and an explanation for
    each significant gap (``gaps``: output of
    :func:`~relief_analytics.indicators.budget.attach_explanations`, one row per gap).

    Examples
    --------
    >>> gaps = pd.DataFrame({"account_code": ["743"], "account_label": ["Subvention Département"],
    ...     "is_explanation_missing": [True]})
    >>> subsidy = SubsidySettings(association={"rna": "123"})
    >>> items = missing_items(subsidy, gaps, qualitative_review="", year=2025)
    >>> print(*items[:2], items[-1], sep="\\n")
    Identification de l'association : « Nom de l'association » manque.
    Identification de l'association : « Numéro RNA » vaut « 123 », attendu : W suivi de 9 chiffres.
    Écart significatif du compte 743 (Subvention Département) : aucune explication.
    """
    items = subsidy.missing_items()
    if not qualitative_review.strip():
        items.append(f"Bilan qualitatif : le fichier bilan_qualitatif_{year}.md manque ou est vide.")
    items += [str(message) for message in narrative]
    if len(gaps) and "is_explanation_missing" in gaps:
        for rec in gaps[gaps["is_explanation_missing"].astype(bool)].itertuples(index=False):
            items.append(f"Écart significatif du compte {rec.account_code} ({rec.account_label}) : "
                         f"aucune explication.")
    return items
