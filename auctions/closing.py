"""Closing auctions: exactly once, by the sweep or lazily, with the sale's deal and the deposits.

Closing is exactly once: the row lock plus the status guard (only a scheduled
or running auction is closed), whoever tries, the sweep or a lazy close.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from sqlalchemy import select

from auctions import rules
from auctions.audit import audited_fields, record_audit
from auctions.models import Auction, AuctionStatus
from auctions.queries import CONTEXT, OPEN_STATUSES, get_auction, snapshot_of, state_of
from auctions.settings import DEFAULT_SETTINGS, AuctionSettings
from auctions.store import is_sqlite, lock_auction
from core.extensions import db
from core.sqlite import queue_as_writer
from deals import services as deals
from deals.models import SaleMethod
from listings import services as listings
from listings.rules import SaleState
from payments import deposit_settlement

log = logging.getLogger(__name__)


def _close_locked(
    auction: Auction, *, now: datetime, settings: AuctionSettings, actor_id: int | None = None
) -> bool:
    """Close a row-locked auction if it is due and still open; flushes, the caller commits."""
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
    db.session.flush()
    return True


def close_auction(
    auction_id: int, *, now: datetime, settings: AuctionSettings = DEFAULT_SETTINGS
) -> bool:
    """Close the auction if its end has passed; True when this call closed it (exactly once)."""
    auction = lock_auction(auction_id)
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
    sqlite = is_sqlite()
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
    return snapshot_of(auction, now=now, locale=locale, bids_limit=bids_limit, settings=settings)
