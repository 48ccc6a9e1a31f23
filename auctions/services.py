"""Auction use cases before the bidding: create, open from a listed sale, take part (deposit).

They flush and never commit: the caller's unit of work commits. Bidding is in
`auctions.bidding`, closing in `auctions.closing`, the pages' reads in `auctions.queries`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from accounts.models import User
from accounts.rules import check_may_buy
from auctions import bidders, rules, term_rules
from auctions.audit import record_audit
from auctions.models import Auction, AuctionStatus
from auctions.queries import (
    CONTEXT,
    OPEN_STATUSES,
    UNPUBLISHED_STATUSES,
    deposit_amount_of,
    get_auction,
)
from auctions.settings import DEFAULT_SETTINGS, AuctionSettings
from core.clock import as_utc
from core.domain import N_, DomainError, PermissionDenied
from core.extensions import db
from core.workdays import WorkCalendar
from listings import services as listings
from listings.rules import SaleState
from payments import deposit_settlement, deposits
from payments.models import Deposit, DepositStatus


@dataclass(frozen=True)
class AuctionInput:
    """What a seller sets for an auction (amounts in 分)."""

    starting_price_minor: int
    increment_minor: int
    starts_at: datetime
    ends_at: datetime
    reserve_price_minor: int | None = None
    deposit_bps: int = term_rules.DEFAULT_DEPOSIT_BPS
    deposit_deadline: datetime | None = None  # None: deposits are taken until bidding ends


# --- creating ----------------------------------------------------------------------------


def create_auction(
    actor: User,
    listing_id: int,
    data: AuctionInput,
    *,
    now: datetime,
    settings: AuctionSettings = DEFAULT_SETTINGS,
) -> Auction:
    """The seller announces an auction of a published, available listing (a draft, flushes).

    The announcement (拍卖公告) waits for a reviewer (`auctions.announcements`); bidding
    starts no sooner than the announcement period after its publication, so a start
    sooner than that after now is refused here already. The listing goes into auction.
    """
    listing = listings.get_listing(listing_id)
    if not listings.is_owner(actor, listing):
        raise PermissionDenied(N_("Only the seller may auction this listing."))
    deposits.verified_org_id(actor)
    starts_at, ends_at = as_utc(data.starts_at), as_utc(data.ends_at)
    deadline = as_utc(data.deposit_deadline) if data.deposit_deadline else None
    term_rules.check_terms(
        starting_price=data.starting_price_minor,
        increment=data.increment_minor,
        reserve_price=data.reserve_price_minor,
        starts_at=starts_at,
        ends_at=ends_at,
        deposit_bps=data.deposit_bps,
        now=now,
        limits=settings.limits,
    )
    term_rules.check_announcement_period(
        starts_at, published_at=now, period=settings.announcement_period
    )
    term_rules.check_deposit_deadline(deadline, published_at=now, ends_at=ends_at)
    listings.set_sale_state(listing.id, SaleState.IN_AUCTION, now=now, actor_id=actor.id)
    auction = Auction(
        listing_id=listing.id,
        seller_org_id=listing.organisation_id,
        status=AuctionStatus.PENDING_REVIEW,
        currency=listing.currency,
        starting_price_minor=data.starting_price_minor,
        reserve_price_minor=data.reserve_price_minor,
        increment_minor=data.increment_minor,
        deposit_bps=data.deposit_bps,
        starts_at=starts_at,
        ends_at=ends_at,
        original_ends_at=ends_at,
        deposit_deadline=deadline,
        bid_count=0,
        created_at=now,
    )
    db.session.add(auction)
    db.session.flush()
    record_audit(
        auction,
        "create",
        actor.id,
        now,
        before=None,
        listing_id=listing.id,
        starting_price_minor=auction.starting_price_minor,
        increment_minor=auction.increment_minor,
        reserve_set=auction.reserve_price_minor is not None,
        deposit_bps=auction.deposit_bps,
        starts_at=starts_at.isoformat(),
        deposit_deadline=deadline.isoformat() if deadline else None,
    )
    return auction


def open_auction_for_listed_sale(
    *,
    listing_id: int,
    listed_sale_id: int,
    org_ids: Iterable[int],
    starting_price_minor: int,
    now: datetime,
    calendar: WorkCalendar,
    increment_minor: int | None = None,
    deposit_bps: int = term_rules.DEFAULT_DEPOSIT_BPS,
    actor_id: int | None = None,
) -> Auction:
    """A listed sale with several buyers: an auction among exactly them, starting now (flushes).

    Bidding runs until the same time on the next working day, and at least 24 hours.
    The parties' deposits move over from the listed sale, so they may bid at once.
    The caller's unit of work (the listed sale's closing) commits.
    """
    parties = sorted(set(org_ids))
    if not parties:
        raise ValueError("an auction of a listed sale needs its parties")
    listing = listings.lock_listing(listing_id)
    if listing.sale_state != SaleState.IN_AUCTION:
        listings.set_sale_state(listing.id, SaleState.IN_AUCTION, now=now, actor_id=actor_id)
    ends_at = max(now + term_rules.MIN_DURATION, calendar.add_working_days(now, 1))
    auction = Auction(
        listing_id=listing.id,
        seller_org_id=listing.organisation_id,
        status=AuctionStatus.RUNNING,
        currency=listing.currency,
        starting_price_minor=starting_price_minor,
        reserve_price_minor=None,
        increment_minor=increment_minor or term_rules.default_increment(starting_price_minor),
        deposit_bps=deposit_bps,
        starts_at=now,
        ends_at=ends_at,
        original_ends_at=ends_at,
        bid_count=0,
        restricted_to_org_ids=parties,
        listed_sale_id=listed_sale_id,
        created_at=now,
        # Among the listed sale's parties only: its public listing period announced it.
        announced_at=now,
    )
    db.session.add(auction)
    db.session.flush()
    moved = deposit_settlement.move_context(
        "listed_sale",
        listed_sale_id,
        CONTEXT,
        auction.id,
        now=now,
        org_ids=frozenset(parties),
        actor_id=actor_id,
    )
    held = [d.org_id for d in moved if d.status == DepositStatus.HELD]
    bidders.assign_all(auction.id, held, now=now)  # their deposits are held already
    record_audit(
        auction,
        "create",
        actor_id,
        now,
        before=None,
        reason="listed_sale",
        listing_id=listing.id,
        listed_sale_id=listed_sale_id,
        parties=parties,
        starting_price_minor=starting_price_minor,
    )
    db.session.flush()
    return auction


# --- taking part -------------------------------------------------------------------------


def _check_may_take_part(auction: Auction, org_id: int, now: datetime) -> None:
    if auction.status in UNPUBLISHED_STATUSES:
        raise rules.AuctionNotRunning(
            N_("This auction's announcement is not published yet."), code="not_published"
        )
    if auction.status not in OPEN_STATUSES:
        raise rules.AuctionNotRunning(N_("This auction has ended; no more bids are taken."))
    if not term_rules.deposits_open(
        published_at=as_utc(auction.announced_at) if auction.announced_at else None,
        deadline=as_utc(auction.deposit_deadline) if auction.deposit_deadline else None,
        ends_at=as_utc(auction.ends_at),
        now=now,
    ):
        raise rules.AuctionNotRunning(
            N_("The deadline to lodge deposits for this auction has passed."),
            code="deposit_deadline_passed",
        )
    if org_id == auction.seller_org_id:
        raise rules.SellerCannotBid(N_("The seller cannot bid on its own auction."))
    restricted = auction.restricted_to_org_ids
    if restricted is not None and org_id not in restricted:
        raise rules.NotAParty(
            N_("Only the parties who registered intent in the listed sale may bid here.")
        )


def _bidder_org_id(actor: User) -> int:
    """The verified organisation the actor takes part for, if its kind may buy at all."""
    org_id = deposits.verified_org_id(actor)
    check_may_buy(actor.organisation.kind.value if actor.organisation else None)
    return org_id


def may_take_part(actor: User | None, auction: Auction, *, now: datetime) -> bool:
    """Whether `join_auction` would let the actor's organisation take part now (reads only)."""
    if actor is None or not actor.is_authenticated:
        return False
    try:
        _check_may_take_part(auction, _bidder_org_id(actor), now)
    except DomainError:
        return False
    return True


def join_auction(actor: User, auction_id: int, *, now: datetime) -> Deposit:
    """A bidder asks to take part: the deposit it owes is put on the ledger (idempotent)."""
    org_id = _bidder_org_id(actor)
    auction = get_auction(auction_id)
    _check_may_take_part(auction, org_id, now)
    return deposits.require_deposit(
        actor, CONTEXT, auction.id, deposit_amount_of(auction), now=now, currency=auction.currency
    )
