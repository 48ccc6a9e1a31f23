"""The events told since the first round, end to end: each reaches the inbox and Mailpit in
the reader's language exactly once; the weekly digest; watching a need and a broker.

Mailpit runs at MAILPIT_URL / MAILPIT_SMTP (`make test`), as in test_notifications.
"""

from __future__ import annotations

import io
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select

from accounts.models import User
from auctions import bidding, closing
from auctions import jobs as auction_jobs
from brokers import accreditation, introductions
from brokers import broker_access as shared
from brokers import jobs as broker_jobs
from core.extensions import db
from core.uow import unit_of_work
from deals import jobs as deal_jobs
from deals import services as deals
from deals.models import Deal, DealStatus
from listings import needs, review
from listings.rules import ListingStatus
from notifications import jobs, services, watches
from notifications.models import Notification
from notifications.rules import EmailMode, EmailState
from payments import offline, payouts
from tests import factories
from tests.integration.auctions.conftest import START, make_market
from tests.integration.brokers.conftest import Market
from tests.integration.notifications.test_notifications import (
    full_message,
    member,
    messages_to,
)
from tests.integration.sales.trading import market as trading_market
from trading import negotiations

EN = {"Accept-Language": "en"}


def told(user: User, event: str) -> list[Notification]:
    return list(
        db.session.scalars(
            select(Notification).where(Notification.user_id == user.id, Notification.event == event)
        )
    )


def told_once(mailpit: str, user: User, event: str, subject: str) -> Notification:
    """The one notification of `event` to `user`, mailed once with `subject` in its subject."""
    [notification] = told(user, event)
    assert notification.email_state == EmailState.SENT, notification.email_error
    assert len(messages_to(mailpit, user.email, about=subject)) == 1, subject
    return notification


@pytest.mark.usefixtures("db_session")
def test_bidders_and_watchers_hear_once_that_an_auction_opens(
    mailpit: str, clock: Any, upload_folder: Path
) -> None:
    market = make_market(clock(), upload_folder, starts_in=timedelta(hours=2))
    bidder = market.bidder(name="甲测试公司")
    watcher = factories.enterprise(clock())
    with unit_of_work():
        english = member(bidder.acting_org_id, locale="en", now=clock())
        watches.watch(watcher, "auction", market.auction.id, now=clock())
    assert auction_jobs.tell_starting() == 0, "not open yet"
    clock.advance(hours=2, minutes=1)
    assert auction_jobs.tell_starting() == 1
    assert auction_jobs.tell_starting() == 0, "told once"

    told_once(mailpit, bidder, "auction.starting", "已开始竞价")
    told_once(mailpit, english, "auction.starting", "is open for bids from ¥10,000.00")
    told_once(mailpit, watcher, "auction.starting", "已开始竞价")


@pytest.mark.usefixtures("db_session")
def test_a_broker_hears_of_its_accreditation_and_once_that_it_expires(
    mailpit: str, clock: Any
) -> None:
    reviewer = factories.platform_reviewer(clock())
    user = factories.broker(clock(), reviewer=reviewer, accredited=False, expires_in_days=400)
    broker = shared.broker_of(user)
    assert broker is not None
    watcher = factories.enterprise(clock())
    with unit_of_work():
        user.locale = "en"
        watches.watch(watcher, "broker", broker.id, now=clock())
    with unit_of_work():
        accreditation.accredit(reviewer, broker.id, now=clock())
    told_once(mailpit, user, "broker.decided", "was granted")
    [news] = told(watcher, "watch.broker_changed")
    assert "获得认证" in news.params["how"]

    assert broker_jobs.warn_expiring() == 0, "400 days left: too early"
    clock.advance(days=375)
    assert broker_jobs.warn_expiring() == 1
    assert broker_jobs.warn_expiring() == 0, "warned once"
    told_once(mailpit, user, "broker.expiring", "expires on")
    assert len(told(watcher, "watch.broker_changed")) == 2, "accredited, then expiring"


def test_an_introduction_accepted_by_both_reaches_all_three_once(
    mailpit: str, clock: Any, market: Market, bound_mandate: Any
) -> None:
    bound_mandate()
    with unit_of_work():
        introduction = introductions.introduce(
            market.broker_user,
            listing_id=market.listing.id,
            buyer_org_id=market.buyer.acting_org_id,
            now=clock(),
        )
    with unit_of_work():
        introductions.respond_to_introduction(
            market.seller, introduction.id, accept=True, now=clock()
        )
    assert told(market.broker_user, "introduction.accepted") == [], "one party is not enough"
    with unit_of_work():
        market.buyer.locale = "en"
        introductions.respond_to_introduction(
            market.buyer, introduction.id, accept=True, now=clock()
        )
    told_once(mailpit, market.broker_user, "introduction.accepted", "介绍现已生效")
    told_once(mailpit, market.seller, "introduction.accepted", "介绍现已生效")
    told_once(mailpit, market.buyer, "introduction.accepted", "it now binds")


