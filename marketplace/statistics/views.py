"""The city statistics pages and their CSV / XLSX exports.

`/review/statistics` is the full version (reviewers and administrators: the report refuses
anyone else); `/statistics` is the public, anonymised one. Both take ?from=&to= (dates,
inclusive, bounded: see rules.period).
"""

from __future__ import annotations

from datetime import date
from functools import partial

from flask import Blueprint, Response, render_template
from flask_babel import gettext as _
from flask_login import current_user, login_required
from markupsafe import Markup

from core.bounds import BadField, query_date
from core.clock import as_utc, now
from core.i18n import market_tz, money_wan
from core.views_kit import download
from marketplace.statistics import charts, exports, report
from marketplace.statistics.exports import FIGURE_NAMES, TABLE_TITLES
from marketplace.statistics.labels import key_label
from marketplace.statistics.rules import Period, PeriodError, asked_period

bp = Blueprint("statistics", __name__)


def _period() -> Period:
    """The period asked for (?from=&to=), or this year so far."""
    today = as_utc(now()).astimezone(market_tz()).date()
    try:
        return asked_period(query_date("from"), query_date("to"), today)
    except PeriodError as error:
        raise BadField(str(error), "to") from error


def _page(result: report.Report, export_endpoint: str) -> str:
    chart_svgs = {
        name: Markup(
            charts.bar_chart(
                charts.bars_of(rows, partial(key_label, name), money_wan),
                chart_id=f"chart-{name}",
                title=_(TABLE_TITLES[name]),
                desc=_("Deals' value per row; the table beside it holds the same figures."),
            )
        )
        for name, rows in result.tables.items()
    }
    return render_template(
        "statistics/page.html",
        report=result,
        charts=chart_svgs,
        tables=report.TABLES,
        titles=TABLE_TITLES,
        figure_names=FIGURE_NAMES,
        key_label=key_label,
        amount=money_wan,
        export_endpoint=export_endpoint,
        last_day=date.fromordinal(result.period.end.toordinal() - 1),
    )


def _download(result: report.Report, kind: str, stem: str) -> Response:
    body, content_type, name = exports.export_file(result, kind, stem, _, key_label)
    return download(body, content_type, name)


@bp.route("/statistics")
def public() -> str:
    """The market in figures, anonymised: small groups are combined and hidden."""
    return _page(report.public_report(_period(), market_tz()), "statistics.public_export")


@bp.route("/statistics/export.<any(csv, xlsx):kind>")
def public_export(kind: str) -> Response:
    """The public statistics as CSV or XLSX."""
    return _download(report.public_report(_period(), market_tz()), kind, "market-statistics")


@bp.route("/review/statistics")
@login_required
def full() -> str:
    """Every figure of the market, broker by broker (reviewers and administrators)."""
    return _page(report.full_report(current_user, _period(), market_tz()), "statistics.full_export")


@bp.route("/review/statistics/export.<any(csv, xlsx):kind>")
@login_required
def full_export(kind: str) -> Response:
    """The full statistics as CSV or XLSX (reviewers and administrators)."""
    return _download(
        report.full_report(current_user, _period(), market_tz()), kind, "city-statistics"
    )
