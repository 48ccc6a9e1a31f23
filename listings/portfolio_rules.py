"""A patent portfolio as a university uploads it: columns, and every row validated.

Pure: no database, no Flask. `portfolio_files` turns a CSV or XLSX into raw rows
(`RawRow`: the spreadsheet's row number and its cells by column key); `validate_rows`
turns them into `PortfolioRow`s and `RowError`s, each error naming its row, so a seller
fixes the file and uploads it again.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from typing import Any

from core.domain import N_, ValidationFailed, message_text
from listings.ip_number_cn import CN_FIRST_YEAR
from listings.ip_numbers import detect_kind, normalise_ip_number
from listings.rules import FIELDS, IPKind

MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_ROWS = 10_000
MAX_COLUMNS = 40  # a sheet wider than this is not a portfolio
DEFAULT_TRL = 3  # a granted patent with a proof of concept; the seller refines it in the draft
MAX_IPC_CLASSES = 20
MAX_INVENTORS = 50

# A class (H01M) or a group (H01M 4/58, H01M4/58) of the International Patent Classification.
IPC_SHAPE = re.compile(r"([A-H][0-9]{2}[A-Z])(?:\s*([0-9]{1,4})\s*/\s*([0-9]{1,6}))?")
_LIST_SEPARATORS = re.compile(r"[;；,，、\n]+")
_CJK = re.compile(r"[\u3400-\u9fff]")
_DATE_TEXT = re.compile(r"([0-9]{4})\s*[-/.年]\s*([0-9]{1,2})\s*[-/.月]\s*([0-9]{1,2})\s*日?")
_DATE_DIGITS = re.compile(r"([0-9]{4})([0-9]{2})([0-9]{2})")


@dataclass(frozen=True)
class Column:
    """A column of the portfolio file: its key, its bilingual heading and its bounds."""

    key: str
    zh: str
    en: str
    required: bool
    max_chars: int

    @property
    def heading(self) -> str:
        """The template's heading: Chinese and English, so either reader finds the column."""
        return f"{self.zh} / {self.en}"


COLUMNS: tuple[Column, ...] = (
    Column("patent_number", "专利号", "Patent number", True, 40),
    Column("title", "专利名称", "Title", True, 300),
    Column("inventors", "发明人", "Inventors", False, 1000),
    Column("ipc", "IPC分类号", "IPC classes", False, 400),
    Column("filed_on", "申请日", "Filing date", True, 40),
    Column("granted_on", "授权公告日", "Grant date", False, 40),
    Column("legal_status", "法律状态", "Legal status", False, 40),
    Column("field", "技术领域", "Technology field", True, 60),
    Column("abstract", "摘要", "Abstract", False, 5000),
    Column("trl", "成熟度(TRL)", "Maturity (TRL)", False, 10),
)
COLUMN_BY_KEY = {column.key: column for column in COLUMNS}

Cell = str | date | datetime | int | float | None


@dataclass(frozen=True)
class RawRow:
    """A row as read from the file: its number in the sheet (the heading is row 1)."""

    number: int
    cells: Mapping[str, Cell]


@dataclass(frozen=True)
class RowError:
    """Why a row was not imported: the row, the column at fault, a translatable message."""

    row: int
    column: str | None
    message: str
    params: dict[str, Any] = field(default_factory=dict)

    def text(self, translate: Any = lambda s: s) -> str:
        """The message in the reader's language."""
        return message_text(self.message, self.params, translate)


