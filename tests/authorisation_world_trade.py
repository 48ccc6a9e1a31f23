"""What the authorisation matrix's world adds for technology import/export records: the
buyer's organisation is abroad, so the world's deal is an export, with its record checked."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from accounts.models import Organisation, User
from core.extensions import db
from core.uow import unit_of_work
from deals import trade_records
from deals.trade_rules import TechCategory, TradeDetails

if TYPE_CHECKING:
    from tests.authorisation_world import World


def extend(world: World, now: datetime) -> World:
    """The world whose `deal_id` is a technology export with a cleared record."""
    seller, buyer, reviewer = world.users["seller"], world.users["buyer"], world.users["reviewer"]
    assert isinstance(seller, User) and isinstance(buyer, User) and isinstance(reviewer, User)
    deal_id = int(world.ids["deal_id"])
    with unit_of_work():
        org = db.session.get(Organisation, buyer.acting_org_id)
        assert org is not None
        org.country = "DE"
        details = TradeDetails(TechCategory.FREE, "", 700_000, "30% on signing, 70% on delivery")
        trade_records.save(seller, deal_id, details, now=now)
        trade_records.check(reviewer, deal_id, "", now=now)
    return world
