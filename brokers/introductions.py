"""Introductions: a broker under a mandate introduces a buyer and a seller.

Both parties accept; the introduction then opens (or links) their negotiation thread
and protects the broker's commission on the deal that follows.
"""

from __future__ import annotations

import logging
from datetime import datetime

from sqlalchemy import select

from accounts.models import User
from accounts.own_rows import rows_of_acting_org
from accounts.services import can_review, get_organisation, is_signed_in
from brokers import telling
from brokers.broker_access import mandates_in_force, require_accredited, signed_in
from brokers.models import Broker, Introduction, Mandate
from brokers.rules import BrokerRuleBroken, IntroductionKind, IntroductionStatus, MandateSide
from core.domain import N_, DomainError, NotFound, PermissionDenied, ValidationFailed
from core.extensions import db
from core.row_lists import all_of, newest_first
from core.service_kit import audit_action, flush_new, get_or_not_found
from listings.models import Listing, TechNeed
from listings.need_rules import NeedStatus
from listings.needs import get_need
from listings.rules import ListingStatus
from trading import negotiations
from trading.models import Negotiation, NegotiationStatus

log = logging.getLogger(__name__)


def _mandate_for_introduction(
    broker: Broker, *, listing: Listing, buyer_org_id: int, need: TechNeed | None, now: datetime
) -> Mandate | None:
    """The broker's mandate in force under which this introduction is made, if any."""
    candidates = mandates_in_force(broker, now=now, listing_id=listing.id)
    if need is not None:
        candidates += mandates_in_force(broker, now=now, need_id=need.id)
    else:
        # Acting for the buyer: a mandate on any of the buyer's needs covers it.
        candidates += [
            m
            for m in mandates_in_force(broker, now=now)
            if m.side == MandateSide.BUYER and m.principal_org_id == buyer_org_id
        ]
    return candidates[0] if candidates else None


def introduce(
    actor: User,
    *,
    listing_id: int,
    buyer_org_id: int | None = None,
    need_id: int | None = None,
    note: str = "",
    now: datetime,
) -> Introduction:
    """A broker acting under a mandate introduces a buyer to a listing (or a seller to a need).

    Both parties then accept; the introduction is recorded with its time and broker.
    """
    broker = require_accredited(actor, now=now)
    listing = db.session.get(Listing, listing_id)
    if listing is None or listing.status != ListingStatus.PUBLISHED:
        raise NotFound(N_("No such listing."))
    need = None
    if need_id is not None:
        need = get_need(need_id)
        if need.status != NeedStatus.OPEN:
            raise BrokerRuleBroken(N_("This technology need is closed."), code="need_closed")
        buyer_org_id = need.organisation_id
        kind = IntroductionKind.SELLER_TO_NEED
    else:
        kind = IntroductionKind.BUYER_TO_LISTING
    if buyer_org_id is None:
        raise ValidationFailed(N_("Choose the buyer to introduce."), field="buyer_org_id")
    buyer = get_organisation(buyer_org_id)
    if buyer.id == listing.organisation_id:
        raise ValidationFailed(
            N_("The buyer and the seller are the same organisation."), field="buyer_org_id"
        )
    if not buyer.is_verified:
        raise BrokerRuleBroken(
            N_("Only verified organisations can be introduced."), code="not_verified"
        )
    mandate = _mandate_for_introduction(
        broker, listing=listing, buyer_org_id=buyer.id, need=need, now=now
    )
    if mandate is None:
        raise PermissionDenied(
            N_("You need a mandate in force for this listing or need to introduce parties."),
            code="no_mandate",
        )
    if len(note) > 5000:
        raise ValidationFailed(N_("The text is too long."), field="note")
    duplicate = db.session.scalar(
        select(Introduction.id).where(
            Introduction.broker_id == broker.id,
            Introduction.listing_id == listing.id,
            Introduction.buyer_org_id == buyer.id,
            Introduction.status.in_([IntroductionStatus.PROPOSED, IntroductionStatus.ACCEPTED]),
        )
    )
    if duplicate is not None:
        raise BrokerRuleBroken(
            N_("You have already introduced these parties for this listing."), code="duplicate"
        )
    introduction = flush_new(
        Introduction(
            mandate_id=mandate.id,
            broker_id=broker.id,
            kind=kind,
            listing_id=listing.id,
            need_id=need.id if need is not None else None,
            seller_org_id=listing.organisation_id,
            buyer_org_id=buyer.id,
            note=note.strip() or None,
            status=IntroductionStatus.PROPOSED,
            created_at=now,
            created_by_id=actor.id,
        )
    )
    after = {
        "status": introduction.status.value,
        "mandate_id": mandate.id,
        "listing_id": listing.id,
        "seller_org_id": listing.organisation_id,
        "buyer_org_id": buyer.id,
        "need_id": introduction.need_id,
    }
    audit_action("introduction.propose", introduction.id, actor.id, now, after=after)
    telling.introduction_proposed(introduction, now=now)
    return introduction


