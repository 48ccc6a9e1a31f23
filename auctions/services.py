"""Auction use cases: create, open from a listed sale, take part, bid, close, the live snapshot.

Concurrency. Everything that changes an auction's price or status runs under a
lock of its row, and re-reads the row once it holds the lock:

* PostgreSQL: ``SELECT … FOR UPDATE`` on the auction; the due-auction sweep
  uses ``FOR UPDATE SKIP LOCKED`` so two workers split the work instead of
  queueing on it, and each auction is closed in its own transaction. A bid
  takes the lock with the conditional UPDATE that advances the row (a
  compare-and-set against the row as read; see "bidding" below).
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

import functools
import json
import logging
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, BinaryIO

from sqlalchemy import Connection, Engine, Select, and_, bindparam, inspect, select

from accounts.models import Organisation, User, VerificationStatus
from accounts.services import get_organisation
from auctions import rules
from auctions.models import Auction, AuctionStatus, Bid, ProxyBid
from core.audit import services as audit
from core.audit.models import AuditEntry
from core.clock import as_utc
from core.domain import N_, NotFound, PermissionDenied
from core.extensions import db
from core.sqlite import queue_as_writer
from core.workdays import WorkCalendar
from deals import services as deals
from deals.models import SaleMethod
from listings import services as listings
from listings.rules import SaleState
from payments import deposits
from payments.models import Deposit, DepositStatus

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
    return _settings_of(
        str(config.get("MARKET_HOLIDAYS", "")),
        str(config.get("MARKET_WORKDAYS", "")),
        int(config.get("DEPOSIT_RELEASE_WORKING_DAYS", 5)),
        float(config.get("AUCTION_EXTENSION_MINUTES", 5)),
        float(config.get("AUCTION_EXTENSION_WINDOW_MINUTES", 5)),
        int(config.get("DEFAULT_DEPOSIT_BPS", rules.DEFAULT_DEPOSIT_BPS)),
    )


@functools.lru_cache(maxsize=32)
def _settings_of(
    holidays: str,
    workdays: str,
    release_working_days: int,
    extension_minutes: float,
    window_minutes: float,
    default_deposit_bps: int,
) -> AuctionSettings:
    """Built once per distinct configuration (every bid request asks for them)."""
    return AuctionSettings(
        calendar=WorkCalendar.from_text(holidays, workdays),
        release_working_days=release_working_days,
        extension=timedelta(minutes=extension_minutes),
        extension_window=timedelta(minutes=window_minutes),
        default_deposit_bps=default_deposit_bps,
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

    auction_id: int
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
#
# The hot path. One submission is one read and one write:
#
# 1. One read of everything the rules need: the auction's row (the leader's maximum is
#    kept on it), the bidder's user, organisation and deposit. Refusals (ended, the
#    seller, not a party, not verified, no held deposit, below the minimum: prices only
#    rise) end here and never touch the row lock.
# 2. The pure rules decide the bids, the price, the leader and the end.
# 3. PostgreSQL: one statement writes it all, as a compare-and-set: the UPDATE takes the
#    row lock and advances the auction only if its row is still exactly as read (a
#    concurrent bid changed it otherwise: PostgreSQL re-checks the condition on the
#    newest row once the lock is free); the bids, the bidder's maximum and the audit
#    entry are inserted by the same statement, so they exist iff the auction advanced.
#    Outside a caller's transaction both statements run in autocommit on a pooled
#    connection (no BEGIN/COMMIT round trips; the lock is held for the statement only,
#    never across a round trip), as plain SQL: SQLAlchemy's per-statement work costs
#    more CPU than the database's. A bid that lost the race is decided again on a fresh
#    read, finally under `SELECT … FOR UPDATE` in a transaction, so it is never lost
#    and never starved.
#    SQLite (no row locks): the write lock is taken first (`queue_as_writer`), then the
#    same read and the writes as separate statements, and one commit.

_AUCTIONS = Auction.__table__
_BIDS = Bid.__table__
_PROXIES = ProxyBid.__table__
_DEPOSITS = Deposit.__table__
_USERS = User.__table__
_ORGS = Organisation.__table__
_AUDIT = AuditEntry.__table__

# Compare-and-set attempts before the bid is decided under the row lock.
OPTIMISTIC_ATTEMPTS = 2


def _standing_query() -> Select[Any]:
    return (
        select(
            _AUCTIONS.c.status,
            _AUCTIONS.c.starting_price_minor,
            _AUCTIONS.c.increment_minor,
            _AUCTIONS.c.starts_at,
            _AUCTIONS.c.ends_at,
            _AUCTIONS.c.seller_org_id,
            _AUCTIONS.c.current_price_minor,
            _AUCTIONS.c.leader_org_id,
            _AUCTIONS.c.bid_count,
            _AUCTIONS.c.reserve_price_minor,
            _AUCTIONS.c.restricted_to_org_ids,
            _AUCTIONS.c.currency,
            _AUCTIONS.c.leader_max_minor,
            _AUCTIONS.c.leader_max_user_id,
            _USERS.c.active,
            _USERS.c.organisation_id,
            _USERS.c.membership_approved,
            _ORGS.c.status.label("org_status"),
            _DEPOSITS.c.status.label("deposit_status"),
        )
        .select_from(_AUCTIONS)
        .outerjoin(_USERS, _USERS.c.id == bindparam("user_id"))
        .outerjoin(_ORGS, _ORGS.c.id == _USERS.c.organisation_id)
        .outerjoin(
            _DEPOSITS,
            and_(
                _DEPOSITS.c.context_type == CONTEXT,
                _DEPOSITS.c.context_id == _AUCTIONS.c.id,
                _DEPOSITS.c.org_id == _USERS.c.organisation_id,
            ),
        )
        .where(_AUCTIONS.c.id == bindparam("auction_id"))
    )


_STANDING = _standing_query()  # SQLite (and the column order of _PG_STANDING)


@dataclass(frozen=True)
class _Standing:
    """One read: the auction's state and leader's maximum, the bidder's organisation and deposit."""

    state: rules.AuctionState
    leader_max: int | None
    leader_max_user_id: int | None
    org_id: int | None  # the organisation the user acts for (None: none, or inactive)
    org_verified: bool
    deposit_held: bool


