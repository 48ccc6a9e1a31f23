"""Closing a listed sale (挂牌) at the end of its period, exactly once.

At its end (the job runner's sweep, `trading.jobs`) a listed sale closes with
no buyer, a deal at the asking price, or an auction among exactly the buyers whose
deposit is held. The use cases flush and never commit; those that lock the sale
expect `unit_of_work(writer=True)`, so that on SQLite writers queue for the lock.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from auctions import services as auctions
from core import audit, jobs
from core.clock import as_utc
from core.domain import N_
from core.extensions import db
from core.rows import claim_closing, close_in_savepoint, due_ids, get_row
from core.workdays import WorkCalendar
from deals.models import SaleMethod
from deals.services import record_sale
from listings import services as listings
from listings.rules import SaleState
from payments import deposit_settlement, deposits
from trading import rules
from trading.models import ListedSale, ListedSaleStatus
from trading.queries import CONTEXT

CLOSE_SALES_JOB = "trading.close_sales"  # the job runner's sweep (trading.jobs)
DEFAULT_RELEASE_WORKING_DAYS = 5  # config DEPOSIT_RELEASE_WORKING_DAYS


def lock_sale(sale_id: int) -> ListedSale:
    """The listed sale, row-locked and freshly read, or NotFound."""
    return get_row(ListedSale, sale_id, N_("No such listed sale."), lock=True)


def claim_sale(sale: ListedSale, now: datetime) -> bool:
    """Mark an open sale as closing; False when another worker got there first."""
    return claim_closing(sale, ListedSaleStatus.OPEN, now)


@dataclass(frozen=True)
class SaleClosing:
    """What closing a listed sale did."""

    sale: ListedSale
    outcome: rules.ListedSaleOutcome | None  # None: the listing had left the sale meanwhile
    buyer_org_ids: tuple[int, ...]
    deal_id: int | None = None
    auction_id: int | None = None


def close_sale(
    sale_id: int,
    *,
    now: datetime,
    calendar: WorkCalendar,
    release_working_days: int = DEFAULT_RELEASE_WORKING_DAYS,
) -> SaleClosing | None:
    """Close a listed sale at the end of its period, exactly once; None if not due or done."""
    sale = lock_sale(sale_id)
    if not rules.is_due(sale.status == ListedSaleStatus.OPEN, as_utc(sale.ends_at), now):
        return None
    if not claim_sale(sale, now):
        return None
    release_due_at = calendar.add_working_days(now, release_working_days)
    listing = listings.lock_listing(sale.listing_id)
    db.session.refresh(listing)
    intents = [
        rules.IntentView(
            buyer_org_id=i.buyer_org_id,
            created_at=i.created_at,
            withdrawn=i.withdrawn_at is not None,
        )
        for i in sale.intents
    ]
    buyers = rules.qualifying_buyers(intents, deposits.held_org_ids(CONTEXT, sale.id))
    outcome: rules.ListedSaleOutcome | None = rules.listed_sale_outcome(buyers)
    deal_id = auction_id = None
    if listing.sale_state != SaleState.LISTED_SALE:
        # Sold offline (or otherwise taken off the sale) during the period.
        outcome = None
        sale.status = ListedSaleStatus.WITHDRAWN
        deposit_settlement.release_all(CONTEXT, sale.id, now=now, release_due_at=release_due_at)
    elif outcome == rules.ListedSaleOutcome.NO_BUYER:
        sale.status = ListedSaleStatus.NO_BUYER
        listings.set_sale_state(
            listing.id, SaleState.AVAILABLE, now=now, actor_id=None, reason="listed_sale.no_buyer"
        )
        deposit_settlement.release_all(CONTEXT, sale.id, now=now, release_due_at=release_due_at)
    elif outcome == rules.ListedSaleOutcome.SOLD:
        sale.status = ListedSaleStatus.SOLD
        deal = record_sale(
            listing_id=listing.id,
            buyer_org_id=buyers[0],
            price_minor=sale.asking_price_minor,
            method=SaleMethod.LISTED,
            source_type=CONTEXT,
            source_id=sale.id,
            now=now,
        )
        deal_id = deal.id
        deposit_settlement.settle(
            CONTEXT,
            sale.id,
            winner_org_id=buyers[0],
            deal_id=deal.id,
            now=now,
            release_due_at=release_due_at,
        )
    else:
        sale.status = ListedSaleStatus.AUCTIONED
        auction = auctions.open_auction_for_listed_sale(
            listing_id=listing.id,
            listed_sale_id=sale.id,
            org_ids=list(buyers),
            starting_price_minor=sale.asking_price_minor,
            now=now,
            calendar=calendar,
        )
        auction_id = auction.id
        if listing.sale_state == SaleState.LISTED_SALE:
            listings.set_sale_state(listing.id, SaleState.IN_AUCTION, now=now, actor_id=None)
        # Deposits of the parties moved to the auction; what is left (never paid,
        # or an intent withdrawn) is released.
        deposit_settlement.release_all(CONTEXT, sale.id, now=now, release_due_at=release_due_at)
    audit.record_status(
        "listed_sale",
        sale,
        "close",
        None,
        now,
        was=ListedSaleStatus.OPEN,
        buyer_org_ids=list(buyers),
        deal_id=deal_id,
        auction_id=auction_id,
    )
    return SaleClosing(sale, outcome, buyers, deal_id, auction_id)


def closing_due(sale: ListedSale, now: datetime) -> bool:
    """Whether the sale's period is over and it still waits to be closed (as last read)."""
    return rules.is_due(sale.status == ListedSaleStatus.OPEN, as_utc(sale.ends_at), now)


def request_if_due(sales: list[ListedSale], *, now: datetime) -> list[ListedSale]:
    """Reading sales never closes them: the job runner is asked to close those whose period
    is over, and they are read again."""
    return jobs.request_if_due(sales, lambda sale: closing_due(sale, now), CLOSE_SALES_JOB)


def _try_close(
    sale_id: int,
    *,
    now: datetime,
    calendar: WorkCalendar,
    release_working_days: int = DEFAULT_RELEASE_WORKING_DAYS,
) -> SaleClosing | None:
    return close_in_savepoint(
        lambda: close_sale(
            sale_id, now=now, calendar=calendar, release_working_days=release_working_days
        ),
        f"listed sale {sale_id}",
    )


def close_due_sales(
    *,
    now: datetime,
    calendar: WorkCalendar,
    release_working_days: int = DEFAULT_RELEASE_WORKING_DAYS,
) -> int:
    """Close every listed sale whose period is over (cron: `flask listings close-sales`).

    Each closing runs in a savepoint: one that fails is logged and undone alone.
    """
    return sum(
        _try_close(sale_id, now=now, calendar=calendar, release_working_days=release_working_days)
        is not None
        for sale_id in due_ids(ListedSale, ListedSaleStatus.OPEN, now)
    )
