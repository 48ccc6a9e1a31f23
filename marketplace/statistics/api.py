"""The city statistics as files (`/api/v1/statistics`): the public, anonymised version for
anyone, the full one broker by broker for the market's reviewers and administrators. The
same CSV / XLSX as the statistics pages' export buttons (`exports.export_file`)."""

from __future__ import annotations

from datetime import date
from typing import Any
from zoneinfo import ZoneInfo

from flask import Response, current_app
from flask_babel import gettext
from marshmallow import fields

from accounts.auth import BEARER_TOKEN, api_reader, require_token_for_writes
from core.api_kit import ApiBlueprint
from core.clock import as_utc, now
from core.domain import ValidationFailed
from core.schema_kit import InputSchema
from core.uow import unit_of_work
from core.views_kit import attachment
from marketplace.statistics import exports, report
from marketplace.statistics.labels import key_label
from marketplace.statistics.rules import Period, PeriodError, asked_period

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


def _tz() -> ZoneInfo:
    return ZoneInfo(current_app.config.get("BABEL_DEFAULT_TIMEZONE", "Asia/Shanghai"))


def _period(args: dict[str, Any]) -> Period:
    today: date = as_utc(now()).astimezone(_tz()).date()
    try:
        return asked_period(args["start"], args["last"], today)
    except PeriodError as error:
        raise ValidationFailed(str(error), field="to") from error


def _file(result: report.Report, kind: str, stem: str) -> Response:
    body, content_type, name = exports.export_file(result, kind, stem, gettext, key_label)
    return attachment(body, content_type, name)


@blp.download("/export.<any(csv, xlsx):kind>", _KINDS, "The public statistics: a block (CSV, with a BOM) or a sheet (XLSX) per table, small groups combined and hidden, as the public page exports them", _PERIOD, args=PeriodArgsSchema)  # fmt: skip
def public_export(args: dict[str, Any], kind: str) -> Response:
    """The market in figures, anonymised (no token needed)."""
    with unit_of_work():
        return _file(report.public_report(_period(args), _tz()), kind, "market-statistics")


@blp.download("/full/export.<any(csv, xlsx):kind>", _KINDS, "Every figure of the market, broker by broker, as the reviewers' statistics page exports them", _REVIEWERS, _PERIOD, args=PeriodArgsSchema)  # fmt: skip
def full_export(args: dict[str, Any], kind: str) -> Response:
    """The full statistics, for the market's reviewers and administrators."""
    with unit_of_work():
        result = report.full_report(api_reader(), _period(args), _tz())
        return _file(result, kind, "city-statistics")
