"""Comparison with the national census (figures and source from the dataset configuration)."""

from __future__ import annotations

import pandas as pd


def compare_with_national(*, lieux_count: int, context: dict, region_name: str) -> pd.DataFrame:
    r"""The network's count of open lieux beside the national census figures.

    Grain: one row per indicator. ``context`` is the ``[contexte]`` section of config.toml
    (``tiers_lieux_france``, ``part_region``, ``source``); missing keys give no row.

    Examples
    --------
    >>> compare_with_national(lieux_count=150, context={"tiers_lieux_france": 3500, "part_region": 0.13,
    ...     "source": "FTL 2023"}, region_name="AURA")["Valeur"].tolist()
    ['3\u202f500', '455', '150']
    """
    from relief_analytics.formatting import format_number

    rows = []
    total = context.get("tiers_lieux_france")
    share = context.get("part_region")
    source = context.get("source", "")
    if total:
        rows.append({"Indicateur": "Tiers-lieux recensés en France", "Valeur": format_number(total), "Source": source})
    if total and share:
        rows.append({
            "Indicateur": f"Estimation pour la région {region_name} ({format_number(share * 100)} % du total)",
            "Valeur": format_number(round(total * share)), "Source": source,
        })
    rows.append({"Indicateur": "Lieux ouverts recensés par le réseau", "Valeur": format_number(lieux_count),
                 "Source": "données du réseau"})
    return pd.DataFrame(rows, columns=["Indicateur", "Valeur", "Source"])
