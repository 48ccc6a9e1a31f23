"""Deals priced abroad count in the statistics at their value in yuan at the reference rate
of each deal's day; a day without a rate leaves the amount out of the values, and says so."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from zoneinfo import ZoneInfo

from core import rates
from core.currencies import Rate
from deals.models import Deal
from marketplace.statistics import report
from marketplace.statistics.rules import Row, period
from tests import factories
from tests.statistics_world import _add, at

TZ = ZoneInfo("Asia/Shanghai")
MARCH = period(date(2025, 3, 1), date(2025, 3, 31))


def _priced_abroad(world, currency: str, minor: int, day: int) -> None:
    _add(
        Deal, seller_org_id=world.orgs["D"], buyer_org_id=world.orgs["C"], seller_name="s",
        buyer_name="b", title="t", method="listed", channel="online", contract_type="transfer",
        price_minor=minor, currency=currency, status="signed", created_at=at(3, day),
    )  # fmt: skip


def test_deals_abroad_are_valued_at_the_rate_of_their_own_day(world, clock) -> None:
    for on, yuan in ((date(2025, 3, 1), "7.0"), (date(2025, 3, 10), "7.5")):
        rates.keep(Rate("USD", Decimal(yuan), on), by=None, now=clock(), source="import")
    _priced_abroad(world, "USD", 1_000_00, 5)  # US$1,000.00 at 7.0
    _priced_abroad(world, "USD", 10_000_00, 10)  # US$10,000.00 at 7.5
    _priced_abroad(world, "USD", 10_000_00, 12)  # and again at 7.5: one group, one rounding
    _priced_abroad(world, "JPY", 5_000_000, 20)  # no yen rate at all

    reviewer = factories.platform_reviewer(clock())
    result = report.full_report(reviewer, MARCH, TZ)
    # D3 (¥300,000) and D4 (¥400,000) are in March too.
    converted = 7_000 + 75_000 + 75_000
    assert result.totals == Row("total", 6, (700_000 + converted) * 100)
    assert result.tables["month"] == [Row("2025-03", 6, (700_000 + converted) * 100)]
    assert Row("international", 5, (300_000 + converted) * 100) in result.tables["international"]
    assert result.figures["unconverted"] == {"JPY": 5_000_000}
