"""Bidding: place a bid, optionally with a maximum the system bids up to (proxy bidding).

The hot path. One submission is one read and one write, or neither:

0. A plain bid below the minimum of the newest reading this worker has of the auction
   is refused from that memory, without the database (`auctions.bid_memory`: prices
   only rise, so the refusal stands); in a race most bids are such stale ones.
1. One read of everything the rules need: the auction's row (the leader's maximum is
   kept on it), the bidder's user, organisation and deposit. Refusals (ended, the
   seller, not a party, not verified, no held deposit, below the minimum: prices only
   rise) end here and never touch the row lock.
2. The pure rules decide the bids, the price, the leader and the end.
3. PostgreSQL: one statement writes it all, as a compare-and-set: the UPDATE takes the
   row lock and advances the auction only if its row is still exactly as read (a
   concurrent bid changed it otherwise: PostgreSQL re-checks the condition on the
   newest row once the lock is free); the bids, the bidder's maximum and the audit
   entry are inserted by the same statement, so they exist iff the auction advanced.
   A bid that lost the race wrote nothing, so it is decided again on a fresh read (no
   rollback, no savepoint needed), finally under `SELECT … FOR UPDATE`, so it is never
   lost and never starved.
   SQLite (no row locks): the caller's unit of work holds the write lock from its
   start (`writer=True`), then the same read and the writes as separate statements.

Transactions. `place_bid` never commits: the caller opens the unit of work
(`unit_of_work(writer=True)`) and commits it. The one exception is by nature, not by
choice, and is isolated in `auctions.store`: on PostgreSQL, when the bid is the first
work of its unit of work (as at the bid endpoints), the read and the single writing
statement run in autocommit on a pooled connection. That statement is atomic by
itself; running it outside a BEGIN/COMMIT holds the hot row's lock for the statement
only, never across a round trip, and spares SQLAlchemy's per-statement CPU, which is
what the bid benchmark (bench/bids.py) measures. The unit of work then commits
nothing. Anywhere else (after other work in the unit of work, in tests) the bid runs
in the session's transaction and the unit of work commits it.

A bid after the auction's end is refused (`AuctionDue`) with nothing written; the
caller closes the auction in a unit of work of its own (`closing.close_auction`),
since the refusal's rolls back.

The statements are in `auctions.store`.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from sqlalchemy import inspect

from accounts.models import User
from auctions import bid_memory, bid_reads, live, rules, state_tag, store
from auctions.audit import audited_fields_of_state
from auctions.bid_reads import Execute, Standing
from auctions.models import Auction, ProxyBid
from auctions.settings import DEFAULT_SETTINGS, AuctionSettings
from auctions.store import Advance
from auctions.telling import TELL_BIDS_JOB
from core import jobs, metrics
from core.domain import N_, DomainError, PermissionDenied
from core.extensions import db
from core.uow import after_commit
from payments.deposits import NoOrganisation, OrganisationNotVerified

# Compare-and-set attempts before the bid is decided under the row lock.
OPTIMISTIC_ATTEMPTS = 2


@dataclass(frozen=True)
class PlacedBidRow:
    """A bid as written (plain values, valid after the commit)."""

    id: int
    bidder_org_id: int
    amount_minor: int
    is_proxy: bool
    placed_at: datetime
    bidder_number: int | None = None  # the bidder's number (竞买号) in the auction


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
    bid_count: int = 0  # the auction's, as this submission left it
    # The auction as this submission left it, for the bidder (auctions.state_tag.FACTS):
    # its answer's ETag is made from them, with no read after the write.
    facts: tuple[Any, ...] = ()

    @property
    def own_bids(self) -> tuple[PlacedBidRow, ...]:
        """The bids written for the submitting organisation (the rest are others' proxies)."""
        return tuple(b for b in self.bids if b.bidder_org_id == self.bidder_org_id)


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

    The leader may only raise its maximum. The module's docstring says how the row
    lock and the transaction are used. A bid on a due auction raises `AuctionDue`.
    """
    user_id = _user_id(actor)
    if user_id is None:
        raise NoOrganisation()
    if max_minor is None:
        refuse_stale(user_id, auction_id, amount_minor, now=now, settings=settings)
    bid = _Submission(user_id, auction_id, amount_minor, max_minor, now, settings)
    try:
        result = _place(bid)
    except DomainError:
        metrics.BIDS.labels(outcome="refused").inc()
        raise
    if not result.raised_max:
        live.announce_bid(auction_id)  # the open rooms, first once committed
        # no statement here, and one queue write a second at most: the hot path stays lean
        jobs.enqueue_soon_after_commit(TELL_BIDS_JOB)
    after_commit(metrics.BIDS.labels(outcome="accepted").inc)
    return result


def refuse_stale(
    user_id: int,
    auction_id: int,
    amount_minor: int,
    *,
    now: datetime,
    settings: AuctionSettings = DEFAULT_SETTINGS,
) -> None:
    """Refuse a plain bid below the newest minimum this worker has seen of the auction,
    without a statement (`auctions.bid_memory`); nothing when the memory cannot tell.

    Only the bidder's id is needed: its own facts are those its last bid read. The API
    calls this before it reads the token's user (`accounts.auth.token_user_when_needed`).
    """
    bid = _Submission(user_id, auction_id, amount_minor, None, now, settings)
    try:
        bid_memory.refuse_stale(auction_id, user_id, bid.decide)
    except DomainError:
        metrics.BIDS.labels(outcome="refused").inc()
        raise


def _place(bid: _Submission) -> BidResult:
    if db.session.get_bind().dialect.name != "postgresql":
        return _place_bid_locked(bid)
    for attempt in range(OPTIMISTIC_ATTEMPTS + 1):
        lock = attempt == OPTIMISTIC_ATTEMPTS
        if not lock and store.may_autocommit():
            result = _attempt_autocommit(bid)
        else:
            result = _attempt_in_session(bid, lock=lock)
        if result is not None:
            return result
        # another bid came first: decide again on a fresh read
    raise AssertionError("the locked attempt always writes or refuses")


class AuctionDue(rules.AuctionNotRunning):
    """The bid came after the auction's end: refused, nothing written.

    The caller closes the auction (`closing.close_auction`) in a unit of work of its
    own: the bid's unit of work rolls back with the refusal.
    """

    def __init__(self, auction_id: int) -> None:
        super().__init__(N_("This auction has ended; no more bids are taken."))
        self.auction_id = auction_id


@dataclass(frozen=True)
class _Submission:
    """One submitted bid, and the settings it is decided by."""

    user_id: int
    auction_id: int
    amount_minor: int
    max_minor: int | None
    now: datetime
    settings: AuctionSettings

    def decide(self, standing: Standing) -> Advance:
        """The decision on one read; a bid on a due auction raises `AuctionDue`."""
        if rules.is_due(standing.state, self.now):
            raise AuctionDue(self.auction_id)
        return _decide(standing, self.user_id, self.amount_minor, self.max_minor, self.now)


def _attempt(
    execute: Execute, bid: _Submission, *, lock: bool, committed: bool = False
) -> BidResult | None:
    """PostgreSQL: read, decide, write as one compare-and-set; None when the row had changed.

    `committed`: each statement commits by itself (autocommit), so what it reads and
    writes is remembered at once (`auctions.bid_memory`); else after the commit."""
    standing = bid_reads.read_standing_postgresql(
        execute, bid.auction_id, bid.user_id, bid.settings, lock=lock
    )
    if committed:
        bid_memory.remember(bid.auction_id, bid.user_id, standing)
    advance = bid.decide(standing)
    assert standing.org_id is not None
    wrote = store.advance_postgresql(
        execute, bid.auction_id, standing.org_id, bid.user_id, advance, bid.now
    )
    if wrote is None:
        return None
    after = replace(standing, state=advance.after)
    bid_memory.remember(bid.auction_id, bid.user_id, after, committed=committed)
    return _result(bid, standing.org_id, advance, wrote)


def _attempt_autocommit(bid: _Submission) -> BidResult | None:
    """An attempt on a pooled connection in autocommit: each statement is its own transaction."""
    with store.autocommit_execute() as execute:
        result = _attempt(execute, bid, lock=False, committed=True)
    return _forget_reads(result)


def _attempt_in_session(bid: _Submission, *, lock: bool) -> BidResult | None:
    """An attempt in the session's transaction, which the caller's unit of work commits."""
    db.session.flush()  # the plain SQL below sees what the unit of work wrote before
    return _forget_reads(_attempt(store.session_execute(), bid, lock=lock))


def _place_bid_locked(bid: _Submission) -> BidResult:
    """SQLite: under the unit of work's write lock, the same read and decision, the writes."""
    db.session.flush()  # the plain SQL below sees what the unit of work wrote before
    conn = db.session.connection()
    standing = bid_reads.read_standing(conn, bid.auction_id, bid.user_id, bid.settings)
    advance = bid.decide(standing)
    assert standing.org_id is not None
    written = store.advance_locked(
        conn, bid.auction_id, standing.org_id, bid.user_id, advance, bid.now
    )
    facts = tuple(state_tag.read_facts(conn, bid.auction_id, standing.org_id))
    _expire_auction_reads()
    after = replace(standing, state=advance.after)
    bid_memory.remember(bid.auction_id, bid.user_id, after, committed=False)
    return _result(bid, standing.org_id, advance, store.Wrote(written, facts))


def _forget_reads(result: BidResult | None) -> BidResult | None:
    if result is not None:
        _expire_auction_reads()
    return result


def _expire_auction_reads() -> None:
    """What the session had read of auctions and maxima is old now (a bid writes nothing
    else that was there before: the bids and the audit entry are new rows)."""
    session = db.session()
    for instance in list(session.identity_map.values()):
        if isinstance(instance, Auction | ProxyBid):
            session.expire(instance)


def _result(
    bid: _Submission,
    org_id: int,
    advance: Advance,
    wrote: store.Wrote,
) -> BidResult:
    after = advance.after
    price = after.current_price if after.current_price is not None else after.starting_price
    return BidResult(
        auction_id=bid.auction_id,
        bidder_org_id=org_id,
        bids=tuple(
            PlacedBidRow(i, org, amount, proxy, bid.now, number)
            for i, org, amount, proxy, number in wrote.bids
        ),
        leading=after.leader_org_id == org_id,
        extended=after.ends_at > advance.state.ends_at,
        current_price_minor=price,
        minimum_next_bid_minor=rules.minimum_next_bid(after),
        ends_at=after.ends_at,
        raised_max=not advance.bids,
        bid_count=after.bid_count,
        facts=wrote.facts,
    )


def _check_standing(standing: Standing) -> None:
    if not standing.org_verified:
        raise OrganisationNotVerified()
    if not standing.deposit_held:
        raise PermissionDenied(
            N_("Your deposit must be held before you can bid: lodge it and wait for confirmation."),
            code="deposit_not_held",
        )


def _user_id(actor: Any) -> int | None:
    """The signed-in user's id, without loading an expired instance (the read loads the rest)."""
    unwrap = getattr(actor, "_get_current_object", None)  # flask_login.current_user
    user = unwrap() if unwrap is not None else actor
    if not isinstance(user, User):
        return None  # anonymous
    identity: tuple[Any, ...] | None = inspect(user).identity
    return int(identity[0]) if identity else user.id


def _decide(
    standing: Standing,
    user_id: int,
    amount_minor: int,
    max_minor: int | None,
    now: datetime,
) -> Advance:
    """Apply the rules to one read: refuse (DomainError) or say exactly what to write."""
    state, org_id = standing.state, standing.org_id
    if org_id is None:
        raise NoOrganisation()
    rules.check_bidder(state, org_id, now)
    _check_standing(standing)
    rules.check_bid(state, amount_minor, org_id, now, max_amount=max_minor)
    if state.leader_org_id == org_id:  # the leader raises its maximum: no bid, same price
        assert max_minor is not None  # check_bid refuses the leader's plain bid
        current = standing.leader_max or 0
        rules.check_raise_max(state, org_id, max_minor, current)
        return Advance(
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
    return Advance(
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
        audit_before=audited_fields_of_state(state),
        audit_after={
            **audited_fields_of_state(after),
            "bidder_org_id": org_id,
            "amount_minor": amount_minor,
            "max_set": max_minor is not None,
            "bids": [[b.bidder_org_id, b.amount, b.is_proxy] for b in resolution.bids],
            "extended": extended,
        },
    )
