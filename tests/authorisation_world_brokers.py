"""What the authorisation matrix's world adds for the brokers' API: a deal the broker earned a
commission on (the seller's mandate on its listing, the buyer introduced, then the sale),
and the broker's application document as the pages name it."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from accounts.models import User
from brokers import introductions, mandates
from brokers.rules import CommissionKind, MandateSide, Payer
from core.uow import unit_of_work
from listings.rules import ListingStatus
from tests import factories
from tests.authorisation_world import _sale

if TYPE_CHECKING:
    from tests.authorisation_world import World


def extend(world: World, now: datetime, upload_folder: Path) -> World:
    """The world whose `brokers_api.rate` names a deal with the broker's commission."""
    seller, buyer, reviewer = world.users["seller"], world.users["buyer"], world.users["reviewer"]
    broker_user = world.users["broker"]
    assert isinstance(seller, User) and isinstance(buyer, User) and isinstance(reviewer, User)
    assert isinstance(broker_user, User)
    listing = factories.listing(seller, now, status=ListingStatus.PUBLISHED, reviewer=reviewer, folder=upload_folder, title_zh="矩阵测试成果：经纪成交")  # fmt: skip
    terms = mandates.MandateInput(
        broker_id=int(world.ids["broker_id"]), side=MandateSide.SELLER, listing_id=listing.id,
        starts_at=now, ends_at=now + timedelta(days=180), commission_kind=CommissionKind.PERCENTAGE,
        rate_bps=200, min_minor=1_000_000, max_minor=10_000_000, payer=Payer.SELLER, notice_days=30,
    )  # fmt: skip
    with unit_of_work():
        mandate = mandates.propose_mandate(seller, terms, now=now)
        mandates.accept_mandate(broker_user, mandate.id, now=now)
        introductions.introduce(broker_user, listing_id=listing.id, buyer_org_id=buyer.acting_org_id, now=now)  # fmt: skip
    deal = _sale(listing.id, buyer, int(world.ids["auction_id"]), now)
    world.by_endpoint["brokers_api.rate"] = {"deal_id": deal.id}
    world.by_endpoint["brokers_api.document_file"] = dict(world.by_endpoint["brokers.document_file"])  # fmt: skip
    return world
