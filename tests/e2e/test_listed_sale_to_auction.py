"""Journey 2: a listed sale draws two buyers, an auction among them decides, the deal is recorded.

Two verified enterprises register intent on a university's listed sale and lodge
their deposits (bank receipts a reviewer confirms). At the end of the listing
period the sale closes when someone looks, and an auction among exactly those
two opens. They bid, one in the last minutes (the end moves), the auction
closes, the winner's deposit goes to the price, the other's is released, and
the deal is on both parties' ledgers.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from flask import Flask
from playwright.sync_api import Page, expect

from accounts.models import OrganisationKind
from accounts.services import create_platform_user
from auctions.models import Auction
from core.clock import as_utc
from core.dates import format_when
from core.extensions import db
from core.uow import unit_of_work
from listings.rules import ListingStatus
from tests import factories
from tests.conftest import FrozenClock
from tests.e2e.helpers import sign_in
from tests.factories import PASSWORD, PDF_BYTES

pytestmark = pytest.mark.e2e

TITLE = "一种高镍三元正极材料的制备方法"  # the factory listing's title (no English title)
WINNER = "Eastriver Robotics Co., Ltd."
RUNNER_UP = "Northgate Battery Works Co., Ltd."


def _register_intent_and_pay(page: Page, sale_url: str, receipt: Path) -> str:
    """Register intent, transfer the deposit quoting the reference shown, upload the receipt."""
    page.goto(sale_url)
    page.get_by_role("button", name="Register intent to buy").click()
    expect(page.get_by_text("Intent registered").first).to_be_visible()
    expect(page.locator("#deposit-status")).to_have_text("Deposit to pay")
    expect(page.locator("#transfer-details svg")).to_be_visible()  # the QR code of the details
    reference = page.locator("#transfer-reference").inner_text()
    assert re.fullmatch(r"LS-\d+-\d+", reference), reference
    page.get_by_label("Reference quoted on the transfer").fill(reference)
    page.get_by_label("Receipt (PDF or image)").set_input_files(str(receipt))
    page.get_by_role("button", name="Upload receipt").click()
    expect(page.locator("#deposit-status")).to_have_text("Receipt awaiting confirmation")
    return reference


def _bid(page: Page, amount: str) -> None:
    page.get_by_label("Your bid (yuan)").fill(amount)
    page.get_by_role("button", name="Place bid").click()


def _auction_end(app: Flask, auction_id: int) -> datetime:
    with app.app_context():
        ends_at = db.session.get(Auction, auction_id).ends_at  # type: ignore[union-attr]
        db.session.remove()
    return as_utc(ends_at)


def test_listed_sale_with_two_buyers_goes_to_auction_and_ends_in_a_deal(
    live_app: tuple[Flask, str],
    market_clock: FrozenClock,
    new_page: Callable[[str], Page],
    tmp_path: Path,
) -> None:
    app, base = live_app
    start = market_clock()
    with app.app_context(), unit_of_work():
        reviewer_user = create_platform_user(
            "deposits@e2e.test", "Deposit reviewer", PASSWORD, now=start
        )
        university = factories.seller(start, reviewer=reviewer_user, name="江城理工大学")
        listing = factories.listing(
            university,
            start,
            status=ListingStatus.PUBLISHED,
            reviewer=reviewer_user,
            folder=Path(app.config["UPLOAD_FOLDER"]) / "evidence",
        )
        winner = factories.seller(
            start, reviewer=reviewer_user, kind=OrganisationKind.ENTERPRISE, name=WINNER
        )
        runner_up = factories.seller(
            start, reviewer=reviewer_user, kind=OrganisationKind.ENTERPRISE, name=RUNNER_UP
        )
        listing_id = listing.id
        emails = (university.email, winner.email, runner_up.email)
    seller, buyer_a, buyer_b, reviewer = (new_page("en") for _ in range(4))
    receipt = tmp_path / "transfer-receipt.pdf"
    receipt.write_bytes(PDF_BYTES)

    # The university puts its published listing up for a listed sale.
    sign_in(seller, base, emails[0])
    seller.goto(f"{base}/listings/{listing_id}")
    seller.locator("#sale-panel").get_by_role("link", name="Start a listed sale").click()
    expect(seller.get_by_role("heading", name="Put up for a listed sale")).to_be_visible()
    seller.get_by_label("Asking price (yuan)").fill("500000")
    seller.get_by_label("Listing period (working days)").fill("20")
    seller.get_by_role("button", name="Open the listed sale").click()
    expect(seller.get_by_text("The listed sale is open").first).to_be_visible()
    expect(seller.locator("#sale-status")).to_have_text("Listing period running")
    expect(seller.locator("#asking-price")).to_have_text("¥500,000.00")
    sale_url = seller.url.split("#")[0]
    assert re.search(r"/sales/\d+$", sale_url), sale_url

    # Both enterprises register intent and upload the receipt of their deposit transfer.
    sign_in(buyer_a, base, emails[1])
    east = _register_intent_and_pay(buyer_a, sale_url, receipt)
    sign_in(buyer_b, base, emails[2])
    north = _register_intent_and_pay(buyer_b, sale_url, receipt)
    seller.goto(sale_url)
    expect(seller.locator("#intents-count")).to_have_text("2")

    # A reviewer checks both transfers and confirms the deposits.
    sign_in(reviewer, base, "deposits@e2e.test")
    reviewer.goto(f"{base}/auctions/deposits/queue")
    for org, reference in ((WINNER, east), (RUNNER_UP, north)):
        item = reviewer.locator(".list-group-item", has_text=reference)
        expect(item).to_contain_text(org)
        expect(item).to_contain_text("¥50,000.00")
        item.get_by_role("button", name="Confirm: deposit held").click()
        expect(reviewer.get_by_text("Deposit confirmed").first).to_be_visible()
    expect(reviewer.get_by_text("No deposit waits for confirmation.")).to_be_visible()
    for buyer in (buyer_a, buyer_b):
        buyer.goto(sale_url)
        expect(buyer.locator("#deposit-status")).to_have_text("Deposit held")

    # The listing period ends; the next look closes the sale and opens the auction.
    market_clock.advance(days=35)
    buyer_a.goto(sale_url)
    expect(buyer_a.locator("#sale-status")).to_have_text("Several buyers: auction opened")
    buyer_a.get_by_role("link", name="Go to the auction").click()
    expect(buyer_a.locator("#auction-room")).to_be_visible()
    room_url = buyer_a.url.split("#")[0]
    match = re.search(r"/auctions/(\d+)$", room_url)
    assert match, room_url
    auction_id = int(match.group(1))
    expect(buyer_a.locator('[data-field="status"]')).to_have_text("Bidding open")
    expect(buyer_a.get_by_text("Listed-sale parties only")).to_be_visible()
    expect(buyer_a.get_by_text("Deposit held")).to_be_visible()

    # The seller cannot bid; the listing page leads to the room.
    seller.goto(f"{base}/listings/{listing_id}")
    expect(seller.locator("#sale-state")).to_have_text("In auction")
    seller.locator("#sale-panel").get_by_role("link", name="Go to the auction room").click()
    expect(seller.get_by_text("the seller cannot bid")).to_be_visible()

    # A bids the minimum (the form offers it), B bids higher.
    expect(buyer_a.get_by_label("Your bid (yuan)")).to_have_value("500000.00")
    buyer_a.get_by_role("button", name="Place bid").click()
    expect(buyer_a.get_by_text("You hold the highest bid").first).to_be_visible()
    expect(buyer_a.locator('[data-field="price"]')).to_have_text("¥500,000.00")

    buyer_b.goto(room_url)
    _bid(buyer_b, "510000")
    expect(buyer_b.get_by_text("You hold the highest bid").first).to_be_visible()
    expect(buyer_b.locator('[data-field="price"]')).to_have_text("¥510,000.00")
    expect(buyer_b.locator('[data-field="extended"]')).to_be_hidden()

    # Two minutes before the end, A bids again: the end moves to five minutes after the bid.
    first_end = _auction_end(app, auction_id)
    market_clock.current = first_end - timedelta(minutes=2)
    late_bid_at = market_clock()
    buyer_a.goto(room_url)
    ends_text = buyer_a.locator('[data-field="ends-at"]').inner_text()
    expect(buyer_a.locator('[data-field="extended"]')).to_be_hidden()
    _bid(buyer_a, "515000")
    expect(buyer_a.get_by_text("You hold the highest bid").first).to_be_visible()
    expect(buyer_a.get_by_text("the end was extended").first).to_be_visible()
    expect(buyer_a.locator('[data-field="extended"]')).to_be_visible()
    expect(buyer_a.locator('[data-field="extended"]')).to_have_text("Extended by a late bid")
    expect(buyer_a.locator('[data-field="ends-at"]')).not_to_have_text(ends_text)
    expect(buyer_a.locator('[data-field="price"]')).to_have_text("¥515,000.00")
    new_end = _auction_end(app, auction_id)
    assert new_end == market_clock() + timedelta(minutes=5)
    # The room's script writes times as the server does: the market's zone, named, not the
    # browser's (B's page got A's bid live; A's page moved the end).
    expect(buyer_a.locator('[data-field="ends-at"]')).to_have_text(format_when(new_end, "en"))
    live_row = buyer_b.locator('[data-field="history"] tr[data-amount="51500000"]')
    expect(live_row).to_contain_text(format_when(late_bid_at, "en"))

    # Past the first end the auction still runs; past the new end it closes when looked at.
    market_clock.current = first_end + timedelta(seconds=30)
    buyer_b.goto(room_url)
    expect(buyer_b.locator('[data-field="status"]')).to_have_text("Bidding open")
    market_clock.current = new_end + timedelta(minutes=1)
    buyer_b.goto(room_url)
    expect(buyer_b.locator('[data-field="status"]')).to_have_text("Sold")
    sold = buyer_b.locator(".alert-success")  # the other bidder learns the number, not the name
    expect(sold).to_contain_text("Sold to Bidder ")
    expect(sold).to_contain_text("for ¥515,000.00.")
    expect(sold).not_to_contain_text(WINNER)
    expect(buyer_b.get_by_text("Your deposit is released; it will be returned by")).to_be_visible()
    buyer_a.goto(room_url)
    expect(buyer_a.locator(".alert-success")).to_contain_text("Sold to you (No. ")
    expect(buyer_a.get_by_text("Your deposit is applied to the price of the deal.")).to_be_visible()

    # The deal is on both parties' ledgers, with the auction's price.
    buyer_a.goto(f"{base}/my/deals")
    row = buyer_a.locator("main table tbody tr", has_text=TITLE)
    expect(row).to_have_count(1)
    expect(row).to_contain_text("Buyer")
    expect(row).to_contain_text("江城理工大学")
    expect(row).to_contain_text("¥515,000.00")
    seller.goto(f"{base}/my/deals")
    row = seller.locator("main table tbody tr", has_text=TITLE)
    expect(row).to_have_count(1)
    expect(row).to_contain_text("Seller")
    expect(row).to_contain_text(WINNER)
    expect(row).to_contain_text("¥515,000.00")
    buyer_b.goto(f"{base}/my/deals")
    expect(buyer_b.locator("main table tbody tr", has_text=TITLE)).to_have_count(0)
    seller.goto(f"{base}/listings/{listing_id}")
    expect(seller.locator("#sale-state")).to_have_text("Sold")
