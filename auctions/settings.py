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
    min_duration: timedelta = term_rules.MIN_DURATION
    default_deposit_bps: int = term_rules.DEFAULT_DEPOSIT_BPS


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
    )


@functools.lru_cache(maxsize=32)
def _settings_of(
    holidays: str,
    workdays: str,
    release_working_days: int,
    extension_minutes: float,
    window_minutes: float,
    default_deposit_bps: int,
) -> AuctionSettings:
    """Built once per distinct configuration (every bid request asks for them)."""
    return AuctionSettings(
        calendar=WorkCalendar.from_text(holidays, workdays),
        release_working_days=release_working_days,
        extension=timedelta(minutes=extension_minutes),
        extension_window=timedelta(minutes=window_minutes),
        default_deposit_bps=default_deposit_bps,
    )
