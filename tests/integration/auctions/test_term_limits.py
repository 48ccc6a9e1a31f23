"""The seller's form states the bounds on its terms, and a term beyond one is a field error."""

from __future__ import annotations

from datetime import timedelta

import pytest
from flask.testing import FlaskClient
from sqlalchemy import func, select

from auctions import services
from auctions.models import Auction
from auctions.settings import settings_from_config
from core.domain import DomainError
from core.extensions import db
from listings.rules import ListingStatus
from tests import factories

from .conftest import INC, START

EN = {"Accept-Language": "en"}


def test_the_form_states_the_limits_and_refuses_an_auction_ending_in_9999(
    client: FlaskClient, db_session, clock, upload_folder
) -> None:
    seller = factories.seller(clock())
    listing = factories.listing(
        seller, clock(), status=ListingStatus.PUBLISHED, folder=upload_folder
    )
    client.post("/signin", data={"email": seller.email, "password": factories.PASSWORD})
    url = f"/listings/{listing.id}/auction/new"
    form = client.get(url, headers=EN).get_data(as_text=True)
    assert "At most ¥10,000,000,000.00." in form
    assert "At least ¥1.00 and at most 10% of the starting price." in form
    assert "at most 180 days from now" in form
    assert "Between 24 hours and 30 days after the start." in form
    data = {
        "starting_price": "10,000",
        "increment": "500",
        "starts_at": "2026-03-10T09:30",
        "ends_at": "2026-12-31T09:30",
        "deposit_percent": "10",
    }
    response = client.post(url, data=data, headers=EN)
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and "Bidding may last at most 30 days." in page
    assert 'id="f-ends_at"' in page and 'aria-describedby="ends_at-error"' in page
    year_9999 = client.post(url, data={**data, "ends_at": "9999-12-31T09:30"}, headers=EN)
    assert year_9999.status_code == 422 and 'aria-describedby="ends_at-error"' in year_9999.text
    huge = client.post(url, data={**data, "ends_at": "2026-03-12T09:30", "increment": "5,000"})
    assert huge.status_code == 422
    assert db.session.scalar(select(func.count()).select_from(Auction)) == 0


def test_the_limits_come_from_configuration(app, db_session, clock, upload_folder) -> None:
    seller = factories.seller(clock())
    listing = factories.listing(
        seller, clock(), status=ListingStatus.PUBLISHED, folder=upload_folder
    )
    settings = settings_from_config(
        {**app.config, "AUCTION_MAX_DAYS": 3, "AUCTION_MAX_START_DAYS_AHEAD": 10}
    )
    start = clock() + timedelta(days=8)

    def create(starts_at, hours):
        data = services.AuctionInput(
            starting_price_minor=START,
            increment_minor=INC,
            starts_at=starts_at,
            ends_at=starts_at + timedelta(hours=hours),
        )
        return services.create_auction(seller, listing.id, data, now=clock(), settings=settings)

    for starts_at, hours, code in (
        (start, 4 * 24, "auction_too_long"),
        (clock() + timedelta(days=11), 48, "starts_too_late"),
    ):
        with pytest.raises(DomainError) as caught:
            create(starts_at, hours)
        assert caught.value.code == code
    assert create(start, 3 * 24).id


def test_an_api_bid_no_price_column_can_hold_is_refused_with_422(
    client: FlaskClient, market, clock
) -> None:
    bidder = market.bidder()
    token = {"Authorization": "Bearer " + factories.api_token(bidder, "bot", now=clock())}
    url = f"/api/v1/auctions/{market.auction.id}/bids"
    response = client.post(url, json={"amount_minor": START + 10**30 * INC}, headers=token)
    assert response.status_code == 422
    assert "amount_minor" in response.get_data(as_text=True)
    assert db.session.get(Auction, market.auction.id).bid_count == 0
