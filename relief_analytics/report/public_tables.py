"""The year's public tables as files, beside the reports: ``reports/<année>/donnees/``.

Every catalogue table that holds no person's data (:attr:`TableSpec.public`) and that the build
computed is written as a CSV a volunteer opens in a spreadsheet (French headers from the
catalogue, ``;`` separator, decimal comma, UTF-8 with BOM, ISO dates, ``oui``/``non``, ratios
as percentages since their header says ``(%)``, text cells kept inert), plus a Parquet file with
the English column names and raw values when ``pyarrow`` is installed (it is not a dependency).
``facts.json`` holds the year's scalars. The public site reads these files without re-running
the resolver.
"""

from __future__ import annotations

import dataclasses
import importlib.util
import json
from pathlib import Path

import pandas as pd

from relief_analytics.context.catalogue import CATALOGUE, TableSpec
from relief_analytics.report.tables import for_workbook
from relief_analytics.safety import neutralise_frame

#: Folder of the public tables, inside the year's reports folder.
PUBLIC_DIRNAME = "donnees"

#: Name of the scalars' file.
FACTS_NAME = "facts.json"


def parquet_available() -> bool:
    """True when ``pyarrow`` can be imported (Parquet files are then written too)."""
    return importlib.util.find_spec("pyarrow") is not None


def public_frame(frame: pd.DataFrame, spec: TableSpec) -> pd.DataFrame:
    """The table as a spreadsheet shows it: French headers, ratios ×100, ``oui``/``non``,
    the CERFA row kinds in French (:func:`~relief_analytics.report.tables.for_workbook`).

    Grain: that of ``frame`` (same rows, same order).

    >>> from relief_analytics.context.catalogue import TABLES
    >>> frame = pd.DataFrame({"typology": ["Fablab"], "lieux_count": [3], "lieux_share": [0.25]})
    >>> public_frame(frame, TABLES["lieux_by_typology"]).to_dict("records")
    [{'Typologie': 'Fablab', 'Lieux': 3, 'Part des lieux (%)': 25.0}]
    """
    columns = {c.name: c for c in spec.columns}
    out = for_workbook(frame)
    for name in out.columns:
        column = columns.get(name)
        values = out[name]
        if pd.api.types.is_bool_dtype(values):
            out[name] = values.map({True: "oui", False: "non"}).astype("object")
        elif column is not None and column.unit == "ratio":
            out[name] = values.astype("Float64") * 100
    headers = [columns[name].label if name in columns else name for name in out.columns]
    if len(set(headers)) < len(headers):  # two fields sharing a header keep their names
        headers = list(out.columns)
    out.columns = headers
    return out


def write_public_tables(context, folder: Path, *, parquet: bool | None = None) -> list[Path]:
    """Write the context's public tables and ``facts.json`` into ``folder``; return the files.

    Parameters
    ----------
    context : relief_analytics.context.YearContext
        The year context of the build (only the tables it computed are written).
    folder : Path
        ``reports/<année>/donnees`` (created when missing).
    parquet : bool, optional
        Also write Parquet files; default: when ``pyarrow`` is installed.
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    parquet = parquet_available() if parquet is None else parquet
    written = []
    for spec in CATALOGUE:
        if not spec.public or spec.name not in context.tables:
            continue
        frame = context.tables[spec.name]
        path = folder / f"{spec.name}.csv"
        neutralise_frame(public_frame(frame, spec)).to_csv(
            path, sep=";", decimal=",", index=False, encoding="utf-8-sig",
            date_format="%Y-%m-%d", float_format="%.10g")
        written.append(path)
        if parquet:
            written.append(folder / f"{spec.name}.parquet")
            frame.to_parquet(written[-1], index=False)
    facts = dataclasses.asdict(context.facts) if context.facts is not None else {}
    facts_path = folder / FACTS_NAME
    facts_path.write_text(json.dumps(facts, ensure_ascii=False, indent=2, sort_keys=True) + "\n",
                          encoding="utf-8")
    written.append(facts_path)
    return written
