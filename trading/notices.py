"""Public notice (公示) of a negotiated price, objections (异议) and how a notice ends.

A negotiated price is published for the publicity period; anyone signed in may
object with reasons; a reviewer upholds (the agreement falls) or dismisses an
objection. Only a clean period concludes the deal, through the deal ledger. What
pages read of notices is in `trading.notice_queries`.

The use cases flush and never commit: the caller's unit of work commits. Those
that lock the notice expect `unit_of_work(writer=True)` (SQLite's writers queue).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.exc import IntegrityError

from accounts.models import User
from accounts.services import get_organisation, require_reviewer
from core import jobs
from core.clock import as_utc
from core.domain import N_, DomainError, PermissionDenied
from core.extensions import db
from core.rows import claim_closing, close_in_savepoint, due_ids, get_row
from core.rules_kit import decision_reason
from core.service_kit import audit_action
from deals.models import SaleMethod
from deals.services import record_sale
from listings import services as listings
from listings.rules import SaleState
from trading import rules, telling
from trading.models import Negotiation, NegotiationStatus, Objection, PublicityNotice
from trading.notice_queries import objection_of, verdict
from trading.rules import NoticeStatus, ObjectionStatus

CLOSE_NOTICES_JOB = "trading.close_notices"  # the job runner's sweep (trading.jobs)


def _audit(
    notice: PublicityNotice, action: str, actor_id: int | None, now: datetime, **change: Any
) -> None:
    """Audit `notice.<action>` on the public notice (its records' type is publicity_notice)."""
    audit_action(
        f"notice.{action}", notice.id, actor_id, now, object_type="publicity_notice", **change
    )


def _lock_notice(notice_id: int) -> PublicityNotice:
    """The notice, row-locked and freshly read, or NotFound."""
    return get_row(PublicityNotice, notice_id, N_("No such public notice."), lock=True)


def publish_notice(negotiation: Negotiation, *, now: datetime, days: int) -> PublicityNotice:
    """Publish the agreed price of a negotiation (flushes; the caller's unit of work commits).

    The notice keeps what the public must see even if the listing changes later:
    result name, summary, inventors, parties, price and how it was formed.
    """
    if negotiation.status != NegotiationStatus.AGREED or negotiation.agreed_price_minor is None:
        raise DomainError(N_("Only an agreed price is published."), code="not_agreed")
    ends_at = rules.publicity_ends_at(now, days)
    listing = listings.get_listing(negotiation.listing_id)
    seller = get_organisation(negotiation.seller_org_id)
    buyer = get_organisation(negotiation.buyer_org_id)
    offers = tuple(
        m.amount_minor
        for m in negotiation.messages
        if m.kind in ("offer", "counter") and m.amount_minor is not None
    )
    formation = rules.PriceFormation(
        seller_name=seller.name,
        buyer_name=buyer.name,
        offers_minor=offers,
        agreed_minor=negotiation.agreed_price_minor,
    )
    notice = PublicityNotice(
        negotiation_id=negotiation.id,
        listing_id=listing.id,
        result_name=listing.title()[:300],
        summary=listing.summary() or "",
        inventors="、".join(listing.inventors)[:1000],
        seller_name=seller.name,
        buyer_name=buyer.name,
        price_minor=negotiation.agreed_price_minor,
        currency=negotiation.currency,
        price_formation=rules.describe_formation(formation),
        starts_at=now,
        ends_at=ends_at,
        status=NoticeStatus.RUNNING,
    )
    db.session.add(notice)
    db.session.flush()
    _audit(
        notice,
        "publish",
        None,
        now,
        after={
            "status": notice.status.value,
            "negotiation_id": negotiation.id,
            "price_minor": notice.price_minor,
            "ends_at": ends_at.isoformat(),
        },
    )
    return notice


def lodge_objection(actor: User, notice_id: int, reasons: str, *, now: datetime) -> Objection:
    """Anyone signed in objects to a running notice, once, with reasons."""
    if actor is None or not actor.is_authenticated:
        raise PermissionDenied(N_("Please sign in to continue."))
    notice = _lock_notice(notice_id)
    text = rules.check_objection(
        notice.status == NoticeStatus.RUNNING, as_utc(notice.ends_at), now, reasons or ""
    )
    double = DomainError(
        N_("You have already lodged an objection to this notice."), code="objection_exists"
    )
    if objection_of(actor, notice) is not None:
        raise double
    objection = Objection(
        notice_id=notice.id,
        user_id=actor.id,
        reasons=text,
        status=ObjectionStatus.LODGED,
        lodged_at=now,
    )
    try:
        with db.session.begin_nested():  # the unique constraint settles a double submit
            db.session.add(objection)
    except IntegrityError:
        raise double from None
    _audit(
        notice,
        "objection",
        actor.id,
        now,
        after={"objection_id": objection.id, "status": objection.status.value},
    )
    telling.objection_lodged(notice, now=now)
    return objection


def decide_objection(
    reviewer: User, objection_id: int, *, uphold: bool, reason: str, now: datetime
) -> Objection:
    """A reviewer upholds (the agreement falls) or dismisses an objection, with a reason.

    Dismissing the last open objection of a notice whose period is over concludes the deal.
    """
    require_reviewer(reviewer)
    objection = get_row(Objection, objection_id, N_("No such objection."))
    notice = _lock_notice(objection.notice_id)
    db.session.refresh(objection)
    if objection.status != ObjectionStatus.LODGED:
        raise DomainError(N_("This objection has already been decided."), code="decided")
    if notice.status != NoticeStatus.RUNNING:
        raise DomainError(N_("This public notice has already ended."), code="notice_closed")
    text = decision_reason(reason)
    objection.status = ObjectionStatus.UPHELD if uphold else ObjectionStatus.DISMISSED
    objection.decided_by_id = reviewer.id
    objection.decided_at = now
    objection.decision_reason = text[:2000]
    _audit(
        notice,
        "objection_decide",
        reviewer.id,
        now,
        before={"objection_id": objection.id, "status": ObjectionStatus.LODGED.value},
        after={"objection_id": objection.id, "status": objection.status.value},
        reason=objection.decision_reason,
    )
    db.session.flush()
    telling.objection_decided(notice, objection, upheld=uphold, now=now)
    _settle(notice, now=now, actor_id=reviewer.id)
    return objection


def _claim(notice: PublicityNotice, target: NoticeStatus, now: datetime) -> bool:
    """Move a running notice to its end state exactly once, even with two workers racing."""
    return claim_closing(notice, NoticeStatus.RUNNING, now, status=target)


def _settle(notice: PublicityNotice, *, now: datetime, actor_id: int | None) -> NoticeStatus | None:
    """End the notice if its verdict says so (in the caller's transaction); the new state."""
    outcome = verdict(notice, now)
    if outcome in (rules.NoticeVerdict.FALLEN, rules.NoticeVerdict.CLEAN):
        # Lock order listing → negotiation, as in accepting an offer (no deadlock).
        listings.lock_listing(notice.listing_id)
    if outcome == rules.NoticeVerdict.FALLEN:
        if not _claim(notice, NoticeStatus.FALLEN, now):
            return None
        negotiation = db.session.get(Negotiation, notice.negotiation_id)
        assert negotiation is not None
        negotiation.status = NegotiationStatus.FALLEN
        negotiation.updated_at = now
        listings.set_sale_state(
            notice.listing_id,
            SaleState.AVAILABLE,
            now=now,
            actor_id=actor_id,
            reason="notice.fallen",
        )
    elif outcome == rules.NoticeVerdict.CLEAN:
        if not _claim(notice, NoticeStatus.CLEAN, now):
            return None
        negotiation = db.session.get(Negotiation, notice.negotiation_id)
        assert negotiation is not None and negotiation.agreed_price_minor is not None
        negotiation.status = NegotiationStatus.CONCLUDED
        negotiation.updated_at = now
        record_sale(
            listing_id=notice.listing_id,
            buyer_org_id=negotiation.buyer_org_id,
            price_minor=negotiation.agreed_price_minor,
            method=SaleMethod.NEGOTIATED,
            source_type="negotiation",
            source_id=negotiation.id,
            now=now,
            actor_id=actor_id,
        )
    else:
        return None
    _audit(
        notice,
        notice.status.value,
        actor_id,
        now,
        before={"status": NoticeStatus.RUNNING.value},
        after={"status": notice.status.value},
    )
    db.session.flush()
    return notice.status


def close_notice(notice_id: int, *, now: datetime) -> NoticeStatus | None:
    """End a notice whose period is over with no open objection; None if it must go on."""
    notice = _lock_notice(notice_id)
    if notice.status != NoticeStatus.RUNNING:
        return None
    return _settle(notice, now=now, actor_id=None)


def closing_due(notice: PublicityNotice, now: datetime) -> bool:
    """Whether the notice is running but its verdict says it ends now (as last read)."""
    return notice.status == NoticeStatus.RUNNING and verdict(notice, now) in (
        rules.NoticeVerdict.CLEAN,
        rules.NoticeVerdict.FALLEN,
    )


def request_if_due(items: list[PublicityNotice], *, now: datetime) -> list[PublicityNotice]:
    """Reading notices never closes them: the job runner is asked to close those whose period
    ended, and they are read again."""
    return jobs.request_if_due(items, lambda notice: closing_due(notice, now), CLOSE_NOTICES_JOB)


def _try_close(notice_id: int, *, now: datetime) -> NoticeStatus | None:
    return close_in_savepoint(lambda: close_notice(notice_id, now=now), f"notice {notice_id}")


def close_due_notices(*, now: datetime) -> int:
    """Close every notice whose period is over and clean (cron: `flask deals close-notices`).

    Each closing runs in a savepoint: one that fails is logged and undone alone.
    """
    due = due_ids(PublicityNotice, NoticeStatus.RUNNING, now)
    return sum(_try_close(notice_id, now=now) is not None for notice_id in due)
