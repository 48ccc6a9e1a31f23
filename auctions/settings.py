"""Auction settings: the market's terms the use cases take instead of reading app.config."""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from auctions import rules, term_rules
from core.workdays import WorkCalendar


@dataclass(frozen=True)
class AuctionSettings:
    """The market's settings the auction rules need (views build them from app.config)."""

    calendar: WorkCalendar = field(default_factory=WorkCalendar)
    release_working_days: int = 5
    extension: timedelta = rules.EXTENSION
    extension_window: timedelta = rules.EXTENSION_WINDOW
    default_deposit_bps: int = term_rules.DEFAULT_DEPOSIT_BPS
    announcement_period: timedelta = term_rules.ANNOUNCEMENT_PERIOD
    limits: term_rules.TermLimits = term_rules.DEFAULT_LIMITS

    @property
    def min_duration(self) -> timedelta:
        """The shortest bidding a seller may set."""
        return self.limits.min_duration


DEFAULT_SETTINGS = AuctionSettings()


def settings_from_config(config: Mapping[str, Any]) -> AuctionSettings:
    """The settings from app.config (MARKET_HOLIDAYS, DEPOSIT_RELEASE_WORKING_DAYS, ...)."""
    return _settings_of(
        str(config.get("MARKET_HOLIDAYS", "")),
        str(config.get("MARKET_WORKDAYS", "")),
        int(config.get("DEPOSIT_RELEASE_WORKING_DAYS", 5)),
        float(config.get("AUCTION_EXTENSION_MINUTES", 5)),
        float(config.get("AUCTION_EXTENSION_WINDOW_MINUTES", 5)),
        int(config.get("DEFAULT_DEPOSIT_BPS", term_rules.DEFAULT_DEPOSIT_BPS)),
        int(config.get("AUCTION_ANNOUNCEMENT_DAYS", term_rules.ANNOUNCEMENT_PERIOD.days)),
        limits_from_config(config),
    )


def limits_from_config(config: Mapping[str, Any]) -> term_rules.TermLimits:
    """The bounds on a seller's terms from app.config (AUCTION_MIN_HOURS, ...)."""
    default = term_rules.DEFAULT_LIMITS
    return term_rules.TermLimits(
        min_duration=timedelta(
            hours=float(config.get("AUCTION_MIN_HOURS", default.min_duration / timedelta(hours=1)))
        ),
        max_duration=timedelta(
            days=float(config.get("AUCTION_MAX_DAYS", default.max_duration.days))
        ),
        max_start_ahead=timedelta(
            days=float(config.get("AUCTION_MAX_START_DAYS_AHEAD", default.max_start_ahead.days))
        ),
        max_starting_price=int(
            config.get("AUCTION_MAX_STARTING_PRICE_MINOR", default.max_starting_price)
        ),
        min_increment=int(config.get("AUCTION_MIN_INCREMENT_MINOR", default.min_increment)),
        max_increment_bps=int(config.get("AUCTION_MAX_INCREMENT_BPS", default.max_increment_bps)),
    )


@functools.lru_cache(maxsize=32)
def _settings_of(
    holidays: str,
    workdays: str,
    release_working_days: int,
    extension_minutes: float,
    window_minutes: float,
    default_deposit_bps: int,
    announcement_days: int,
    limits: term_rules.TermLimits,
) -> AuctionSettings:
    """Built once per distinct configuration (every bid request asks for them)."""
    return AuctionSettings(
        calendar=WorkCalendar.from_text(holidays, workdays),
        release_working_days=release_working_days,
        extension=timedelta(minutes=extension_minutes),
        extension_window=timedelta(minutes=window_minutes),
        default_deposit_bps=default_deposit_bps,
        announcement_period=timedelta(days=announcement_days),
        limits=limits,
    )
