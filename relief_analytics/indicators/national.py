"""Comparison with the national census (figures and source from the dataset configuration)."""

from __future__ import annotations

import pandas as pd

from relief_analytics.formatting import format_value


def national_comparison(*, open_lieux_count: int, context: dict, region_name: str) -> pd.DataFrame:
    """The network's count of open lieux beside the national census figures.

    Grain: one row per indicator: ``indicator`` (French label), ``lieux_count``, ``source``.
    ``context`` is the ``[contexte]`` section of config.toml (``tiers_lieux_france``,
    ``part_region``, ``source``); missing keys give no row. Numbers stay numbers: the display
    formats them.

    Examples
    --------
    >>> national_comparison(open_lieux_count=150, context={"tiers_lieux_france": 3500,
    ...     "part_region": 0.13, "source": "FTL 2023"}, region_name="AURA")["lieux_count"].tolist()
    [3500, 455, 150]
    """
    rows = []
    total = context.get("tiers_lieux_france")
    share = context.get("part_region")
    source = str(context.get("source", ""))
    if total:
        rows.append({"indicator": "Tiers-lieux recensés en France", "lieux_count": int(total),
                     "source": source})
    if total and share:
        rows.append({
            "indicator": f"Estimation pour la région {region_name} "
                         f"({format_value(float(share), 'ratio')} du total)",
            "lieux_count": int(round(float(total) * float(share))), "source": source,
        })
    rows.append({"indicator": "Lieux ouverts recensés par le réseau",
                 "lieux_count": int(open_lieux_count), "source": "données du réseau"})
    return pd.DataFrame(rows, columns=["indicator", "lieux_count", "source"]).astype(
        {"lieux_count": "Int64"})
