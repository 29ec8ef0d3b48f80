"""The tables of the XLSX export: one sheet per table, French sheet names and headers.

:func:`workbook_tables` only computes; writing the workbook belongs to the export module.
Values stay numbers (a spreadsheet user sums them): amounts in euros, hours, counts;
ratio columns are converted to percentages (15.3 under a header ending in ``(%)``);
yes/no columns read ``oui`` / ``non``; only counts and amounts appear, never a member id.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from relief_analytics.indicators.budget import (
    ROW_KIND_LABELS_FR,
    attach_explanations,
    cerfa_table,
    significant_gaps,
)
from relief_analytics.indicators.events import events_by_year
from relief_analytics.indicators.labels import is_ratio_column, to_french
from relief_analytics.indicators.lieux import lieux_by_departement
from relief_analytics.indicators.membership import membership_by_year
from relief_analytics.indicators.volunteering import (
    hourly_rate_for_year,
    volunteering_by_commission,
    volunteering_by_year,
)
from relief_analytics.load.errors import DataError

SHEET_CERFA = "Compte rendu financier"
SHEET_GAPS = "Écarts significatifs"
SHEET_MEMBERSHIP = "Adhésions"
SHEET_EVENTS = "Événements"
SHEET_LIEUX = "Lieux par département"
SHEET_VOLUNTEERING = "Bénévolat"

#: Label of the total row of the volunteering sheet.
TOTAL_LABEL = "Total"

EXPLANATION_COLUMNS = ["year", "account_code", "explanation"]


def for_workbook(frame: pd.DataFrame) -> pd.DataFrame:
    """Prepare an indicator table for a sheet: percentages, oui/non, French headers.

    Ratio columns (see :func:`~relief_analytics.indicators.labels.is_ratio_column`) become
    percentages rounded to 0.1; ``is_*`` columns become ``oui`` / ``non``; ``row_kind`` values
    are translated; headers are French.

    Examples
    --------
    >>> for_workbook(pd.DataFrame({"gap_ratio": [0.1534]})).to_dict("list")
    {'Écart (%)': [15.3]}
    """
    out = frame.copy()
    for column in out.columns:
        if is_ratio_column(column):
            out[column] = (out[column].astype("float64") * 100).round(1)
        elif column.startswith("is_"):
            out[column] = out[column].map({True: "oui", False: "non"}).astype("str")
        elif column == "row_kind":
            out[column] = out[column].map(ROW_KIND_LABELS_FR).astype("str")
    return to_french(out)


def _threshold(subsidy: dict[str, Any], key: str) -> float:
    try:
        return float(subsidy[key])
    except (KeyError, TypeError, ValueError):
        raise DataError(
            f"Seuil d'écart significatif manquant ou invalide : renseignez « {key} » (un nombre) "
            f"dans la section [subvention] du fichier config.toml."
        ) from None


def _explanations(dataset: Any) -> pd.DataFrame:
    table = getattr(dataset, "explications_ecarts", None)
    if table is None or table.empty:
        return pd.DataFrame({"year": pd.array([], dtype="Int64"),
                             "account_code": pd.Series([], dtype="str"),
                             "explanation": pd.Series([], dtype="str")})
    return table[EXPLANATION_COLUMNS]


def volunteering_sheet(contributions: pd.DataFrame, *, hourly_rates, year: int,
                       commissions=None) -> pd.DataFrame:
    """Volunteering of ``year`` per commission, then a ``Total`` row (English headers).

    Grain: one row per commission, plus the total of the year (its contributors are counted
    once even when they gave time to several commissions).
    """
    per_commission = volunteering_by_commission(
        contributions, hourly_rates=hourly_rates, year=year, commissions=commissions)
    total = volunteering_by_year(contributions, hourly_rates=hourly_rates,
                                 first_year=year, last_year=year)
    total = total.drop(columns="year").assign(commission=TOTAL_LABEL)[per_commission.columns]
    return pd.concat([per_commission, total], ignore_index=True)


def workbook_tables(dataset: Any, year: int) -> dict[str, pd.DataFrame]:
    """Compute every sheet of the XLSX export of ``year``: sheet name → table (French headers).

    ``dataset`` is what :func:`relief_analytics.load.load_dataset` returns (only its
    ``config`` and table attributes are used). Sheets, in order:

    - « Compte rendu financier »: :func:`~relief_analytics.indicators.budget.cerfa_table`
      of the year, with 864/870 valued from the year's volunteer hours and hourly rate;
    - « Écarts significatifs »: its lines above both thresholds of ``[subvention]``
      (``seuil_ecart_pct``, ``seuil_ecart_eur``) with the users' explanations;
    - « Adhésions », « Événements »: year series from ``premiere_annee`` to ``year``;
    - « Lieux par département »: the current lieux table by département;
    - « Bénévolat »: hours, contributors and valuation of ``year`` per commission, and total.

    Raises
    ------
    DataError
        Missing hourly rate or threshold in the configuration, no budget line for ``year``,
        unbalanced 86/87 lines (French messages).
    """
    config = dataset.config
    lists = config.lists
    first_year = config.first_year
    hourly_rate = hourly_rate_for_year(config.hourly_rates, year)

    volunteering = volunteering_sheet(
        dataset.contributions, hourly_rates=config.hourly_rates, year=year,
        commissions=lists.get("commissions"))
    volunteer_hours = float(volunteering["volunteer_hours"].iloc[-1])
    cerfa = cerfa_table(dataset.budget, year=year, volunteer_hours=volunteer_hours,
                        hourly_rate=hourly_rate)
    gaps = significant_gaps(
        cerfa,
        pct_threshold=_threshold(config.subsidy, "seuil_ecart_pct"),
        eur_threshold=_threshold(config.subsidy, "seuil_ecart_eur"),
    )
    gaps = attach_explanations(gaps, _explanations(dataset))

    cerfa_columns = ["section", "class_label", "account_code", "account_label", "funder",
                     "row_kind", "planned_eur", "realised_eur", "gap_eur", "gap_ratio"]
    gap_columns = ["account_code", "account_label", "funder", "planned_eur", "realised_eur",
                   "gap_eur", "gap_ratio", "explanation", "is_explanation_missing"]
    tables = {
        SHEET_CERFA: cerfa[cerfa_columns],
        SHEET_GAPS: gaps[gap_columns],
        SHEET_MEMBERSHIP: membership_by_year(
            dataset.adhesions, valid_statuses=lists["statuts_commande_valides"],
            first_year=first_year, last_year=year),
        SHEET_EVENTS: events_by_year(dataset.evenements, first_year=first_year, last_year=year),
        SHEET_LIEUX: lieux_by_departement(dataset.lieux),
        SHEET_VOLUNTEERING: volunteering,
    }
    return {name: for_workbook(table) for name, table in tables.items()}
