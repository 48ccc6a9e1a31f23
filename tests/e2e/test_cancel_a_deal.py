"""Journey: the winner of an auction tries to cancel the deal and learns what it may do.

A binding sale is a contract: on the deal's page the winner finds no button that
cancels alone. Asking the market for a ruling shows, before anything is sent, that the
party at fault forfeits its deposit and what forfeiting means; it goes back, proposes
a cancellation by agreement instead, confirms, and the deal still stands until the
seller confirms.
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


def _won_deal(app: Flask, clock: FrozenClock) -> tuple[int, str]:
    """An auction won by an enterprise whose bank deposit is applied to the price."""
    start = clock()
    uploads = Path(app.config["UPLOAD_FOLDER"])
    with app.app_context():
        with unit_of_work(writer=True):  # committed: the browser's server reads it
            reviewer = create_platform_user("cancel@e2e.test", "Reviewer", PASSWORD, now=start)
            seller = factories.seller(start, reviewer=reviewer, name="江城农业大学")
            listing = factories.listing(
                seller, start, status=ListingStatus.PUBLISHED, reviewer=reviewer,
                folder=uploads / "evidence",
            )  # fmt: skip
            buyer = factories.seller(
                start, reviewer=reviewer, kind=OrganisationKind.ENTERPRISE, name="Hill Seeds Ltd."
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
                buyer, deposit.id, stream=io.BytesIO(PDF_BYTES), filename="deposit.pdf",
                bank_reference=deposit_reference(deposit), folder=uploads / "deposits", max_bytes=1_000_000,
                now=start,
            )  # fmt: skip
            deposits.confirm_deposit(reviewer, deposit.id, now=start)
            bidding.place_bid(buyer, auction.id, 10_000_000, now=start)
            assert closing.close_auction(auction.id, now=clock.advance(hours=31))
            deal_id = db.session.scalar(
                select(Deal.id).where(Deal.source_type == "auction", Deal.source_id == auction.id)
            )
        email = buyer.email
        db.session.remove()
    assert deal_id is not None
    return deal_id, email


def test_the_winner_cannot_cancel_alone_and_is_told_what_forfeiting_means(
    live_app: tuple[Flask, str],
    market_clock: FrozenClock,
    new_page: Callable[[str], Page],
    screenshot_dir: Path | None,
) -> None:
    app, base = live_app
    deal_id, buyer_email = _won_deal(app, market_clock)
    winner = new_page("en")
    sign_in(winner, base, buyer_email)
    winner.goto(f"{base}/deals/{deal_id}")
    card = winner.locator("#cancellation")
    expect(card).to_contain_text("neither party can cancel it alone")
    expect(card.locator("#signing-deadline")).to_contain_text("forfeits its deposit")

    card.get_by_label("Statement").fill("The seller will not hand over the certificate.")
    card.get_by_role("button", name="Ask for a ruling…").click()
    consequences = winner.locator("#consequences")
    expect(consequences).to_contain_text("the party found at fault forfeits its deposit")
    expect(consequences).to_contain_text("it is not refunded")
    if screenshot_dir is not None:
        winner.screenshot(path=str(screenshot_dir / "deal-cancel-consequences.png"))
    winner.get_by_role("link", name="No, go back").click()

    winner.get_by_label("Reason (both parties will read it)").fill("Our budget was withdrawn.")
    winner.get_by_role("button", name="Propose cancellation…").click()
    expect(winner.locator("#consequences")).to_contain_text("the seller must confirm")
    winner.get_by_role("button", name="Yes, send the proposal").click()
    expect(winner.get_by_text("Proposal sent").first).to_be_visible()
    expect(winner.locator("#pending-cancellation")).to_contain_text(
        "Nothing is cancelled unless the other party confirms"
    )
    expect(winner.get_by_role("button", name="Agree to cancel…")).to_have_count(0)
    expect(winner.get_by_text("Awaiting signature").first).to_be_visible()