@dataclass(frozen=True)
class PortfolioRow:
    """A valid row: one patent, the draft listing it becomes."""

    row: int
    kind: IPKind
    number: str  # canonical (listings.ip_numbers)
    title: str
    inventors: tuple[str, ...]
    ipc_classes: tuple[str, ...]
    filed_on: date
    granted_on: date | None
    legal_status: str | None
    field: str
    abstract: str | None
    trl: int

    @property
    def in_chinese(self) -> bool:
        """Whether the title is Chinese (it goes to title_zh, else to title_en)."""
        return bool(_CJK.search(self.title))

    def to_json(self) -> dict[str, Any]:
        """A JSON-safe form, kept with the import until its job has run."""
        data = asdict(self)
        data["kind"] = self.kind.value
        data["filed_on"] = self.filed_on.isoformat()
        data["granted_on"] = self.granted_on.isoformat() if self.granted_on else None
        return data

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> PortfolioRow:
        """The row `to_json` kept."""
        granted = data.get("granted_on")
        return cls(
            row=int(data["row"]),
            kind=IPKind(data["kind"]),
            number=data["number"],
            title=data["title"],
            inventors=tuple(data["inventors"]),
            ipc_classes=tuple(data["ipc_classes"]),
            filed_on=date.fromisoformat(data["filed_on"]),
            granted_on=date.fromisoformat(granted) if granted else None,
            legal_status=data.get("legal_status"),
            field=data["field"],
            abstract=data.get("abstract"),
            trl=int(data["trl"]),
        )


def _heading_key(text: str) -> str:
    return "".join(text.split()).casefold()


_HEADINGS: dict[str, str] = {}
for _column in COLUMNS:
    for _form in (_column.key, _column.zh, _column.en, _column.heading):
        _HEADINGS[_heading_key(_form)] = _column.key


def column_keys(headings: Iterable[Cell]) -> list[str | None]:
    """The column key of each heading (Chinese, English, both, or the key); None if unknown.

    ValidationFailed when a required column is missing or a column appears twice.
    """
    keys = [_HEADINGS.get(_heading_key(str(h or ""))) for h in headings]
    found = [k for k in keys if k is not None]
    twice = sorted({k for k in found if found.count(k) > 1})
    if twice:
        raise ValidationFailed(
            N_("The column %(column)s appears twice."), column=COLUMN_BY_KEY[twice[0]].heading
        )
    missing = [c.heading for c in COLUMNS if c.required and c.key not in found]
    if missing:
        raise ValidationFailed(
            N_("The file has no column %(columns)s; start from the template."),
            columns=", ".join(missing),
        )
    return keys


def field_codes() -> dict[str, str]:
    """Every way of naming a technology field (code, Chinese, English) → its code."""
    names: dict[str, str] = {}
    for code, (zh, en) in FIELDS.items():
        for name in (code, zh, en):
            names[_heading_key(name)] = code
    return names


_FIELD_CODES = field_codes()


