"""A small market for the valuation tests: a seller with a listing, a buyer, a reviewer,
and deals of similar listings (the market approach's comparables)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from flask.testing import FlaskClient

from accounts.models import OrganisationKind, User
from core.extensions import db
from deals import services as deals
from deals.models import SaleMethod
from listings import services as listings
from listings.models import Listing
from listings.rules import ListingStatus, SaleState
from tests import factories


@dataclass
class Market:
    """The people and the listing a valuation test needs."""

    reviewer: User
    seller: User
    buyer: User
    stranger: User
    listing: Listing


@pytest.fixture
def market(db_session: object, clock, upload_folder: Path) -> Market:
    """A verified university with a published listing, a verified enterprise, a stranger."""
    now = clock()
    reviewer = factories.platform_reviewer(now)
    seller = factories.seller(now, reviewer=reviewer, name="华东理工估值测试大学")
    buyer = factories.seller(
        now, reviewer=reviewer, kind=OrganisationKind.ENTERPRISE, name="估值测试新能源有限公司"
    )
    stranger = factories.seller(now, reviewer=reviewer, kind=OrganisationKind.ENTERPRISE)
    item = factories.listing(
        seller,
        now,
        status=ListingStatus.PUBLISHED,
        reviewer=reviewer,
        folder=upload_folder,
        title_zh="一种固态电解质薄膜的制备方法",
    )
    return Market(reviewer, seller, buyer, stranger, item)


@pytest.fixture
def comparable_deals(market: Market, clock, upload_folder: Path) -> Callable[..., list[int]]:
    """Sell other energy listings (same IPC subclass H01M) to the buyer at the given prices."""

    def _make(*prices_yuan: int, trl: int = 5) -> list[int]:
        now = clock()
        ids = []
        for price in prices_yuan:
            other = factories.listing(
                market.seller,
                now,
                status=ListingStatus.PUBLISHED,
                reviewer=market.reviewer,
                folder=upload_folder,
                title_zh=f"可比成果{price}",
                trl=trl,
            )
            listings.set_sale_state(other.id, SaleState.IN_AUCTION, now=now, actor_id=None)
            deal = deals.record_sale(
                listing_id=other.id,
                buyer_org_id=market.buyer.organisation_id,
                price_minor=price * 100,
                method=SaleMethod.AUCTION,
                source_type="auction",
                source_id=other.id,
                now=now,
            )
            ids.append(deal.id)
        db.session.commit()
        return ids

    return _make


@pytest.fixture
def sign_in(client: FlaskClient) -> Callable[[User], None]:
    """Sign the test client in as a user."""

    def _sign_in(user: User) -> None:
        client.post("/signout")
        response = client.post(
            "/signin", data={"email": user.email, "password": factories.PASSWORD}
        )
        assert response.status_code == 302

    return _sign_in
