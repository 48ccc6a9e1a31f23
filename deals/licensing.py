"""A licence granted through the market becomes a deal without selling the listing.

A listing is sold (transferred) at most once, but it may be licensed many times: a
licence deal carries `source_type` LICENCE_SOURCE, which the one-live-deal-per-listing
index leaves out. Whether the licences conflict is the licences domain's rule.
"""

from __future__ import annotations

from datetime import datetime

from deals.models import ContractType, Deal, SaleMethod
from deals.services import announce_new, check_price, online_deal
from listings.models import Listing

LICENCE_SOURCE = "licence"


def record_licence(
    listing: Listing, *, licensee_org_id: int, price_minor: int, now: datetime, actor_id: int
) -> Deal:
    """A negotiated licence of `listing` to the licensee, awaiting both signatures (flushes).

    The price is what the licensee pays up front (the entry fee, 入门费); royalties are
    posted to the same deal's ledger as they fall due.
    """
    check_price(price_minor)
    deal = online_deal(
        listing, licensee_org_id, price_minor, now=now, method=SaleMethod.NEGOTIATED,
        contract_type=ContractType.LICENCE, source_type=LICENCE_SOURCE,
    )  # fmt: skip
    return announce_new(deal, "deal.create", actor_id, now)
