"""What brokers' work tells the parties: a mandate to accept, a mandate in force, an introduction."""

from __future__ import annotations

from sqlalchemy import select

from brokers import introductions
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
