"""Auction use cases: create, open from a listed sale, take part, bid, close, the live snapshot.

Concurrency. Everything that changes an auction's price or status runs under a
lock of its row, and re-reads the row once it holds the lock:

* PostgreSQL: ``SELECT … FOR UPDATE`` on the auction; the due-auction sweep
  uses ``FOR UPDATE SKIP LOCKED`` so two workers split the work instead of
  queueing on it, and each auction is closed in its own transaction.
* SQLite: there are no row locks, and our engine's plain (deferred) ``BEGIN``
  takes the write lock only at the first write. Two transactions that both read
  and then write would collide on the lock upgrade (``SQLITE_BUSY_SNAPSHOT``,
  "database is locked", immediately, whatever the busy timeout). So a locking
  use case starts a fresh transaction whose *first* statement is a write:
  SQLite then queues it on the busy timeout and serialises the writers.

Closing is exactly once: the row lock plus the status guard (only a scheduled
or running auction is closed), whoever tries, the sweep or a lazy close.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, BinaryIO

from sqlalchemy import and_, select

from auctions import deposits, rules
from auctions.models import Auction, AuctionStatus, Bid, Deposit, DepositStatus, ProxyBid
from listings import services as listings
from listings.rules import SaleState
from marketplace.accounts.models import Organisation, User, VerificationStatus
from marketplace.accounts.services import get_organisation
from marketplace.audit import services as audit
from marketplace.clock import as_utc
from marketplace.deals import services as deals
from marketplace.deals.models import SaleMethod
from marketplace.domain import N_, DomainError, NotFound, PermissionDenied
from marketplace.extensions import db
from marketplace.sqlite import queue_as_writer
from marketplace.workdays import WorkCalendar

log = logging.getLogger(__name__)

CONTEXT = "auction"  # the deposit ledger's context type
OPEN_STATUSES = (AuctionStatus.SCHEDULED, AuctionStatus.RUNNING)
RESULT_STATUSES = (AuctionStatus.CLOSED, AuctionStatus.FAILED)


@dataclass(frozen=True)
class AuctionSettings:
    """The market's settings the auction rules need (views build them from app.config)."""

    calendar: WorkCalendar = field(default_factory=WorkCalendar)
    release_working_days: int = 5
    extension: timedelta = rules.EXTENSION
    extension_window: timedelta = rules.EXTENSION_WINDOW
    min_duration: timedelta = rules.MIN_DURATION
    default_deposit_bps: int = rules.DEFAULT_DEPOSIT_BPS


DEFAULT_SETTINGS = AuctionSettings()


def settings_from_config(config: Mapping[str, Any]) -> AuctionSettings:
    """The settings from app.config (MARKET_HOLIDAYS, DEPOSIT_RELEASE_WORKING_DAYS, ...)."""
    return AuctionSettings(
        calendar=WorkCalendar.from_text(
            config.get("MARKET_HOLIDAYS", ""), config.get("MARKET_WORKDAYS", "")
        ),
        release_working_days=int(config.get("DEPOSIT_RELEASE_WORKING_DAYS", 5)),
        extension=timedelta(minutes=float(config.get("AUCTION_EXTENSION_MINUTES", 5))),
        extension_window=timedelta(
            minutes=float(config.get("AUCTION_EXTENSION_WINDOW_MINUTES", 5))
        ),
        default_deposit_bps=int(config.get("DEFAULT_DEPOSIT_BPS", rules.DEFAULT_DEPOSIT_BPS)),
    )


@dataclass(frozen=True)
class AuctionInput:
    """What a seller sets for an auction (amounts in 分)."""

    starting_price_minor: int
    increment_minor: int
    starts_at: datetime
    ends_at: datetime
    reserve_price_minor: int | None = None
    deposit_bps: int = rules.DEFAULT_DEPOSIT_BPS


@dataclass(frozen=True)
class PlacedBidRow:
    """A bid as written (plain values, valid after the commit)."""

    id: int
    bidder_org_id: int
    amount_minor: int
    is_proxy: bool
    placed_at: datetime


