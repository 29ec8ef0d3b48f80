"""The one assertion every importer test uses: the import's ledger balances, and each list is there.

Usage (the folder of this file is on ``sys.path`` in the importer tests)::

    from ledger import assert_ledger_balances

    assert_ledger_balances(report, read=8, added=7, rejected=1)

Checks, for an :class:`~relief_analytics.importers.base.ImportReport`:

- rows read = added + updated + unchanged + merged under a repeated key + rejected + outside the
  region + blank;
- every merged row is listed (line, key, kept line), every rejected line has at least one
  problem listed with its line and rule, every row outside the region is listed with a reason;
- the French ledger sentence is among the lines printed by ``relief importer``;
- any count passed as a keyword (``read=…``, ``added=…``) has exactly that value.
"""

from __future__ import annotations

from dataclasses import asdict

import pandas as pd

LEDGER_FIELDS = ("read", "added", "updated", "unchanged", "merged", "rejected", "out_of_region", "blank")


#: The ledger's terms as a reader says them (the keys of the dict the assertion returns).
FRENCH_TERMS = {"read": "lues", "added": "ajoutées", "updated": "mises à jour", "unchanged": "inchangées",
                "merged": "fusionnées (clé répétée)", "rejected": "rejetées", "out_of_region": "hors région",
                "blank": "vides"}


def assert_ledger_balances(report, **expected: int) -> dict[str, int]:
    """Assert that ``report``'s ledger balances and that its counts equal ``expected``.

    Returns the counts under their French names (``{"lues": 3, "ajoutées": 2, …}``).
    """
    unknown = set(expected) - set(LEDGER_FIELDS)
    assert not unknown, f"unknown ledger counts {sorted(unknown)}; expected among {LEDGER_FIELDS}"
    ledger = report.ledger()
    counts = asdict(ledger)
    assert ledger.balanced, f"ledger does not balance: {counts}"
    assert {k: counts[k] for k in expected} == expected, f"ledger {counts} != expected {expected}"
    numbers = pd.to_numeric(report.issues["line_number"], errors="coerce").dropna()
    issue_lines = set(numbers.astype(int))
    missing = sorted(set(report.rejected_lines) - issue_lines)
    assert not missing, f"rejected lines without a listed problem: {missing}"
    if not report.issues.empty:
        assert report.issues["rule"].map(lambda r: bool(str(r).strip())).all(), "a problem without a rule"
    assert len(report.merged) == ledger.merged
    assert report.merged["key"].notna().all(), "a merged row without its key"
    if not report.out_of_region.empty:
        assert report.out_of_region["raison"].map(bool).all(), "a row out of region without a reason"
    assert ledger.line_fr() in report.lines_fr(limit=None), "the ledger is not printed"
    return {FRENCH_TERMS[name]: counts[name] for name in LEDGER_FIELDS}
