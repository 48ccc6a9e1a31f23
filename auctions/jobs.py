"""Jobs of auctions: the sweep that closes due auctions, one unit of work per auction.

A job is a boundary, like a view or a CLI command: it opens the units of work the
services run in. The job runner sweeps every minute (`close_due_auctions`); the
cron command (`flask auctions close-due`) runs the same sweep for operators.
"""

from __future__ import annotations

import logging
from datetime import datetime

from flask import current_app

from auctions import closing, telling
from auctions.settings import DEFAULT_SETTINGS, AuctionSettings, settings_from_config
from core import clock
from core.jobs import EVERY_MINUTE, job
from core.uow import unit_of_work

log = logging.getLogger(__name__)


def close_due(
    *, now: datetime, settings: AuctionSettings = DEFAULT_SETTINGS, limit: int | None = None
) -> int:
    """Close every auction whose end has passed, each in its own unit of work; how many closed.

    Safe to run from several workers at once: on PostgreSQL each takes the next due
    auction nobody else holds (SKIP LOCKED); on SQLite the write lock serialises them.
    One that cannot be closed is logged and skipped, not retried in this run; its unit
    of work rolls back and the others stand.
    """
    closed = 0
    skipped: set[int] = set()
    while limit is None or closed < limit:
        auction_id: int | None = None
        try:
            with unit_of_work(writer=True):
                auction = closing.next_due(now=now, skipped=skipped)
                if auction is None:
                    break
                auction_id = auction.id
                if not closing.close_locked(auction, now=now, settings=settings):
                    skipped.add(auction_id)
                    continue
        except Exception:
            if auction_id is None:
                raise
            log.exception("auction %s could not be closed", auction_id)
            skipped.add(auction_id)
            continue
        closed += 1
    return closed


@job(closing.CLOSE_DUE_JOB, every=EVERY_MINUTE)
def close_due_auctions() -> int:
    """The job runner's sweep: close every due auction with the app's settings."""
    return close_due(now=clock.now(), settings=settings_from_config(current_app.config))


@job(telling.TELL_BIDS_JOB, every=EVERY_MINUTE)
def tell_bids() -> int:
    """Tell the bids placed since the last run, batch after batch; how many bids."""
    told = 0
    while True:
        with unit_of_work(writer=True):
            count = telling.tell_bids(now=clock.now())
        told += count
        if count < telling.UNTOLD_BATCH:
            return told


@job("auctions.ending_soon", every=EVERY_MINUTE)
def tell_ending_soon() -> int:
    """Tell bidders and watchers of the auctions ending within the hour, once each."""
    with unit_of_work(writer=True):
        return telling.tell_ending_soon(now=clock.now())


@job("auctions.starting", every=EVERY_MINUTE)
def tell_starting() -> int:
    """Tell bidders and watchers of the auctions that have opened for bids, once each."""
    with unit_of_work(writer=True):
        return telling.tell_starting(now=clock.now())
