"""What the authorisation matrix's world adds for inventors' rewards and pledge-loan reports: a
listing of the seller's (a university) with two inventors, the first of them the buyer's user
(their statement); a partner bank with which the buyer shares its formal report."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from accounts.models import OrganisationKind, User
from core.uow import unit_of_work
from listings.rules import ListingStatus
from rewards import services
from tests import factories
from tests.authorisation_bodies import BODIES
from valuation import sharing

if TYPE_CHECKING:
    from tests.authorisation_world import World


def extend(world: World, now: datetime, upload_folder: Path) -> World:
    """The world with `inventor_id` and `bank_org_id` (committed)."""
    seller, buyer, reviewer = (world.users[r] for r in ("seller", "buyer", "reviewer"))
    assert isinstance(seller, User) and isinstance(buyer, User) and isinstance(reviewer, User)
    listing = factories.listing(
        seller, now, status=ListingStatus.PUBLISHED, reviewer=reviewer, folder=upload_folder,
        title_zh="矩阵测试：发明人奖励",
    )  # fmt: skip
    named = [
        services.NewInventor("矩阵发明人", 6_000, buyer.email),
        services.NewInventor("李娜", 4_000),
    ]
    with unit_of_work():
        inventor = services.set_inventors(seller, listing.id, named, now=now)[0]
    world.ids["inventor_id"] = inventor.id
    bank = factories.seller(now, reviewer=reviewer, kind=OrganisationKind.BANK, name="矩阵测试银行")
    with unit_of_work():
        sharing.share(buyer, int(world.ids["valuation_id"]), bank.organisation_id, now=now)  # type: ignore[arg-type]
    world.ids["bank_org_id"] = bank.organisation_id  # type: ignore[assignment]
    BODIES["valuation.share_report:POST"] = {"bank_org_id": str(bank.organisation_id)}
    BODIES["valuation_api.share:POST"] = {"bank_org_id": bank.organisation_id}
    # The open licence's card payment: where Stripe's page sends the payer back.
    BODIES["open_licences_api.pay_by_card:POST"] = {
        "success_url": "https://market.example/ok",
        "cancel_url": "https://market.example/no",
    }
    for endpoint in ("rewards.inventors", "rewards.set_inventors", "rewards_api.inventors", "rewards_api.set_inventors"):  # fmt: skip
        world.by_endpoint[endpoint] = {"listing_id": listing.id}
    BODIES["rewards_api.set_reward_policy:PUT"] = {"share_bp": 6_000, "allowed_costs": ["fees"]}
    BODIES["rewards_api.set_inventors:PUT"] = {"inventors": [{"name": "王伟", "share_bp": 10_000}]}
    BODIES["rewards.set_policy:POST"] = {"share": "60", "allow_fees": "1"}
    BODIES["rewards.set_inventors:POST"] = {"inventors": "王伟, 100"}
    return world