@dataclass(frozen=True)
class BidResult:
    """What one submission did: the bids written (the bidder's and proxies'), and the standing."""

    auction: Auction
    bidder_org_id: int
    bids: tuple[PlacedBidRow, ...]
    leading: bool
    extended: bool
    current_price_minor: int
    minimum_next_bid_minor: int
    ends_at: datetime
    raised_max: bool = False

    @property
    def own_bids(self) -> tuple[PlacedBidRow, ...]:
        """The bids written for the submitting organisation (the rest are others' proxies)."""
        return tuple(b for b in self.bids if b.bidder_org_id == self.bidder_org_id)


# --- state and reading -------------------------------------------------------------------


def state_of(auction: Auction, settings: AuctionSettings = DEFAULT_SETTINGS) -> rules.AuctionState:
    """The pure rules' view of an auction row."""
    restricted = auction.restricted_to_org_ids
    return rules.AuctionState(
        status=rules.Phase(auction.status.value),
        starting_price=auction.starting_price_minor,
        increment=auction.increment_minor,
        starts_at=as_utc(auction.starts_at),
        ends_at=as_utc(auction.ends_at),
        seller_org_id=auction.seller_org_id,
        current_price=auction.current_price_minor,
        leader_org_id=auction.leader_org_id,
        bid_count=auction.bid_count,
        reserve_price=auction.reserve_price_minor,
        restricted_to=frozenset(restricted) if restricted is not None else None,
        currency=auction.currency,
        extension_window=settings.extension_window,
        extension=settings.extension,
    )


def get_auction(auction_id: int) -> Auction:
    """An auction by id, or NotFound (auctions and their results are public)."""
    auction = db.session.get(Auction, auction_id)
    if auction is None:
        raise NotFound(N_("No such auction."))
    return auction


def deposit_amount_of(auction: Auction) -> int:
    """The deposit a bidder lodges for this auction."""
    return rules.deposit_amount(auction.starting_price_minor, auction.deposit_bps)


def deposit_for(actor: User | None, auction: Auction) -> Deposit | None:
    """The actor's organisation's deposit in this auction, if any."""
    org_id = actor.acting_org_id if actor is not None and actor.is_authenticated else None
    return deposits.deposit_of(CONTEXT, auction.id, org_id)


def list_auctions(kind: str, *, now: datetime, limit: int = 100) -> list[Auction]:
    """Running, upcoming or closed (results) auctions, soonest end or newest result first."""
    query = select(Auction)
    if kind == "upcoming":
        query = query.where(Auction.status.in_(OPEN_STATUSES), Auction.starts_at > now)
        query = query.order_by(Auction.starts_at, Auction.id)
    elif kind == "closed":
        query = query.where(Auction.status.in_(RESULT_STATUSES))
        query = query.order_by(Auction.closed_at.desc(), Auction.id.desc())
    else:
        query = query.where(
            Auction.status.in_(OPEN_STATUSES), Auction.starts_at <= now, Auction.ends_at > now
        )
        query = query.order_by(Auction.ends_at, Auction.id)
    return list(db.session.scalars(query.limit(limit)))


def auctions_of_listing(listing_id: int) -> list[Auction]:
    """Every auction of a listing, newest first (the listing page links the open one)."""
    return list(
        db.session.scalars(
            select(Auction).where(Auction.listing_id == listing_id).order_by(Auction.id.desc())
        )
    )


def bid_history(auction_id: int, *, limit: int | None = None) -> list[tuple[Bid, Organisation]]:
    """Bids with their bidders, newest first (`limit` of them)."""
    query = (
        select(Bid, Organisation)
        .join(Organisation, Organisation.id == Bid.bidder_org_id)
        .where(Bid.auction_id == auction_id)
        .order_by(Bid.id.desc())
    )
    if limit is not None:
        query = query.limit(limit)
    return [(bid, org) for bid, org in db.session.execute(query)]


def price_series(auction_id: int) -> list[tuple[datetime, int]]:
    """(time, price) of every bid, oldest first: the chart of the auction room."""
    rows = db.session.execute(
        select(Bid.placed_at, Bid.amount_minor).where(Bid.auction_id == auction_id).order_by(Bid.id)
    )
    return [(as_utc(at), amount) for at, amount in rows]


def auction_version(auction_id: int) -> tuple[str, int, datetime] | None:
    """(status, bid count, end): what the live feed polls to see whether anything changed."""
    row = db.session.execute(
        select(Auction.status, Auction.bid_count, Auction.ends_at).where(Auction.id == auction_id)
    ).first()
    return None if row is None else (row.status.value, row.bid_count, as_utc(row.ends_at))


