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
from typing import Any, cast

from sqlalchemy import BindParameter, Row, Select, bindparam, select

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
    row = _read(auction_id, org_id)
    if row is None or row.status in _UNPUBLISHED:
        return None
    return _tag(viewer_of(actor), auction_id, org_id, row, now=now, locale=locale)


def viewer_of(actor: User | None) -> Viewer:
    """What of the caller the tag depends on: who, and whether a reviewer."""
    if actor is None or not actor.is_authenticated:
        return None
    return (actor.id, bool(actor.can_review))


def tag_after_bid(
    viewer: Viewer, auction_id: int, org_id: int, as_left: AsLeft, *, now: datetime, locale: str
) -> str | None:
    """The ETag `state_tag` gives the bidder now, if the auction is still as its bid left
    it (`as_left`: bid count, price, leader, end); else None, and the bidder's next poll
    reads the auction whole. A bidder that sends it back learns of the next change only.
    (`viewer`: `viewer_of` the bidder, taken before the bid's commit expired the user.)"""
    row = _read(auction_id, org_id)
    if row is None or row.closed_at is not None:
        return None
    found = (row.bid_count, row.current_price_minor, row.leader_org_id, as_utc(row.ends_at))
    if found != as_left:
        return None
    return _tag(viewer, auction_id, org_id, row, now=now, locale=locale)


Viewer = tuple[int, bool] | None  # the caller's user id and whether it reviews; None: anonymous
AsLeft = tuple[int, int | None, int | None, datetime]  # bid count, price, leader, end


def _read(auction_id: int, org_id: int | None) -> Row[Any] | None:
    statement = _ANONYMOUS if org_id is None else _OF_ORGANISATION
    return db.session.execute(statement, {"auction_id": auction_id, "org_id": org_id}).first()


def _tag(
    viewer: Viewer,
    auction_id: int,
    org_id: int | None,
    row: Row[Any],
    *,
    now: datetime,
    locale: str,
) -> str:
    moments = [row.starts_at, row.ends_at, row.deposit_deadline]
    passed = [m is not None and as_utc(m) <= now for m in moments]
    facts: tuple[Any, ...] = (auction_id, tuple(row), tuple(passed), viewer, org_id, str(locale))
    return hashlib.sha256(repr(facts).encode()).hexdigest()[:32]


def _mine() -> list[Any]:
    """Scalar subqueries of the organisation's (`:org_id`) place in the auction."""
    auction_id: BindParameter[int] = bindparam("auction_id")
    org_id: BindParameter[int] = bindparam("org_id")
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


def _statement(mine: list[Any]) -> Select[Any]:
    statement = (
        select(
            Auction.status, Auction.bid_count, Auction.current_price_minor,
            Auction.leader_org_id, Auction.starts_at, Auction.ends_at, Auction.closed_at,
            Auction.announced_at, Auction.deposit_deadline, Listing.updated_at, *mine,
        )
        .join(Listing, Listing.id == Auction.listing_id)
        .where(Auction.id == bindparam("auction_id"))
    )  # fmt: skip
    return cast(Select[Any], statement)


# Built once: a poll only binds its parameters (building the statement cost more than
# running it).
_ANONYMOUS = _statement([])
_OF_ORGANISATION = _statement(_mine())
