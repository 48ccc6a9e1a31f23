"""The city statistics (`/api/v1/statistics`): the public, anonymised version for anyone, the
full one broker by broker for the market's reviewers and administrators; as JSON (the
pages' tables and figures) or as the same CSV / XLSX as the pages' export buttons
(`exports.export_file`)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from flask import Response
from flask_babel import gettext
from marshmallow import Schema, fields

from accounts.auth import BEARER_TOKEN, api_reader, require_token_for_writes
from core.api_kit import ApiBlueprint
from core.clock import as_utc, now
from core.domain import ValidationFailed
from core.i18n import market_tz
from core.schema_kit import InputSchema
from core.uow import unit_of_work
from core.views_kit import download
from marketplace.statistics import exports, report
from marketplace.statistics.labels import key_label
from marketplace.statistics.rules import Period, PeriodError, Row, asked_period

blp = ApiBlueprint(
    "statistics_api",
    __name__,
    description="City statistics of technology transfer (技术交易统计) as CSV or XLSX",
    write_doc=BEARER_TOKEN,
)
blp.before_request(require_token_for_writes)

_KINDS = ("text/csv", exports.XLSX_TYPE)
_PERIOD = (422, "`from` or `to` is not a date, or the period ends before it starts or is longer than ten years.")  # fmt: skip
_REVIEWERS = (403, "Only the market's reviewers and administrators read the full statistics.")


class PeriodArgsSchema(InputSchema):
    """`?from=…&to=…`: market days, both included; this year so far when left out."""

    start = fields.Date(load_default=None, data_key="from", metadata={"description": "The first day (market time), e.g. 2026-01-01"})  # fmt: skip
    last = fields.Date(load_default=None, data_key="to", metadata={"description": "The last day (market time), e.g. 2026-06-30"})  # fmt: skip


class StatisticsRowOutSchema(Schema):
    """A row of a table: its key and label, its deals and their value; a suppressed row (the
    public version folds groups of fewer than three deals) shows no figure."""

    key = fields.String()
    label = fields.String(metadata={"description": "The key in the request's language"})
    deals = fields.Integer(allow_none=True)
    value_minor = fields.Integer(allow_none=True, metadata={"description": "In 分 (CNY)"})
    suppressed = fields.Boolean()


class BrokerFiguresOutSchema(Schema):
    """A broker's figures in the period (the full version only)."""

    broker = fields.String()
    introductions = fields.Integer()
    deals = fields.Integer()
    commission_minor = fields.Integer()


class StatisticsOutSchema(Schema):
    """The statistics of a period, as the statistics page shows them."""

    start = fields.Date(data_key="from")
    last = fields.Date(data_key="to")
    public = fields.Boolean(metadata={"description": "Small groups combined and hidden"})
    totals = fields.Nested(StatisticsRowOutSchema)
    tables = fields.Dict(keys=fields.String(), values=fields.List(fields.Nested(StatisticsRowOutSchema)), metadata={"description": f"By {', '.join(report.TABLES)}"})  # fmt: skip
    figures = fields.Dict(keys=fields.String(), values=fields.Float(allow_none=True), metadata={"description": f"Any of {', '.join(exports.FIGURE_NAMES)}; null: hidden or not known"})  # fmt: skip
    brokers = fields.List(fields.Nested(BrokerFiguresOutSchema))


def _row(table: str, row: Row) -> dict[str, Any]:
    hidden = row.suppressed
    return {
        "key": row.key, "label": key_label(table, row.key), "suppressed": hidden,
        "deals": None if hidden else row.deals, "value_minor": None if hidden else row.value_minor,
    }  # fmt: skip


def _shown(result: report.Report) -> dict[str, Any]:
    figures = {k: v for k, v in result.figures.items() if k in exports.FIGURE_NAMES}
    return {
        "start": result.period.start, "last": result.period.end - timedelta(days=1),
        "public": result.public, "totals": _row("total", result.totals), "figures": figures,
        "tables": {name: [_row(name, r) for r in rows] for name, rows in result.tables.items()},
        "brokers": result.brokers,
    }  # fmt: skip


def _period(args: dict[str, Any]) -> Period:
    today: date = as_utc(now()).astimezone(market_tz()).date()
    try:
        return asked_period(args["start"], args["last"], today)
    except PeriodError as error:
        raise ValidationFailed(str(error), field="to") from error


def _file(result: report.Report, kind: str, stem: str) -> Response:
    body, content_type, name = exports.export_file(result, kind, stem, gettext, key_label)
    return download(body, content_type, name)


@blp.read("/", StatisticsOutSchema, _PERIOD, args=PeriodArgsSchema)
def public_statistics(args: dict[str, Any]) -> dict[str, Any]:
    """The market in figures, anonymised, as the public statistics page shows them."""
    with unit_of_work():
        return _shown(report.public_report(_period(args), market_tz()))


@blp.read("/full", StatisticsOutSchema, _REVIEWERS, _PERIOD, args=PeriodArgsSchema)
def full_statistics(args: dict[str, Any]) -> dict[str, Any]:
    """Every figure of the market, broker by broker, as the reviewers' statistics page shows."""
    with unit_of_work():
        return _shown(report.full_report(api_reader(), _period(args), market_tz()))


@blp.download("/export.<any(csv, xlsx):kind>", _KINDS, "The public statistics: a block (CSV, with a BOM) or a sheet (XLSX) per table, small groups combined and hidden, as the public page exports them", _PERIOD, args=PeriodArgsSchema)  # fmt: skip
def public_export(args: dict[str, Any], kind: str) -> Response:
    """The market in figures, anonymised (no token needed)."""
    with unit_of_work():
        return _file(report.public_report(_period(args), market_tz()), kind, "market-statistics")


@blp.download("/full/export.<any(csv, xlsx):kind>", _KINDS, "Every figure of the market, broker by broker, as the reviewers' statistics page exports them", _REVIEWERS, _PERIOD, args=PeriodArgsSchema)  # fmt: skip
def full_export(args: dict[str, Any], kind: str) -> Response:
    """The full statistics, for the market's reviewers and administrators."""
    with unit_of_work():
        result = report.full_report(api_reader(), _period(args), market_tz())
        return _file(result, kind, "city-statistics")
