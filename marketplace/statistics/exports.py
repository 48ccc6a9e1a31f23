"""The statistics as CSV (one file, a block per table) and XLSX (a sheet per table).

Labels arrive translated through `label` / `heading`; amounts are written in yuan with two
decimals (CSV) or as numbers (XLSX) so a spreadsheet can add them up.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from datetime import timedelta
from decimal import Decimal

from core.domain import N_
from marketplace.statistics.report import TABLES, Report

CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
Translate = Callable[[str], str]
Label = Callable[[str, str], str]  # (table, key) → the key's label


def _yuan(minor: int) -> Decimal:
    return (Decimal(minor) / 100).quantize(Decimal("0.01"))


def _summary(report: Report, heading: Translate) -> list[tuple[str, object]]:
    lines: list[tuple[str, object]] = [
        (heading(N_("From")), report.period.start.isoformat()),
        (heading(N_("To")), (report.period.end - timedelta(days=1)).isoformat()),
        (heading(N_("Deals")), "" if report.totals.suppressed else report.totals.deals),
        (
            heading(N_("Value (yuan)")),
            "" if report.totals.suppressed else _yuan(report.totals.value_minor),
        ),
    ]
    for name, value in report.figures.items():
        if name in FIGURE_NAMES:
            lines.append((heading(FIGURE_NAMES[name]), _figure(name, value)))
    return lines


FIGURE_NAMES: dict[str, str] = {
    "listings_published": N_("Listings published"),
    "needs_published": N_("Technology needs published"),
    "conversion": N_("Conversion (listing to deal)"),
    "days_to_deal": N_("Mean days from publication to deal"),
    "deposits_held": N_("Deposits held now"),
    "deposits_held_minor": N_("Deposits held now (yuan)"),
    "introductions": N_("Broker introductions"),
    "commission_deals": N_("Deals with a broker's commission"),
    "commission_minor": N_("Commissions (yuan)"),
    "events_held": N_("Roadshows and events held"),
    "event_registrations": N_("Event registrations"),
    "event_contact_requests": N_("Contact requests at events"),
    "event_introduction_requests": N_("Introduction requests at events"),
}


def _figure(name: str, value: object) -> object:
    if value is None:
        return ""
    if name.endswith("_minor") and isinstance(value, int):
        return _yuan(value)
    if name == "conversion" and isinstance(value, float):
        return round(value, 4)
    return value


def _table_rows(report: Report, name: str, label: Label) -> list[tuple[object, object, object]]:
    return [
        (
            label(name, row.key),
            "" if row.suppressed else row.deals,
            "" if row.suppressed else _yuan(row.value_minor),
        )
        for row in report.tables[name]
    ]


def to_csv(report: Report, heading: Translate, label: Label) -> str:
    """One CSV: the summary, then each table under its title, then the brokers (full only)."""
    out = io.StringIO()
    writer = csv.writer(out)
    for line in _summary(report, heading):
        writer.writerow(line)
    for name in TABLES:
        writer.writerow([])
        writer.writerow(
            [heading(TABLE_TITLES[name]), heading(N_("Deals")), heading(N_("Value (yuan)"))]
        )
        writer.writerows(_table_rows(report, name, label))
    if not report.public:
        writer.writerow([])
        writer.writerow(_broker_heading(heading))
        writer.writerows(_broker_rows(report))
    return out.getvalue()


def to_xlsx(report: Report, heading: Translate, label: Label) -> bytes:
    """One workbook: a summary sheet, a sheet per table, and the brokers' sheet (full only)."""
    from openpyxl import Workbook  # loaded by the first export, not by every start

    book = Workbook()
    summary = book.active
    assert summary is not None
    summary.title = _sheet_title(heading(N_("Summary")))
    for line in _summary(report, heading):
        summary.append(list(line))
    for name in TABLES:
        sheet = book.create_sheet(_sheet_title(heading(TABLE_TITLES[name])))
        sheet.append(
            [heading(TABLE_TITLES[name]), heading(N_("Deals")), heading(N_("Value (yuan)"))]
        )
        for row in _table_rows(report, name, label):
            sheet.append(list(row))
    if not report.public:
        sheet = book.create_sheet(_sheet_title(heading(N_("Brokers"))))
        sheet.append(_broker_heading(heading))
        for broker in _broker_rows(report):
            sheet.append(list(broker))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def export_file(
    report: Report, kind: str, stem: str, heading: Translate, label: Label
) -> tuple[bytes, str, str]:
    """The report as `kind` (csv, with a BOM, or xlsx): its body, content type and file name
    (`stem` and the period's first and last days)."""
    last = report.period.end - timedelta(days=1)
    name = f"{stem}-{report.period.start:%Y%m%d}-{last:%Y%m%d}.{kind}"
    if kind == "csv":
        return to_csv(report, heading, label).encode("utf-8-sig"), CSV_TYPE, name
    return to_xlsx(report, heading, label), XLSX_TYPE, name


def _sheet_title(title: str) -> str:
    """Excel's sheet names: at most 31 characters, none of []:*?/\\."""
    return "".join(c for c in title if c not in "[]:*?/\\")[:31]


def _broker_heading(heading: Translate) -> list[str]:
    return [
        heading(N_("Broker")),
        heading(N_("Introductions")),
        heading(N_("Deals")),
        heading(N_("Commissions (yuan)")),
    ]


def _broker_rows(report: Report) -> list[tuple[object, ...]]:
    return [
        (b["broker"], b["introductions"], b["deals"], _yuan(b["commission_minor"]))
        for b in report.brokers
    ]


TABLE_TITLES: dict[str, str] = {
    "channel": N_("By channel"),
    "method": N_("By pricing method"),
    "field": N_("By field"),
    "ipc_section": N_("By IPC section"),
    "province": N_("By province"),
    "city": N_("By city"),
    "organisation_kind": N_("By seller's organisation type"),
    "international": N_("Domestic and international"),
    "year": N_("By year"),
    "month": N_("By month"),
}