# The same read in PostgreSQL's own SQL, run without SQLAlchemy's per-statement work
# (the columns in the order of _STANDING).
_PG_STANDING = """
SELECT a.status, a.starting_price_minor, a.increment_minor, a.starts_at, a.ends_at,
       a.seller_org_id, a.current_price_minor, a.leader_org_id, a.bid_count,
       a.reserve_price_minor, a.restricted_to_org_ids, a.currency, a.leader_max_minor,
       a.leader_max_user_id, u.active, u.organisation_id, u.membership_approved,
       o.status, d.status
FROM auctions a
LEFT JOIN users u ON u.id = %(user_id)s
LEFT JOIN organisations o ON o.id = u.organisation_id
LEFT JOIN deposits d
       ON d.context_type = 'auction' AND d.context_id = a.id AND d.org_id = u.organisation_id
WHERE a.id = %(auction_id)s
"""
_PG_STANDING_LOCKED = _PG_STANDING + "FOR UPDATE OF a\n"


def _standing_of(row: Sequence[Any] | None, settings: AuctionSettings) -> _Standing:
    """The standing from a row of _STANDING or _PG_STANDING (statuses as enums or text)."""
    if row is None:
        raise NotFound(N_("No such auction."))
    restricted = row[10]
    state = rules.AuctionState(
        status=rules.Phase(row[0]),
        starting_price=row[1],
        increment=row[2],
        starts_at=as_utc(row[3]),
        ends_at=as_utc(row[4]),
        seller_org_id=row[5],
        current_price=row[6],
        leader_org_id=row[7],
        bid_count=row[8],
        reserve_price=row[9],
        restricted_to=frozenset(restricted) if restricted is not None else None,
        currency=row[11],
        extension_window=settings.extension_window,
        extension=settings.extension,
    )
    acting = bool(row[14]) and bool(row[16])
    return _Standing(
        state=state,
        leader_max=row[12],
        leader_max_user_id=row[13],
        org_id=row[15] if acting else None,
        org_verified=row[17] == VerificationStatus.VERIFIED,
        deposit_held=row[18] == DepositStatus.HELD,
    )


