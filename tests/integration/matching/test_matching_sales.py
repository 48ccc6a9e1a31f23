"""Matching shows listings that are on sale right now, with the sale and its deadline."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from flask.testing import FlaskClient

from auctions import announcements
from auctions import services as auctions
from auctions.settings import DEFAULT_SETTINGS
from brokers import matching
from core.uow import unit_of_work
from listings.rules import SaleState
from listings.services import set_sale_state
from tests import factories
from tests.integration.sales import trading

pytestmark = pytest.mark.usefixtures("db_session", "fresh_search")


def _sign_in(client: FlaskClient, email: str) -> None:
    response = client.post("/signin", data={"email": email, "password": factories.PASSWORD})
    assert response.status_code == 302


def _match(buyer, need_id: int, listing_id: int, now):  # type: ignore[no-untyped-def]
    found = {m.listing.id: m for m in matching.matches_for_need(buyer, need_id, now=now)}
    return found.get(listing_id)


def test_a_listing_in_a_listed_sale_is_matched_with_its_sale_and_deadline_on_page_and_api(
    client: FlaskClient, clock, upload_folder: Path
) -> None:
    now = clock()
    m = trading.market(now, upload_folder)
    sale = trading.listed_sale(m, now)
    need = factories.need(m.buyer, now)

    match = _match(m.buyer, need.id, m.listing.id, now)
    assert match is not None and match.sale is not None
    assert (match.sale.kind, match.sale.sale_id) == ("listed_sale", sale.id)
    assert match.sale.deadline == sale.ends_at and match.sale.price_minor == 50_000_000

    _sign_in(client, m.buyer.email)
    page = client.get(f"/needs/{need.id}/matches", headers={"Accept-Language": "en"}).text
    assert 'data-sale="listed_sale"' in page and f'href="/sales/{sale.id}"' in page
    assert "In a listed sale: register an intent to buy by" in page
    token = factories.api_token(m.buyer, "ci", now=now)
    api = client.get(
        f"/api/v1/needs/{need.id}/matches", headers={"Authorization": f"Bearer {token}"}
    )
    listed = next(item for item in api.get_json() if item["listing_id"] == m.listing.id)
    assert listed["sale"]["kind"] == "listed_sale" and listed["sale"]["url"] == f"/sales/{sale.id}"
    assert listed["sale"]["deadline"].startswith(sale.ends_at.strftime("%Y-%m-%dT%H:%M"))


def test_a_listing_whose_price_is_in_public_notice_is_matched_until_the_notice_ends(
    clock, upload_folder: Path
) -> None:
    now = clock()
    m = trading.market(now, upload_folder)
    _, notice = trading.agreed(m, now)
    other = trading.enterprise(now, m.reviewer)
    need = factories.need(other, now)

    match = _match(other, need.id, m.listing.id, now)
    assert match is not None and match.sale is not None
    assert (match.sale.kind, match.sale.deadline) == ("public_notice", notice.ends_at)
    assert _match(other, need.id, m.listing.id, notice.ends_at + timedelta(minutes=1)) is None


def test_an_announced_auction_is_matched_with_its_deposit_deadline_and_not_before_approval(
    clock, upload_folder: Path
) -> None:
    now = clock()
    m = trading.market(now, upload_folder)
    buyer = trading.enterprise(now, m.reviewer)
    need = factories.need(buyer, now)
    starts = now + DEFAULT_SETTINGS.announcement_period + timedelta(days=2)
    terms = auctions.AuctionInput(
        starting_price_minor=1_000_000,
        increment_minor=50_000,
        starts_at=starts,
        ends_at=starts + timedelta(hours=48),
        reserve_price_minor=None,
        deposit_bps=1000,
        deposit_deadline=starts - timedelta(days=1),
    )
    with unit_of_work():
        auction = auctions.create_auction(m.seller, m.listing.id, terms, now=now)
    assert _match(buyer, need.id, m.listing.id, now) is None  # waiting for review: not on sale

    with unit_of_work():
        announcements.approve(m.reviewer, auction.id, now=now)
    match = _match(buyer, need.id, m.listing.id, now)
    assert match is not None and match.sale is not None
    assert (match.sale.kind, match.sale.sale_id) == ("auction_scheduled", auction.id)
    assert match.sale.deadline == starts - timedelta(days=1) and match.sale.starts_at == starts
    assert "bidding from" in match.sale.text()


def test_a_sold_listing_or_one_in_a_sale_that_has_ended_is_not_matched(
    clock, upload_folder: Path
) -> None:
    now = clock()
    m = trading.market(now, upload_folder)
    sale = trading.listed_sale(m, now)
    need = factories.need(m.buyer, now)
    assert _match(m.buyer, need.id, m.listing.id, sale.ends_at + timedelta(minutes=1)) is None
    with unit_of_work():
        set_sale_state(m.listing.id, SaleState.SOLD, now=now, actor_id=None)
    assert _match(m.buyer, need.id, m.listing.id, now) is None
