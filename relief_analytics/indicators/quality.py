"""Data-quality indicators: what the volunteer fixing the spreadsheets needs to see.

All functions are pure; they take processed tables (and the loader's issues/summary frames)
and return small frames with French column headers, ready to display.
"""

from __future__ import annotations

import pandas as pd

from relief_analytics.geo.resolve import STATUSES
from relief_analytics.schemas import TABLE_LABELS_FR, column_specs
from relief_analytics.schemas import TABLES as MODELS
from relief_analytics.text import code_key, map_unique


def reads_summary(summary: pd.DataFrame) -> pd.DataFrame:
    """Lines read / accepted / rejected per file, plus a total row.

    Grain: one row per input file, then one total row. ``Lues = Acceptées + Rejetées``.
    """
    out = summary.rename(columns={
        "table": "Table", "file_name": "Fichier", "read_count": "Lues", "accepted_count": "Acceptées",
        "rejected_count": "Rejetées", "remark": "Remarque",
    }).copy()
    out["Table"] = out["Table"].map(TABLE_LABELS_FR).fillna(out["Table"])
    total = pd.DataFrame([{
        "Table": "Total", "Fichier": "", "Lues": out["Lues"].sum(),
        "Acceptées": out["Acceptées"].sum(), "Rejetées": out["Rejetées"].sum(),
    }])
    return pd.concat([out, total], ignore_index=True)


def issue_list(issues: pd.DataFrame) -> pd.DataFrame:
    """Every problem, sorted by file and line, with French headers.

    Grain: one row per problem (a row may have several).
    """
    out = issues.sort_values(["file_name", "line_number"], kind="stable").rename(columns={
        "file_name": "Fichier", "line_number": "Ligne", "column_name": "Colonne", "cell_value": "Valeur", "rule": "Règle",
    })
    out["Ligne"] = out["Ligne"].astype(str)  # a line number, shown without thousands separator
    return out.drop(columns=["table"]).reset_index(drop=True)


def issues_by_rule(issues: pd.DataFrame) -> pd.DataFrame:
    """Number of problems per file, column and rule.

    Grain: one row per (file_name, column_name, rule), most frequent first.
    """
    if issues.empty:
        return pd.DataFrame(columns=["Fichier", "Colonne", "Règle", "Problèmes"])
    counts = issues.groupby(["file_name", "column_name", "rule"], as_index=False).size()
    counts = counts.sort_values(["size", "file_name"], ascending=[False, True], kind="stable")
    return counts.rename(columns={
        "file_name": "Fichier", "column_name": "Colonne", "rule": "Règle", "size": "Problèmes",
    }).reset_index(drop=True)


