"""Journey 4: a broker with a mandate introduces the parties and earns the commission.

An enterprise posts a technology need and engages an accredited broker for it
(a mandate both sides accept). The broker opens the need's matches, finds a
university's listing and introduces the parties; both accept, and the
negotiation opens between them. They agree a price, the public notice runs
clean, the deal is recorded, and the broker's commission (2 % of the price, paid
by the buyer) is on the deal, on the deal's money flow (ledger) and on the
broker's statement.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from flask import Flask
from playwright.sync_api import Page, expect
from sqlalchemy import select

from accounts.services import create_platform_user
from brokers import broker_access as shared
from brokers.models import DealCommission
from core.extensions import db
from core.uow import unit_of_work
from deals.models import Deal
from listings.rules import ListingStatus
from tests import factories
from tests.conftest import FrozenClock
from tests.e2e.helpers import sign_in
from tests.factories import PASSWORD
from trading import notices

pytestmark = pytest.mark.e2e

TITLE = "一种高镍三元正极材料的制备方法"  # the factory listing's title
UNIVERSITY = "Lakeside University of Technology"
ENTERPRISE = "Eastlake Battery Co., Ltd."
AGENCY = "Westbridge Technology Brokers"


def test_broker_introduces_parties_and_the_deal_carries_the_commission(
    live_app: tuple[Flask, str],
    market_clock: FrozenClock,
    new_page: Callable[[str], Page],
) -> None:
    app, base = live_app
    start = market_clock()
    with app.app_context():
        with unit_of_work():
            reviewer = create_platform_user(
                "brokers@e2e.test", "Broker reviewer", PASSWORD, now=start
            )
            university = factories.seller(start, reviewer=reviewer, name=UNIVERSITY)
            listing = factories.listing(
                university,
                start,
                status=ListingStatus.PUBLISHED,
                reviewer=reviewer,
                folder=Path(app.config["UPLOAD_FOLDER"]) / "evidence",
            )
            enterprise = factories.enterprise(start, name=ENTERPRISE)
            broker_user = factories.broker(start, reviewer=reviewer, name=AGENCY)
        broker_id = shared.broker_of(broker_user).id  # type: ignore[union-attr]
        listing_id = listing.id
        emails = (university.email, enterprise.email, broker_user.email)
        broker_name = broker_user.name
        db.session.remove()
    seller, buyer, broker = (new_page("en") for _ in range(3))

    # The enterprise posts its need.
    sign_in(buyer, base, emails[1])
    buyer.goto(f"{base}/needs/new")
    buyer.get_by_label("Title").fill("寻求高镍正极材料循环寿命提升技术")
    buyer.get_by_label("The problem to solve").fill(
        "现有高镍三元正极材料循环500次后容量衰减超过20%，需要改性或包覆技术。"
    )
    buyer.locator("#f-field").select_option("energy")
    buyer.get_by_label("Region").fill("上海市")
    buyer.locator("#mode-assignment").check()
    buyer.get_by_role("button", name="Post the need").click()
    expect(buyer).to_have_url(re.compile(r"/needs/\d+$"))
    need_id = int(buyer.url.rsplit("/", 1)[1])

    # It engages the broker for that need from the broker's public profile: 2 %, buyer pays.
    buyer.goto(f"{base}/brokers")
    buyer.get_by_role("link", name=broker_name).click()
    buyer.get_by_role("link", name="Propose a mandate").click()
    buyer.get_by_label("For the buyer").check()
    buyer.locator("#f-need_id").select_option(str(need_id))
    buyer.get_by_label("Rate (percent)").fill("2")
    buyer.get_by_label("The buyer pays").check()
    buyer.get_by_role("button", name="Propose the mandate").click()
    expect(buyer.get_by_text("Mandate proposed").first).to_be_visible()
    expect(buyer.locator("[data-mandate-status]")).to_have_text("Awaiting acceptance")
    mandate_url = buyer.url

    # The broker accepts it: the mandate is in force.
    sign_in(broker, base, emails[2])
    broker.goto(f"{base}/brokers/workbench")
    expect(broker.locator("#mandates")).to_contain_text(ENTERPRISE)
    broker.goto(mandate_url)
    broker.get_by_role("button", name="Accept the mandate").click()
    expect(broker.locator("[data-mandate-status]")).to_have_text("In force")

    # The broker opens the need's matches, finds the university's listing and introduces them.
    broker.get_by_role("link", name="Matching listings").click()
    expect(broker).to_have_url(re.compile(rf"/needs/{need_id}/matches$"))
    match = broker.locator(".list-group-item, .card, tr", has_text=TITLE).first
    expect(match).to_be_visible()
    match.get_by_role("link", name="Introduce").click()
    expect(broker.get_by_role("heading", name="Introduce the parties")).to_be_visible()
    broker.get_by_label("Why these parties should talk (both read it)").fill(
        "贵司的需求与该专利高度匹配。"
    )
    broker.get_by_role("button", name="Send the introduction").click()
    expect(broker.get_by_text("Introduction sent").first).to_be_visible()
    expect(broker.locator("[data-introduction-status]")).to_have_text("Awaiting both parties")

    # Both parties accept; the negotiation opens between them.
    buyer.goto(f"{base}/brokers/mine")
    buyer.locator("#introductions").get_by_role("link", name="Answer").click()
    buyer.get_by_role("button", name="Accept the introduction").click()
    expect(buyer.get_by_text("Waiting for the other party").first).to_be_visible()
    sign_in(seller, base, emails[0])
    seller.goto(f"{base}/brokers/mine")
    seller.locator("#introductions").get_by_role("link", name="Answer").click()
    expect(seller.get_by_text(broker_user.name).first).to_be_visible()
    seller.get_by_role("button", name="Accept the introduction").click()
    expect(seller.get_by_text("Both parties accepted").first).to_be_visible()
    expect(seller).to_have_url(re.compile(r"/negotiations/\d+$"))
    negotiation_url = seller.url

    # They agree a negotiated price: the university offers ¥480,000, the enterprise accepts.
    seller.get_by_label("Your offer (yuan)").fill("480000")
    seller.get_by_role("button", name="Put this offer on the table").click()
    expect(seller.locator("#open-offer")).to_have_text("¥480,000.00")
    buyer.goto(negotiation_url)
    buyer.get_by_role("button", name="Accept this offer").click()
    expect(buyer.get_by_text("Price agreed").first).to_be_visible()

    # After the publicity period the closer (cron) concludes the notice: a deal.
    market_clock.advance(days=16)
    with app.app_context():
        with unit_of_work():
            assert notices.close_due_notices(now=market_clock()) == 1
        db.session.remove()

    # The deal carries the broker's commission: on the deal, its ledger, the statement.
    seller.goto(f"{base}/my/deals")
    seller.get_by_role("link", name=TITLE).first.click()
    panel = seller.locator("#brokers")
    expect(panel).to_contain_text(broker_user.name)
    expect(panel.locator(".commission-amount")).to_have_text("¥9,600.00")
    expect(panel).to_contain_text("The buyer pays")
    seller.get_by_role("link", name="Money flow and payment").click()
    expect(seller.get_by_text("Broker commissions owed")).to_be_visible()
    expect(seller.locator(".card", has_text="Broker commissions owed").locator(".h5")).to_have_text(
        "¥9,600.00"
    )

    broker.goto(f"{base}/brokers/statement")
    row = broker.locator("#statement tbody tr").first
    expect(row).to_contain_text(TITLE)
    expect(row.locator(".commission")).to_contain_text("¥9,600.00")
    expect(row.locator(".payment-state")).to_have_text("Unpaid")
    expect(broker.locator('[data-total="earned"]')).to_have_text("¥9,600.00")
    with app.app_context():
        commission = db.session.scalar(
            select(DealCommission).where(DealCommission.broker_id == broker_id)
        )
        assert commission is not None
        assert (commission.amount_minor, commission.payer.value) == (960_000, "buyer")
        assert db.session.get(Deal, commission.deal_id).listing_id == listing_id  # type: ignore[union-attr]
        db.session.remove()
