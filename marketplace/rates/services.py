"""Setting and importing reference rates (参考汇率): administrators of the market only.

A file is imported whole or not at all: every line is checked first and the first
problems are reported by line number, so a half-imported table never converts prices.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from accounts.models import User
from core import rates
from core.bounds import in_year_window
from core.currencies import EXPONENTS, REFERENCE, Rate
from core.domain import N_, DomainError, PermissionDenied, ValidationFailed

CURRENCIES = tuple(c for c in EXPONENTS if c != REFERENCE)  # what a rate can be set for
MAX_IMPORT_LINES = 5_000  # twenty years of one currency's working days
MAX_IMPORT_BYTES = 256 * 1024
_YUAN = re.compile(r"\d{1,6}(?:\.\d{1,10})?")
_REPORTED = 5  # problems of a file reported at once


class FileRefused(ValidationFailed):
    """A file of rates with bad lines: each problem with its line number."""

    code = "rates_file_refused"

    def __init__(self, problems: list[tuple[int, DomainError]]) -> None:
        super().__init__(N_("Nothing was imported. Lines %(lines)s"), field="file", lines="")
        self.problems = problems

    def text(self, translate: Callable[[str], str] = lambda s: s) -> str:
        """The message with each line's problem in the reader's language."""
        lines = "; ".join(f"{line}: {problem.text(translate)}" for line, problem in self.problems)
        return translate(self.message) % {"lines": lines}


@dataclass(frozen=True)
class Imported:
    """What a file brought: how many rates, and the days they span."""

    count: int
    first: date | None
    last: date | None


def require_admin(actor: User) -> None:
    """PermissionDenied unless `actor` administers the market."""
    if not actor.is_admin:
        raise PermissionDenied(N_("Only administrators of the market may do this."))


def parse_rate(currency: str, yuan: str, on: date) -> Rate:
    """A rate as typed: a known currency, a plain decimal number of yuan, a day in range."""
    currency = currency.strip().upper()
    if currency not in CURRENCIES:
        raise ValidationFailed(
            N_("Rates are kept for USD, EUR, JPY, KRW, GBP and HKD."), field="currency"
        )
    text = yuan.strip()
    if not _YUAN.fullmatch(text):
        raise ValidationFailed(
            N_("Give the rate as yuan per unit with a point, like 7.1234."), field="yuan"
        )
    if not in_year_window(on):
        raise ValidationFailed(N_("This date is out of range."), field="on")
    return Rate(currency, Decimal(text), on)


def set_rate(actor: User, currency: str, yuan: str, on: date, *, now: datetime) -> Rate:
    """Set one currency's rate of a day (replacing that day's), audited."""
    require_admin(actor)
    rate = parse_rate(currency, yuan, on)
    rates.keep(rate, by=actor.id, now=now, source="admin")
    return rate


def read_file(content: bytes) -> list[Rate]:
    """The rates of a CSV file with the columns date, currency, yuan (a header line first)."""
    if len(content) > MAX_IMPORT_BYTES:
        raise ValidationFailed(N_("The file is too large."), field="file")
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValidationFailed(N_("The file is not UTF-8 text."), field="file") from None
    rows = list(csv.reader(io.StringIO(text)))
    if not rows or [c.strip().lower() for c in rows[0]] != ["date", "currency", "yuan"]:
        raise ValidationFailed(
            N_("The first line must name the columns: date,currency,yuan."), field="file"
        )
    if len(rows) - 1 > MAX_IMPORT_LINES:
        raise ValidationFailed(
            N_("A file holds at most %(max)s rates."), field="file", max=MAX_IMPORT_LINES
        )
    return _rates_of(rows[1:])


def _rates_of(rows: list[list[str]]) -> list[Rate]:
    found: list[Rate] = []
    problems: list[tuple[int, DomainError]] = []
    for line, row in enumerate(rows, start=2):
        if not any(cell.strip() for cell in row):
            continue
        try:
            found.append(_row_rate(row))
        except DomainError as problem:
            problems.append((line, problem))
        if len(problems) == _REPORTED:
            break
    if problems:
        raise FileRefused(problems)
    return found


def _row_rate(row: list[str]) -> Rate:
    if len(row) != 3:
        raise ValidationFailed(N_("A line has three values: date, currency, yuan."))
    try:
        on = date.fromisoformat(row[0].strip())
    except ValueError:
        raise ValidationFailed(N_("Write the date as YYYY-MM-DD.")) from None
    return parse_rate(row[1], row[2], on)


def import_rates(actor: User, content: bytes, *, now: datetime) -> Imported:
    """Import a CSV file of rates whole (a day's rate replaces the one kept), each audited."""
    require_admin(actor)
    found = read_file(content)
    for rate in found:
        rates.keep(rate, by=actor.id, now=now, source="import")
    days = sorted(rate.on for rate in found)
    return Imported(len(found), days[0] if days else None, days[-1] if days else None)
