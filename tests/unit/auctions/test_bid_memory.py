"""The worker's memory of auctions: the newest reading wins, and nothing is kept for long."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from auctions import bid_memory, rules
from auctions.bid_memory import BidMemory
from auctions.bid_reads import Standing
from core import timed_map

NOW = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)


def standing(bid_count: int, price: int | None) -> Standing:
    state = rules.AuctionState(
        status=rules.Phase.RUNNING,
        starting_price=10_000,
        increment=500,
        starts_at=NOW - timedelta(hours=1),
        ends_at=NOW + timedelta(hours=1),
        seller_org_id=1,
        current_price=price,
        leader_org_id=2 if price else None,
        bid_count=bid_count,
    )
    return Standing(state, None, None, org_id=3, org_verified=True, deposit_held=True)


def test_the_auction_with_the_most_bids_is_the_one_remembered() -> None:
    memory = BidMemory()
    memory.saw(7, 1, standing(5, 12_000))
    memory.saw(7, 2, standing(3, 11_000))  # a read that began before the newer one ended
    found = memory.standing(7, 2)
    assert found is not None
    assert found.state.bid_count == 5 and found.org_id == 3  # beta's own facts, newest auction
    assert memory.standing(7, 9) is None  # a bidder never read
    assert memory.standing(8, 1) is None  # another auction


def test_what_was_seen_is_forgotten_after_its_time(monkeypatch: pytest.MonkeyPatch) -> None:
    """The auction's reading goes after SECONDS; the bidder's own facts stay longer, and
    serve again with the auction's next reading."""
    memory, moment = BidMemory(), [1000.0]
    monkeypatch.setattr(timed_map.time, "monotonic", lambda: moment[0])
    memory.saw(7, 1, standing(5, 12_000))
    moment[0] += bid_memory.SECONDS - 0.01
    assert memory.standing(7, 1) is not None
    moment[0] += 0.02
    assert memory.standing(7, 1) is None  # the auction's reading is too old
    memory.saw(7, 2, standing(6, 12_500))  # another bidder's read of the auction
    found = memory.standing(7, 1)
    assert found is not None and found.state.bid_count == 6
    moment[0] = 1000.0 + bid_memory.STANDING_SECONDS + 0.01
    memory.saw(7, 2, standing(7, 13_000))
    assert memory.standing(7, 1) is None  # its own facts are too old now
    assert memory.standing(7, 2) is not None


def test_a_forgotten_auction_is_not_used_until_read_again() -> None:
    memory = BidMemory()
    memory.saw(7, 1, standing(5, 12_000))
    memory.forget(7)
    assert memory.standing(7, 1) is None
    memory.saw(7, 1, standing(6, 12_500))
    assert memory.standing(7, 1) is not None


def test_the_memory_is_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(bid_memory, "MAX_ENTRIES", 3)
    memory = BidMemory()
    for auction_id in range(5):
        memory.saw(auction_id, 1, standing(1, 10_000))
    assert [memory.standing(a, 1) is not None for a in range(5)] == [False, False, True, True, True]
