"""A small market for the deal tests: a university selling, an enterprise buying, a stranger."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from accounts.models import Organisation, OrganisationKind, User, VerificationStatus
from core.extensions import db
from deals import services
from deals.models import Deal, SaleMethod
from listings import services as listings
from listings.models import Listing
from listings.rules import ListingStatus, SaleState
from tests import factories


@dataclass
class Market:
    """The people and the listing a deal test needs."""

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
    seller = factories.seller(now, reviewer=reviewer, name="华东理工测试大学")
    buyer = factories.seller(
        now, reviewer=reviewer, kind=OrganisationKind.ENTERPRISE, name="宁德测试新能源有限公司"
    )
    stranger = factories.seller(now, reviewer=reviewer, kind=OrganisationKind.ENTERPRISE)
    item = factories.listing(
        seller, now, status=ListingStatus.PUBLISHED, reviewer=reviewer, folder=upload_folder
    )
    return Market(reviewer, seller, buyer, stranger, item)


@pytest.fixture
def sell(market: Market, clock) -> Callable[..., Deal]:
    """Record an online sale of the market's listing to the buyer (¥500,000 by default).

    The listing goes into an auction first, as it would on the market: a listing is sold
    out of a sale (listed sale, negotiation or auction), never straight from available.
    """

    def _sell(price_minor: int = 50_000_000, method: SaleMethod = SaleMethod.AUCTION) -> Deal:
        listings.set_sale_state(market.listing.id, SaleState.IN_AUCTION, now=clock(), actor_id=None)
        deal = services.record_sale(
            listing_id=market.listing.id,
            buyer_org_id=market.buyer.organisation_id,
            price_minor=price_minor,
            method=method,
            source_type="auction",
            source_id=1,
            now=clock(),
        )
        db.session.commit()
        return deal

    return _sell


@pytest.fixture
def deals_folder(app: Flask) -> Path:
    """Where deal documents go in this test session."""
    return Path(app.config["UPLOAD_FOLDER"]) / "deals"


@pytest.fixture
def operator_org(db_session: object, clock) -> Organisation:
    """The market operator's organisation (offline deals of sellers not on the platform)."""
    org = Organisation(
        name="测试技术市场运营中心",
        kind=OrganisationKind.OPERATOR,
        credit_code=factories.credit_code(),
        region="上海市",
        status=VerificationStatus.VERIFIED,
        created_at=clock(),
    )
    db.session.add(org)
    db.session.commit()
    return org


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
