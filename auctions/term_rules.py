"""Pure rules of an auction's terms: prices, the deposit (保证金) rate, the duration.

What a seller may set, checked before an auction is created; the bids that follow
are `auctions.rules`. No Flask, no database, no clock: `now` is an argument.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from core.domain import N_, ValidationFailed
from core.money import Money
from payments.rules import BPS, MAX_DEPOSIT_BPS, MIN_DEPOSIT_BPS

MIN_DURATION = timedelta(hours=24)
DEFAULT_DEPOSIT_BPS = 1000  # 10 %
# A start a moment in the past (the form was filled in a minute ago) is "now".
START_TOLERANCE = timedelta(minutes=5)


class InvalidTerms(ValidationFailed):
    """Terms of an auction that cannot be accepted."""

    code = "invalid_terms"


def deposit_amount(starting_price: int, bps: int) -> int:
    """The deposit (保证金): `bps` basis points of the starting price, 5–20 %, half-up to the fen."""
    check_deposit_bps(bps)
    return Money(starting_price).scaled(bps, BPS).minor


def check_deposit_bps(bps: int) -> None:
    """The deposit rate must be between 5 % and 20 % of the starting price."""
    if not MIN_DEPOSIT_BPS <= bps <= MAX_DEPOSIT_BPS:
        raise InvalidTerms(
            N_("The deposit must be between %(low)s%% and %(high)s%% of the starting price."),
            field="deposit_percent",
            code="deposit_rate_out_of_range",
            low=MIN_DEPOSIT_BPS // 100,
            high=MAX_DEPOSIT_BPS // 100,
        )


def check_terms(
    *,
    starting_price: int,
    increment: int,
    reserve_price: int | None,
    starts_at: datetime,
    ends_at: datetime,
    deposit_bps: int,
    now: datetime,
    min_duration: timedelta = MIN_DURATION,
) -> None:
    """Refuse terms a seller may not set: prices, the deposit rate, at least 24 h of bidding."""
    if starting_price <= 0:
        raise InvalidTerms(N_("The starting price must be more than zero."), field="starting_price")
    if increment <= 0:
        raise InvalidTerms(N_("The increment must be more than zero."), field="increment")
    if reserve_price is not None and reserve_price < starting_price:
        raise InvalidTerms(
            N_("The reserve price cannot be below the starting price."), field="reserve_price"
        )
    check_deposit_bps(deposit_bps)
    if starts_at < now - START_TOLERANCE:
        raise InvalidTerms(
            N_("The auction cannot start in the past."), field="starts_at", code="starts_in_past"
        )
    if ends_at - starts_at < min_duration:
        raise InvalidTerms(
            N_("Bidding must last at least %(hours)s hours."),
            field="ends_at",
            code="auction_too_short",
            hours=int(min_duration.total_seconds() // 3600),
        )


def default_increment(starting_price: int) -> int:
    """1 % of the starting price, rounded up to whole hundreds of yuan (at least ¥100)."""
    step = 100 * 100  # ¥100 in fen
    one_percent = -(-starting_price // 100)
    return max(step, -(-one_percent // step) * step)
