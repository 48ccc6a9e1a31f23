"""The announcement (拍卖公告) of an auction: a reviewer publishes it, or sends it back.

A new auction is a draft announcement (`services.create_auction`). Publishing starts
the announcement period (拍卖法 Art. 45: at least `AUCTION_ANNOUNCEMENT_DAYS` before
bidding) and opens deposits; a refusal returns the listing to the seller with the
reason. Flushes, never commits: the reviewer's page opens the unit of work.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from accounts.models import User
from accounts.services import require_reviewer
from auctions import telling, term_rules
from auctions.audit import audited_fields, record_audit
from auctions.models import Auction, AuctionStatus
from auctions.settings import DEFAULT_SETTINGS, AuctionSettings
from auctions.store import lock_auction
from core.clock import as_utc
from core.domain import N_, DomainError
from core.extensions import db
from core.rules_kit import decision_reason
from listings import services as listings
from listings.models import Listing
from listings.rules import SaleState


class AnnouncementNotPending(DomainError):
    """Only an announcement awaiting review can be published or refused."""

    code = "announcement_not_pending"


def review_queue(reviewer: User) -> list[tuple[Auction, Listing]]:
    """Announcements waiting for a reviewer with their listings, oldest first."""
    require_reviewer(reviewer)
    rows = db.session.execute(
        select(Auction, Listing)
        .join(Listing, Listing.id == Auction.listing_id)
        .where(Auction.status == AuctionStatus.PENDING_REVIEW)
        .order_by(Auction.created_at, Auction.id)
    )
    return [(auction, listing) for auction, listing in rows]


def _pending(auction_id: int) -> Auction:
    auction = lock_auction(auction_id)
    if auction.status != AuctionStatus.PENDING_REVIEW:
        raise AnnouncementNotPending(N_("This announcement is not awaiting review."))
    return auction


def approve(
    reviewer: User,
    auction_id: int,
    *,
    now: datetime,
    settings: AuctionSettings = DEFAULT_SETTINGS,
) -> Auction:
    """Publish the announcement now; refused if bidding would start too soon after it."""
    require_reviewer(reviewer)
    auction = _pending(auction_id)
    term_rules.check_announcement_period(
        as_utc(auction.starts_at), published_at=now, period=settings.announcement_period
    )
    before = audited_fields(auction)
    auction.status = AuctionStatus.SCHEDULED
    auction.announced_at = now
    auction.announcement_reviewed_by_id = reviewer.id
    record_audit(auction, "publish_announcement", reviewer.id, now, before=before)
    telling.announcement_published(auction, now=now)
    db.session.flush()
    return auction


def refuse(reviewer: User, auction_id: int, reason: str, *, now: datetime) -> Auction:
    """Send the announcement back to the seller with the reason; the listing is free again."""
    require_reviewer(reviewer)
    text = decision_reason(reason)
    auction = _pending(auction_id)
    before = audited_fields(auction)
    auction.status = AuctionStatus.REFUSED
    auction.refusal_reason = text
    auction.announcement_reviewed_by_id = reviewer.id
    listings.set_sale_state(
        auction.listing_id,
        SaleState.AVAILABLE,
        now=now,
        actor_id=reviewer.id,
        reason="auction.announcement_refused",
    )
    record_audit(auction, "refuse_announcement", reviewer.id, now, before=before, reason=text)
    telling.announcement_refused(auction, now=now)
    db.session.flush()
    return auction