def _user_id(actor: Any) -> int | None:
    """The signed-in user's id, without loading an expired instance (the read loads the rest)."""
    unwrap = getattr(actor, "_get_current_object", None)  # flask_login.current_user
    user = unwrap() if unwrap is not None else actor
    if not isinstance(user, User):
        return None  # anonymous
    identity: tuple[Any, ...] | None = inspect(user).identity
    return int(identity[0]) if identity else user.id


@dataclass(frozen=True)
class _Advance:
    """What one accepted submission writes, decided by the rules on one read."""

    state: rules.AuctionState  # as read: the write applies only if the row is still so
    old_leader_max: int | None
    after: rules.AuctionState
    leader_max: int | None
    leader_max_user_id: int | None
    bids: tuple[tuple[int, int | None, int, bool], ...]  # (org, user, amount, is_proxy)
    max_minor: int | None  # the bidder's maximum to store (proxy_bids)
    audit_action: str
    audit_before: dict[str, Any]
    audit_after: dict[str, Any]


def _state_snapshot(state: rules.AuctionState) -> dict[str, Any]:
    """The audit view of an auction's state (the same keys as `_snapshot`)."""
    return {
        "status": state.status.value,
        "current_price_minor": state.current_price,
        "leader_org_id": state.leader_org_id,
        "bid_count": state.bid_count,
        "ends_at": state.ends_at.isoformat(),
    }


def _decide(
    standing: _Standing,
    user_id: int,
    amount_minor: int,
    max_minor: int | None,
    now: datetime,
) -> _Advance:
    """Apply the rules to one read: refuse (DomainError) or say exactly what to write."""
    state, org_id = standing.state, standing.org_id
    if org_id is None:
        raise PermissionDenied(
            N_("Join an organisation before taking part."), code="no_organisation"
        )
    rules.check_bidder(state, org_id, now)
    _check_standing(standing)
    rules.check_bid(state, amount_minor, org_id, now, max_amount=max_minor)
    if state.leader_org_id == org_id:  # the leader raises its maximum: no bid, same price
        assert max_minor is not None  # check_bid refuses the leader's plain bid
        current = standing.leader_max or 0
        rules.check_raise_max(state, org_id, max_minor, current)
        return _Advance(
            state=state,
            old_leader_max=standing.leader_max,
            after=state,
            leader_max=max_minor,
            leader_max_user_id=user_id,
            bids=(),
            max_minor=max_minor,
            audit_action="auction.raise_max",
            audit_before={"max_set": current > 0},
            audit_after={"bidder_org_id": org_id, "max_set": True},
        )
    leader = state.leader_org_id
    resolution = rules.resolve_proxies(
        state,
        bidder_org_id=org_id,
        amount=amount_minor,
        max_amount=max_minor,
        maxima={leader: standing.leader_max}
        if leader is not None and standing.leader_max is not None
        else {},
        now=now,
    )
    after = rules.apply(state, resolution)
    takes_lead = resolution.leader_org_id == org_id
    extended = resolution.ends_at > state.ends_at
    return _Advance(
        state=state,
        old_leader_max=standing.leader_max,
        after=after,
        leader_max=max_minor if takes_lead else standing.leader_max,
        leader_max_user_id=(
            (user_id if max_minor is not None else None)
            if takes_lead
            else standing.leader_max_user_id
        ),
        bids=tuple(
            (
                placed.bidder_org_id,
                user_id if placed.bidder_org_id == org_id else standing.leader_max_user_id,
                placed.amount,
                placed.is_proxy,
            )
            for placed in resolution.bids
        ),
        max_minor=max_minor,
        audit_action="auction.bid",
        audit_before=_state_snapshot(state),
        audit_after={
            **_state_snapshot(after),
            "bidder_org_id": org_id,
            "amount_minor": amount_minor,
            "max_set": max_minor is not None,
            "bids": [[b.bidder_org_id, b.amount, b.is_proxy] for b in resolution.bids],
            "extended": extended,
        },
    )


