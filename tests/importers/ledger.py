"""The ledger of an import, asserted once for every importer test (issue #14).

Every row read is accounted for exactly once::

    read = added + updated + unchanged + merged under a repeated key + rejected
           + outside the region + blank

``rejected`` counts the distinct lines whose problem says the row was not imported
(« ligne non importée », « événement non importé »); warnings on kept rows (« ligne gardée ») are not rejections.
"""

from __future__ import annotations

from relief_analytics.importers.base import TABLE_KEYS

#: What the rule of a rejected row says (the row, not one of its values, is not imported).
NOT_IMPORTED = r"(?:ligne|événement) non importée?\b"


def ledger(report, *, blank: int = 0) -> dict[str, int]:
    """The terms of ``report``'s ledger, by name (French, as a reader would say them)."""
    key = TABLE_KEYS[report.table]
    rows = report.rows
    repeated = 0 if rows.empty else len(rows) - rows[key].nunique()
    rejected_lines = report.issues.loc[report.issues["rule"].str.contains(NOT_IMPORTED), "line_number"]
    return {
        "lues": report.read_count, "ajoutées": len(report.added_keys),
        "mises à jour": len(report.updated_keys), "inchangées": report.unchanged_count,
        "fusionnées (clé répétée)": repeated, "rejetées": rejected_lines.nunique(),
        "hors région": len(report.out_of_region), "vides": blank,
    }


def assert_ledger_balances(report, *, blank: int = 0) -> dict[str, int]:
    """Assert that every row read is added, updated, unchanged, merged, rejected, out or blank."""
    terms = ledger(report, blank=blank)
    accounted = sum(v for k, v in terms.items() if k != "lues")
    assert terms["lues"] == accounted, f"ledger does not balance: {terms}"
    return terms
