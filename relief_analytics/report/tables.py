"""The sheets of the yearly XLSX workbook, read from the year context (nothing recomputed).

:func:`workbook_tables` only selects and shapes; :mod:`relief_analytics.report.xlsx` writes,
applying French headers and number formats from each column's unit. Values stay numbers (a
spreadsheet user sums them); yes/no columns read ``oui`` / ``non``; only counts and amounts
appear, never a member id.
"""

from __future__ import annotations

import pandas as pd

from relief_analytics.indicators.budget import ROW_KIND_LABELS_FR

SHEET_CERFA = "Compte rendu financier"
SHEET_GAPS = "Écarts significatifs"
SHEET_MEMBERSHIP = "Adhésions"
SHEET_EVENTS = "Événements"
SHEET_LIEUX = "Lieux par département"
SHEET_TYPOLOGIES = "Lieux par typologie"
SHEET_VOLUNTEERING = "Bénévolat"
SHEET_LIEUX_LIST = "Liste des lieux"

#: Label of the total row of the volunteering sheet.
TOTAL_LABEL = "Total"

CERFA_COLUMNS = ["section", "class_label", "account_code", "account_label", "funder",
                 "row_kind", "planned_eur", "realised_eur", "gap_eur", "gap_ratio"]
GAP_COLUMNS = ["account_code", "account_label", "funder", "planned_eur", "realised_eur",
               "gap_eur", "gap_ratio", "explanation", "is_explanation_missing"]


def for_workbook(frame: pd.DataFrame) -> pd.DataFrame:
    """Prepare a table for a sheet: ``is_*`` columns read oui/non, ``row_kind`` in French.

    Examples
    --------
    >>> for_workbook(pd.DataFrame({"is_explanation_missing": [True]})).to_dict("list")
    {'is_explanation_missing': ['oui']}
    """
    out = frame.copy()
    for column in out.columns:
        if column.startswith("is_"):
            out[column] = out[column].map({True: "oui", False: "non"}).astype("str")
        elif column == "row_kind":
            out[column] = out[column].map(ROW_KIND_LABELS_FR).astype("str")
    return out


def volunteering_sheet(context) -> pd.DataFrame:
    """Volunteering of the year per commission, then a ``Total`` row (the year's series row).

    Grain: one row per commission, plus the total of the year (its contributors are counted
    once even when they gave time to several commissions).
    """
    per_commission = context.table("volunteering_by_commission")
    by_year = context.table("volunteering_by_year")
    total = by_year[by_year["year"] == context.year].drop(columns="year")
    total = total.assign(commission=TOTAL_LABEL)[per_commission.columns]
    return pd.concat([per_commission, total], ignore_index=True)


def workbook_tables(context) -> dict[str, pd.DataFrame]:
    """Every sheet of the XLSX export of the context's year: sheet name → table.

    Sheets, in order: « Compte rendu financier » (the CERFA table of the year), « Écarts
    significatifs » (with the users' explanations), « Adhésions », « Événements » (year
    series), « Lieux par département » and « Lieux par typologie » (lieux open at the end of the
    year, placed in the region), « Bénévolat » (per commission and total), « Liste des lieux »
    (the public open-data table of the region's lieux, :func:`relief_analytics.indicators.public_lieux.lieux_open_data`).
    """
    tables = {
        SHEET_CERFA: context.table("cerfa")[CERFA_COLUMNS],
        SHEET_GAPS: context.table("cerfa_gaps")[GAP_COLUMNS],
        SHEET_MEMBERSHIP: context.table("membership_by_year"),
        SHEET_EVENTS: context.table("events_by_year"),
        SHEET_LIEUX: context.table("lieux_by_departement"),
        SHEET_TYPOLOGIES: context.table("lieux_by_typology"),
        SHEET_VOLUNTEERING: volunteering_sheet(context),
        SHEET_LIEUX_LIST: context.table("lieux_open_data"),
    }
    return {name: for_workbook(table) for name, table in tables.items()}
