"""A deal keeps what was sold as it stood: the city statistics count it under the field
and IPC section its listing had when the deal was made."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from zoneinfo import ZoneInfo

from core.extensions import db
from deals.models import Deal
from marketplace.statistics import report
from marketplace.statistics.rules import period
from tests import factories


def test_the_deal_keeps_its_listings_field_section_and_publication(
    market, sell: Callable[..., Deal], clock
) -> None:
    deal = sell()
    listing = market.listing
    assert (deal.field, deal.ipc_section) == (listing.field, listing.ipc_classes[0][0])
    assert deal.listed_at == listing.published_at

    listing.field = "biomed"  # the seller re-files the result afterwards
    db.session.commit()
    zone = ZoneInfo("Asia/Shanghai")
    day = clock().astimezone(zone).date()
    tables = report.full_report(
        factories.platform_reviewer(clock()), period(day - timedelta(days=1), day), zone
    ).tables
    assert [(row.key, row.deals) for row in tables["field"]] == [("energy", 1)]
    assert [(row.key, row.deals) for row in tables["ipc_section"]] == [(deal.ipc_section, 1)]