def _deal_of(auction_id: int) -> Deal:
    deal = db.session.scalar(
        select(Deal).where(Deal.source_type == "auction", Deal.source_id == auction_id)
    )
    assert deal is not None
    return deal


def test_a_deals_money_and_milestones_reach_both_parties_once(
    mailpit: str, clock: Any, auction_market: Any
) -> None:
    m = auction_market
    winner = m.bidder(name="赢家测试公司")
    m.pay_deposit_by_bank(winner)
    with unit_of_work():
        english = member(winner.acting_org_id, locale="en", now=clock())
        bidding.place_bid(winner, m.auction.id, START, now=clock())
    with unit_of_work(writer=True):
        assert closing.close_auction(m.auction.id, now=clock.advance(hours=49))
    deal = _deal_of(m.auction.id)
    rest = START - START // 10  # the deposit paid a tenth
    with unit_of_work():
        payment = offline.submit_receipt(
            winner, deal.id, amount_minor=rest, stream=io.BytesIO(factories.PDF_BYTES),
            filename="付款回单.pdf", bank_reference=f"DEAL-{deal.id}",
            folder=offline.receipt_folder(m.folder.parent), max_bytes=1_000_000, now=clock(),
        )  # fmt: skip
    with unit_of_work():
        offline.confirm(m.reviewer, payment.id, now=clock())
    told_once(mailpit, winner, "payment.received", "平台已收到")
    told_once(mailpit, english, "payment.received", "A payment of ¥9,000.00")
    told_once(mailpit, m.seller, "payment.received", "平台已收到")

    with unit_of_work():
        deals.advance(m.seller, deal.id, DealStatus.SIGNED, now=clock())
    signed = [
        n for n in told(winner, "deal.milestone") if n.params["milestone_en"] == "contract signed"
    ]
    assert len(signed) == 1 and _deal_of(m.auction.id).status == DealStatus.PAID
    assert [n.params["milestone_en"] for n in told(m.seller, "deal.milestone")] == [
        "paid in full"
    ], "the seller recorded the signature itself; the market settled the price"
    assert len(messages_to(mailpit, english.email, about="reached a milestone: paid in full")) == 1

    assert deal_jobs.tell_overdue() == 0, "not late yet"
    clock.advance(days=31)
    assert deal_jobs.tell_overdue() == 1
    assert deal_jobs.tell_overdue() == 0, "told once for this milestone"
    told_once(mailpit, m.seller, "deal.overdue", "权属变更已登记")
    told_once(mailpit, english, "deal.overdue", "transfer of rights registered")

    with unit_of_work():
        [made] = payouts.release_payouts(m.reviewer, deal.id, now=clock())
    with unit_of_work():
        offline.record_bank_payout(m.reviewer, made.id, "PAYOUT-N1", now=clock())
    told_once(mailpit, m.seller, "payout.paid", "平台已就")
    assert told(winner, "payout.paid") == []


@pytest.mark.usefixtures("db_session")
def test_an_enterprise_hears_once_of_a_new_listing_that_answers_its_open_need(
    mailpit: str, clock: Any, upload_folder: Path
) -> None:
    reviewer = factories.platform_reviewer(clock())
    buyer = factories.enterprise(clock(), name="需求测试企业")
    other = factories.enterprise(clock(), name="无关测试企业")
    need = factories.need(buyer, clock())
    factories.need(
        other, clock(), title="寻求中药饮片质量快速检测方法", field="biomed",
        problem="需要对中药饮片进行快速无损检测。", ipc_classes=("G01N 21/35",),
    )  # fmt: skip
    with unit_of_work():
        english = member(buyer.acting_org_id, locale="en", now=clock())
    seller = factories.seller(clock(), reviewer=reviewer)
    listing = factories.listing(
        seller, clock(), status=ListingStatus.PUBLISHED, reviewer=reviewer, folder=upload_folder
    )  # the job ran after the publishing commit

    notification = told_once(mailpit, buyer, "need.match", "匹配您的技术需求")
    assert notification.link == f"/listings/{listing.id}"
    assert notification.params["name"] == need.title
    told_once(mailpit, english, "need.match", "New on the market for your need")
    assert told(other, "need.match") == [], "a need in another field is not answered"
    assert broker_jobs.need_alerts() == 0, "each listing is matched once"
    with unit_of_work():
        review.withdraw(seller, listing.id, now=clock())
        review.reopen(seller, listing.id, now=clock())
        review.submit(seller, listing.id, now=clock())
        review.confirm_ownership(reviewer, listing.id, now=clock())
        review.publish(seller, listing.id, now=clock())
    assert len(told(buyer, "need.match")) == 1, "published again: no news"


