"""Negotiated prices (协议定价): offers, counter-offers, one agreement, withdrawal."""

from __future__ import annotations

import pytest

from accounts.models import OrganisationKind
from core.domain import DomainError, PermissionDenied, ValidationFailed
from core.extensions import db
from listings.rules import SaleState
from tests import factories
from tests.integration.sales.trading import CALENDAR, agreed, hold_deposit, listed_sale, market
from trading import closing, negotiations, queries
from trading.models import Negotiation, NegotiationMessage, NegotiationStatus, PublicityNotice
from trading.rules import NoticeStatus


def test_offers_counter_offers_and_acceptance_publish_the_notice(db_session, clock, upload_folder):
    m = market(clock(), upload_folder, inventors=("王伟", "李娜"))
    negotiation = negotiations.open_negotiation(
        m.buyer, m.listing.id, amount_minor=40_000_000, message="我们有意受让。", now=clock()
    )
    assert (negotiation.open_offer_minor, negotiation.open_offer_by_org_id) == (
        40_000_000,
        m.buyer.acting_org_id,
    )
    negotiations.make_offer(m.seller, negotiation.id, 48_000_000, message="最低价", now=clock())
    negotiations.make_offer(m.buyer, negotiation.id, 45_000_000, now=clock())
    negotiations.post_message(m.seller, negotiation.id, "可以接受。", now=clock())
    notice = negotiations.accept(m.seller, negotiation.id, now=clock(), publicity_days=15)
    assert negotiation.status == NegotiationStatus.AGREED
    assert negotiation.agreed_price_minor == 45_000_000
    assert m.listing.sale_state == SaleState.UNDER_OFFER
    kinds = [entry.kind for entry in negotiation.messages]
    assert kinds == ["offer", "counter", "counter", "message", "accept"]
    assert notice.status == NoticeStatus.RUNNING
    assert notice.price_minor == 45_000_000
    assert notice.inventors == "王伟、李娜"
    assert notice.buyer_name == m.buyer.organisation.name
    assert "3轮" in notice.price_formation and "¥400,000.00" in notice.price_formation
    assert (notice.ends_at - notice.starts_at).days == 15


def test_only_the_other_side_accepts_the_open_offer(db_session, clock, upload_folder):
    m = market(clock(), upload_folder)
    negotiation = negotiations.open_negotiation(
        m.buyer, m.listing.id, amount_minor=40_000_000, now=clock()
    )
    with pytest.raises(DomainError) as error:
        negotiations.accept(m.buyer, negotiation.id, now=clock())
    assert error.value.code == "own_offer"
    with pytest.raises(PermissionDenied):
        negotiations.accept(m.other_buyer, negotiation.id, now=clock())
    assert negotiation.status == NegotiationStatus.OPEN
    assert m.listing.sale_state == SaleState.AVAILABLE


def test_buyers_negotiate_in_parallel_but_only_one_agreement_stands(
    db_session, clock, upload_folder
):
    m = market(clock(), upload_folder)
    first = negotiations.open_negotiation(
        m.buyer, m.listing.id, amount_minor=40_000_000, now=clock()
    )
    second = negotiations.open_negotiation(
        m.other_buyer, m.listing.id, amount_minor=42_000_000, now=clock()
    )
    negotiations.accept(m.seller, second.id, now=clock())
    assert first.status == NegotiationStatus.WITHDRAWN
    assert first.messages[-1].kind == "closed"
    with pytest.raises(DomainError):
        negotiations.accept(m.seller, first.id, now=clock())
    with pytest.raises(DomainError) as late:
        negotiations.open_negotiation(
            factories.seller(clock(), kind=OrganisationKind.ENTERPRISE),
            m.listing.id,
            amount_minor=50_000_000,
            now=clock(),
        )
    assert late.value.code == "under_offer"
    assert db.session.query(PublicityNotice).count() == 1


