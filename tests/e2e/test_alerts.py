"""Journey: an enterprise saves a search, a university publishes a matching result, the
enterprise finds the alert in its inbox and in its mail (Mailpit), watches an auction and
bids in it, is outbid, and is told.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
from flask import Flask
from playwright.sync_api import Page, expect

from accounts.models import User
from auctions import bidding
from core.extensions import db
from core.uow import unit_of_work
from listings import review
from listings.rules import ListingStatus
from tests import factories
from tests.conftest import FrozenClock
from tests.e2e.helpers import sign_in
from tests.integration.auctions.conftest import INC, START, hold_deposit, make_market

pytestmark = pytest.mark.e2e


@pytest.fixture
def mailpit(live_app: tuple[Flask, str]) -> Iterator[str]:
    app, _ = live_app
    url, smtp = os.environ.get("MAILPIT_URL", ""), os.environ.get("MAILPIT_SMTP", "")
    if not url or not smtp:
        pytest.skip("MAILPIT_URL/MAILPIT_SMTP are not set: run `devservices/mailpit.sh start`")
    saved = (app.config["MAIL_SERVER"], app.config["MAIL_PORT"])
    host, port = smtp.rsplit(":", 1)
    app.config.update(MAIL_SERVER=host, MAIL_PORT=int(port))
    requests.delete(f"{url}/api/v1/messages", timeout=10)
    yield url
    app.config.update(MAIL_SERVER=saved[0], MAIL_PORT=saved[1])


def subjects_to(mailpit: str, email: str) -> list[str]:
    found = requests.get(f"{mailpit}/api/v1/search", params={"query": f"to:{email}"}, timeout=10)
    return [message["Subject"] for message in found.json()["messages"]]


def test_a_saved_search_alerts_and_an_outbid_is_told(
    live_app: tuple[Flask, str], new_page, market_clock: FrozenClock, mailpit: str
) -> None:
    app, base = live_app
    now = market_clock()
    with app.app_context():
        buyer = factories.enterprise(now, name="Eastriver Robotics Co., Ltd.")
        with unit_of_work():
            buyer.locale = "en"
        email, buyer_id = buyer.email, buyer.id
        db.session.remove()

    page: Page = new_page("en")
    sign_in(page, base, email)
    page.goto(f"{base}/search?q=电解质")
    page.get_by_placeholder("Name of this search").fill("Solid electrolytes")
    page.get_by_role("button", name="Save this search").click()
    expect(page.get_by_text("Search saved")).to_be_visible()

    upload = Path(app.config["UPLOAD_FOLDER"]) / "evidence"
    with app.app_context():  # a university publishes a matching result
        owner = factories.seller(now)
        listing = factories.listing(
            owner, now, status=ListingStatus.CONFIRMED, folder=upload,
            title_zh="一种硫化物固态电解质及其制备方法",
        )  # fmt: skip
        with unit_of_work():
            review.publish(owner, listing.id, now=now)
        listing_id = listing.id
        db.session.remove()

    page.goto(f"{base}/")
    expect(page.locator('[data-field="inbox-unread"]')).to_be_visible()
    page.get_by_role("link", name=re.compile("^Inbox")).click()
    alert = page.get_by_text("New on the market for your search “Solid electrolytes”")
    expect(alert).to_be_visible()
    page.get_by_role("button", name="Details").first.click()
    expect(page).to_have_url(re.compile(rf"/listings/{listing_id}$"))
    assert any("Solid electrolytes" in s for s in subjects_to(mailpit, email))

    with app.app_context():  # an auction where the enterprise leads, then is outbid
        market = make_market(now, upload)
        bidder = db.session.get(User, buyer_id)
        market_buyer = market.bidder(name="Northgate Battery Works Co., Ltd.")
        hold_deposit(bidder, market.auction.id, market.reviewer, market.folder, now)
        auction_id = market.auction.id
        db.session.remove()
    page.goto(f"{base}/auctions/{auction_id}")
    page.get_by_role("button", name="Watch", exact=True).click()
    expect(page.get_by_role("button", name="Watching")).to_have_attribute("aria-pressed", "true")
    page.get_by_label("Your bid (yuan)").fill(str(START // 100))
    page.get_by_role("button", name="Place bid").click()
    expect(page.locator('[data-field="leader"]').first).to_be_visible()
    with app.app_context():
        with unit_of_work(writer=True):
            bidding.place_bid(market_buyer, auction_id, START + INC, now=now)
        db.session.remove()

    page.goto(f"{base}/inbox")
    expect(page.get_by_text(re.compile("You have been outbid on"))).to_be_visible()
    assert any(s.startswith("You have been outbid") for s in subjects_to(mailpit, email))
