"""The statistics of a period, full (reviewers and administrators) or public (anonymised).

Authorisation lives here: `full_report` refuses anyone who may not review.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from accounts import services as accounts
from accounts.models import User
from events.figures import period_figures
from marketplace.statistics import queries, rules
from marketplace.statistics.rules import Period, Row

# The tables in the order the page, the CSV and the XLSX show them.
TABLES: tuple[str, ...] = (
    "channel",
    "method",
    "field",
    "ipc_section",
    "province",
    "city",
    "organisation_kind",
    "international",
    "year",
    "month",
)


EVENT_FIGURES = (
    "events_held",
    "event_registrations",
    "event_contact_requests",
    "event_introduction_requests",
)


@dataclass(frozen=True)
class Report:
    """Every table and figure of one period; `public` says whether small cells are hidden."""

    period: Period
    public: bool
    tables: dict[str, list[Row]]
    totals: Row
    figures: dict[str, Any]
    brokers: list[dict[str, Any]] = field(default_factory=list)


def _collect(period: Period, tz: ZoneInfo) -> tuple[dict[str, list[Row]], dict[str, Any]]:
    """Every table and figure of the period, from the two deal scans and a few counts."""
    cubes = queries.deal_cubes(period, tz)
    deal, parties = cubes["deal"], cubes["parties"]
    region = rules.rollup(parties, 0)
    month = rules.rollup(deal, 2)
    tables = {
        "channel": rules.rollup(deal, 0),
        "method": rules.rollup(deal, 1),
        "field": rules.rollup(deal, 3),
        "ipc_section": rules.rollup(deal, 4),
        "province": rules.by_province(region),
        "city": rules.by_city(region),
        "organisation_kind": rules.rollup(parties, 1),
        "international": rules.international((k[0], k[2], n, v) for k, n, v in parties),
        "year": rules.by_year(month),
        "month": month,
    }
    figures = queries.market_figures(period, tz)
    figures["timed_deals"] = cubes["timed_deals"]
    figures["unconverted"] = cubes["unconverted"]
    figures["conversion"] = rules.conversion(
        figures["listings_published"], figures["listings_sold"]
    )
    figures["days_to_deal"] = rules.mean_days(cubes["seconds_to_deal"], cubes["timed_deals"])
    figures |= period_figures(*queries.bounds(period, tz))
    return tables, figures


def full_report(actor: User | None, period: Period, tz: ZoneInfo) -> Report:
    """Everything, broker by broker (reviewers and administrators only)."""
    accounts.require_reviewer(actor)
    tables, figures = _collect(period, tz)
    brokers = queries.broker_rows(period, tz)
    figures["introductions"] = sum(b["introductions"] for b in brokers)
    figures["commission_deals"] = sum(b["deals"] for b in brokers)
    figures["commission_minor"] = sum(b["commission_minor"] for b in brokers)
    return Report(period, False, tables, rules.total(tables["channel"]), figures, brokers)


def public_report(period: Period, tz: ZoneInfo) -> Report:
    """The anonymised version: small cells folded and hidden, no broker named, no deposits
    or commissions that could point at one bidder or one broker."""
    raw, full = _collect(period, tz)
    tables = {name: rules.suppress(rows) for name, rows in raw.items()}
    true_total = rules.total(raw["channel"])
    totals = rules.public_figure(true_total.deals, true_total.value_minor)
    small_sample = full["timed_deals"] < rules.PUBLIC_THRESHOLD
    figures = {
        "listings_published": full["listings_published"],
        "needs_published": full["needs_published"],
        "conversion": None if totals.suppressed else full["conversion"],
        "days_to_deal": None if small_sample else full["days_to_deal"],
        # Events are public and counted whole: no figure here rests on one deal's parties.
        **{name: full[name] for name in EVENT_FIGURES},
    }
    return Report(period, True, tables, totals, figures)