# One statement: advance the auction if its row is as read, then (only then) the bids,
# the bidder's maximum and the audit entry. Its first row says whether it advanced.
_PG_ADVANCE = """
WITH advanced AS (
    UPDATE auctions SET
        status = %(status)s,
        current_price_minor = %(price)s,
        leader_org_id = %(leader_org_id)s,
        leader_max_minor = %(leader_max)s,
        leader_max_user_id = %(leader_max_user_id)s,
        bid_count = %(bid_count)s,
        ends_at = %(ends_at)s
    WHERE id = %(auction_id)s
      AND status = %(old_status)s
      AND bid_count = %(old_bid_count)s
      AND ends_at = %(old_ends_at)s
      AND current_price_minor IS NOT DISTINCT FROM %(old_price)s::bigint
      AND leader_org_id IS NOT DISTINCT FROM %(old_leader_org_id)s::integer
      AND leader_max_minor IS NOT DISTINCT FROM %(old_leader_max)s::bigint
    RETURNING id
), placed AS (
    INSERT INTO bids (auction_id, bidder_org_id, user_id, amount_minor, placed_at, is_proxy)
    SELECT advanced.id, b.org_id, b.user_id, b.amount, %(now)s, b.is_proxy
    FROM advanced, unnest(
        %(bid_orgs)s::integer[], %(bid_users)s::integer[],
        %(bid_amounts)s::bigint[], %(bid_proxies)s::boolean[]
    ) WITH ORDINALITY AS b(org_id, user_id, amount, is_proxy, n)
    ORDER BY b.n
    RETURNING id, bidder_org_id, amount_minor, is_proxy
), maximum AS (
    INSERT INTO proxy_bids (auction_id, bidder_org_id, user_id, max_minor, created_at, updated_at)
    SELECT advanced.id, %(org_id)s, %(user_id)s, %(max)s::bigint, %(now)s, %(now)s
    FROM advanced WHERE %(max)s::bigint IS NOT NULL
    ON CONFLICT (auction_id, bidder_org_id) DO UPDATE SET
        max_minor = EXCLUDED.max_minor, user_id = EXCLUDED.user_id,
        updated_at = EXCLUDED.updated_at
), audited AS (
    INSERT INTO audit_entries (at, actor_id, action, object_type, object_id, before, after)
    SELECT %(now)s, %(user_id)s, %(action)s, 'auction', advanced.id,
           %(before)s::json, %(after)s::json
    FROM advanced
)
SELECT placed.id, placed.bidder_org_id, placed.amount_minor, placed.is_proxy
FROM advanced LEFT JOIN placed ON true
ORDER BY placed.id
"""


def _advance_postgresql(
    execute: _Execute, auction_id: int, org_id: int, user_id: int, advance: _Advance, now: datetime
) -> list[tuple[int, int, int, bool]] | None:
    """Write `advance` in one statement; the bids written, or None if the row had changed."""
    state, after = advance.state, advance.after
    rows = execute(
        _PG_ADVANCE,
        {
            "auction_id": auction_id,
            "status": after.status.value,
            "price": after.current_price,
            "leader_org_id": after.leader_org_id,
            "leader_max": advance.leader_max,
            "leader_max_user_id": advance.leader_max_user_id,
            "bid_count": after.bid_count,
            "ends_at": after.ends_at,
            "old_status": state.status.value,
            "old_bid_count": state.bid_count,
            "old_ends_at": state.ends_at,
            "old_price": state.current_price,
            "old_leader_org_id": state.leader_org_id,
            "old_leader_max": advance.old_leader_max,
            "bid_orgs": [b[0] for b in advance.bids],
            "bid_users": [b[1] for b in advance.bids],
            "bid_amounts": [b[2] for b in advance.bids],
            "bid_proxies": [b[3] for b in advance.bids],
            "org_id": org_id,
            "user_id": user_id,
            "max": advance.max_minor,
            "now": now,
            "action": advance.audit_action,
            "before": json.dumps(advance.audit_before),
            "after": json.dumps(advance.audit_after),
        },
    )
    if not rows:
        return None
    return [(r[0], r[1], r[2], r[3]) for r in rows if r[0] is not None]


