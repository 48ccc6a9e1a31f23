"""What brokers' work tells the parties: a mandate to accept, a mandate in force, an introduction."""

from __future__ import annotations

from sqlalchemy import select

from brokers import introductions
from brokers.rules import MandateSide
from core.extensions import db
from notifications.models import Notification


def told(user_id: int, event: str) -> list[Notification]:
    return list(
        db.session.scalars(
            select(Notification).where(Notification.user_id == user_id, Notification.event == event)
        )
    )


def test_the_broker_is_asked_to_accept_then_both_sides_learn_the_mandate_binds(
    db_session, clock, market, bound_mandate
) -> None:
    mandate = bound_mandate()  # the seller proposes, the broker accepts
    [asked] = told(market.broker_user.id, "mandate.proposed")
    assert asked.link == f"/brokers/mandates/{mandate.id}"
    assert told(market.seller.id, "mandate.proposed") == [], "the proposer is not asked"
    assert len(told(market.broker_user.id, "mandate.active")) == 1
    assert len(told(market.seller.id, "mandate.active")) == 1


def test_both_introduced_parties_are_asked_to_answer(db_session, clock, market, bound_mandate):
    bound_mandate()
    introduction = introductions.introduce(
        market.broker_user,
        listing_id=market.listing.id,
        buyer_org_id=market.buyer.acting_org_id,
        now=clock(),
    )
    for party in (market.seller, market.buyer):
        [notification] = told(party.id, "introduction.proposed")
        assert notification.link == f"/brokers/introductions/{introduction.id}"
    assert told(market.stranger.id, "introduction.proposed") == []


def test_notice_to_end_a_mandate_reaches_the_other_side(
    db_session, clock, market, bound_mandate
) -> None:
    from brokers import mandates

    by_principal = bound_mandate()
    mandates.terminate_mandate(market.seller, by_principal.id, "已自行找到买家", now=clock())
    [notice] = told(market.broker_user.id, "mandate.terminated")
    assert notice.link == f"/brokers/mandates/{by_principal.id}"
    assert notice.params["day"] == "2026-04-01"  # 30 days' notice from 2 March, Shanghai
    assert told(market.seller.id, "mandate.terminated") == [], "not the side that gave notice"

    by_broker = bound_mandate(side=MandateSide.BUYER, listing_id=None, need_id=market.need.id)
    mandates.terminate_mandate(market.broker_user, by_broker.id, "另有安排", now=clock())
    assert len(told(market.buyer.id, "mandate.terminated")) == 1
    assert len(told(market.broker_user.id, "mandate.terminated")) == 1


def test_the_broker_learns_an_introduction_was_declined(db_session, clock, market, bound_mandate):
    bound_mandate()
    introduction = introductions.introduce(
        market.broker_user,
        listing_id=market.listing.id,
        buyer_org_id=market.buyer.acting_org_id,
        now=clock(),
    )
    introductions.respond_to_introduction(market.buyer, introduction.id, accept=False, now=clock())
    [notification] = told(market.broker_user.id, "introduction.declined")
    assert notification.link == f"/brokers/introductions/{introduction.id}"
    assert notification.params["organisation"] == market.buyer.organisation.display_name("zh_CN")
    assert told(market.seller.id, "introduction.declined") == []


def test_the_other_side_learns_a_mandate_proposal_was_declined_or_withdrawn(
    db_session, clock, market
) -> None:
    from brokers import mandates
    from tests.integration.brokers.conftest import mandate_input

    proposal = mandates.propose_mandate(market.seller, mandate_input(market, clock()), now=clock())
    mandates.decline_mandate(market.broker_user, proposal.id, now=clock(), reason="档期已满")
    [declined] = told(market.seller.id, "mandate.closed")
    assert declined.link == f"/brokers/mandates/{proposal.id}"
    assert declined.params["outcome_en"] == "declined"
    assert told(market.broker_user.id, "mandate.closed") == [], "not the side that declined"

    withdrawn = mandates.propose_mandate(market.seller, mandate_input(market, clock()), now=clock())
    mandates.decline_mandate(market.seller, withdrawn.id, now=clock())  # the proposer withdraws
    [notice] = told(market.broker_user.id, "mandate.closed")
    assert notice.params["outcome_en"] == "withdrawn"
    assert len(told(market.seller.id, "mandate.closed")) == 1
