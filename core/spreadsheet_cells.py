"""Cells of the files people open in a spreadsheet (CSV, XLSX) that it will not run."""

from __future__ import annotations

# A cell starting with one of these is a formula to a spreadsheet (CSV injection).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def formula_safe(value: object) -> str:
    """`value` as a cell's text (None as empty), quoted with ' where a spreadsheet would
    otherwise read a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_START) else text
