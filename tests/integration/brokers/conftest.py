"""A small brokered market: a university's listing, an enterprise's need, an accredited broker."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from flask.testing import FlaskClient

from accounts.models import User
from brokers import broker_access as shared
from brokers import mandates
from brokers.models import Broker, Mandate
from brokers.rules import CommissionKind, MandateSide, Payer
from core.uow import unit_of_work
from listings.models import Listing, TechNeed
from listings.rules import ListingStatus
from tests import factories


@dataclass
class Market:
    """The people and objects a broker test needs."""

    reviewer: User
    seller: User  # a university with a published listing
    buyer: User  # an enterprise with an open need
    stranger: User  # another enterprise
    broker_user: User
    broker: Broker
    listing: Listing
    need: TechNeed


@pytest.fixture
def market(db_session: object, clock, upload_folder: Path) -> Market:
    now = clock()
    reviewer = factories.platform_reviewer(now)
    seller = factories.seller(now, reviewer=reviewer, name="江城理工测试大学")
    buyer = factories.enterprise(now, name="宁德测试新能源有限公司")
    stranger = factories.enterprise(now)
    item = factories.listing(
        seller, now, status=ListingStatus.PUBLISHED, reviewer=reviewer, folder=upload_folder
    )
    need = factories.need(buyer, now)
    broker_user = factories.broker(now, reviewer=reviewer, name="浦江技术经纪事务所")
    broker = shared.broker_of(broker_user)
    assert broker is not None
    return Market(reviewer, seller, buyer, stranger, broker_user, broker, item, need)


def mandate_input(m: Market, now: datetime, **overrides: Any) -> mandates.MandateInput:
    """A seller's non-exclusive mandate on the listing: 2 %, min ¥10,000, max ¥100,000."""
    values: dict[str, Any] = {
        "broker_id": m.broker.id,
        "side": MandateSide.SELLER,
        "listing_id": m.listing.id,
        "starts_at": now,
        "ends_at": now + timedelta(days=180),
        "commission_kind": CommissionKind.PERCENTAGE,
        "rate_bps": 200,
        "min_minor": 1_000_000,
        "max_minor": 10_000_000,
        "payer": Payer.SELLER,
        "notice_days": 30,
    }
    values.update(overrides)
    return mandates.MandateInput(**values)


@pytest.fixture
def bound_mandate(market: Market, clock) -> Callable[..., Mandate]:
    """The seller proposes and the broker accepts: a mandate in force (committed)."""

    def make(**overrides: Any) -> Mandate:
        proposer = market.buyer if overrides.get("side") == MandateSide.BUYER else market.seller
        with unit_of_work():
            mandate = mandates.propose_mandate(
                proposer, mandate_input(market, clock(), **overrides), now=clock()
            )
            return mandates.accept_mandate(market.broker_user, mandate.id, now=clock())

    return make


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
