"""What this worker saw of running auctions a moment ago: enough to refuse a stale bid
without the database.

In the last seconds of an auction most bids are stale: their bidder saw a price that
others have since beaten, and the bid is refused below the minimum. Prices only rise
(`rules.check_amount`), so a bid refused below the minimum against an older reading of
the auction is refused against the newest one too. This module keeps, per worker, the
newest reading of each auction its bids have seen (the most bids wins: `bid_count` only
grows) and each bidder's own facts as its last full read found them (organisation,
verification, deposit), for a short while. `refusal` decides a plain bid (no maximum)
with them and the same pure rules; only a refusal below the minimum is trusted. Any
other outcome (an acceptance, another refusal) goes to the database as before.

What a stale reading can change is the reason given, never the outcome: a bidder whose
deposit was released a moment ago, or an auction a reviewer just cancelled, gets "below
the minimum" for a bid that is refused anyway. A refusal writes nothing. Every change
the ORM makes to an auction (closing, cancelling, an announcement's review) forgets it
at once; readings are remembered only once committed (a read in autocommit, or the
bid's own unit of work after its commit), and kept SECONDS at most.

The memory lives in the app (`app.extensions`): each app, and each test's, starts empty.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from dataclasses import dataclass, replace
from typing import Any

from flask import Flask, current_app, has_app_context
from sqlalchemy import event

from auctions.bid_reads import Standing
from auctions.models import Auction

SECONDS = 2.0
MAX_ENTRIES = 10_000
_KEY = "auction_bid_memory"


@dataclass(frozen=True)
class _Seen:
    value: Any
    until: float


class BidMemory:
    """The newest readings of auctions, and their bidders' facts (a bounded, timed map)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._auctions: OrderedDict[int, _Seen] = OrderedDict()
        self._bidders: OrderedDict[tuple[int, int], _Seen] = OrderedDict()

    def standing(self, auction_id: int, user_id: int) -> Standing | None:
        """The bidder's standing as last read, with the newest auction seen since; None
        when either is unknown or older than SECONDS."""
        moment = time.monotonic()
        with self._lock:
            bidder = _fresh(self._bidders, (auction_id, user_id), moment)
            auction = _fresh(self._auctions, auction_id, moment)
        if bidder is None or auction is None:
            return None
        return replace(bidder, state=auction)

    def saw(self, auction_id: int, user_id: int, standing: Standing) -> None:
        """The bidder's standing in the auction as committed (read, or written by its bid)."""
        until = time.monotonic() + SECONDS
        with self._lock:
            _put(self._bidders, (auction_id, user_id), _Seen(standing, until))
            self._newer(auction_id, standing.state, until)

    def forget(self, auction_id: int) -> None:
        with self._lock:
            self._auctions.pop(auction_id, None)

    def _newer(self, auction_id: int, state: Any, until: float) -> None:
        known = self._auctions.get(auction_id)
        if known is None or known.value.bid_count <= state.bid_count:
            _put(self._auctions, auction_id, _Seen(state, until))


def _fresh(entries: OrderedDict[Any, _Seen], key: Any, moment: float) -> Any:
    seen = entries.get(key)
    if seen is None or seen.until <= moment:
        return None
    return seen.value


def _put(entries: OrderedDict[Any, _Seen], key: Any, seen: _Seen) -> None:
    entries[key] = seen
    entries.move_to_end(key)
    while len(entries) > MAX_ENTRIES:
        entries.popitem(last=False)


def memory() -> BidMemory:
    """The app's memory (made on first use)."""
    found: BidMemory | None = current_app.extensions.get(_KEY)
    if found is None:
        found = current_app.extensions.setdefault(_KEY, BidMemory())
    return found


def reset(app: Flask) -> None:
    """Forget everything (tests: every test starts from an empty memory)."""
    app.extensions[_KEY] = BidMemory()


@event.listens_for(Auction, "after_update")
def _auction_changed(_mapper: object, _connection: object, auction: Auction) -> None:
    if not has_app_context():
        return
    known: BidMemory | None = current_app.extensions.get(_KEY)
    if known is not None:
        known.forget(auction.id)
