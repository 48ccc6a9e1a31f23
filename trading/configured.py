"""The trading use cases with the market's settings from the app config.

The pages and the REST API start, withdraw and relist listed sales and accept offers
through these, so that both read the same settings (listing period, deposit rate,
deposit release, public notice length) and the same market calendar.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import current_app

from accounts.models import User
from core.clock import now
from core.workdays import WorkCalendar, market_calendar
from trading import listed_sales, negotiations
from trading.models import ListedSale, PublicityNotice


@dataclass(frozen=True)
class MarketSettings:
    """The trading settings of the app config, with the market's working-day calendar."""

    calendar: WorkCalendar
    listing_days: int  # LISTING_PERIOD_WORKING_DAYS
    deposit_bps: int  # DEFAULT_DEPOSIT_BPS
    release_days: int  # DEPOSIT_RELEASE_WORKING_DAYS
    publicity_days: int  # PUBLICITY_DAYS


def market_settings() -> MarketSettings:
    """The settings of the running app."""
    config = current_app.config
    return MarketSettings(
        calendar=market_calendar(config),
        listing_days=config["LISTING_PERIOD_WORKING_DAYS"],
        deposit_bps=config["DEFAULT_DEPOSIT_BPS"],
        release_days=config["DEPOSIT_RELEASE_WORKING_DAYS"],
        publicity_days=config["PUBLICITY_DAYS"],
    )


def start_listed_sale(actor: User, listing_id: int, data: dict[str, Any]) -> ListedSale:
    """Start a listed sale on the asking price, period and deposit sent (period defaulted)."""
    market = market_settings()
    return listed_sales.start_listed_sale(
        actor,
        listing_id,
        asking_price_minor=data["asking_price_minor"],
        working_days=data.get("working_days") or market.listing_days,
        deposit_minor=data.get("deposit_minor"),
        now=now(),
        calendar=market.calendar,
        deposit_bps=market.deposit_bps,
    )


def cancel_sale(actor: User, sale_id: int) -> ListedSale:
    """The seller withdraws its listed sale; deposits are released after the configured days."""
    market = market_settings()
    return listed_sales.cancel_sale(
        actor,
        sale_id,
        now=now(),
        calendar=market.calendar,
        release_working_days=market.release_days,
    )


def relist(actor: User, sale_id: int) -> ListedSale:
    """List again on the same terms, at the configured deposit rate."""
    market = market_settings()
    return listed_sales.relist(
        actor, sale_id, now=now(), calendar=market.calendar, deposit_bps=market.deposit_bps
    )


def accept_offer(actor: User, negotiation_id: int) -> PublicityNotice:
    """Accept the open offer; the public notice runs for the configured days."""
    market = market_settings()
    return negotiations.accept(
        actor,
        negotiation_id,
        now=now(),
        calendar=market.calendar,
        publicity_days=market.publicity_days,
    )
