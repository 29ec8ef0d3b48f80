"""Canonical text of a year context, for the golden test (``tests/context/test_golden_context.py``).

Each table becomes a small CSV-like text: a ``# columns`` line with each column's dtype, then its
rows in their order, floats written with 10 significant digits. Comparing these texts compares
every value, every dtype and every row order of the context.
"""

from __future__ import annotations

import dataclasses
import os
from pathlib import Path

import pandas as pd

GOLDEN_DIR = Path(__file__).parent / "golden"

#: Set ``UPDATE_GOLDEN=1`` to rewrite the golden files from the current code (then review the diff).
UPDATE = os.environ.get("UPDATE_GOLDEN") == "1"

#: Populations: only the identifying columns are kept (the whole frames are long; their counts and
#: members are what every figure depends on). Members are written without their pseudonym.
POPULATION_COLUMNS = {
    "lieux": ["lieu_id", "resolution_status", "commune_code", "is_placed"],
    "evenements": ["event_id", "resolution_status", "commune_code"],
    "open_lieux": ["lieu_id"],
    "members": ["member_kinds", "payments_count", "amount_eur"],
    "year_events": ["event_id"],
    "lieux_set_aside": ["lieu_id", "resolution_status"],
}


def frame_text(frame: pd.DataFrame) -> str:
    """The canonical text of one table: dtypes line, then the rows as CSV."""
    header = "# columns: " + ", ".join(f"{c}:{t}" for c, t in frame.dtypes.astype(str).items())
    body = frame.to_csv(index=False, float_format="%.10g", na_rep="<NA>", lineterminator="\n")
    return f"{header}\n# rows: {len(frame)}\n{body}"


def facts_text(facts) -> str:
    """One ``name = repr(value)`` line per fact of the year."""
    values = dataclasses.asdict(facts) if dataclasses.is_dataclass(facts) else dict(facts)
    return "".join(f"{name} = {value!r}\n" for name, value in sorted(values.items()))


def context_texts(context) -> dict[str, str]:
    """Relative golden path → canonical text, for every table, comparison, population and fact."""
    texts = {f"tables/{name}.csv": frame_text(frame) for name, frame in context.tables.items()}
    texts.update({f"comparisons/{name}.csv": frame_text(frame)
                  for name, frame in context.comparisons.items()})
    for name, columns in POPULATION_COLUMNS.items():
        frame = getattr(context, name)
        texts[f"populations/{name}.csv"] = frame_text(frame[columns])
    texts["facts.txt"] = facts_text(context.facts)
    return texts


def compare_with_golden(texts: dict[str, str], folder: Path) -> list[str]:
    """Differences between ``texts`` and the golden files under ``folder`` (empty: identical).

    With ``UPDATE_GOLDEN=1`` the golden files are rewritten instead (stale ones removed).
    """
    if UPDATE:
        for old in folder.rglob("*"):
            if old.is_file() and old.relative_to(folder).as_posix() not in texts:
                old.unlink()
        for rel, text in texts.items():
            path = folder / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        return []
    committed = {p.relative_to(folder).as_posix(): p.read_text(encoding="utf-8")
                 for p in sorted(folder.rglob("*")) if p.is_file()}
    problems = [f"missing from the golden files: {rel}" for rel in sorted(set(texts) - set(committed))]
    problems += [f"in the golden files but not produced: {rel}"
                 for rel in sorted(set(committed) - set(texts))]
    for rel in sorted(set(texts) & set(committed)):
        if texts[rel] != committed[rel]:
            problems.append(f"differs: {rel}\n{_first_difference(committed[rel], texts[rel])}")
    return problems


def _first_difference(expected: str, actual: str) -> str:
    for number, (old, new) in enumerate(zip(expected.splitlines(), actual.splitlines(), strict=False), 1):
        if old != new:
            return f"  line {number}\n  golden: {old}\n  now:    {new}"
    return f"  golden has {len(expected.splitlines())} lines, now {len(actual.splitlines())}"
