"""Read models of public notices (公示) and objections (异议): what pages and the API show."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from accounts.models import User
from accounts.services import rows_for_reviewer
from core.clock import as_utc
from core.domain import N_
from core.extensions import db
from core.row_lists import all_of
from core.rows import get_row
from trading import rules
from trading.models import Negotiation, Objection, PublicityNotice
from trading.rules import NoticeStatus, ObjectionStatus


def get_notice(notice_id: int) -> PublicityNotice:
    """A public notice by id (notices are public), or NotFound."""
    return get_row(PublicityNotice, notice_id, N_("No such public notice."))


def current_notices() -> list[PublicityNotice]:
    """Notices still running (including those waiting for a reviewer), ending soonest first."""
    return all_of(
        select(PublicityNotice)
        .where(PublicityNotice.status == NoticeStatus.RUNNING)
        .order_by(PublicityNotice.ends_at, PublicityNotice.id)
    )


def past_notices(limit: int = 100) -> list[PublicityNotice]:
    """Notices that ended, clean or fallen, most recent first."""
    return all_of(
        select(PublicityNotice)
        .where(PublicityNotice.status != NoticeStatus.RUNNING)
        .order_by(PublicityNotice.closed_at.desc(), PublicityNotice.id.desc())
        .limit(limit)
    )


def notice_for_listing(listing_id: int) -> PublicityNotice | None:
    """The listing's latest notice, if any."""
    return db.session.scalar(
        select(PublicityNotice)
        .where(PublicityNotice.listing_id == listing_id)
        .order_by(PublicityNotice.id.desc())
        .limit(1)
    )


def notice_for_negotiation(negotiation_id: int) -> PublicityNotice | None:
    """The notice of an agreed negotiation, if any."""
    return db.session.scalar(
        select(PublicityNotice).where(PublicityNotice.negotiation_id == negotiation_id)
    )


def objection_of(actor: User | None, notice: PublicityNotice) -> Objection | None:
    """The actor's own objection to this notice, if any."""
    if actor is None or not actor.is_authenticated:
        return None
    return next((o for o in notice.objections if o.user_id == actor.id), None)


def objection_queue(reviewer: User) -> list[Objection]:
    """Objections waiting for a decision, oldest first (reviewers)."""
    return rows_for_reviewer(
        reviewer,
        select(Objection)
        .join(PublicityNotice)
        .where(
            Objection.status == ObjectionStatus.LODGED,
            PublicityNotice.status == NoticeStatus.RUNNING,
        )
        .order_by(Objection.lodged_at, Objection.id),
    )


def verdict(notice: PublicityNotice, now: datetime) -> rules.NoticeVerdict:
    """Where the notice stands at `now` (running, waiting for a reviewer, clean, fallen)."""
    if notice.status == NoticeStatus.CLEAN:
        return rules.NoticeVerdict.CLEAN
    if notice.status == NoticeStatus.FALLEN:
        return rules.NoticeVerdict.FALLEN
    return rules.notice_verdict(
        as_utc(notice.ends_at), now, [o.status.value for o in notice.objections]
    )


def formation_of(notice: PublicityNotice) -> rules.PriceFormation:
    """How the price was formed, from the negotiation's offers (shown in the reader's language)."""
    negotiation = db.session.get(Negotiation, notice.negotiation_id)
    offers = tuple(
        m.amount_minor
        for m in (negotiation.messages if negotiation else [])
        if m.kind in ("offer", "counter") and m.amount_minor is not None
    )
    return rules.PriceFormation(
        seller_name=notice.seller_name,
        buyer_name=notice.buyer_name,
        offers_minor=offers,
        agreed_minor=notice.price_minor,
    )