def _org_name(org_id: int | None, locale: str) -> str | None:
    if org_id is None:
        return None
    org = db.session.get(Organisation, org_id)
    return org.display_name(locale) if org else None


def auction_snapshot(
    auction_id: int,
    *,
    now: datetime,
    locale: str = "zh_CN",
    bids_limit: int = 20,
    settings: AuctionSettings = DEFAULT_SETTINGS,
) -> dict[str, Any]:
    """The live feed's view of an auction (closing it first if its end has passed)."""
    auction = get_auction(auction_id)
    if rules.is_due(state_of(auction, settings), now):
        close_auction(auction_id, now=now, settings=settings)
        auction = get_auction(auction_id)
    state = state_of(auction, settings)
    if auction.status in OPEN_STATUSES:
        phase = "upcoming" if now < state.starts_at else "running"
    else:
        phase = auction.status.value
    listing = listings.get_listing(auction.listing_id)
    return {
        "id": auction.id,
        "listing_id": auction.listing_id,
        "title": listing.title(locale),
        "restricted": auction.restricted_to_org_ids is not None,
        "deposit_minor": deposit_amount_of(auction),
        "status": phase,
        "currency": auction.currency,
        "starting_price_minor": auction.starting_price_minor,
        "increment_minor": auction.increment_minor,
        "current_price_minor": auction.current_price_minor,
        "minimum_next_bid_minor": rules.minimum_next_bid(state),
        "leader_org_id": auction.leader_org_id,
        "leader_name": _org_name(auction.leader_org_id, locale),
        "bid_count": auction.bid_count,
        "reserve_met": rules.reserve_met(state),
        "starts_at": state.starts_at.isoformat(),
        "ends_at": state.ends_at.isoformat(),
        "extended": state.ends_at > as_utc(auction.original_ends_at),
        "server_time": now.isoformat(),
        "seconds_left": rules.seconds_left(state, now),
        "winner_name": (
            _org_name(auction.leader_org_id, locale)
            if auction.status == AuctionStatus.CLOSED
            else None
        ),
        "highest_bidder_org_id": highest_bidder_org_id(auction),
        "bids": [
            {
                "amount_minor": bid.amount_minor,
                "bidder_org_id": bid.bidder_org_id,
                "bidder_name": org.display_name(locale),
                "placed_at": as_utc(bid.placed_at).isoformat(),
                "is_proxy": bid.is_proxy,
            }
            for bid, org in bid_history(auction.id, limit=bids_limit)
        ],
    }


def highest_bidder_org_id(auction: Auction) -> int | None:
    """After a failed auction: the highest bidder, with whom the seller may negotiate."""
    return auction.leader_org_id if auction.status == AuctionStatus.FAILED else None


# --- locking -----------------------------------------------------------------------------


def _is_sqlite() -> bool:
    return db.session.get_bind().dialect.name == "sqlite"