def _advance_locked(
    conn: Connection, auction_id: int, org_id: int, user_id: int, advance: _Advance, now: datetime
) -> list[tuple[int, int, int, bool]]:
    """Write `advance` statement by statement, under the lock the caller holds (SQLite)."""
    after = advance.after
    conn.execute(
        _AUCTIONS.update()
        .where(_AUCTIONS.c.id == auction_id)
        .values(
            status=AuctionStatus(after.status.value),
            current_price_minor=after.current_price,
            leader_org_id=after.leader_org_id,
            leader_max_minor=advance.leader_max,
            leader_max_user_id=advance.leader_max_user_id,
            bid_count=after.bid_count,
            ends_at=after.ends_at,
        )
    )
    written = []
    for bidder_org_id, bid_user_id, amount, is_proxy in advance.bids:
        result = conn.execute(
            _BIDS.insert().values(
                auction_id=auction_id,
                bidder_org_id=bidder_org_id,
                user_id=bid_user_id,
                amount_minor=amount,
                placed_at=now,
                is_proxy=is_proxy,
            )
        )
        assert result.inserted_primary_key is not None
        written.append((int(result.inserted_primary_key[0]), bidder_org_id, amount, is_proxy))
    if advance.max_minor is not None:
        where = and_(_PROXIES.c.auction_id == auction_id, _PROXIES.c.bidder_org_id == org_id)
        values = {"user_id": user_id, "max_minor": advance.max_minor, "updated_at": now}
        if not conn.execute(_PROXIES.update().where(where).values(**values)).rowcount:
            conn.execute(
                _PROXIES.insert().values(
                    auction_id=auction_id, bidder_org_id=org_id, created_at=now, **values
                )
            )
    conn.execute(
        _AUDIT.insert().values(
            at=now,
            actor_id=user_id,
            action=advance.audit_action,
            object_type="auction",
            object_id=auction_id,
            before=advance.audit_before,
            after=advance.audit_after,
        )
    )
    return written