def missing_values(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Empty values per column of the accepted rows, for optional columns that have any.

    Grain: one row per (table, column) with at least one missing value.
    """
    rows = []
    for table, frame in tables.items():
        if table not in MODELS or frame.empty:
            continue
        for name, spec in column_specs(MODELS[table]).items():
            if name not in frame.columns:
                continue
            missing = int(frame[name].isna().sum())
            if missing:
                rows.append({
                    "Table": TABLE_LABELS_FR[table], "Colonne": spec["header"], "Manquantes": missing,
                    "Lignes": len(frame), "missing_share": missing / len(frame),
                })
    return pd.DataFrame(rows, columns=["Table", "Colonne", "Manquantes", "Lignes", "missing_share"])


def unknown_lieu_references(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Rows of other tables naming a ``lieu_id`` absent from the lieux table.

    Grain: one row per (table, unknown lieu_id), with the number of rows citing it.
    """
    known = set(tables["lieux"]["lieu_id"])
    rows = []
    for table in ("adhesions", "evenements"):
        frame = tables.get(table)
        if frame is None or "lieu_id" not in frame.columns:
            continue
        cited = frame["lieu_id"].dropna()
        unknown = cited[~cited.isin(known)]
        for lieu_id, count in unknown.value_counts().sort_index().items():
            rows.append({"Table": TABLE_LABELS_FR[table], "Identifiant de lieu inconnu": lieu_id, "Lignes": int(count)})
    return pd.DataFrame(rows, columns=["Table", "Identifiant de lieu inconnu", "Lignes"])


def possible_duplicate_lieux(lieux: pd.DataFrame) -> pd.DataFrame:
    """Lieux sharing the same name (ignoring case and accents) and the same commune.

    Grain: one row per lieu belonging to such a group, grouped by name.
    """
    names = map_unique(lieux["lieu_name"].fillna(""), code_key)
    communes = lieux["commune_code"].fillna(map_unique(lieux["commune_name"].fillna(""), code_key))
    key = names + "|" + communes
    dup = lieux[key.duplicated(keep=False)]
    out = dup[["lieu_id", "lieu_name", "commune_name", "commune_code"]].sort_values(["lieu_name", "lieu_id"])
    return out.rename(columns={
        "lieu_id": "Identifiant", "lieu_name": "Nom", "commune_name": "Commune", "commune_code": "Code INSEE",
    }).reset_index(drop=True)


RESOLUTION_STATUSES = STATUSES  # every status of geo.resolve, so that the columns add up to the total


def resolution_statuses(resolved: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """How many rows of each table were placed on a commune.

    Grain: one row per table; columns per status (résolue, ambiguë, non résolue) and a total.
    ``resolved`` maps a table key to its frame after ``geo.resolve.resolve_communes``.
    """
    observed = {str(v) for frame in resolved.values() for v in frame["resolution_status"].dropna()}
    statuses = [*RESOLUTION_STATUSES, *sorted(observed - set(RESOLUTION_STATUSES))]
    rows = []
    for table, frame in resolved.items():
        counts = frame["resolution_status"].value_counts()
        row = {"Table": TABLE_LABELS_FR.get(table, table)}
        row.update({status.capitalize(): int(counts.get(status, 0)) for status in statuses})
        row["Total"] = len(frame)
        rows.append(row)
    return pd.DataFrame(rows, columns=["Table", *[s.capitalize() for s in statuses], "Total"])


def unplaced_lieux(placed_lieux: pd.DataFrame) -> pd.DataFrame:
    """Lieux not placed on a commune of the region, with why (see :func:`_unplaced`)."""
    return _unplaced(placed_lieux, id_col="lieu_id", name_col="lieu_name")


def unplaced_events(on_site_events: pd.DataFrame) -> pd.DataFrame:
    """On-site events not placed on a commune of the region, with why (see :func:`_unplaced`)."""
    return _unplaced(on_site_events, id_col="event_id", name_col="title")


def _unplaced(resolved: pd.DataFrame, *, id_col: str, name_col: str) -> pd.DataFrame:
    """Rows not placed on a commune (out of the region, ambiguous, in conflict, unresolved), with why.

    Grain: one row per unplaced row. Only for public tables (lieux, événements). With the
    ``is_counted`` column of the population layer (``context.populations.is_counted``, the one
    rule of what is counted), the rows listed are exactly those it leaves out.
    """
    if "is_counted" in resolved.columns:
        bad = resolved[~resolved["is_counted"].astype(bool)]
    else:
        bad = resolved[resolved["resolution_status"] != "résolue"]
    out = bad[[id_col, name_col, "commune_name", "commune_code", "resolution_status", "resolution_note"]]
    return out.rename(columns={
        id_col: "Identifiant", name_col: "Nom", "commune_name": "Commune saisie",
        "commune_code": "Code INSEE saisi", "resolution_status": "Statut", "resolution_note": "Détail",
    }).reset_index(drop=True)


def ignored_columns(results: dict) -> pd.DataFrame:
    """Columns of the input files that the contract does not use (personal columns excluded).

    Grain: one row per (file, column).
    """
    rows = [
        {"Fichier": result.file_name, "Colonne ignorée": header}
        for result in results.values()
        for header in result.ignored_headers
    ]
    return pd.DataFrame(rows, columns=["Fichier", "Colonne ignorée"])
