"""The batch a registration office imports: one row per contract signed in a period.

The headings are the office's own (Chinese, fixed: its import matches them), amounts are
yuan with two decimals, dates ISO. A contract whose form is not completed yet is
exported with its known fields and `待补全` in the status column, so the office sees
what is missing rather than a silent gap.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo
from decimal import Decimal

from sqlalchemy import Select, select

from accounts.models import User
from accounts.services import require_reviewer
from core.domain import N_, ValidationFailed
from core.money import Money, to_yuan_text
from core.row_lists import all_of
from core.spreadsheet_cells import formula_safe
from deals.models import Deal, DealRegistration
from deals.registration import SHANGHAI, RegistrationRecord, records_for
from deals.registration_details import details_of
from deals.registration_rules import PAYMENT_METHODS, SUBTYPES
from deals.rules import DealStatus
from listings.rules import FIELDS

MAX_PERIOD_DAYS = 366
CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_STATE_LABELS = {"incomplete": "待补全", "to_register": "待登记", "registered": "已登记"}


@dataclass(frozen=True)
class ExportRow:
    """A contract of the batch: the deal's record and the completed form, if any."""

    record: RegistrationRecord
    form: DealRegistration | None


def _yuan(minor: int, currency: str) -> str:
    return to_yuan_text(Money(minor, currency))


def _form(getter: Callable[[DealRegistration], str]) -> Callable[[ExportRow], str]:
    return lambda row: getter(row.form) if row.form is not None else ""


def subtype_label(row: ExportRow) -> str:
    """The sub-type as the form names it (合同子类)."""
    if row.form is None:
        return ""
    return SUBTYPES[row.record.contract_type].get(row.form.contract_subtype, "")


COLUMNS: tuple[tuple[str, Callable[[ExportRow], str]], ...] = (
    ("合同编号", _form(lambda f: f.contract_number)),
    ("项目名称", lambda r: r.form.project_name if r.form else r.record.contract_name),
    ("合同类别", lambda r: r.record.official_category),
    ("合同子类", lambda r: subtype_label(r)),
    ("技术领域", _form(lambda f: FIELDS.get(f.technology_field, ("",))[0])),
    ("卖方名称", lambda r: r.record.seller.name),
    ("卖方统一社会信用代码", lambda r: r.record.seller.credit_code or ""),
    ("卖方行政区划代码", _form(lambda f: f.seller_region_code)),
    ("买方名称", lambda r: r.record.buyer.name),
    ("买方统一社会信用代码", lambda r: r.record.buyer.credit_code or ""),
    ("买方行政区划代码", _form(lambda f: f.buyer_region_code)),
    ("签订日期", lambda r: r.record.signed_on.isoformat() if r.record.signed_on else ""),
    ("合同起始日期", _form(lambda f: f.term_start.isoformat())),
    ("合同终止日期", _form(lambda f: f.term_end.isoformat())),
    ("合同金额（元）", lambda r: to_yuan_text(r.record.contract_amount)),
    (
        "技术交易额（元）",
        _form(lambda f: _yuan(f.transaction_amount_minor, "CNY")),
    ),
    ("支付方式", _form(lambda f: PAYMENT_METHODS.get(f.payment_method, ""))),
    ("登记证明编号", _form(lambda f: f.certificate_number or "")),
    ("平台成交编号", lambda r: str(r.record.deal_id)),
    ("状态", lambda r: _STATE_LABELS[state(r)]),
)


def values(row: ExportRow) -> list[str]:
    """The row's cells, in the columns' order."""
    return [value(row) for _, value in COLUMNS]


def check_period(start: date, end: date) -> None:
    """A period the export covers: from ≤ to, at most a year."""
    if end < start or (end - start).days >= MAX_PERIOD_DAYS:
        raise ValidationFailed(
            N_("Choose a period of at most %(days)d days, its end after its start."),
            field="to",
            days=MAX_PERIOD_DAYS,
        )


def _signed_in_period(start: date, end: date, tz: tzinfo) -> Select[Deal]:
    """The deals signed from `start` to `end` (market dates, inclusive), not cancelled."""
    check_period(start, end)
    since = datetime.combine(start, time.min, tz)
    until = datetime.combine(end + timedelta(days=1), time.min, tz)
    return select(Deal).where(
        Deal.signed_at >= since, Deal.signed_at < until, Deal.status != DealStatus.CANCELLED
    )


def _rows(deals: Sequence[Deal], tz: tzinfo) -> list[ExportRow]:
    forms = details_of(d.id for d in deals)
    return [ExportRow(record, forms.get(record.deal_id)) for record in records_for(deals, tz=tz)]


def rows_for_period(start: date, end: date, *, tz: tzinfo = SHANGHAI) -> list[ExportRow]:
    """The contracts signed from `start` to `end` (market dates, inclusive), not cancelled."""
    query = _signed_in_period(start, end, tz).order_by(Deal.signed_at, Deal.id)
    return _rows(all_of(query), tz)


def batch(actor: User, start: date, end: date, *, tz: tzinfo = SHANGHAI) -> list[ExportRow]:
    """The whole batch of a period, as the office imports it (the market's reviewers)."""
    require_reviewer(actor)
    return rows_for_period(start, end, tz=tz)


def batch_page(
    actor: User, start: date, end: date, *, tz: tzinfo, before: int | None, limit: int
) -> list[ExportRow]:
    """A page of the batch (reviewers): the contracts below deal `before`, highest id first."""
    require_reviewer(actor)
    query = _signed_in_period(start, end, tz)
    if before is not None:
        query = query.where(Deal.id < before)
    return _rows(all_of(query.order_by(Deal.id.desc()).limit(limit)), tz)


def state(row: ExportRow) -> str:
    """Where the contract stands: `incomplete` (form missing), `to_register`, `registered`."""
    if row.form is None:
        return "incomplete"
    return "registered" if row.form.certificate_number else "to_register"


def export_csv(rows: Sequence[ExportRow]) -> bytes:
    """The batch as CSV (UTF-8 with a BOM, which the offices' Excel expects)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([heading for heading, _ in COLUMNS])
    for row in rows:
        writer.writerow([formula_safe(v) for v in values(row)])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def export_file(rows: Sequence[ExportRow], fmt: str) -> tuple[bytes, str]:
    """The batch as `fmt` (csv or xlsx) and its media type."""
    if fmt == "csv":
        return export_csv(rows), CSV_TYPE
    return export_xlsx(rows), XLSX_TYPE


def file_name(start: date, end: date, fmt: str) -> str:
    """The file's name: the period it covers."""
    return f"technology-contracts-{start:%Y%m%d}-{end:%Y%m%d}.{fmt}"


def export_xlsx(rows: Sequence[ExportRow]) -> bytes:
    """The batch as one sheet, amounts as numbers, everything else as text."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "技术合同登记"
    sheet.append([heading for heading, _ in COLUMNS])
    amounts = {14, 15}
    for row in rows:
        cells: list[object] = [formula_safe(v) for v in values(row)]
        for index in amounts:
            if cells[index]:
                cells[index] = Decimal(str(cells[index]))
        sheet.append(cells)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
