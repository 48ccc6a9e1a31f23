"""What this worker saw of running auctions a moment ago: enough to refuse a stale bid
without the database.

In the last seconds of an auction most bids are stale: their bidder saw a price that
others have since beaten, and the bid is refused below the minimum. Prices only rise
(`rules.check_amount`), so a bid refused below the minimum against an older reading of
the auction is refused against the newest one too. This module keeps, per worker, the
newest reading of each auction its bids have seen (the most bids wins: `bid_count` only
grows) and each bidder's own facts as its last full read found them (organisation,
verification, deposit), for a short while. `refuse_stale` decides a plain bid (no
maximum) with them and the same pure rules; only a refusal below the minimum is trusted.
Any other outcome (an acceptance, another refusal) is decided on the database's reading.

Every change the ORM makes in this worker to an auction (closing, cancelling, an
announcement's review) or to one of its deposits forgets the auction; to what a bid reads
of a user or organisation (active, organisation, membership, verification), everything.
Readings are remembered only once committed (a read in autocommit, or the bid's own unit
of work after its commit): an auction's for SECONDS at most, a bidder's own facts, which
rarely change, for STANDING_SECONDS (else each bidder's next bid would read them again
every few seconds). So what a stale reading can change is the reason given, never the
outcome: a bid refused below the minimum within SECONDS of another worker cancelling the
auction, or within STANDING_SECONDS of it releasing the bidder's deposit, would have been
refused anyway. A refusal writes nothing.

The memory lives in the app (`app.extensions`): each app, and each test's, starts empty.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import replace

from flask import Flask, current_app, has_app_context
from sqlalchemy import event, inspect
from sqlalchemy.orm import InstanceState

from accounts.models import Organisation, User
from auctions import rules
from auctions.bid_reads import Standing
from auctions.models import Auction
from auctions.queries import CONTEXT
from core.domain import DomainError
from core.timed_map import TimedMap
from core.uow import after_commit
from payments.models import Deposit

SECONDS = 2.0
STANDING_SECONDS = 30.0
MAX_ENTRIES = 10_000
_KEY = "auction_bid_memory"


class BidMemory:
    """The newest readings of auctions (for SECONDS) and their bidders' standings (for
    STANDING_SECONDS)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._auctions: TimedMap[int, rules.AuctionState] = TimedMap(SECONDS, MAX_ENTRIES)
        self._bidders: TimedMap[tuple[int, int], Standing] = TimedMap(STANDING_SECONDS, MAX_ENTRIES)

    def standing(self, auction_id: int, user_id: int) -> Standing | None:
        """The bidder's standing as last read, with the newest auction seen since; None
        when either is unknown or too old."""
        with self._lock:
            bidder = self._bidders.get((auction_id, user_id))
            auction = self._auctions.get(auction_id)
        if bidder is None or auction is None:
            return None
        return replace(bidder, state=auction)

    def saw(self, auction_id: int, user_id: int, standing: Standing) -> None:
        """The bidder's standing in the auction as committed (read, or written by its bid)."""
        with self._lock:
            self._bidders.put((auction_id, user_id), standing)
            known = self._auctions.get(auction_id)
            if known is None or known.bid_count <= standing.state.bid_count:
                self._auctions.put(auction_id, standing.state)

    def forget(self, auction_id: int | None = None) -> None:
        """Forget an auction (a reading of it is needed again), or everything."""
        with self._lock:
            if auction_id is None:
                self._auctions.clear()
                self._bidders.clear()
            else:
                self._auctions.pop(auction_id)


def memory() -> BidMemory:
    """The app's memory (made on first use)."""
    found: BidMemory | None = current_app.extensions.get(_KEY)
    if found is None:
        found = current_app.extensions.setdefault(_KEY, BidMemory())
    return found


def refuse_stale(auction_id: int, user_id: int, decide: Callable[[Standing], object]) -> None:
    """Raise the refusal below the minimum that `decide` (the bid's own decision) gives on
    the newest reading remembered; nothing when none is remembered or it decides otherwise
    (the caller then decides on the database's reading)."""
    standing = memory().standing(auction_id, user_id)
    if standing is None:
        return
    try:
        decide(standing)
    except rules.BidBelowMinimum:
        raise
    except DomainError:
        return


def remember(auction_id: int, user_id: int, standing: Standing, *, committed: bool = True) -> None:
    """The bidder's standing in the auction as read or as its bid left it: at once when
    committed (a statement in autocommit), else once the unit of work has committed."""
    known = memory()

    def keep() -> None:
        known.saw(auction_id, user_id, standing)

    if committed:
        keep()
    else:
        after_commit(keep)


def reset(app: Flask) -> None:
    """Forget everything (tests: every test starts from an empty memory)."""
    app.extensions[_KEY] = BidMemory()


def _forget(auction_id: int | None = None) -> None:
    known: BidMemory | None = current_app.extensions.get(_KEY) if has_app_context() else None
    if known is not None:
        known.forget(auction_id)


@event.listens_for(Auction, "after_update")
def _auction_changed(_mapper: object, _connection: object, auction: Auction) -> None:
    _forget(auction.id)


@event.listens_for(Deposit, "after_update")
def _deposit_changed(_mapper: object, _connection: object, deposit: Deposit) -> None:
    if deposit.context_type == CONTEXT:
        _forget(deposit.context_id)


# What a bid reads of its bidder (`bid_reads`): a change to any of it, anywhere, and
# everything is read again (rare beside bids; a sign-in's own columns do not count).
_BIDDER_FACTS: dict[type, tuple[str, ...]] = {
    User: ("active", "organisation_id", "membership_approved"),
    Organisation: ("status",),
}


@event.listens_for(Organisation, "after_update")
@event.listens_for(User, "after_update")
def _bidder_changed(_mapper: object, _connection: object, changed: User | Organisation) -> None:
    state: InstanceState[User | Organisation] = inspect(changed)
    if any(state.attrs[name].history.has_changes() for name in _BIDDER_FACTS[type(changed)]):
        _forget()
