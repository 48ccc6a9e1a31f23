"""Closing auctions: exactly once, by the job runner's sweep, with the sale's deal and the deposits.

Closing is exactly once: the row lock plus the status guard (only a scheduled
or running auction is closed), whoever tries: two workers, a late bid, the cron command. These
functions flush and never commit: the caller's unit of work commits, and the
sweep (`auctions.jobs.close_due`) opens one per auction, so one that fails does
not undo the others.
"""

from __future__ import annotations

import functools
from collections.abc import Collection, Mapping, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import select

from auctions import live, rules, telling
from auctions.audit import audited_fields, record_audit
from auctions.bidder_rules import ANONYMOUS, Viewer
from auctions.models import Auction, AuctionStatus
from auctions.queries import (
    CLOSING,
    CONTEXT,
    OPEN_STATUSES,
    get_auction,
    preload_for_list,
    snapshot_of,
    state_of,
)
from auctions.settings import DEFAULT_SETTINGS, AuctionSettings
from auctions.store import is_sqlite, lock_auction
from core import jobs
from core.extensions import db
from deals import services as deals
from deals.models import SaleMethod
from listings import services as listings
from listings.rules import SaleState
from payments import deposit_settlement

CLOSE_DUE_JOB = "auctions.close_due"


def close_locked(
    auction: Auction, *, now: datetime, settings: AuctionSettings, actor_id: int | None = None
) -> bool:
    """Close a row-locked auction if it is due and still open (flushes); True when it closed."""
    state = state_of(auction, settings)
    if not rules.is_due(state, now):
        return False
    result = rules.close_outcome(state)
    release_due_at = settings.calendar.add_working_days(now, settings.release_working_days)
    before = audited_fields(auction)
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
        deposit_settlement.settle(
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
        deposit_settlement.release_all(
            CONTEXT, auction.id, now=now, release_due_at=release_due_at, actor_id=actor_id
        )
        auction.status = AuctionStatus.FAILED
    auction.closed_at = now
    record_audit(
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
    telling.closed(auction, sold=result.sold, now=now)
    live.announce_close(auction.id)
    db.session.flush()
    return True


def close_auction(
    auction_id: int, *, now: datetime, settings: AuctionSettings = DEFAULT_SETTINGS
) -> bool:
    """Close the auction if its end has passed (flushes); True when this call closed it.

    Exactly once: the row lock plus the status guard. On SQLite the caller opens its
    unit of work with `writer=True` (no row locks: the write lock first).
    """
    return close_locked(lock_auction(auction_id), now=now, settings=settings)


def next_due(*, now: datetime, skipped: Collection[int] = ()) -> Auction | None:
    """The next auction whose end has passed, row-locked, not in `skipped`; None when none is.

    On PostgreSQL it is the next one nobody else holds (SKIP LOCKED), so several
    workers sweeping at once split the work; on SQLite the caller's unit of work
    (`writer=True`) holds the write lock instead. `auctions.jobs.close_due` sweeps
    with it, one unit of work per auction.
    """
    query = select(Auction).where(Auction.status.in_(OPEN_STATUSES), Auction.ends_at <= now)
    if skipped:
        query = query.where(Auction.id.not_in(skipped))
    query = query.order_by(Auction.ends_at, Auction.id).limit(1)
    if not is_sqlite():
        query = query.with_for_update(skip_locked=True)
    return db.session.scalar(query.execution_options(populate_existing=True))


def auction_snapshot(
    auction_id: int,
    *,
    now: datetime,
    locale: str = "zh_CN",
    bids_limit: int = 20,
    settings: AuctionSettings = DEFAULT_SETTINGS,
    viewer: Viewer = ANONYMOUS,
    numbers: Mapping[int, int] | None = None,
    title: str | None = None,
) -> dict[str, Any]:
    """The live feed's view of an auction for `viewer`; reading never closes it
    (`numbers`, `title`: as `snapshot_of` takes them, when read already).

    One whose end has passed but that the job runner has not closed yet shows as
    "closing", and the close job is queued now rather than at the next sweep (a
    worker closes it; run immediately, as in the tests, it is closed on return).
    """
    auction = get_auction(auction_id)
    view = functools.partial(
        snapshot_of, auction, now=now, locale=locale, bids_limit=bids_limit, settings=settings,
        viewer=viewer, title=title,
    )  # fmt: skip
    snapshot = view(numbers=numbers)
    if snapshot["status"] == CLOSING:
        jobs.request(CLOSE_DUE_JOB)
        db.session.expire(auction)
        snapshot = view()  # read afresh, the bidder numbers too
    return snapshot


def list_snapshots(
    auctions: Sequence[Auction],
    *,
    now: datetime,
    locale: str = "zh_CN",
    settings: AuctionSettings = DEFAULT_SETTINGS,
) -> list[dict[str, Any]]:
    """The snapshots (without bids) of a list of auctions, in a fixed number of statements.

    One past its end is closed first, as `auction_snapshot` does (its own statements).
    """
    numbers, _rows = preload_for_list(auctions)
    found = []
    for auction in auctions:
        snapshot = snapshot_of(
            auction, now=now, locale=locale, bids_limit=0, settings=settings,
            numbers=numbers[auction.id],
        )  # fmt: skip
        if snapshot["status"] == CLOSING:
            snapshot = auction_snapshot(
                auction.id, now=now, locale=locale, bids_limit=0, settings=settings
            )
        found.append(snapshot)
    return found
