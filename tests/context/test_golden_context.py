"""Golden test: the 2025 sample's year context gives the same figures before and after a refactor.

Every table, every N vs N-1 comparison, the populations' members and the facts are compared with
the canonical texts committed under ``tests/context/golden/context/``. To accept an intended
change, regenerate and review the diff::

    UPDATE_GOLDEN=1 python -m pytest -p no:cacheprovider tests/context/test_golden_context.py
"""

from __future__ import annotations

from golden_canon import GOLDEN_DIR, compare_with_golden, context_texts


def test_sample_context_matches_golden_files(sample_context):
    problems = compare_with_golden(context_texts(sample_context), GOLDEN_DIR / "context")
    assert not problems, "\n".join(problems)


def test_golden_files_cover_the_whole_context(sample_context):
    texts = context_texts(sample_context)
    assert {f"tables/{name}.csv" for name in sample_context.tables} <= set(texts)
    assert {f"comparisons/{name}.csv" for name in sample_context.comparisons} <= set(texts)
    assert "facts.txt" in texts
