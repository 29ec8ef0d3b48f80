"""What the compte rendu financier still lacks before it can be sent to the funder.

Read on both sides of the build: the builder refuses the final document while
:func:`missing_items` lists anything (before any kernel starts), and the notebook lists the same
sentences in the draft. Pure: the typed ``[subvention]`` settings and the gaps table in, French
sentences out. The six-month deadline (:func:`deadline_warning`) is a warning, not a missing
item: it is computed against a date passed in, never against a clock.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Sequence

import pandas as pd

from relief_analytics import formatting
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


#: The compte rendu is sent within this many months after the end of the financial year.
DEADLINE_MONTHS = 6


def financial_year_end(subsidy: SubsidySettings, *, year: int) -> dt.date:
    """End of the financial year of the subsidy: ``[subvention] periode_fin``, else 31 December."""
    return subsidy.period_end or dt.date(int(year), 12, 31)


def months_after(day: dt.date, months: int) -> dt.date:
    """``day`` plus ``months`` calendar months; the last day of a month stays a month end.

    Examples
    --------
    >>> months_after(dt.date(2025, 12, 31), 6), months_after(dt.date(2025, 8, 31), 6)
    (datetime.date(2026, 6, 30), datetime.date(2026, 2, 28))
    >>> months_after(dt.date(2025, 3, 15), 6)
    datetime.date(2025, 9, 15)
    """
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    last = calendar.monthrange(year, month)[1]
    month_end = day.day == calendar.monthrange(day.year, day.month)[1]
    return dt.date(year, month, last if month_end else min(day.day, last))


def submission_deadline(subsidy: SubsidySettings, *, year: int) -> dt.date:
    """Last day to send the compte rendu: six months after the end of the financial year."""
    return months_after(financial_year_end(subsidy, year=year), DEADLINE_MONTHS)


def deadline_warning(subsidy: SubsidySettings, *, year: int, today: dt.date) -> str | None:
    """A French warning when ``today`` is past the six-month deadline, else ``None``.

    ``today`` is the build date, passed in by the caller (the builder, the notebook's
    ``date_construction`` parameter): this function reads no clock. The deadline day itself is
    still on time.

    Examples
    --------
    >>> subsidy = SubsidySettings(periode_fin=dt.date(2025, 12, 31))
    >>> deadline_warning(subsidy, year=2025, today=dt.date(2026, 6, 30)) is None
    True
    >>> print(deadline_warning(subsidy, year=2025, today=dt.date(2026, 7, 1)))
    Délai dépassé : le compte rendu financier 2025 devait être envoyé au plus tard le 30 juin 2026, six mois après la fin de l'exercice (31 décembre 2025) ; nous sommes le 1er juillet 2026. Envoyez-le au plus vite au financeur, avec le rapport d'activité et les comptes approuvés.
    """
    deadline = submission_deadline(subsidy, year=year)
    if today <= deadline:
        return None
    end = financial_year_end(subsidy, year=year)
    return (f"Délai dépassé : le compte rendu financier {int(year)} devait être envoyé au plus tard "
            f"le {formatting.format_date(deadline)}, six mois après la fin de l'exercice "
            f"({formatting.format_date(end)}) ; nous sommes le {formatting.format_date(today)}. "
            "Envoyez-le au plus vite au financeur, avec le rapport d'activité et les comptes "
            "approuvés.")