def _lock_auction(auction_id: int) -> Auction:
    """The auction, row-locked and freshly read, for the rest of the transaction."""
    if _is_sqlite():
        queue_as_writer(db.session)
    auction = db.session.scalar(
        select(Auction)
        .where(Auction.id == auction_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    if auction is None:
        raise NotFound(N_("No such auction."))
    return auction


def _leader_proxy(auction: Auction) -> tuple[int, int] | None:
    """The leader's standing maximum and who set it (the only maximum above the price)."""
    if auction.leader_org_id is None:
        return None
    row = db.session.execute(
        select(ProxyBid.max_minor, ProxyBid.user_id).where(
            ProxyBid.auction_id == auction.id, ProxyBid.bidder_org_id == auction.leader_org_id
        )
    ).first()
    return None if row is None else (row.max_minor, row.user_id)


def _audit(
    auction: Auction,
    action: str,
    actor_id: int | None,
    now: datetime,
    *,
    before: dict[str, Any] | None,
    reason: str | None = None,
    **extra: Any,
) -> None:
    audit.record(
        actor_id=actor_id,
        action=f"auction.{action}",
        object_type="auction",
        object_id=auction.id,
        now=now,
        before=before,
        after={**_snapshot(auction), **extra},
        reason=reason,
    )


def _snapshot(auction: Auction) -> dict[str, Any]:
    return {
        "status": auction.status.value,
        "current_price_minor": auction.current_price_minor,
        "leader_org_id": auction.leader_org_id,
        "bid_count": auction.bid_count,
        "ends_at": as_utc(auction.ends_at).isoformat(),
    }


# --- creating ----------------------------------------------------------------------------


def _require_verified_org(actor: User | None) -> int:
    org_id = actor.acting_org_id if actor is not None and actor.is_authenticated else None
    if org_id is None:
        raise PermissionDenied(
            N_("Join an organisation before taking part."), code="no_organisation"
        )
    if not get_organisation(org_id).is_verified:
        raise PermissionDenied(
            N_("Your organisation must be verified by a reviewer before it can take part."),
            code="organisation_not_verified",
        )
    return org_id


def create_auction(
    actor: User,
    listing_id: int,
    data: AuctionInput,
    *,
    now: datetime,
    settings: AuctionSettings = DEFAULT_SETTINGS,
) -> Auction:
    """The seller auctions a published, available listing; the listing goes into auction."""
    listing = listings.get_listing(listing_id)
    if not listings.is_owner(actor, listing):
        raise PermissionDenied(N_("Only the seller may auction this listing."))
    _require_verified_org(actor)
    starts_at = max(as_utc(data.starts_at), now)
    rules.check_terms(
        starting_price=data.starting_price_minor,
        increment=data.increment_minor,
        reserve_price=data.reserve_price_minor,
        starts_at=as_utc(data.starts_at),
        ends_at=as_utc(data.ends_at),
        deposit_bps=data.deposit_bps,
        now=now,
        min_duration=settings.min_duration,
    )
    if as_utc(data.ends_at) - starts_at < settings.min_duration:
        raise rules.InvalidTerms(
            N_("Bidding must last at least %(hours)s hours."),
            field="ends_at",
            code="auction_too_short",
            hours=int(settings.min_duration.total_seconds() // 3600),
        )
    listings.set_sale_state(listing.id, SaleState.IN_AUCTION, now=now, actor_id=actor.id)
    auction = Auction(
        listing_id=listing.id,
        seller_org_id=listing.organisation_id,
        status=AuctionStatus.RUNNING if starts_at <= now else AuctionStatus.SCHEDULED,
        currency=listing.currency,
        starting_price_minor=data.starting_price_minor,
        reserve_price_minor=data.reserve_price_minor,
        increment_minor=data.increment_minor,
        deposit_bps=data.deposit_bps,
        starts_at=starts_at,
        ends_at=as_utc(data.ends_at),
        original_ends_at=as_utc(data.ends_at),
        bid_count=0,
        created_at=now,
    )
    db.session.add(auction)
    db.session.flush()
    _audit(
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
    )
    db.session.commit()
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
    deposit_bps: int = rules.DEFAULT_DEPOSIT_BPS,
    actor_id: int | None = None,
) -> Auction:
    """A listed sale with several buyers: an auction among exactly them, starting now (flushes).

    Bidding runs until the same time on the next working day, and at least 24 hours.
    The parties' deposits move over from the listed sale, so they may bid at once.
    The caller (the listed sale's closing) commits.
    """
    parties = sorted(set(org_ids))
    if not parties:
        raise ValueError("an auction of a listed sale needs its parties")
    listing = listings.lock_listing(listing_id)
    if listing.sale_state != SaleState.IN_AUCTION:
        listings.set_sale_state(listing.id, SaleState.IN_AUCTION, now=now, actor_id=actor_id)
    ends_at = max(now + rules.MIN_DURATION, calendar.add_working_days(now, 1))
    auction = Auction(
        listing_id=listing.id,
        seller_org_id=listing.organisation_id,
        status=AuctionStatus.RUNNING,
        currency=listing.currency,
        starting_price_minor=starting_price_minor,
        reserve_price_minor=None,
        increment_minor=increment_minor or rules.default_increment(starting_price_minor),
        deposit_bps=deposit_bps,
        starts_at=now,
        ends_at=ends_at,
        original_ends_at=ends_at,
        bid_count=0,
        restricted_to_org_ids=parties,
        listed_sale_id=listed_sale_id,
        created_at=now,
    )
    db.session.add(auction)
    db.session.flush()
    deposits.move_context(
        "listed_sale",
        listed_sale_id,
        CONTEXT,
        auction.id,
        now=now,
        org_ids=frozenset(parties),
        actor_id=actor_id,
    )
    _audit(
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


def _check_may_take_part(auction: Auction, org_id: int) -> None:
    if auction.status not in OPEN_STATUSES:
        raise rules.AuctionNotRunning(N_("This auction has ended; no more bids are taken."))
    if org_id == auction.seller_org_id:
        raise rules.SellerCannotBid(N_("The seller cannot bid on its own auction."))
    restricted = auction.restricted_to_org_ids
    if restricted is not None and org_id not in restricted:
        raise rules.NotAParty(
            N_("Only the parties who registered intent in the listed sale may bid here.")
        )


def join_auction(actor: User, auction_id: int, *, now: datetime) -> Deposit:
    """A bidder asks to take part: the deposit it owes is put on the ledger (idempotent)."""
    org_id = _require_verified_org(actor)
    auction = get_auction(auction_id)
    _check_may_take_part(auction, org_id)
    deposit = deposits.require_deposit(
        actor, CONTEXT, auction.id, deposit_amount_of(auction), now=now
    )
    db.session.commit()
    return deposit


def submit_deposit_receipt(
    actor: User,
    auction_id: int,
    *,
    stream: BinaryIO,
    filename: str,
    bank_reference: str,
    folder: Path,
    max_bytes: int,
    now: datetime,
) -> Deposit:
    """The bidder uploads the receipt of its bank transfer; a reviewer will confirm it."""
    org_id = _require_verified_org(actor)
    auction = get_auction(auction_id)
    _check_may_take_part(auction, org_id)
    deposit = deposits.require_deposit(
        actor, CONTEXT, auction.id, deposit_amount_of(auction), now=now
    )
    return deposits.submit_receipt(
        actor,
        deposit.id,
        stream=stream,
        filename=filename,
        bank_reference=bank_reference,
        folder=folder,
        max_bytes=max_bytes,
        now=now,
    )


# --- bidding -----------------------------------------------------------------------------


@dataclass(frozen=True)
class _Standing:
    """One unlocked read: the auction, the bidder's verification and its deposit."""

    auction: Auction
    org_verified: bool
    deposit_held: bool


def _standing(auction_id: int, org_id: int) -> _Standing:
    row = db.session.execute(
        select(Auction, Organisation.status, Deposit.status)
        .select_from(Auction)
        .join(Organisation, Organisation.id == org_id)
        .outerjoin(
            Deposit,
            and_(
                Deposit.context_type == CONTEXT,
                Deposit.context_id == Auction.id,
                Deposit.org_id == org_id,
            ),
        )
        .where(Auction.id == auction_id)
    ).first()
    if row is None:
        raise NotFound(N_("No such auction."))
    return _Standing(
        auction=row[0],
        org_verified=row[1] == VerificationStatus.VERIFIED,
        deposit_held=row[2] == DepositStatus.HELD,
    )


def place_bid(
    actor: User,
    auction_id: int,
    amount_minor: int,
    *,
    max_minor: int | None = None,
    now: datetime,
    settings: AuctionSettings = DEFAULT_SETTINGS,
) -> BidResult:
    """Bid on an auction, optionally with a maximum the system bids up to (one transaction).

    One unlocked read refuses what cannot succeed whatever happens meanwhile (the
    auction has ended, the seller, not a party, no verified organisation or held
    deposit, an amount below the minimum: prices only rise), so those refusals never
    queue for the row lock. Under the lock the price, the proxies and the end are
    decided on a fresh read. A due auction is closed first.
    """
    org_id = actor.acting_org_id if actor is not None and actor.is_authenticated else None
    user_id = actor.id
    if org_id is None:
        raise PermissionDenied(
            N_("Join an organisation before taking part."), code="no_organisation"
        )
    standing = _standing(auction_id, org_id)
    state = state_of(standing.auction, settings)
    if not rules.is_due(state, now):
        rules.check_bidder(state, org_id, now)
        _check_standing(standing)
        rules.check_amount(state, amount_minor, max_amount=max_minor)
    auction = _lock_auction(auction_id)
    state = state_of(auction, settings)
    if rules.is_due(state, now):
        _close_locked(auction, now=now, settings=settings)
        db.session.commit()
        raise rules.AuctionNotRunning(N_("This auction has ended; no more bids are taken."))
    try:
        rules.check_bid(state, amount_minor, org_id, now, max_amount=max_minor)
        _check_standing(standing)  # a closing settles deposits under this lock: still held
        leader_proxy = _leader_proxy(auction)
        if state.leader_org_id == org_id:
            assert max_minor is not None  # check_bid refuses the leader's plain bid
            current_max = leader_proxy[0] if leader_proxy else 0
            rules.check_raise_max(state, org_id, max_minor, current_max)
            return _raise_max(auction, org_id, user_id, max_minor, current_max, now=now)
        resolution = rules.resolve_proxies(
            state,
            bidder_org_id=org_id,
            amount=amount_minor,
            max_amount=max_minor,
            maxima={state.leader_org_id: leader_proxy[0]}
            if leader_proxy and state.leader_org_id is not None
            else {},
            now=now,
        )
    except DomainError:
        db.session.rollback()  # release the lock at once; nothing was written
        raise
    leader_user = leader_proxy[1] if leader_proxy else None
    before = _snapshot(auction)
    bids = [
        Bid(
            auction_id=auction.id,
            bidder_org_id=placed.bidder_org_id,
            user_id=user_id if placed.bidder_org_id == org_id else leader_user,
            amount_minor=placed.amount,
            placed_at=now,
            is_proxy=placed.is_proxy,
        )
        for placed in resolution.bids
    ]
    db.session.add_all(bids)
    if max_minor is not None:
        _save_max(auction.id, org_id, user_id, max_minor, now=now)
    extended = resolution.ends_at > state.ends_at
    auction.status = AuctionStatus.RUNNING
    auction.current_price_minor = resolution.price
    auction.leader_org_id = resolution.leader_org_id
    auction.bid_count = auction.bid_count + len(bids)
    auction.ends_at = resolution.ends_at
    _audit(
        auction,
        "bid",
        user_id,
        now,
        before=before,
        bidder_org_id=org_id,
        amount_minor=amount_minor,
        max_set=max_minor is not None,
        bids=[[b.bidder_org_id, b.amount, b.is_proxy] for b in resolution.bids],
        extended=extended,
    )
    db.session.flush()
    # Read back what the caller needs before the commit expires the objects.
    result = BidResult(
        auction=auction,
        bidder_org_id=org_id,
        bids=tuple(
            PlacedBidRow(b.id, b.bidder_org_id, b.amount_minor, b.is_proxy, now) for b in bids
        ),
        leading=resolution.leader_org_id == org_id,
        extended=extended,
        current_price_minor=resolution.price,
        minimum_next_bid_minor=rules.minimum_next_bid(rules.apply(state, resolution)),
        ends_at=resolution.ends_at,
    )
    db.session.commit()
    return result


def _check_standing(standing: _Standing) -> None:
    if not standing.org_verified:
        raise PermissionDenied(
            N_("Your organisation must be verified by a reviewer before it can take part."),
            code="organisation_not_verified",
        )
    if not standing.deposit_held:
        raise PermissionDenied(
            N_("Your deposit must be held before you can bid: lodge it and wait for confirmation."),
            code="deposit_not_held",
        )


def _save_max(auction_id: int, org_id: int, user_id: int, max_minor: int, *, now: datetime) -> None:
    proxy = db.session.scalar(
        select(ProxyBid).where(ProxyBid.auction_id == auction_id, ProxyBid.bidder_org_id == org_id)
    )
    if proxy is None:
        db.session.add(
            ProxyBid(
                auction_id=auction_id,
                bidder_org_id=org_id,
                user_id=user_id,
                max_minor=max_minor,
                created_at=now,
                updated_at=now,
            )
        )
    else:
        proxy.max_minor = max_minor
        proxy.user_id = user_id
        proxy.updated_at = now


def _raise_max(
    auction: Auction, org_id: int, user_id: int, max_minor: int, current: int, *, now: datetime
) -> BidResult:
    """The leader raises its maximum: no bid is placed, the price stays."""
    price = auction.current_price_minor or auction.starting_price_minor
    ends_at = as_utc(auction.ends_at)
    _save_max(auction.id, org_id, user_id, max_minor, now=now)
    audit.record(
        actor_id=user_id,
        action="auction.raise_max",
        object_type="auction",
        object_id=auction.id,
        now=now,
        before={"max_set": current > 0},
        after={"bidder_org_id": org_id, "max_set": True},
    )
    db.session.commit()
    return BidResult(
        auction=auction,
        bidder_org_id=org_id,
        bids=(),
        leading=True,
        extended=False,
        current_price_minor=price,
        minimum_next_bid_minor=price + auction.increment_minor,
        ends_at=ends_at,
        raised_max=True,
    )


def my_maximum(actor: User | None, auction: Auction) -> int | None:
    """The actor's organisation's standing maximum (shown only to itself)."""
    org_id = actor.acting_org_id if actor is not None and actor.is_authenticated else None
    if org_id is None:
        return None
    return db.session.scalar(
        select(ProxyBid.max_minor).where(
            ProxyBid.auction_id == auction.id, ProxyBid.bidder_org_id == org_id
        )
    )


# --- closing -----------------------------------------------------------------------------


def _close_locked(
    auction: Auction, *, now: datetime, settings: AuctionSettings, actor_id: int | None = None
) -> bool:
    """Close a row-locked auction if it is due and still open; flushes, the caller commits."""
    state = state_of(auction, settings)
    if not rules.is_due(state, now):
        return False
    result = rules.close_outcome(state)
    release_due_at = settings.calendar.add_working_days(now, settings.release_working_days)
    before = _snapshot(auction)
    deal_id = None
    if result.sold:
        assert result.winner_org_id is not None and result.price is not None
        deal = deals.record_sale(
            listing_id=auction.listing_id,
            buyer_org_id=result.winner_org_id,
            price_minor=result.price,
            method=SaleMethod.AUCTION,
            source_type=CONTEXT,
            source_id=auction.id,
            now=now,
            actor_id=actor_id,
        )
        deal_id = deal.id
        deposits.settle(
            CONTEXT,
            auction.id,
            winner_org_id=result.winner_org_id,
            deal_id=deal.id,
            now=now,
            release_due_at=release_due_at,
            actor_id=actor_id,
        )
        auction.status = AuctionStatus.CLOSED
    else:
        listings.set_sale_state(
            auction.listing_id,
            SaleState.AVAILABLE,
            now=now,
            actor_id=actor_id,
            reason=f"auction.{result.outcome.value}",
        )
        deposits.release_all(
            CONTEXT, auction.id, now=now, release_due_at=release_due_at, actor_id=actor_id
        )
        auction.status = AuctionStatus.FAILED
    auction.closed_at = now
    _audit(
        auction,
        "close",
        actor_id,
        now,
        before=before,
        reason=result.outcome.value,
        outcome=result.outcome.value,
        deal_id=deal_id,
        highest_bidder_org_id=result.highest_bidder_org_id,
    )
    db.session.flush()
    return True


def close_auction(
    auction_id: int, *, now: datetime, settings: AuctionSettings = DEFAULT_SETTINGS
) -> bool:
    """Close the auction if its end has passed; True when this call closed it (exactly once)."""
    auction = _lock_auction(auction_id)
    try:
        closed = _close_locked(auction, now=now, settings=settings)
    except Exception:
        db.session.rollback()
        raise
    db.session.commit()
    return closed


def close_due(
    *, now: datetime, settings: AuctionSettings = DEFAULT_SETTINGS, limit: int | None = None
) -> int:
    """Close every auction whose end has passed, each in its own transaction; how many closed.

    Safe to run from several workers at once: on PostgreSQL each takes the next due
    auction nobody else holds (SKIP LOCKED); on SQLite the write lock serialises them.
    One that cannot be closed is logged and skipped, not retried in this run.
    """
    closed = 0
    skipped: set[int] = set()
    sqlite = _is_sqlite()
    while limit is None or closed < limit:
        if sqlite:
            queue_as_writer(db.session)
        query = select(Auction).where(Auction.status.in_(OPEN_STATUSES), Auction.ends_at <= now)
        if skipped:
            query = query.where(Auction.id.not_in(skipped))
        query = query.order_by(Auction.ends_at, Auction.id).limit(1)
        if not sqlite:
            query = query.with_for_update(skip_locked=True)
        auction = db.session.scalar(query.execution_options(populate_existing=True))
        if auction is None:
            db.session.rollback()
            break
        auction_id = auction.id
        try:
            done = _close_locked(auction, now=now, settings=settings)
            db.session.commit()
        except Exception:
            db.session.rollback()
            log.exception("auction %s could not be closed", auction_id)
            skipped.add(auction_id)
            continue
        if done:
            closed += 1
        else:
            skipped.add(auction_id)
    return closed
