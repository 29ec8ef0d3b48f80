"""Indicators: pure functions, frames in, frames out (no I/O, no printing).

Each function's docstring states its grain and its definitions. Column names are English with
their unit; :func:`relief_analytics.indicators.labels.to_french` gives the French headers.

Modules: :mod:`.membership` (adhésions), :mod:`.events` (événements), :mod:`.lieux`,
:mod:`.volunteering` (bénévolat), :mod:`.governance`, :mod:`.budget` (compte rendu financier,
CERFA n°15059), :mod:`.series` (N vs N-1), :mod:`.labels` (French headers),
:mod:`.departements` (département codes),
:mod:`.distribution` (counts on resolved communes), :mod:`.units` (unit of each column).
"""

from relief_analytics.indicators.budget import (
    BudgetError,
    attach_explanations,
    cerfa_table,
    significant_gaps,
    subsidies_by_funder,
)
from relief_analytics.indicators.events import (
    events_by_attendance_mode,
    events_by_commission,
    events_by_kind,
    events_by_month,
    events_by_year,
)
from relief_analytics.indicators.governance import copilotes_by_commission, governance_by_year
from relief_analytics.indicators.labels import COLUMN_LABELS_FR, french_label, to_french
from relief_analytics.indicators.lieux import (
    lieux_by_legal_status,
    lieux_by_membership,
    lieux_by_state,
    lieux_by_typology,
    lieux_by_year,
)
from relief_analytics.indicators.membership import (
    amount_distribution,
    filter_valid_adhesions,
    members_by_departement,
    membership_by_year,
)
from relief_analytics.indicators.series import compare_years
from relief_analytics.indicators.volunteering import (
    MissingHourlyRateError,
    hourly_rate_for_year,
    volunteering_by_commission,
    volunteering_by_year,
)

__all__ = [
    "BudgetError", "attach_explanations", "cerfa_table", "significant_gaps", "subsidies_by_funder",
    "events_by_attendance_mode", "events_by_commission", "events_by_kind", "events_by_month",
    "events_by_year", "copilotes_by_commission", "governance_by_year", "COLUMN_LABELS_FR",
    "french_label", "to_french", "lieux_by_legal_status",
    "lieux_by_membership", "lieux_by_state", "lieux_by_typology", "lieux_by_year",
    "amount_distribution", "filter_valid_adhesions", "members_by_departement",
    "membership_by_year", "compare_years", "MissingHourlyRateError", "hourly_rate_for_year",
    "volunteering_by_commission", "volunteering_by_year",
]
