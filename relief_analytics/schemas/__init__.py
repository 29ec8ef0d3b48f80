"""The data contract: pandera models of every table (see :mod:`.tables`)."""

from relief_analytics.schemas._base import KIND_LABELS_FR, column_specs
from relief_analytics.schemas.tables import (
    OPTIONAL_TABLES,
    PERSONAL_TABLES,
    TABLE_GRAINS_FR,
    TABLE_LABELS_FR,
    TABLES,
    Adhesions,
    Budget,
    Contributions,
    Evenements,
    ExplicationsEcarts,
    Gouvernance,
    Lieux,
)

__all__ = [
    "KIND_LABELS_FR", "column_specs", "OPTIONAL_TABLES", "PERSONAL_TABLES", "TABLE_GRAINS_FR", "TABLE_LABELS_FR",
    "TABLES", "Adhesions", "Budget", "Contributions", "Evenements", "ExplicationsEcarts",
    "Gouvernance", "Lieux",
]
