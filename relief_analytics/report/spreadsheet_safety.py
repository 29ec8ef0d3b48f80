"""Keep spreadsheet cells inert: the report builder's name for :mod:`relief_analytics.safety`.

The rules live in :mod:`relief_analytics.safety`, shared with the open-data export and the
templates (layers below ``report``); this module re-exports them for the report writers.
"""

from __future__ import annotations

from relief_analytics.safety import (  # noqa: F401 - re-exported
    FORMULA_PREFIXES,
    FORMULA_SIGNS,
    is_formula_like,
    make_workbook_inert,
    neutralise_cell,
    neutralise_frame,
    write_excel_csv,
)
