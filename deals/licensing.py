"""A licence granted through the market becomes a deal without selling the listing.

A listing is sold (transferred) at most once, but it may be licensed many times: a
licence deal carries `source_type` LICENCE_SOURCE, which the one-live-deal-per-listing
index leaves out. Whether the licences conflict is the licences domain's rule.
"""

from __future__ import annotations

from datetime import datetime

from accounts.services import get_organisation
from core.domain import N_, ValidationFailed
from core.service_kit import audit_action, flush_new
from deals import signals, telling
from deals.models import Channel, ContractType, Deal, DealStatus, SaleMethod
from deals.services import what_was_sold
from listings.models import Listing

LICENCE_SOURCE = "licence"


def record_licence(
    listing: Listing, *, licensee_org_id: int, price_minor: int, now: datetime, actor_id: int
) -> Deal:
    """A negotiated licence of `listing` to the licensee, awaiting both signatures (flushes).

    The price is what the licensee pays up front (the entry fee, 入门费); royalties are
    posted to the same deal's ledger as they fall due.
    """
    if price_minor <= 0:
        raise ValidationFailed(N_("The price must be more than zero."), field="price")
    licensee = get_organisation(licensee_org_id)
    deal = Deal(
        listing_id=listing.id,
        seller_org_id=listing.organisation_id,
        buyer_org_id=licensee.id,
        seller_name=listing.organisation.name,
        buyer_name=licensee.name,
        title=listing.title(),
        method=SaleMethod.NEGOTIATED,
        channel=Channel.ONLINE,
        contract_type=ContractType.LICENCE,
        price_minor=price_minor,
        currency=listing.currency,
        status=DealStatus.AWAITING_SIGNATURE,
        source_type=LICENCE_SOURCE,
        created_at=now,
        **what_was_sold(listing),
    )
    flush_new(deal)
    after = {"status": deal.status.value, "price_minor": price_minor}
    audit_action("deal.create", deal.id, actor_id, now, before=None, after=after)
    signals.deal_created.send(deal, now=now, actor_id=actor_id)
    telling.to_integrators(deal, "deal.created", now=now)
    return deal
