"""The context store: the build's pickle of the year context, keyed by inputs, year and code."""

from __future__ import annotations

import re
from dataclasses import replace

import pandas as pd
import pytest
from factories import tiny_context

from relief_analytics import __version__
from relief_analytics.context.store import read_context, write_context
from relief_analytics.fingerprints import code_version, context_key


@pytest.fixture(scope="module")
def ctx(tmp_path_factory):
    return tiny_context(tmp_path_factory.mktemp("d"), reports=["rapport_activite"])


def test_a_written_context_reads_back_equal(ctx, tmp_path):
    path = write_context(ctx, tmp_path / "executions")
    assert re.fullmatch(r"contexte-2025-[0-9a-f]{16}\.pickle", path.name)
    back = read_context(path, year=2025)
    assert back.documents == ctx.documents and back.facts == ctx.facts
    for name, frame in ctx.tables.items():
        pd.testing.assert_frame_equal(back.table(name), frame, obj=name)


def test_reading_the_context_of_another_year_is_refused_in_french(ctx, tmp_path):
    path = write_context(ctx, tmp_path)
    with pytest.raises(ValueError) as caught:
        read_context(path, year=2024)
    assert str(caught.value) == (
        f"Le contexte {path.name} est celui de 2025, pas de 2024 : relancez « relief rapports »."
    )


def test_the_file_name_follows_the_inputs_checksums(ctx, tmp_path):
    same = write_context(ctx, tmp_path / "a")
    assert write_context(ctx, tmp_path / "b").name == same.name
    changed = replace(ctx, dataset=replace(ctx.dataset, input_checksums={
        **ctx.dataset.input_checksums, "lieux.csv": "0" * 64}))
    assert write_context(changed, tmp_path / "c").name != same.name


def test_the_key_depends_on_the_year_and_the_code_version():
    assert context_key([], year=2025) != context_key([], year=2024)
    assert context_key([], year=2025, extra=["x"]) != context_key([], year=2025)
    assert re.fullmatch(rf"{re.escape(__version__)}\+[0-9a-f]{{16}}", code_version())


def test_the_written_context_carries_what_notebooks_read_and_no_raw_table(ctx, tmp_path):
    ctx = replace(ctx, dataset=replace(ctx.dataset, qualitative_reviews={2025: "## Bilan\n\nUne année."}))
    back = read_context(write_context(ctx, tmp_path), year=2025)
    assert back.dataset.directory == ctx.dataset.directory and back.config == ctx.config
    assert back.qualitative_review() == "## Bilan\n\nUne année."
    for raw in ("adhesions", "contributions", "lieux", "issues", "results"):
        assert not hasattr(back.dataset, raw), raw
    assert ctx.dataset.adhesions is not None  # the build's own context keeps its dataset
    for located in (back.lieux, back.open_lieux):  # the kernels draw them without a lookup
        assert {"point_longitude", "point_latitude", "point_source"} <= set(located.columns)
