"""Reading a portfolio file (CSV or XLSX) into raw rows, and writing its template.

Pure: no database, no Flask. Bounded before anything is parsed: the file's size, then
the number of rows and columns as they are read (a sheet is read row by row, never
loaded whole).
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterator, Sequence

from core.domain import N_, ValidationFailed
from listings.portfolio_rules import (
    COLUMNS,
    MAX_COLUMNS,
    MAX_FILE_BYTES,
    MAX_ROWS,
    Cell,
    RawRow,
    column_keys,
)

CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
TEMPLATE_EXAMPLE: tuple[str, ...] = (
    "201510123456.1",
    "一种锂电池正极材料及其制备方法",
    "张三；李四",
    "H01M 4/58; H01M 10/052",
    "2015-03-12",
    "2017-08-01",
    "有效",
    "新材料",
    "本发明公开了一种锂电池正极材料……",
    "4",
)


def read_rows(filename: str, data: bytes) -> list[RawRow]:
    """The data rows of a CSV or XLSX file, blank rows left out; ValidationFailed if the file
    is too big, not a table we read, lacks a required column, or has too many rows."""
    if len(data) > MAX_FILE_BYTES:
        raise ValidationFailed(
            N_("The file is larger than %(max)d MB."), max=MAX_FILE_BYTES // (1024 * 1024)
        )
    name = filename.lower()
    if name.endswith(".xlsx"):
        table = _xlsx_table(data)
    elif name.endswith((".csv", ".txt")):
        table = _csv_table(data)
    else:
        raise ValidationFailed(N_("Upload a .csv or .xlsx file."))
    return _raw_rows(table)


def _raw_rows(table: Iterator[Sequence[Cell]]) -> list[RawRow]:
    heading = next(table, None)
    if heading is None:
        raise ValidationFailed(N_("The file is empty."))
    keys = column_keys(heading[:MAX_COLUMNS])
    rows: list[RawRow] = []
    for number, cells in enumerate(table, start=2):
        if number > 2 * MAX_ROWS:  # blank rows count too: a sheet of a million is refused
            raise ValidationFailed(N_("The file has more than %(max)d rows."), max=MAX_ROWS)
        if all(cell is None or str(cell).strip() == "" for cell in cells[:MAX_COLUMNS]):
            continue
        if len(rows) == MAX_ROWS:
            raise ValidationFailed(N_("The file has more than %(max)d rows."), max=MAX_ROWS)
        rows.append(
            RawRow(number, {k: v for k, v in zip(keys, cells, strict=False) if k is not None})
        )
    return rows


def _decode(data: bytes) -> str:
    # Excel on a Chinese Windows saves CSV in GB18030 (GBK); everyone else in UTF-8.
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            return data.decode("gb18030")
        except UnicodeDecodeError:
            raise ValidationFailed(N_("Save the CSV file as UTF-8.")) from None


def _csv_table(data: bytes) -> Iterator[Sequence[Cell]]:
    text = _decode(data)
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(text[:4096], ",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    try:
        yield from reader
    except csv.Error:
        raise ValidationFailed(N_("The CSV file cannot be read.")) from None


def _xlsx_table(data: bytes) -> Iterator[Sequence[Cell]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError):
        raise ValidationFailed(N_("The XLSX file cannot be read.")) from None
    try:
        sheet = book.worksheets[0]
        yield from sheet.iter_rows(max_col=MAX_COLUMNS, values_only=True)
    finally:
        book.close()


def template_csv() -> bytes:
    """The template: bilingual headings and one example row, UTF-8 with a BOM for Excel."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([column.heading for column in COLUMNS])
    writer.writerow(TEMPLATE_EXAMPLE)
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def template_file(fmt: str) -> tuple[bytes, str, str]:
    """The template as `fmt` (csv or xlsx): its body, content type and file name."""
    body, kind = (template_csv(), CSV_TYPE) if fmt == "csv" else (template_xlsx(), XLSX_TYPE)
    return body, kind, f"portfolio-template.{fmt}"


def template_xlsx() -> bytes:
    """The template as a workbook: bilingual headings, one example row, required ones marked."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "专利清单 Portfolio"
    sheet.append([column.heading for column in COLUMNS])
    sheet.append(list(TEMPLATE_EXAMPLE))
    for cell, column in zip(sheet[1], COLUMNS, strict=True):
        cell.font = Font(bold=column.required)
        sheet.column_dimensions[cell.column_letter].width = max(14, len(column.heading) + 4)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