def get_introduction(introduction_id: int) -> Introduction:
    """An introduction by id, or NotFound."""
    return get_or_not_found(Introduction, introduction_id, N_("No such introduction."))


def side_in(actor: User | None, introduction: Introduction) -> str | None:
    """'seller', 'buyer', 'broker' or None for the actor in an introduction."""
    if not is_signed_in(actor):
        return None
    if actor.acting_org_id == introduction.seller_org_id:
        return "seller"
    if actor.acting_org_id == introduction.buyer_org_id:
        return "buyer"
    if introduction.broker.user_id == actor.id:
        return "broker"
    return None


def visible_introduction(actor: User | None, introduction_id: int) -> Introduction:
    """An introduction for its two parties, its broker and the reviewers."""
    introduction = get_introduction(introduction_id)
    if side_in(actor, introduction) is None and not can_review(actor):
        raise NotFound(N_("No such introduction."))
    return introduction


def check_answer(actor: User | None, introduction: Introduction) -> str:
    """Whether the actor may accept or decline `introduction` now; the stamp it would set."""
    signed_in(actor)
    side = side_in(actor, introduction)
    if side not in ("seller", "buyer"):
        if side == "broker":
            raise PermissionDenied(N_("The parties accept an introduction, not the broker."))
        raise NotFound(N_("No such introduction."))
    if introduction.status != IntroductionStatus.PROPOSED:
        raise BrokerRuleBroken(
            N_("This introduction is no longer awaiting an answer."), code="state"
        )
    stamp = "seller_accepted_at" if side == "seller" else "buyer_accepted_at"
    if getattr(introduction, stamp) is not None:
        raise BrokerRuleBroken(N_("You have already accepted this introduction."), code="state")
    return stamp


def respond_to_introduction(
    actor: User, introduction_id: int, *, accept: bool, now: datetime
) -> Introduction:
    """A party accepts or declines; once both accept, a negotiation thread opens between them.

    The thread is the listing's negotiation (协议定价): the parties agree a price there,
    and the deal that follows carries the broker's commission.
    """
    signed_in(actor)
    introduction = get_or_not_found(
        Introduction, introduction_id, N_("No such introduction."), lock=True
    )
    stamp = check_answer(actor, introduction)
    side = side_in(actor, introduction)
    before = {"status": introduction.status.value}
    if not accept:
        introduction.status = IntroductionStatus.DECLINED
        introduction.declined_at = now
        introduction.declined_by_org_id = actor.acting_org_id
    else:
        setattr(introduction, stamp, now)
        if introduction.seller_accepted_at and introduction.buyer_accepted_at:
            introduction.status = IntroductionStatus.ACCEPTED
            introduction.accepted_at = now
    action = f"introduction.{'accept' if accept else 'decline'}"
    after = {"status": introduction.status.value, "by": side}
    audit_action(action, introduction.id, actor.id, now, before=before, after=after)
    db.session.flush()
    if introduction.status == IntroductionStatus.ACCEPTED:
        _open_thread(actor, introduction, now=now)
        telling.introduction_accepted(introduction, now=now)
    elif introduction.status == IntroductionStatus.DECLINED:
        telling.introduction_declined(introduction, now=now)
    return introduction


def _open_thread(actor: User, introduction: Introduction, *, now: datetime) -> None:
    """Link the parties' running negotiation on the listing, or open one (flushes)."""
    running = db.session.scalar(
        select(Negotiation)
        .where(
            Negotiation.listing_id == introduction.listing_id,
            Negotiation.buyer_org_id == introduction.buyer_org_id,
            Negotiation.status.in_([NegotiationStatus.OPEN, NegotiationStatus.AGREED]),
        )
        .order_by(Negotiation.id.desc())
        .limit(1)
    )
    if running is None:
        message = (
            f"经纪人 {introduction.broker.user.name} 介绍双方洽谈（介绍 #{introduction.id}）。"
            f" / Introduced by broker {introduction.broker.user.name} "
            f"(introduction #{introduction.id})."
        )
        try:
            running = negotiations.open_negotiation(
                actor,
                introduction.listing_id,
                message=message,
                now=now,
                buyer_org_id=introduction.buyer_org_id
                if actor.acting_org_id == introduction.seller_org_id
                else None,
            )
        except DomainError as error:
            # The listing is in a listed sale or an auction: the introduction stands and
            # still protects the commission; the parties meet in that sale instead.
            log.info("introduction %s: no negotiation opened (%s)", introduction.id, error.code)
            return
    introduction.negotiation_id = running.id


def introductions_of_broker(broker: Broker) -> list[Introduction]:
    """A broker's introductions, newest first."""
    return all_of(newest_first(Introduction).where(Introduction.broker_id == broker.id))


def introductions_of_org(actor: User) -> list[Introduction]:
    """Introductions the actor's organisation is a party to, newest first."""
    return rows_of_acting_org(
        actor, newest_first(Introduction), Introduction.seller_org_id, Introduction.buyer_org_id
    )
