"""Journey: the seller watches its auction by bidder numbers (竞买号) and learns the
bidders' names only once the auction has closed."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from flask import Flask
from playwright.sync_api import Page, expect

from auctions import bidders, bidding, jobs
from core.clock import as_utc
from core.extensions import db
from core.uow import unit_of_work
from tests.conftest import FrozenClock
from tests.e2e.helpers import sign_in
from tests.integration.auctions.conftest import INC, START, make_market

pytestmark = pytest.mark.e2e


def test_the_seller_sees_bidder_numbers_until_the_close_then_names(
    live_app: tuple[Flask, str], new_page, market_clock: FrozenClock
) -> None:
    app, base = live_app
    now = market_clock()
    with app.app_context():
        market = make_market(now, Path(app.config["UPLOAD_FOLDER"]) / "evidence", hours=24)
        alpha = market.bidder(name="Alpha Pumps Co., Ltd.")
        beta = market.bidder(name="Beta Valves Co., Ltd.")
        with unit_of_work(writer=True):
            bidding.place_bid(alpha, market.auction.id, START, now=now)
            bidding.place_bid(beta, market.auction.id, START + INC, now=now)
        numbers = bidders.numbers_of(market.auction.id)
        a, b = numbers[alpha.organisation_id], numbers[beta.organisation_id]
        auction_id, seller_email = market.auction.id, market.seller.email
        ends_at = as_utc(market.auction.ends_at)
        db.session.remove()

    page: Page = new_page("en")
    sign_in(page, base, seller_email)
    page.goto(f"{base}/auctions/{auction_id}")
    history = page.locator('[data-field="history"]')
    expect(history).to_contain_text(f"Bidder {a}")
    expect(history).to_contain_text(f"Bidder {b}")
    expect(page.locator("body")).not_to_contain_text("Alpha Pumps")
    expect(page.locator("body")).not_to_contain_text("Beta Valves")

    market_clock.current = ends_at + timedelta(minutes=1)
    with app.app_context():
        jobs.close_due(now=market_clock())
        db.session.remove()
    page.reload()
    expect(history).to_contain_text(f"Alpha Pumps Co., Ltd. (No. {a})")
    expect(history).to_contain_text(f"Beta Valves Co., Ltd. (No. {b})")
