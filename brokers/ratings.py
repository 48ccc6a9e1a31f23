"""Ratings of brokers by the parties of completed deals."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from accounts.models import User
from accounts.services import is_signed_in
from brokers import rules
from brokers.broker_access import signed_in
from brokers.commissions import commissions_on_deal
from brokers.models import DealCommission, Rating
from brokers.rules import BrokerRuleBroken
from core.domain import N_, NotFound
from core.extensions import db
from core.row_lists import all_of, newest_first
from core.service_kit import audit_action, flush_new
from deals.models import Deal, DealStatus


def ratings_of(broker_id: int, limit: int = 50) -> list[Rating]:
    """A broker's ratings, newest first."""
    return all_of(newest_first(Rating).where(Rating.broker_id == broker_id).limit(limit))


def rate_broker(
    actor: User, deal_id: int, broker_id: int, score: int, comment: str, *, now: datetime
) -> Rating:
    """A party rates the broker of a completed deal (1–5 and a comment), once per deal."""
    signed_in(actor)
    deal = db.session.get(Deal, deal_id)
    org_id = actor.acting_org_id
    if deal is None or org_id is None or org_id not in (deal.seller_org_id, deal.buyer_org_id):
        raise NotFound(N_("No such deal."))
    if not db.session.scalar(
        select(DealCommission.id).where(
            DealCommission.deal_id == deal.id, DealCommission.broker_id == broker_id
        )
    ):
        raise NotFound(N_("No such broker."))
    if deal.status != DealStatus.COMPLETED:
        raise BrokerRuleBroken(
            N_("Brokers are rated once the deal is completed."), code="not_completed"
        )
    text = rules.check_rating(score, comment)
    if db.session.scalar(
        select(Rating.id).where(
            Rating.deal_id == deal.id, Rating.broker_id == broker_id, Rating.rater_org_id == org_id
        )
    ):
        raise BrokerRuleBroken(
            N_("Your organisation has already rated this broker for this deal."),
            code="already_rated",
        )
    rating = flush_new(
        Rating(
            deal_id=deal.id,
            broker_id=broker_id,
            rater_org_id=org_id,
            rater_user_id=actor.id,
            score=score,
            comment=text or None,
            created_at=now,
        )
    )
    after = {"deal_id": deal.id, "score": score, "rating_id": rating.id}
    audit_action("broker.rate", broker_id, actor.id, now, after=after)
    return rating


def rateable(actor: User | None, deal: Deal) -> list[DealCommission]:
    """The deal's brokers the actor's organisation may still rate (completed deals only)."""
    if not is_signed_in(actor) or deal.status != DealStatus.COMPLETED:
        return []
    org_id = actor.acting_org_id
    if org_id is None or org_id not in (deal.seller_org_id, deal.buyer_org_id):
        return []
    rated = set(
        db.session.scalars(
            select(Rating.broker_id).where(Rating.deal_id == deal.id, Rating.rater_org_id == org_id)
        )
    )
    return [c for c in commissions_on_deal(deal.id) if c.broker_id not in rated]
