"""What trading and ownership review tell people: each event once, to the right people."""

from __future__ import annotations

import io

from sqlalchemy import select

from core.extensions import db
from core.uow import unit_of_work
from listings import review
from listings.rules import ListingStatus
from notifications import watches
from notifications.models import Notification
from payments import deposits
from payments.bank_transfer import deposit_reference
from tests import factories
from tests.integration.sales.trading import agreed, listed_sale, market, sign_in
from trading import listed_sales, negotiations
from trading.queries import CONTEXT


def events_of(user_id: int) -> list[str]:
    return list(
        db.session.scalars(select(Notification.event).where(Notification.user_id == user_id))
    )


def inbox_of(user_id: int) -> list[Notification]:
    return list(db.session.scalars(select(Notification).where(Notification.user_id == user_id)))


def test_ownership_decisions_reach_the_owner(db_session, clock, upload_folder):
    owner = factories.seller(clock())
    factories.listing(owner, clock(), status=ListingStatus.CONFIRMED, folder=upload_folder)
    refused = factories.listing(
        owner, clock(), status=ListingStatus.SUBMITTED, folder=upload_folder
    )
    with unit_of_work():
        review.reject_ownership(
            factories.platform_reviewer(clock()), refused.id, "证书不符", now=clock()
        )
    assert events_of(owner.id).count("listing.ownership_confirmed") == 1
    assert events_of(owner.id).count("listing.ownership_refused") == 1


def test_a_listed_sale_tells_watchers_the_seller_of_intents_and_a_refused_receipt(
    db_session, clock, upload_folder
):
    m = market(clock(), upload_folder)
    watcher = factories.enterprise(clock())
    with unit_of_work():
        watches.watch(watcher, "listing", m.listing.id, now=clock())
    sale = listed_sale(m, clock())
    assert events_of(watcher.id).count("watch.listing_for_sale") == 1

    with unit_of_work():
        listed_sales.register_intent(m.buyer, sale.id, now=clock())
    assert events_of(m.seller.id).count("sale.intent") == 1
    deposit = deposits.deposit_of(CONTEXT, sale.id, m.buyer.acting_org_id)
    with unit_of_work():
        deposits.submit_receipt(
            m.buyer, deposit.id, stream=io.BytesIO(factories.PDF_BYTES), filename="回单.pdf",
            bank_reference=deposit_reference(deposit),
            folder=deposits.receipt_folder(m.folder.parent), max_bytes=1_000_000, now=clock(),
        )  # fmt: skip
        deposits.reject_receipt(m.reviewer, deposit.id, "金额不符", now=clock())
    assert events_of(m.buyer.id).count("deposit.rejected") == 1


def test_offers_and_the_agreed_price_reach_the_other_side(db_session, clock, upload_folder):
    m = market(clock(), upload_folder)
    agreed(m, clock())  # the buyer opens, the seller counters, the buyer accepts
    assert "negotiation.offer" in events_of(m.buyer.id), "the seller's counter-offer"
    assert events_of(m.seller.id).count("negotiation.agreed") == 1
    assert events_of(m.buyer.id).count("negotiation.agreed") == 1


def test_the_other_side_is_told_a_negotiation_was_opened_with_it(
    db_session, clock, upload_folder, client
):
    m = market(clock(), upload_folder)
    sign_in(client, m.buyer)
    opened = client.post(
        f"/listings/{m.listing.id}/negotiate", data={"amount": "400000", "message": "有意受让"}
    )
    assert opened.status_code == 302
    [told] = [n for n in inbox_of(m.seller.id) if n.event == "negotiation.opened"]
    assert told.link == opened.headers["Location"]
    assert told.params["organisation"] == m.buyer.organisation.display_name("zh_CN")
    assert "negotiation.opened" not in events_of(m.buyer.id), "not the side that opened it"

    other = factories.enterprise(clock())  # the seller opens one, naming the buyer
    with unit_of_work():
        negotiations.open_negotiation(
            m.seller, m.listing.id, message="欢迎洽谈", buyer_org_id=other.acting_org_id,
            now=clock(),
        )  # fmt: skip
    assert events_of(other.id).count("negotiation.opened") == 1
    assert events_of(m.seller.id).count("negotiation.opened") == 1
