"""Bidder numbers (竞买号): drawn when a bidder's deposit is held; how pages name bidders.

`assign` flushes and never commits: it runs in the unit of work that holds the deposit
(`payments.signals.deposit_held`, answered in `auctions.handlers`) or opens a listed
sale's auction.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable, Sequence
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from accounts.models import User
from auctions import bidder_rules
from auctions.bidder_rules import Viewer
from auctions.models import Auction, AuctionBidder
from core.extensions import db

ATTEMPTS = 5  # a concurrent draw of the same number is retried


def number_of(auction_id: int, org_id: int) -> int | None:
    """The organisation's bidder number in the auction, if it has one."""
    return db.session.scalar(
        select(AuctionBidder.number).where(
            AuctionBidder.auction_id == auction_id, AuctionBidder.org_id == org_id
        )
    )


def numbers_of(auction_id: int) -> dict[int, int]:
    """Every bidder's number in the auction, by organisation."""
    rows = db.session.execute(
        select(AuctionBidder.org_id, AuctionBidder.number).where(
            AuctionBidder.auction_id == auction_id
        )
    )
    return {org_id: number for org_id, number in rows}


def numbers_in(auction_ids: Sequence[int]) -> dict[int, dict[int, int]]:
    """The bidder numbers of several auctions: auction id → organisation → number."""
    found: dict[int, dict[int, int]] = {auction_id: {} for auction_id in auction_ids}
    if not auction_ids:
        return found
    rows = db.session.execute(
        select(AuctionBidder.auction_id, AuctionBidder.org_id, AuctionBidder.number).where(
            AuctionBidder.auction_id.in_(auction_ids)
        )
    )
    for auction_id, org_id, number in rows:
        found[auction_id][org_id] = number
    return found


def assign(auction_id: int, org_id: int, *, now: datetime) -> int:
    """The organisation's bidder number, drawn now if it has none (idempotent; flushes)."""
    for _ in range(ATTEMPTS):
        existing = number_of(auction_id, org_id)
        if existing is not None:
            return existing
        taken = set(numbers_of(auction_id).values())
        number = bidder_rules.pick_number(taken, secrets.randbelow)
        try:
            with db.session.begin_nested():
                db.session.add(
                    AuctionBidder(
                        auction_id=auction_id, org_id=org_id, number=number, assigned_at=now
                    )
                )
        except IntegrityError:  # another transaction drew it (or numbered this bidder) first
            continue
        return number
    raise RuntimeError("no bidder number could be drawn")


def assign_all(auction_id: int, org_ids: Iterable[int], *, now: datetime) -> None:
    """Numbers for several bidders at once (a listed sale's parties; flushes)."""
    for org_id in sorted(set(org_ids)):
        assign(auction_id, org_id, now=now)


def viewer_of(actor: User | None, auction: Auction) -> Viewer:
    """Who `actor` is to the auction: its organisation, reviewer, the seller."""
    if actor is None or not actor.is_authenticated:
        return bidder_rules.ANONYMOUS
    org_id = actor.acting_org_id
    return Viewer(
        org_id=org_id,
        is_reviewer=bool(actor.can_review),
        is_seller=org_id is not None and org_id == auction.seller_org_id,
    )