def parse_date(value: Cell) -> date | None:
    """A date from a spreadsheet cell or text (2019-03-01, 2019/3/1, 2019年3月1日, 20190301)."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip()
    match = _DATE_TEXT.fullmatch(text) or _DATE_DIGITS.fullmatch(text)
    if match is None:
        return None
    try:
        return date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        return None


def normalise_ipc(text: str) -> str | None:
    """The canonical IPC symbol (``H01M 4/58``), or None when `text` is not one."""
    match = IPC_SHAPE.fullmatch(text.strip().upper())
    if match is None:
        return None
    subclass, main, sub = match.groups()
    return f"{subclass} {main}/{sub}" if main else subclass


def split_list(value: Cell) -> list[str]:
    """Items of a cell separated by ; , 、 or new lines (half- or full-width)."""
    return [item.strip() for item in _LIST_SEPARATORS.split(_text(value)) if item.strip()]


def _text(value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


class _Row:
    """Collects the errors of one row while its cells are read."""

    def __init__(self, raw: RawRow) -> None:
        self.raw = raw
        self.errors: list[RowError] = []

    def fail(self, column: str | None, message: str, **params: Any) -> None:
        self.errors.append(RowError(self.raw.number, column, message, params))

    def text(self, key: str) -> str:
        value = self.raw.cells.get(key)
        text = "" if isinstance(value, date) else _text(value)
        column = COLUMN_BY_KEY[key]
        if len(text) > column.max_chars:
            self.fail(key, N_("Longer than %(max)d characters."), max=column.max_chars)
            return ""
        if column.required and not text and not isinstance(value, date):
            self.fail(key, N_("Required."))
        return text


def _number(row: _Row) -> tuple[IPKind, str] | None:
    text = row.text("patent_number")
    if not text:
        return None
    kind = detect_kind(text)
    if kind is None:
        row.fail("patent_number", N_("%(number)s is not a patent number we know."), number=text)
        return None
    try:
        return kind, normalise_ip_number(kind, text)
    except ValidationFailed as error:
        row.errors.append(RowError(row.raw.number, "patent_number", error.message, error.params))
        return None


def _dates(row: _Row, today: date) -> tuple[date | None, date | None]:
    dates: dict[str, date | None] = {}
    for key in ("filed_on", "granted_on"):
        row.text(key)  # bounds and presence
        value = row.raw.cells.get(key)
        dates[key] = None
        if value is None or _text(value) == "":
            continue
        parsed = parse_date(value)
        if parsed is None:
            row.fail(key, N_("Not a date: write it as 2019-03-01."))
        elif parsed.year < CN_FIRST_YEAR or parsed > today:
            row.fail(key, N_("The date must lie between 1985 and today."))
        else:
            dates[key] = parsed
    filed, granted = dates["filed_on"], dates["granted_on"]
    if filed and granted and granted < filed:
        row.fail("granted_on", N_("The grant date comes before the filing date."))
    return filed, granted


def _ipc(row: _Row) -> tuple[str, ...]:
    symbols = []
    for item in split_list(row.text("ipc")):
        symbol = normalise_ipc(item)
        if symbol is None:
            row.fail("ipc", N_("%(symbol)s is not an IPC symbol like H01M 4/58."), symbol=item)
        else:
            symbols.append(symbol)
    if len(symbols) > MAX_IPC_CLASSES:
        row.fail("ipc", N_("At most %(max)d IPC classes."), max=MAX_IPC_CLASSES)
    return tuple(dict.fromkeys(symbols))


def _field_code(row: _Row) -> str:
    text = row.text("field")
    code = _FIELD_CODES.get(_heading_key(text)) if text else None
    if text and code is None:
        row.fail("field", N_("%(field)s is not one of the market's technology fields."), field=text)
    return code or ""


def _trl(row: _Row) -> int:
    text = row.text("trl")
    if not text:
        return DEFAULT_TRL
    if not (text.isascii() and text.isdigit()) or not 1 <= int(text) <= 9:
        row.fail("trl", N_("Maturity (TRL) must be between 1 and 9."))
        return DEFAULT_TRL
    return int(text)


def validate_row(raw: RawRow, today: date) -> PortfolioRow | list[RowError]:
    """The row as a patent to import, or every error found in it."""
    row = _Row(raw)
    number = _number(row)
    title = row.text("title")
    inventors = tuple(split_list(row.text("inventors")))
    if len(inventors) > MAX_INVENTORS:
        row.fail("inventors", N_("At most %(max)d inventors."), max=MAX_INVENTORS)
    ipc = _ipc(row)
    filed_on, granted_on = _dates(row, today)
    legal_status = row.text("legal_status") or None
    field_code = _field_code(row)
    abstract = row.text("abstract") or None
    trl = _trl(row)
    if row.errors or number is None or filed_on is None:
        return row.errors
    return PortfolioRow(
        row=raw.number,
        kind=number[0],
        number=number[1],
        title=title,
        inventors=inventors,
        ipc_classes=ipc,
        filed_on=filed_on,
        granted_on=granted_on,
        legal_status=legal_status,
        field=field_code,
        abstract=abstract,
        trl=trl,
    )


def validate_rows(rows: Iterable[RawRow], today: date) -> tuple[list[PortfolioRow], list[RowError]]:
    """The valid rows and the errors of the others; a number twice in a file fails the later row."""
    valid: list[PortfolioRow] = []
    errors: list[RowError] = []
    first_row: dict[str, int] = {}
    for raw in rows:
        result = validate_row(raw, today)
        if isinstance(result, list):
            errors.extend(result)
        elif result.number in first_row:
            errors.append(
                RowError(
                    raw.number,
                    "patent_number",
                    N_("%(number)s is already in row %(first)d."),
                    {"number": result.number, "first": first_row[result.number]},
                )
            )
        else:
            first_row[result.number] = raw.number
            valid.append(result)
    return valid, errors
