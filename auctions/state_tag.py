"""The validator of an auction's state as one caller sees it, read in one small statement.

Bidders poll `GET /api/v1/auctions/<id>` while they lead. Building the answer reads the
listing, the bidder numbers, the bids, the caller's deposit and maximum (several
statements and the serialisation); most polls find nothing changed. The tag is a hash
of everything the answer depends on but the clock's own fields (`server_time`,
`seconds_left`: a client counts down from `ends_at`): the auction's row, the listing's
last change, the caller's deposit, maximum, bidder number and organisation's state, the
caller and language, and which of the auction's moments have passed. A poll that
sends it back as If-None-Match gets a 304 after that one statement.
"""

from __future__ import annotations

import hashlib
from datetime import datetime
from typing import Any

from sqlalchemy import select

from accounts.models import Organisation, User
from auctions.models import Auction, AuctionBidder, AuctionStatus, ProxyBid
from core.clock import as_utc
from core.extensions import db
from listings.models import Listing
from payments.models import Deposit

# Drafts and refused announcements are shown to their seller and reviewers only: the full
# path decides who sees them.
_UNPUBLISHED = (AuctionStatus.PENDING_REVIEW, AuctionStatus.REFUSED)


def state_tag(actor: User | None, auction_id: int, *, now: datetime, locale: str) -> str | None:
    """The ETag of the auction's answer for `actor` now; None when the full path must
    decide (no such auction, or one not published)."""
    org_id = actor.acting_org_id if actor is not None and actor.is_authenticated else None
    mine = _mine(auction_id, org_id)
    row = db.session.execute(
        select(
            Auction.status, Auction.bid_count, Auction.current_price_minor,
            Auction.leader_org_id, Auction.starts_at, Auction.ends_at, Auction.closed_at,
            Auction.announced_at, Auction.deposit_deadline, Listing.updated_at, *mine,
        )
        .join(Listing, Listing.id == Auction.listing_id)
        .where(Auction.id == auction_id)
    ).first()  # fmt: skip
    if row is None or row.status in _UNPUBLISHED:
        return None
    moments = [row.starts_at, row.ends_at, row.deposit_deadline]
    passed = [m is not None and as_utc(m) <= now for m in moments]
    signed_in = actor is not None and actor.is_authenticated
    user = (actor.id, bool(actor.can_review)) if signed_in and actor is not None else None
    facts: tuple[Any, ...] = (auction_id, tuple(row), tuple(passed), user, org_id, str(locale))
    return hashlib.sha256(repr(facts).encode()).hexdigest()[:32]


def _mine(auction_id: int, org_id: int | None) -> list[Any]:
    """Scalar subqueries of the caller's organisation's place in the auction."""
    if org_id is None:
        return []
    deposit = (
        select(Deposit.id, Deposit.status)
        .where(
            Deposit.context_type == "auction",
            Deposit.context_id == auction_id,
            Deposit.org_id == org_id,
        )
        .order_by(Deposit.id.desc())
        .limit(1)
    )
    return [
        deposit.with_only_columns(Deposit.id).scalar_subquery(),
        deposit.with_only_columns(Deposit.status).scalar_subquery(),
        select(ProxyBid.max_minor)
        .where(ProxyBid.auction_id == auction_id, ProxyBid.bidder_org_id == org_id)
        .order_by(ProxyBid.id.desc())
        .limit(1)
        .scalar_subquery(),
        select(AuctionBidder.number)
        .where(AuctionBidder.auction_id == auction_id, AuctionBidder.org_id == org_id)
        .scalar_subquery(),
        select(Organisation.status).where(Organisation.id == org_id).scalar_subquery(),
    ]