def test_an_offer_on_a_sold_listing_is_refused_and_changes_nothing(
    db_session, clock, upload_folder
):
    m = market(clock(), upload_folder)
    negotiation = negotiations.open_negotiation(
        m.other_buyer, m.listing.id, amount_minor=30_000_000, now=clock()
    )
    sale = listed_sale(m, clock(), working_days=5)
    hold_deposit(m.buyer, sale, m, clock())
    clock.advance(days=7)
    closing.close_sale(sale.id, now=clock(), calendar=CALENDAR)
    assert m.listing.sale_state == SaleState.SOLD
    entries = db.session.query(NegotiationMessage).count()
    with pytest.raises(DomainError) as error:
        negotiations.make_offer(m.seller, negotiation.id, 35_000_000, now=clock())
    assert error.value.code == "already_sold"
    with pytest.raises(DomainError) as opening:
        negotiations.open_negotiation(m.buyer, m.listing.id, amount_minor=35_000_000, now=clock())
    assert opening.value.code == "already_sold"
    assert negotiation.open_offer_minor == 30_000_000
    assert db.session.query(NegotiationMessage).count() == entries


def test_the_seller_cannot_negotiate_as_buyer_nor_an_unverified_enterprise(
    db_session, clock, upload_folder
):
    m = market(clock(), upload_folder)
    with pytest.raises(PermissionDenied) as seller:
        negotiations.open_negotiation(m.seller, m.listing.id, amount_minor=1_000, now=clock())
    assert seller.value.code == "seller_cannot_buy"
    unverified = factories.seller(clock(), verified=False, kind=OrganisationKind.ENTERPRISE)
    with pytest.raises(PermissionDenied):
        negotiations.open_negotiation(unverified, m.listing.id, amount_minor=1_000, now=clock())
    assert db.session.query(Negotiation).count() == 0


def test_opening_needs_an_offer_or_a_message_and_only_once(db_session, clock, upload_folder):
    m = market(clock(), upload_folder)
    with pytest.raises(ValidationFailed):
        negotiations.open_negotiation(m.buyer, m.listing.id, now=clock())
    negotiations.open_negotiation(m.buyer, m.listing.id, message="请问可否独占许可？", now=clock())
    with pytest.raises(DomainError) as twice:
        negotiations.open_negotiation(m.buyer, m.listing.id, amount_minor=1_000, now=clock())
    assert twice.value.code == "already_negotiating"


def test_seller_opens_a_negotiation_with_a_named_buyer(db_session, clock, upload_folder):
    m = market(clock(), upload_folder)
    negotiation = negotiations.open_negotiation(
        m.seller,
        m.listing.id,
        amount_minor=60_000_000,
        buyer_org_id=m.buyer.acting_org_id,
        now=clock(),
    )
    assert negotiation.buyer_org_id == m.buyer.acting_org_id
    assert negotiation.open_offer_by_org_id == m.seller.acting_org_id
    assert queries.can_accept(m.buyer, negotiation) and not queries.can_accept(
        m.seller, negotiation
    )


def test_either_side_withdraws_before_agreement_only(db_session, clock, upload_folder):
    m = market(clock(), upload_folder)
    negotiation = negotiations.open_negotiation(
        m.buyer, m.listing.id, amount_minor=40_000_000, now=clock()
    )
    negotiations.withdraw(m.seller, negotiation.id, now=clock(), message="价格差距太大。")
    assert negotiation.status == NegotiationStatus.WITHDRAWN
    with pytest.raises(DomainError):
        negotiations.make_offer(m.buyer, negotiation.id, 41_000_000, now=clock())
    negotiation, _ = agreed(m, clock())
    with pytest.raises(DomainError) as error:
        negotiations.withdraw(m.buyer, negotiation.id, now=clock())
    assert error.value.code == "already_agreed"


def test_negotiations_are_seen_by_both_sides_only(db_session, clock, upload_folder):
    m = market(clock(), upload_folder)
    negotiation = negotiations.open_negotiation(
        m.buyer, m.listing.id, amount_minor=40_000_000, now=clock()
    )
    assert queries.negotiations_of(m.seller) == [negotiation]
    assert queries.negotiations_of(m.buyer) == [negotiation]
    assert queries.negotiations_of(m.other_buyer) == []
    with pytest.raises(DomainError):
        queries.visible_negotiation(m.other_buyer, negotiation.id)
    assert queries.visible_negotiation(m.reviewer, negotiation.id) is negotiation
