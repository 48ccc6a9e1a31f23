"""A cell of an exported file never reads as a formula in a spreadsheet (CSV injection)."""

from __future__ import annotations

import pytest

from core.spreadsheet_cells import formula_safe


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        ('=HYPERLINK("x")', '\'=HYPERLINK("x")'),
        ("+86 21 1234", "'+86 21 1234"),
        ("-1", "'-1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("上海交通大学", "上海交通大学"),
        (42, "42"),
        (None, ""),
        ("", ""),
    ],
)
def test_a_formula_is_quoted_and_anything_else_kept(value: object, cell: str) -> None:
    assert formula_safe(value) == cell
