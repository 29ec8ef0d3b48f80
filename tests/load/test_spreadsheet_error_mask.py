"""Spreadsheet error values looked for once per distinct value: the per-cell answer."""

from __future__ import annotations

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from relief_analytics.load.coerce import SPREADSHEET_ERROR, spreadsheet_error_mask

PIECES = st.sampled_from(["#REF!", "#ref!", "#N/A", "#NA", "Err:502", "Erreur:504", "#VALEUR!",
                          " ", "\u00a0", "\t", "\n", "\x00", "x", "#", "Err:", "502", "!", "é"])
CELL = st.one_of(st.none(), st.lists(PIECES, max_size=4).map("".join), st.text(max_size=6))


def _per_cell(cells: list) -> list[bool]:
    return [value is not None and SPREADSHEET_ERROR.fullmatch(str(value).strip()) is not None
            for value in cells]


@settings(max_examples=100, deadline=None, derandomize=True)
@given(st.lists(CELL, max_size=12))
def test_the_mask_finds_exactly_the_cells_a_per_cell_check_finds(cells):
    assert spreadsheet_error_mask(pd.Series(cells, dtype=object)).tolist() == _per_cell(cells)


def test_an_error_value_beside_separators_and_spaces_is_found_once_per_cell():
    cells = ["#REF!\x00", "\x00#REF!", " Err:502 ", "#REF!", None, "#REF! x", "#ref!"]
    assert spreadsheet_error_mask(pd.Series(cells, dtype=object)).tolist() == [
        False, False, True, True, False, False, True]


def test_cells_that_are_not_text_are_looked_at_one_by_one():
    # the fast answer joins the texts: a number or NaN among them must not hide an error value
    cells = [1.5, float("nan"), " #REF! ", None, "", "Err:502"]
    assert spreadsheet_error_mask(pd.Series(cells, dtype=object)).tolist() == [
        False, False, True, False, False, True]


def test_a_column_without_hash_nor_err_colon_holds_no_error_value():
    cells = ["REF!", "N/A", "Err 502", None, "", "Erreur502"]
    assert spreadsheet_error_mask(pd.Series(cells, dtype=object)).tolist() == [False] * 6


def test_times_and_web_addresses_hold_no_error_value_but_err_in_any_case_is_found():
    cells = ["14/03/2024 18:30", "https://lieu.fr", "Atelier : vélo", "ERR:502", "erreur:504", "eRr:7"]
    assert spreadsheet_error_mask(pd.Series(cells, dtype=object)).tolist() == [
        False, False, False, True, True, False]
