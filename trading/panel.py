"""The sale panel on a listing page: its listed sale, intents, negotiation and notice."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from accounts.models import User
from core.extensions import db
from core.workdays import WorkCalendar
from listings import services as listings
from listings.models import Listing
from listings.rules import ListingStatus, SaleState
from trading import closing, notices
from trading.models import ListedSaleStatus
from trading.notice_queries import notice_for_listing
from trading.queries import (
    active_intents,
    deposit_of,
    intent_of,
    latest_sale,
    negotiation_of,
    open_negotiations_for,
)


def sale_panel_context(
    actor: User | None,
    listing: Listing,
    now: datetime,
    *,
    calendar: WorkCalendar | None = None,
) -> dict[str, Any]:
    """What the sale panel of a listing page shows; a due sale or notice is left to the job
    runner, which is asked to close it now. Pass the market's calendar
    (`core.workdays.market_calendar(config)`); without it deposits are released on
    weekdays only.
    """
    calendar = calendar or WorkCalendar()
    sale = latest_sale(listing.id)
    changed = sale is not None and _closed_now(sale, closing.request_if_due, now)
    notice = notice_for_listing(listing.id)
    changed |= notice is not None and _closed_now(notice, notices.request_if_due, now)
    if changed:  # a job closed it at once (JOBS_IMMEDIATE): the listing's state moved too
        db.session.refresh(listing)
    owner = listings.is_owner(actor, listing)
    signed_in = bool(actor and actor.is_authenticated)
    published = listing.status == ListingStatus.PUBLISHED
    available = published and listing.sale_state == SaleState.AVAILABLE
    sale_open = sale is not None and sale.status == ListedSaleStatus.OPEN
    my_intent = intent_of(actor, sale) if sale is not None else None
    return {
        "listing": listing,
        "state": listing.sale_state,
        "owner": owner,
        "signed_in": signed_in,
        "published": published,
        "available": available,
        "sale": sale,
        "sale_open": sale_open,
        "intents_count": len(active_intents(sale)) if sale is not None else 0,
        "my_intent": my_intent if my_intent and my_intent.withdrawn_at is None else None,
        "my_deposit": deposit_of(actor, sale) if sale is not None else None,
        "can_start_sale": owner and available,
        "can_relist": owner
        and available
        and sale is not None
        and sale.status in (ListedSaleStatus.NO_BUYER, ListedSaleStatus.WITHDRAWN),
        "can_register_intent": sale_open and not owner,
        "my_negotiation": negotiation_of(actor, listing.id) if not owner else None,
        "can_negotiate": available and not owner,
        "open_negotiations": open_negotiations_for(listing.id) if owner else [],
        "notice": notice,
    }


def _closed_now(row: Any, request_if_due: Any, now: datetime) -> bool:
    """Ask the job runner to close `row` if due; whether its status changed meanwhile."""
    status = row.status
    request_if_due([row], now=now)
    return bool(row.status != status)
