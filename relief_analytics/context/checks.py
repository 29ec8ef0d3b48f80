"""Checks of a loaded dataset against a report year, shared by ``relief valider`` and the build.

In the context layer: it reads the loaded tables and the hourly-rate rule of the indicators.
"""

from __future__ import annotations

import pandas as pd

#: Dated column of each table, and the French words used to say "none of them".
YEAR_COLUMNS = {
    "adhesions": ("membership_year", "aucune adhésion"),
    "evenements": ("start_date", "aucun événement"),
    "contributions": ("contribution_date", "aucune contribution bénévole"),
    "budget": ("year", "aucune ligne de budget"),
}


def rows_of_year(dataset, year: int) -> dict[str, int]:
    """Number of accepted rows of ``year`` in each dated table (grain: one entry per table).

    Tables whose file is absent (``missing_tables``) are left out.
    """
    return {table: int((years == int(year)).sum()) for table, years in _years_by_table(dataset)}


def _years_by_table(dataset):
    """``(table, year of each accepted row)`` for each dated table whose file is present."""
    for table, (column, _) in YEAR_COLUMNS.items():
        if table in dataset.missing_tables:
            continue
        values = dataset.tables[table][column]
        yield table, (values.dt.year if pd.api.types.is_datetime64_any_dtype(values)
                      else pd.to_numeric(values, errors="coerce"))


def check_year(dataset, year: int) -> list[str]:
    """French problems that stop the reports of ``year``, most fundamental first.

    1. No data at all for the year (no membership, event, contribution or budget line):
       « Aucune donnée pour 2030 … ».
    2. No volunteer hourly rate for the year in ``config.toml``.

    Returns an empty list when the year can be reported on.
    """
    from relief_analytics.indicators.volunteering import (
        MissingHourlyRateError,
        hourly_rate_for_year,
    )

    problems: list[str] = []
    counts = rows_of_year(dataset, year)
    if counts and not any(counts.values()):
        years = sorted(_years_with_data(dataset))
        known = (
            f" Années présentes dans les données : {', '.join(str(y) for y in years)}." if years else ""
        )
        problems.append(
            f"Aucune donnée pour {int(year)} : {', '.join(words for _, words in YEAR_COLUMNS.values())} "
            f"de cette année dans les fichiers.{known} Vérifiez l'année demandée (--annee) ; "
            f"la première année du réseau est {dataset.config.first_year}."
        )
    if "contributions" not in dataset.missing_tables:
        try:
            hourly_rate_for_year(dataset.config.hourly_rates, year)
        except MissingHourlyRateError as exc:
            problems.append(str(exc))
    return problems


def _years_with_data(dataset) -> set[int]:
    return {int(y) for _, years in _years_by_table(dataset) for y in years.dropna().unique()}
