"""Introductions, the commission a deal between introduced parties carries, ratings, statement."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from brokers import commissions, introductions, profiles, ratings, settlement
from brokers.models import DealCommission
from brokers.rules import CommissionKind, IntroductionKind, IntroductionStatus, MandateSide, Payer
from core.clock import as_utc
from core.domain import DomainError, NotFound, PermissionDenied
from core.extensions import db
from core.uow import unit_of_work
from deals import services as deals
from deals.models import ContractType, Deal, DealStatus, SaleMethod
from listings import needs
from trading import negotiations, notices, queries
from trading.models import NegotiationStatus


def _introduce_and_accept(market, clock, buyer=None):
    buyer = buyer or market.buyer
    introduction = introductions.introduce(
        market.broker_user,
        listing_id=market.listing.id,
        buyer_org_id=buyer.acting_org_id,
        note="贵司的需求与该专利高度匹配。",
        now=clock(),
    )
    introductions.respond_to_introduction(buyer, introduction.id, accept=True, now=clock())
    introductions.respond_to_introduction(market.seller, introduction.id, accept=True, now=clock())
    return introduction


def _negotiate_and_close(market, clock, buyer, price=60_000_000, *, days_later=16):
    """The buyer offers, the seller accepts, the 公示 runs clean and the deal is recorded."""
    with unit_of_work():
        negotiation = queries.negotiation_of(buyer, market.listing.id)
        if negotiation is None:
            negotiation = negotiations.open_negotiation(
                buyer, market.listing.id, amount_minor=price, now=clock()
            )
        else:
            negotiations.make_offer(buyer, negotiation.id, price, now=clock())
        notice = negotiations.accept(market.seller, negotiation.id, now=clock(), publicity_days=15)
    clock.advance(days=days_later)
    with unit_of_work():
        notices.close_notice(notice.id, now=clock())
    return db.session.scalar(select(Deal).where(Deal.listing_id == market.listing.id))


def test_introduction_binds_when_both_parties_accept_and_opens_the_thread(
    db_session, clock, market, bound_mandate
):
    bound_mandate()
    introduction = introductions.introduce(
        market.broker_user,
        listing_id=market.listing.id,
        buyer_org_id=market.buyer.acting_org_id,
        now=clock(),
    )
    assert introduction.kind == IntroductionKind.BUYER_TO_LISTING
    assert (introduction.broker_id, as_utc(introduction.created_at)) == (market.broker.id, clock())
    introductions.respond_to_introduction(market.buyer, introduction.id, accept=True, now=clock())
    assert introduction.status == IntroductionStatus.PROPOSED
    with pytest.raises(PermissionDenied):
        introductions.respond_to_introduction(
            market.broker_user, introduction.id, accept=True, now=clock()
        )
    with pytest.raises(NotFound):
        introductions.respond_to_introduction(
            market.stranger, introduction.id, accept=True, now=clock()
        )
    clock.advance(hours=2)
    introductions.respond_to_introduction(market.seller, introduction.id, accept=True, now=clock())
    assert introduction.status == IntroductionStatus.ACCEPTED
    assert as_utc(introduction.accepted_at) == clock()
    thread = queries.get_negotiation(introduction.negotiation_id)
    assert thread.status == NegotiationStatus.OPEN
    assert (thread.seller_org_id, thread.buyer_org_id) == (
        market.seller.acting_org_id,
        market.buyer.acting_org_id,
    )
    assert "介绍" in thread.messages[0].body


def test_a_broker_without_a_mandate_cannot_introduce(db_session, clock, market):
    with pytest.raises(PermissionDenied) as error:
        introductions.introduce(
            market.broker_user,
            listing_id=market.listing.id,
            buyer_org_id=market.buyer.acting_org_id,
            now=clock(),
        )
    assert error.value.code == "no_mandate"
    with pytest.raises(PermissionDenied):
        introductions.introduce(
            market.stranger,
            listing_id=market.listing.id,
            buyer_org_id=market.buyer.acting_org_id,
            now=clock(),
        )


def test_a_buyer_side_broker_introduces_a_listings_seller_to_the_need(
    db_session, clock, market, bound_mandate
):
    bound_mandate(side=MandateSide.BUYER, listing_id=None, need_id=market.need.id)
    introduction = introductions.introduce(
        market.broker_user, listing_id=market.listing.id, need_id=market.need.id, now=clock()
    )
    assert introduction.kind == IntroductionKind.SELLER_TO_NEED
    assert introduction.buyer_org_id == market.buyer.acting_org_id
    with pytest.raises(DomainError) as error:
        introductions.introduce(
            market.broker_user, listing_id=market.listing.id, need_id=market.need.id, now=clock()
        )
    assert error.value.code == "duplicate"
    needs.close_need(market.buyer, market.need.id, now=clock(), reason="已找到方案")
    with pytest.raises(DomainError) as error:
        introductions.introduce(
            market.broker_user, listing_id=market.listing.id, need_id=market.need.id, now=clock()
        )
    assert error.value.code == "need_closed"


def _introduce_and_decline(market, clock, decliner):
    introduction = introductions.introduce(
        market.broker_user,
        listing_id=market.listing.id,
        buyer_org_id=market.buyer.acting_org_id,
        now=clock(),
    )
    introductions.respond_to_introduction(decliner, introduction.id, accept=False, now=clock())
    assert introduction.status == IntroductionStatus.DECLINED
    return introduction


@pytest.mark.parametrize("decliner", ["buyer", "seller"])
def test_declining_then_dealing_directly_within_the_term_still_owes_the_commission(
    db_session, clock, market, bound_mandate, decliner
):
    mandate = bound_mandate()  # 2 %, min ¥10,000, max ¥100,000, 180 days
    introduction = _introduce_and_decline(market, clock, getattr(market, decliner))
    clock.advance(days=30)
    deal = _negotiate_and_close(market, clock, market.buyer, price=60_000_000)
    assert [(d.mandate_id, d.amount_minor) for d in settlement.commissions_due(deal)] == [
        (mandate.id, 1_200_000)
    ]
    [row] = commissions.commissions_on_deal(deal.id)
    assert row.introduction_id == introduction.id


def test_an_unanswered_introduction_protects_the_broker_too(
    db_session, clock, market, bound_mandate
):
    bound_mandate()
    introductions.introduce(
        market.broker_user,
        listing_id=market.listing.id,
        buyer_org_id=market.buyer.acting_org_id,
        now=clock(),
    )
    deal = _negotiate_and_close(market, clock, market.buyer, price=60_000_000)
    assert [d.amount_minor for d in settlement.commissions_due(deal)] == [1_200_000]


def test_a_declined_introduction_owes_nothing_on_a_deal_after_the_term(
    db_session, clock, market, bound_mandate
):
    bound_mandate(ends_at=clock() + timedelta(days=10))
    _introduce_and_decline(market, clock, market.buyer)
    deal = _negotiate_and_close(market, clock, market.buyer, days_later=16)  # deal on day 16
    assert deal is not None
    assert settlement.commissions_due(deal) == []


def test_a_declined_introduction_owes_nothing_on_a_deal_with_someone_else(
    db_session, clock, market, bound_mandate
):
    bound_mandate()
    _introduce_and_decline(market, clock, market.buyer)  # the buyer, not the stranger
    deal = _negotiate_and_close(market, clock, market.stranger)
    assert deal.buyer_org_id == market.stranger.acting_org_id
    assert settlement.commissions_due(deal) == []


def test_a_negotiated_deal_between_introduced_parties_carries_the_commission(
    db_session, clock, market, bound_mandate
):
    mandate = bound_mandate()  # 2 %, min ¥10,000, max ¥100,000, paid by the seller
    _introduce_and_accept(market, clock)
    deal = _negotiate_and_close(market, clock, market.buyer, price=60_000_000)
    assert deal.method == SaleMethod.NEGOTIATED
    due = settlement.commissions_due(deal)
    assert due == [
        settlement.CommissionDue(
            mandate_id=mandate.id,
            broker_user_id=market.broker_user.id,
            broker_org_id=market.broker_user.acting_org_id,
            payer=Payer.SELLER,
            amount_minor=1_200_000,  # 2 % of ¥600,000
        )
    ]
    # idempotent: asked again (by the payments settlement), the same answer, one row
    assert settlement.commissions_due(deal) == due
    assert db.session.scalar(select(func.count(DealCommission.id))) == 1
    assert [c.amount_minor for c in commissions.commissions_on_deal(deal.id)] == [1_200_000]


def test_an_offline_deal_between_introduced_parties_carries_it_too(
    db_session, clock, market, bound_mandate
):
    bound_mandate(commission_kind=CommissionKind.FIXED, fixed_minor=3_000_000)
    _introduce_and_accept(market, clock)
    deal = deals.register_offline_deal(
        market.reviewer,
        deals.OfflineDeal(
            seller_name="江城理工测试大学",
            buyer_name="宁德测试新能源有限公司",
            title="线下成交",
            method=SaleMethod.NEGOTIATED,
            contract_type=ContractType.TRANSFER,
            price_minor=80_000_000,
            signed_on=clock(),
            seller_org_id=market.seller.acting_org_id,
            buyer_org_id=market.buyer.acting_org_id,
            listing_id=market.listing.id,
        ),
        now=clock(),
    )
    assert [d.amount_minor for d in settlement.commissions_due(deal)] == [3_000_000]


def test_no_commission_outside_the_mandates_term(db_session, clock, market, bound_mandate):
    bound_mandate(ends_at=clock() + timedelta(days=10))
    _introduce_and_accept(market, clock)
    deal = _negotiate_and_close(market, clock, market.buyer, days_later=16)  # deal on day 16
    assert deal is not None and deal.status == DealStatus.AWAITING_SIGNATURE
    assert settlement.commissions_due(deal) == []


def test_no_commission_for_parties_the_broker_did_not_introduce(
    db_session, clock, market, bound_mandate
):
    bound_mandate()
    _introduce_and_accept(market, clock)  # introduced: the buyer, not the stranger
    deal = _negotiate_and_close(market, clock, market.stranger)
    assert deal.buyer_org_id == market.stranger.acting_org_id
    assert settlement.commissions_due(deal) == []


def test_broker_statement_and_ratings_after_completion(db_session, clock, market, bound_mandate):
    bound_mandate()
    _introduce_and_accept(market, clock)
    deal = _negotiate_and_close(market, clock, market.buyer, price=60_000_000)
    statement = commissions.statement(market.broker_user)
    assert [(line.deal.id, line.commission.amount_minor) for line in statement.lines] == [
        (deal.id, 1_200_000)
    ]
    assert statement.earned == {"CNY": 1_200_000}
    with pytest.raises(DomainError) as error:  # not completed yet
        ratings.rate_broker(market.buyer, deal.id, market.broker.id, 5, "", now=clock())
    assert error.value.code == "not_completed"
    for status, reference in (
        (DealStatus.SIGNED, None),
        (DealStatus.PAID, None),
        (DealStatus.RIGHTS_REGISTERED, "ZL-2026-000123"),
        (DealStatus.COMPLETED, None),
    ):
        deals.advance(market.seller, deal.id, status, now=clock(), reference=reference)
    assert [c.broker_id for c in ratings.rateable(market.buyer, deal)] == [market.broker.id]
    ratings.rate_broker(market.buyer, deal.id, market.broker.id, 5, "撮合高效", now=clock())
    ratings.rate_broker(market.seller, deal.id, market.broker.id, 4, "", now=clock())
    assert ratings.rateable(market.buyer, deal) == []
    with pytest.raises(DomainError) as error:
        ratings.rate_broker(market.buyer, deal.id, market.broker.id, 1, "改主意了", now=clock())
    assert error.value.code == "already_rated"
    with pytest.raises(NotFound):
        ratings.rate_broker(market.stranger, deal.id, market.broker.id, 1, "", now=clock())
    stats = profiles.stats_for([market.broker.id])[market.broker.id]
    assert (stats.completed_deals, stats.rating_count, stats.rating_average) == (1, 2, 4.5)
    assert [r.comment for r in ratings.ratings_of(market.broker.id)] == [None, "撮合高效"]


def test_statement_is_the_brokers_own(db_session, clock, market):
    with pytest.raises(NotFound):
        commissions.statement(market.stranger)
    assert commissions.statement(market.broker_user).lines == []
