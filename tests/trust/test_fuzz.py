"""A property-based fuzzer over the sample dataset: every promise of SECURITY.md, for any input.

Each example copies ``data/sample``, applies one mutation drawn by hypothesis (a hostile string from
:data:`fuzz_corpus.HOSTILE` into any cell, a duplicated or missing header, a shifted row, a byte
flip, another encoding, a huge cell, a hostile configuration value), then runs what a volunteer
runs: ``relief valider`` and ``relief exporter-lieux``. For every example it asserts:

- no traceback and no unexpected exception: a French message (exit code 2) or listed problems;
- rows read = accepted + rejected, per file;
- the input files are byte for byte unchanged;
- no live formula in any CSV, XLSX or GeoJSON cell written;
- no script and no remote load in any HTML written;
- no personal value of the corpus (an e-mail, a phone) printed verbatim.

``make test`` runs a bounded number of examples (``RELIEF_FUZZ_EXAMPLES``, default 15); ``make fuzz``
runs many more and prints hypothesis' statistics. A failing example is printed by hypothesis as the
mutation that produced it (file, row, column, value), which reproduces it.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import os
import shutil
import tempfile
import traceback
from pathlib import Path

import pytest
from fuzz_corpus import CANARIES, HOSTILE, Mutation, apply_mutation
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from output_checks import assert_outputs_safe
from sample_copy import copy_sample

from relief_analytics import cli, paths

EXAMPLES = int(os.environ.get("RELIEF_FUZZ_EXAMPLES", "15"))

DATA_FILES = sorted(
    p.name for p in paths.SAMPLE_DATASET_DIR.iterdir()
    if p.suffix in {".csv", ".md"} or p.name == "config.toml"
)
CSV_FILES = [name for name in DATA_FILES if name.endswith(".csv")]


def _mutations() -> st.SearchStrategy[Mutation]:
    cell = st.builds(
        Mutation, kind=st.just("cell"), file=st.sampled_from(CSV_FILES),
        row=st.integers(0, 400), column=st.integers(0, 30),
        value=st.one_of(st.sampled_from(HOSTILE), st.text(max_size=40)),
    )
    header = st.builds(
        Mutation, kind=st.sampled_from(["duplicate_header", "missing_header", "blank_header"]),
        file=st.sampled_from(CSV_FILES), column=st.integers(0, 30), row=st.just(0),
    )
    shifted = st.builds(
        Mutation, kind=st.sampled_from(["extra_field", "missing_field"]),
        file=st.sampled_from(CSV_FILES), row=st.integers(0, 400), column=st.integers(0, 30),
    )
    raw = st.builds(
        Mutation, kind=st.sampled_from(["byte_flip", "truncate"]), file=st.sampled_from(DATA_FILES),
        row=st.integers(0, 10**6), column=st.integers(1, 255),
    )
    encoding = st.builds(
        Mutation, kind=st.just("encoding"), file=st.sampled_from(CSV_FILES),
        value=st.sampled_from(["cp1252", "utf-16", "latin-1", "utf-8-sig", "utf-8"]),
    )
    huge = st.builds(
        Mutation, kind=st.just("huge_cell"), file=st.sampled_from(CSV_FILES),
        row=st.integers(0, 400), column=st.integers(0, 30),
    )
    config = st.builds(
        Mutation, kind=st.just("config_value"), file=st.just("config.toml"),
        row=st.integers(0, 300), value=st.sampled_from(HOSTILE),
    )
    review = st.builds(
        Mutation, kind=st.just("append_text"), file=st.sampled_from(
            [name for name in DATA_FILES if name.endswith(".md")]),
        value=st.sampled_from(HOSTILE),
    )
    return st.one_of(cell, header, shifted, raw, encoding, huge, config, review)


def _checksums(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir()) if p.is_file()}


def _run(argv: list[str]) -> tuple[int, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = cli.main(argv)
        except SystemExit as exc:  # argparse
            code = exc.code
        except BaseException:  # noqa: BLE001 - the property: nothing escapes the CLI
            pytest.fail(f"relief {' '.join(argv[:1])} a levé une exception :\n{traceback.format_exc()}")
    return code, out.getvalue() + err.getvalue()


def _check_outputs(text: str, code: int, command: str, *, canaries=CANARIES) -> None:
    assert code in (0, 1, 2), (command, code, text[-2000:])
    assert "Traceback (most recent call last)" not in text, text[-4000:]
    for canary in canaries:
        assert canary not in text, f"valeur personnelle « {canary} » affichée par relief {command}"


def _check_ledger(dataset_dir: Path) -> None:
    from relief_analytics.errors import describe_failure
    from relief_analytics.load import load_dataset

    try:
        dataset = load_dataset(dataset_dir)
    except Exception as exc:  # noqa: BLE001 - refused as a whole: it must be an expected failure
        assert describe_failure(exc) is not None, traceback.format_exc()
        return
    summary = dataset.summary
    for row in summary.itertuples(index=False):
        assert row.read_count == row.accepted_count + row.rejected_count, row


@pytest.mark.slow
@settings(max_examples=EXAMPLES, deadline=None, database=None,
          derandomize=not os.environ.get("RELIEF_FUZZ_RANDOM"),
          # no shrinking: a failing example is already one readable mutation, and shrinking a
          # run of the whole CLI costs minutes
          phases=[Phase.explicit, Phase.generate], report_multiple_bugs=True,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(mutation=_mutations())
def test_any_mutation_of_the_sample_keeps_every_promise(mutation: Mutation):
    with tempfile.TemporaryDirectory(prefix="relief-fuzz-") as tmp:
        root = Path(tmp)
        dataset_dir = copy_sample(root / "donnees")
        section = apply_mutation(dataset_dir, mutation)
        before = _checksums(dataset_dir)
        # a file name of [fichiers] is shown as typed, so that the user finds the file
        canaries = () if section == "fichiers" else CANARIES

        code, text = _run(["valider", "--donnees", str(dataset_dir)])
        _check_outputs(text, code, "valider", canaries=canaries)
        _check_ledger(dataset_dir)

        export_dir = root / "export"
        code, text = _run(["exporter-lieux", "--donnees", str(dataset_dir), "--sortie", str(export_dir)])
        _check_outputs(text, code, "exporter-lieux", canaries=canaries)
        if export_dir.exists():
            assert_outputs_safe(export_dir)

        assert _checksums(dataset_dir) == before, "un fichier d'entrée a été modifié"
        shutil.rmtree(export_dir, ignore_errors=True)