def test_watching_a_need_brings_its_changes_and_the_weekly_digest_gathers_them(
    client: FlaskClient, mailpit: str, clock: Any
) -> None:
    owner = factories.enterprise(clock())
    need = factories.need(owner, clock())
    watcher = factories.enterprise(clock())
    client.post("/signin", data={"email": watcher.email, "password": factories.PASSWORD})
    page = f"/needs/{need.id}"
    assert ">Watch<" in client.get(page, headers=EN).get_data(as_text=True)
    answer = client.post("/watch", data={"object_type": "need", "object_id": need.id, "next": page})
    assert answer.status_code == 302 and answer.location.endswith(page)
    assert ">Watching<" in client.get(page, headers=EN).get_data(as_text=True)
    assert page in client.get("/inbox/watching", headers=EN).get_data(as_text=True)
    with unit_of_work():
        services.set_preference(
            watcher, "watch.need_changed", in_app=True, email=EmailMode.WEEKLY, now=clock()
        )
    preferences = client.get("/inbox/preferences", headers=EN).get_data(as_text=True)
    assert 'value="weekly" selected' in preferences

    with unit_of_work():
        needs.update_need(
            owner, need.id, factories.need_input(title="寻求高镍正极包覆技术"), now=clock()
        )
    with unit_of_work():
        needs.close_need(owner, need.id, now=clock(), reason="已找到方案")
    changes = told(watcher, "watch.need_changed")
    assert [n.params["how_en"] for n in changes] == ["was updated", "was closed"]
    assert {n.email_state for n in changes} == {EmailState.WEEKLY}
    assert told(owner, "watch.need_changed") == [], "the owner does not watch its own need"
    inbox = client.get("/inbox", headers=EN).get_data(as_text=True)
    assert "was closed" in inbox

    assert jobs.send_digests() == 0, "the daily digest leaves the weekly ones"
    assert messages_to(mailpit, watcher.email, about="技术需求") == [], "nothing mailed at once"
    assert jobs.send_weekly_digests() == 1
    [digest] = messages_to(mailpit, watcher.email, about="一周")
    text = full_message(mailpit, digest["ID"])["Text"]
    assert "已更新" in text and "已关闭" in text, "both changes, in one email, in Chinese"
    assert jobs.send_weekly_digests() == 0, "sent once"


def test_the_broker_page_has_a_watch_button(client: FlaskClient, clock: Any) -> None:
    broker_user = factories.broker(clock())
    broker = shared.broker_of(broker_user)
    assert broker is not None
    watcher = factories.enterprise(clock())
    client.post("/signin", data={"email": watcher.email, "password": factories.PASSWORD})
    page = f"/brokers/{broker.id}"
    client.post("/watch", data={"object_type": "broker", "object_id": broker.id, "next": page})
    assert ">Watching<" in client.get(page, headers=EN).get_data(as_text=True)
    assert watches.is_watching(watcher, "broker", broker.id)


@pytest.mark.usefixtures("db_session")
def test_a_message_in_a_negotiation_reaches_the_other_side_once_not_the_writer(
    mailpit: str, clock: Any, upload_folder: Path
) -> None:
    m = trading_market(clock(), upload_folder)
    with unit_of_work():
        english = member(m.buyer.acting_org_id, locale="en", now=clock())
    with unit_of_work():
        negotiation = negotiations.open_negotiation(
            m.buyer, m.listing.id, amount_minor=400_000, now=clock()
        )
    with unit_of_work():
        negotiations.post_message(m.seller, negotiation.id, "可以面谈", now=clock())

    notification = told_once(mailpit, m.buyer, "negotiation.message", "给您留言")
    assert notification.link == f"/negotiations/{negotiation.id}"
    told_once(mailpit, english, "negotiation.message", "wrote to you in the negotiation")
    assert told(m.seller, "negotiation.message") == [], "not the side that wrote"
