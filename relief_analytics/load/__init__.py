"""Loading: read → map headers → pseudonymise → coerce → validate → return (see docs/architecture.md)."""

from relief_analytics.load.config import DatasetConfig, read_config
from relief_analytics.load.dataset import Dataset, load_dataset, load_table
from relief_analytics.load.errors import DataError

__all__ = ["DataError", "Dataset", "DatasetConfig", "load_dataset", "load_table", "read_config"]
