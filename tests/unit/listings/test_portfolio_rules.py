"""The portfolio file's rules: columns, rows validated one by one and named by number."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.domain import ValidationFailed
from listings.ip_number_cn import check_character_cn
from listings.portfolio_files import read_rows, template_csv, template_xlsx
from listings.portfolio_rules import (
    COLUMNS,
    MAX_ROWS,
    PortfolioRow,
    RawRow,
    normalise_ipc,
    parse_date,
    validate_rows,
)
from listings.rules import IPKind

TODAY = date(2026, 3, 2)


def _number(n: int) -> str:
    digits = f"20191{n:07d}"
    return f"{digits}.{check_character_cn(digits)}"


def _cells(**overrides: object) -> dict:
    cells = {
        "patent_number": _number(1),
        "title": "一种石墨烯导热膜的制备方法",
        "inventors": "王伟；李娜",
        "ipc": "C01B 32/184",
        "filed_on": "2019-05-06",
        "granted_on": "2021/1/8",
        "legal_status": "有效",
        "field": "新材料",
        "abstract": "导热系数提升一倍。",
        "trl": "",
    }
    cells.update(overrides)
    return cells


def _csv(rows: list[list[str]]) -> bytes:
    out = io.StringIO()
    csv.writer(out).writerow([c.heading for c in COLUMNS])
    csv.writer(out).writerows(rows)
    return out.getvalue().encode("utf-8")


def test_a_good_row_becomes_a_patent_with_canonical_values() -> None:
    typed = "ZL " + _number(1).replace(".", "。")  # as a patent certificate prints it
    valid, errors = validate_rows([RawRow(2, _cells(patent_number=typed))], TODAY)
    assert errors == []
    (row,) = valid
    assert (row.kind, row.number, row.field, row.trl) == (
        IPKind.CN_APPLICATION,
        _number(1),
        "materials",
        3,
    )
    assert row.inventors == ("王伟", "李娜") and row.granted_on == date(2021, 1, 8)
    assert PortfolioRow.from_json(row.to_json()) == row


def test_each_bad_cell_is_named_by_row_and_column() -> None:
    bad_check = _number(2)[:-1] + ("0" if _number(2)[-1] != "0" else "1")
    rows = [
        RawRow(2, _cells(patent_number=_number(1))),
        RawRow(3, _cells(patent_number=bad_check)),
        RawRow(4, _cells(patent_number=_number(4), filed_on="2019-13-01", ipc="H01M4/58; X99")),
        RawRow(5, _cells(patent_number=_number(5), title="", field="astrology")),
        RawRow(6, _cells(patent_number=_number(6), filed_on="2020-01-01", granted_on="2019-01-01")),
        RawRow(7, _cells(patent_number=_number(1))),
    ]
    valid, errors = validate_rows(rows, TODAY)
    assert [r.row for r in valid] == [2]
    assert sorted((e.row, e.column) for e in errors) == [
        (3, "patent_number"),
        (4, "filed_on"),
        (4, "ipc"),
        (5, "field"),
        (5, "title"),
        (6, "granted_on"),
        (7, "patent_number"),
    ]
    assert "check character" in next(e.text() for e in errors if e.row == 3)
    assert "row 2" in next(e.text() for e in errors if e.row == 7)


def test_dates_in_the_future_or_before_the_patent_law_are_refused() -> None:
    for filed in ("2026-03-03", "1984-12-31"):
        _, errors = validate_rows([RawRow(2, _cells(filed_on=filed, granted_on=""))], TODAY)
        assert [(e.row, e.column) for e in errors] == [(2, "filed_on")]


def test_cells_longer_than_their_column_allows_are_refused() -> None:
    _, errors = validate_rows([RawRow(9, _cells(title="长" * 301))], TODAY)
    assert [(e.row, e.column) for e in errors] == [(9, "title")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2019-03-01", date(2019, 3, 1)),
        ("2019/3/1", date(2019, 3, 1)),
        ("2019.03.01", date(2019, 3, 1)),
        ("2019年3月1日", date(2019, 3, 1)),
        ("20190301", date(2019, 3, 1)),
        ("2019-02-30", None),
        ("March 2019", None),
    ],
)
def test_dates_in_the_forms_spreadsheets_hold(text: str, expected: date | None) -> None:
    assert parse_date(text) == expected


def test_ipc_symbols_are_normalised_or_refused() -> None:
    assert normalise_ipc("h01m4/58") == "H01M 4/58"
    assert normalise_ipc("G06F") == "G06F"
    assert normalise_ipc("Z01M 4/58") is None
    assert normalise_ipc("H01M 4") is None


@given(
    st.integers(min_value=1985, max_value=2025), st.integers(0, 9_999_999), st.sampled_from("123")
)
def test_every_number_with_its_check_character_is_accepted_and_a_wrong_one_refused(
    year: int, serial: int, kind: str
) -> None:
    digits = f"{year}{kind}{serial:07d}"
    good = f"{digits}.{check_character_cn(digits)}"
    valid, errors = validate_rows([RawRow(2, _cells(patent_number=good))], TODAY)
    assert errors == [] and valid[0].number == good
    wrong = next(c for c in "0123456789X" if c != check_character_cn(digits))
    _, errors = validate_rows([RawRow(2, _cells(patent_number=f"{digits}.{wrong}"))], TODAY)
    assert [e.column for e in errors] == ["patent_number"]


@given(st.dictionaries(st.sampled_from([c.key for c in COLUMNS]), st.text(max_size=60)))
def test_any_row_is_either_valid_or_refused_with_its_number_never_an_exception(cells: dict) -> None:
    valid, errors = validate_rows([RawRow(17, cells)], TODAY)
    assert len(valid) + len({e.row for e in errors}) == 1
    assert all(e.row == 17 for e in errors)


def test_both_templates_read_back_as_one_valid_row() -> None:
    for name, data in (("t.csv", template_csv()), ("t.xlsx", template_xlsx())):
        valid, errors = validate_rows(read_rows(name, data), TODAY)
        assert (len(valid), errors) == (1, []), name


def test_english_headings_a_gbk_csv_and_blank_rows_are_read() -> None:
    text = "Patent number,Title,Filing date,Technology field\r\n\r\n" + (
        f"{_number(3)},一种方法,2020-01-02,materials\r\n"
    )
    (row,) = read_rows("p.csv", text.encode("gb18030"))
    assert row.number == 3 and row.cells["title"] == "一种方法"


def test_a_file_missing_a_required_column_or_too_long_is_refused_whole() -> None:
    with pytest.raises(ValidationFailed, match="Title"):
        read_rows("p.csv", "专利号,申请日,技术领域\r\n".encode())
    too_many = _csv(
        [[_number(1), "t", "", "", "2020-01-01", "", "", "ict", "", ""]] * (MAX_ROWS + 1)
    )
    with pytest.raises(ValidationFailed, match="more than"):
        read_rows("p.csv", too_many)
    with pytest.raises(ValidationFailed, match=r"\.csv or \.xlsx"):
        read_rows("p.pdf", b"%PDF")
    with pytest.raises(ValidationFailed, match="XLSX"):
        read_rows("p.xlsx", b"not a zip")