def _may_autocommit() -> bool:
    """True when place_bid owns the session's transaction (not inside a caller's or a test's)."""
    session = db.session()
    return (
        isinstance(session.get_bind(), Engine)
        and not session.in_transaction()
        and not (session.new or session.dirty or session.deleted)
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
    """Bid on an auction, optionally with a maximum the system bids up to (all or nothing).

    The leader may only raise its maximum. See the comment above for how the row
    lock is used. A due auction is closed first and the bid refused.
    """
    user_id = _user_id(actor)
    if user_id is None:
        raise PermissionDenied(
            N_("Join an organisation before taking part."), code="no_organisation"
        )
    try:
        if db.session.get_bind().dialect.name != "postgresql":
            return _place_bid_locked(user_id, auction_id, amount_minor, max_minor, now, settings)
        for attempt in range(OPTIMISTIC_ATTEMPTS + 1):
            lock = attempt == OPTIMISTIC_ATTEMPTS
            if not lock and _may_autocommit():
                result = _attempt_autocommit(
                    user_id, auction_id, amount_minor, max_minor, now, settings
                )
            else:
                result = _attempt_in_session(
                    user_id, auction_id, amount_minor, max_minor, now, settings, lock=lock
                )
            if result is not None:
                return result
            # another bid came first: decide again on a fresh read
    except _AuctionDue:
        close_auction(auction_id, now=now, settings=settings)
        raise rules.AuctionNotRunning(
            N_("This auction has ended; no more bids are taken.")
        ) from None
    raise AssertionError("the locked attempt always writes or refuses")


class _AuctionDue(Exception):
    """The auction's end has passed: it is closed, and the bid refused."""


_Execute = Callable[[str, dict[str, Any]], Sequence[Any]]


def _attempt(
    execute: _Execute,
    user_id: int,
    auction_id: int,
    amount_minor: int,
    max_minor: int | None,
    now: datetime,
    settings: AuctionSettings,
    *,
    lock: bool,
) -> BidResult | None:
    """PostgreSQL: read, decide, write as one compare-and-set; None when the row had changed."""
    rows = execute(
        _PG_STANDING_LOCKED if lock else _PG_STANDING,
        {"auction_id": auction_id, "user_id": user_id},
    )
    standing = _standing_of(rows[0] if rows else None, settings)
    if rules.is_due(standing.state, now):
        raise _AuctionDue
    advance = _decide(standing, user_id, amount_minor, max_minor, now)
    assert standing.org_id is not None
    written = _advance_postgresql(execute, auction_id, standing.org_id, user_id, advance, now)
    if written is None:
        return None
    return _result(auction_id, standing.org_id, advance, written, now)


def _attempt_autocommit(
    user_id: int,
    auction_id: int,
    amount_minor: int,
    max_minor: int | None,
    now: datetime,
    settings: AuctionSettings,
) -> BidResult | None:
    """An attempt on a pooled connection in autocommit: each statement is its own transaction."""
    engine = db.session.get_bind()
    assert isinstance(engine, Engine)
    pooled = engine.raw_connection()
    driver = pooled.driver_connection
    assert driver is not None
    try:
        driver.autocommit = True

        def execute(sql: str, params: dict[str, Any]) -> Sequence[Any]:
            return driver.execute(sql, params).fetchall()

        result = _attempt(
            execute, user_id, auction_id, amount_minor, max_minor, now, settings, lock=False
        )
    finally:
        driver.autocommit = False
        pooled.close()
    if result is not None:
        db.session.expire_all()  # what the session had read of this auction is old now
    return result


def _attempt_in_session(
    user_id: int,
    auction_id: int,
    amount_minor: int,
    max_minor: int | None,
    now: datetime,
    settings: AuctionSettings,
    *,
    lock: bool,
) -> BidResult | None:
    """An attempt in the session's transaction (a caller's, or the final locked attempt)."""
    conn = db.session.connection()

    def execute(sql: str, params: dict[str, Any]) -> Sequence[Any]:
        return conn.exec_driver_sql(sql, params).all()

    try:
        result = _attempt(
            execute, user_id, auction_id, amount_minor, max_minor, now, settings, lock=lock
        )
    except BaseException:
        db.session.rollback()  # nothing was written; the lock, if any, is released
        raise
    if result is None:
        db.session.rollback()
    else:
        db.session.commit()
    return result


def _place_bid_locked(
    user_id: int,
    auction_id: int,
    amount_minor: int,
    max_minor: int | None,
    now: datetime,
    settings: AuctionSettings,
) -> BidResult:
    """SQLite: the write lock first, then the same read and decision, the writes, one commit."""
    queue_as_writer(db.session)
    conn = db.session.connection()
    try:
        row = conn.execute(_STANDING, {"auction_id": auction_id, "user_id": user_id}).first()
        standing = _standing_of(row, settings)
        if rules.is_due(standing.state, now):
            raise _AuctionDue
        advance = _decide(standing, user_id, amount_minor, max_minor, now)
        assert standing.org_id is not None
        written = _advance_locked(conn, auction_id, standing.org_id, user_id, advance, now)
    except BaseException:
        db.session.rollback()
        raise
    db.session.commit()
    return _result(auction_id, standing.org_id, advance, written, now)


def _result(
    auction_id: int,
    org_id: int,
    advance: _Advance,
    written: list[tuple[int, int, int, bool]],
    now: datetime,
) -> BidResult:
    after = advance.after
    price = after.current_price if after.current_price is not None else after.starting_price
    return BidResult(
        auction_id=auction_id,
        bidder_org_id=org_id,
        bids=tuple(PlacedBidRow(i, org, amount, proxy, now) for i, org, amount, proxy in written),
        leading=after.leader_org_id == org_id,
        extended=after.ends_at > advance.state.ends_at,
        current_price_minor=price,
        minimum_next_bid_minor=rules.minimum_next_bid(after),
        ends_at=after.ends_at,
        raised_max=not advance.bids,
    )


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
