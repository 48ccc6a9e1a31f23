"""Journey: the winner of an auction pays the rest of the price by bank, a reviewer confirms it.

The deal exists (auction won, deposit by bank applied to the price). In a real
browser the buyer opens the deal, follows "Money flow and payment", sends the bank
receipt; a reviewer finds it in "Payments to confirm" and confirms; the buyer sees
nothing more due and the diagram shows what it paid.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest
from flask import Flask
from playwright.sync_api import Page, expect
from sqlalchemy import select

from accounts.models import OrganisationKind
from accounts.services import create_platform_user
from auctions import bidding, closing, services
from core.extensions import db
from core.uow import unit_of_work
from deals.models import Deal
from listings.rules import ListingStatus
from payments import deposits
from payments.bank_transfer import deposit_reference
from tests import factories
from tests.conftest import FrozenClock
from tests.e2e.helpers import sign_in
from tests.factories import PASSWORD, PDF_BYTES
from tests.integration.auctions.conftest import announce

pytestmark = pytest.mark.e2e


def _won_deal(app: Flask, clock: FrozenClock) -> tuple[int, str, str]:
    """A university's auction won by an enterprise whose bank deposit is applied to the price."""
    start = clock()
    with app.app_context():
        with unit_of_work(writer=True):  # committed: the browser's server reads it
            reviewer = create_platform_user(
                "payments@e2e.test", "Payments reviewer", PASSWORD, now=start
            )
            seller = factories.seller(start, reviewer=reviewer, name="江城工业大学")
            listing = factories.listing(
                seller,
                start,
                status=ListingStatus.PUBLISHED,
                reviewer=reviewer,
                folder=Path(app.config["UPLOAD_FOLDER"]) / "evidence",
            )
            buyer = factories.seller(
                start,
                reviewer=reviewer,
                kind=OrganisationKind.ENTERPRISE,
                name="Riverside Pumps Ltd.",
            )
            auction = announce(  # announced (拍卖公告) in time to open now
                seller,
                reviewer,
                listing.id,
                services.AuctionInput(
                    starting_price_minor=10_000_000,
                    increment_minor=100_000,
                    starts_at=start,
                    ends_at=start + timedelta(hours=30),
                    reserve_price_minor=None,
                    deposit_bps=1000,
                ),
            )
            deposit = services.join_auction(buyer, auction.id, now=start)
            deposits.submit_receipt(
                buyer,
                deposit.id,
                stream=io.BytesIO(PDF_BYTES),
                filename="deposit.pdf",
                bank_reference=deposit_reference(deposit),
                folder=Path(app.config["UPLOAD_FOLDER"]) / "deposits",
                max_bytes=1_000_000,
                now=start,
            )
            deposits.confirm_deposit(reviewer, deposit.id, now=start)
            bidding.place_bid(buyer, auction.id, 10_000_000, now=start)
            assert closing.close_auction(auction.id, now=clock.advance(hours=31))
            deal_id = db.session.scalar(
                select(Deal.id).where(Deal.source_type == "auction", Deal.source_id == auction.id)
            )
        emails = (buyer.email, reviewer.email)
        db.session.remove()
    assert deal_id is not None
    return deal_id, *emails


def test_the_buyer_pays_the_price_by_bank_and_a_reviewer_confirms(
    live_app: tuple[Flask, str],
    market_clock: FrozenClock,
    new_page: Callable[[str], Page],
    tmp_path: Path,
    screenshot_dir: Path | None,
) -> None:
    app, base = live_app
    deal_id, buyer_email, reviewer_email = _won_deal(app, market_clock)
    receipt = tmp_path / "price-receipt.pdf"
    receipt.write_bytes(PDF_BYTES)
    buyer, reviewer = new_page("en"), new_page("en")

    sign_in(buyer, base, buyer_email)
    buyer.goto(f"{base}/deals/{deal_id}")
    buyer.get_by_role("link", name="Money flow and payment").click()
    expect(buyer.get_by_role("heading", name="Money flow")).to_be_visible()
    # ¥100,000 price, less the ¥10,000 deposit applied to it.
    expect(buyer.locator("#amount-due")).to_have_text("¥90,000.00")
    expect(buyer.locator("svg.money-flow")).to_be_visible()
    # Where to transfer, and the reference to quote, which the receipt then states.
    expect(buyer.locator("#transfer-details")).to_contain_text("1614 0200 0920 0123 456")
    expect(buyer.locator("#transfer-reference")).to_have_text(f"DEAL-{deal_id}")
    buyer.get_by_label("Reference quoted on the transfer").fill(f"DEAL-{deal_id}")
    buyer.get_by_label("Receipt (PDF or image)").set_input_files(str(receipt))
    buyer.get_by_role("button", name="Send the receipt").click()
    expect(buyer.get_by_text("Receipt sent").first).to_be_visible()
    expect(buyer.get_by_text("Receipt waiting for review")).to_be_visible()

    sign_in(reviewer, base, reviewer_email)
    reviewer.goto(f"{base}/payments/review")
    row = reviewer.get_by_role("row").filter(has_text=f"DEAL-{deal_id}")
    expect(row).to_contain_text("¥90,000.00")
    row.get_by_role("button", name="Confirm").click()
    expect(reviewer.get_by_text("Payment confirmed").first).to_be_visible()

    buyer.reload()
    expect(buyer.locator("#amount-due")).to_have_text("¥0.00")
    expect(buyer.get_by_text("Received", exact=True)).to_be_visible()
    expect(buyer.locator("svg.money-flow")).to_contain_text("¥100,000.00")
    if screenshot_dir is not None:
        buyer.screenshot(path=str(screenshot_dir / "payments-money-flow.png"), full_page=True)
