"""Pure rules of an auction's terms: prices, the deposit (保证金) rate, the duration.

What a seller may set, checked before an auction is created; the bids that follow
are `auctions.rules`. No Flask, no database, no clock: `now` is an argument.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from core.domain import N_, ValidationFailed
from core.money import Money, format_money
from payments.rules import BPS, MAX_DEPOSIT_BPS, MIN_DEPOSIT_BPS

MIN_DURATION = timedelta(hours=24)
# 拍卖法 Art. 45: the announcement (拍卖公告) is published at least 7 days before the auction.
ANNOUNCEMENT_PERIOD = timedelta(days=7)
DEFAULT_DEPOSIT_BPS = 1000  # 10 %
# A start a moment in the past (the form was filled in a minute ago) is "now".
START_TOLERANCE = timedelta(minutes=5)


class InvalidTerms(ValidationFailed):
    """Terms of an auction that cannot be accepted."""

    code = "invalid_terms"


@dataclass(frozen=True)
class TermLimits:
    """The market's bounds on what a seller may set (AUCTION_* settings): no auction that
    ends in year 9999, starts in ten years or asks a price no column can hold."""

    min_duration: timedelta = MIN_DURATION
    max_duration: timedelta = timedelta(days=30)
    max_start_ahead: timedelta = timedelta(days=180)
    max_starting_price: int = 10_000_000_000 * 100  # ¥10 billion, in fen
    min_increment: int = 100  # ¥1
    max_increment_bps: int = 1000  # 10 % of the starting price

    def max_increment(self, starting_price: int) -> int:
        """The largest increment for a starting price (at least the smallest increment)."""
        return max(self.min_increment, starting_price * self.max_increment_bps // BPS)


DEFAULT_LIMITS = TermLimits()


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
    min_duration: timedelta | None = None,
    limits: TermLimits = DEFAULT_LIMITS,
) -> None:
    """Refuse terms a seller may not set: prices, the deposit rate, the dates, within `limits`."""
    check_amounts(
        starting_price=starting_price,
        increment=increment,
        reserve_price=reserve_price,
        limits=limits,
    )
    check_deposit_bps(deposit_bps)
    check_dates(
        starts_at=starts_at, ends_at=ends_at, now=now, limits=limits, min_duration=min_duration
    )


def check_amounts(
    *, starting_price: int, increment: int, reserve_price: int | None, limits: TermLimits
) -> None:
    """The starting price, increment and reserve lie within the market's bounds."""
    if starting_price <= 0:
        raise InvalidTerms(N_("The starting price must be more than zero."), field="starting_price")
    if starting_price > limits.max_starting_price:
        raise InvalidTerms(
            N_("The starting price may be at most %(max)s."),
            field="starting_price",
            code="starting_price_too_high",
            max=format_money(Money(limits.max_starting_price)),
        )
    if increment <= 0:
        raise InvalidTerms(N_("The increment must be more than zero."), field="increment")
    if increment < limits.min_increment:
        raise InvalidTerms(
            N_("The increment must be at least %(min)s."),
            field="increment",
            code="increment_too_small",
            min=format_money(Money(limits.min_increment)),
        )
    if increment > limits.max_increment(starting_price):
        raise InvalidTerms(
            N_("The increment may be at most %(percent)s%% of the starting price (%(max)s)."),
            field="increment",
            code="increment_too_large",
            percent=limits.max_increment_bps // 100,
            max=format_money(Money(limits.max_increment(starting_price))),
        )
    if reserve_price is not None and reserve_price < starting_price:
        raise InvalidTerms(
            N_("The reserve price cannot be below the starting price."), field="reserve_price"
        )
    if reserve_price is not None and reserve_price > limits.max_starting_price:
        raise InvalidTerms(
            N_("The reserve price may be at most %(max)s."),
            field="reserve_price",
            code="reserve_price_too_high",
            max=format_money(Money(limits.max_starting_price)),
        )


def check_dates(
    *,
    starts_at: datetime,
    ends_at: datetime,
    now: datetime,
    limits: TermLimits,
    min_duration: timedelta | None = None,
) -> None:
    """Bidding starts between now and `max_start_ahead`, and lasts within the bounds."""
    shortest = min_duration if min_duration is not None else limits.min_duration
    if starts_at < now - START_TOLERANCE:
        raise InvalidTerms(
            N_("The auction cannot start in the past."), field="starts_at", code="starts_in_past"
        )
    if starts_at > now + limits.max_start_ahead:
        raise InvalidTerms(
            N_("Bidding may start at most %(days)s days from now."),
            field="starts_at",
            code="starts_too_late",
            days=limits.max_start_ahead.days,
        )
    if ends_at - starts_at < shortest:
        raise InvalidTerms(
            N_("Bidding must last at least %(hours)s hours."),
            field="ends_at",
            code="auction_too_short",
            hours=int(shortest.total_seconds() // 3600),
        )
    if ends_at - starts_at > limits.max_duration:
        raise InvalidTerms(
            N_("Bidding may last at most %(days)s days."),
            field="ends_at",
            code="auction_too_long",
            days=limits.max_duration.days,
        )


def default_increment(starting_price: int) -> int:
    """1 % of the starting price, rounded up to whole hundreds of yuan (at least ¥100)."""
    step = 100 * 100  # ¥100 in fen
    one_percent = -(-starting_price // 100)
    return max(step, -(-one_percent // step) * step)


# --- the announcement (拍卖公告) ------------------------------------------------------------


def earliest_start(published_at: datetime, period: timedelta = ANNOUNCEMENT_PERIOD) -> datetime:
    """The earliest moment bidding may start for an announcement published at `published_at`."""
    return published_at + period


def check_announcement_period(
    starts_at: datetime, *, published_at: datetime, period: timedelta = ANNOUNCEMENT_PERIOD
) -> None:
    """Refuse a start sooner than `period` after the announcement's publication (拍卖法 Art. 45).

    At creation `published_at` is the earliest publication (now); at approval it is the
    moment the reviewer publishes it.
    """
    if starts_at < earliest_start(published_at, period):
        raise InvalidTerms(
            N_(
                "Bidding may start no sooner than %(days)s days after the announcement is "
                "published: choose a later start."
            ),
            field="starts_at",
            code="announcement_too_short",
            days=period.days,
        )


def check_deposit_deadline(
    deadline: datetime | None, *, published_at: datetime, ends_at: datetime
) -> None:
    """The deadline to lodge deposits lies after publication and no later than bidding ends."""
    if deadline is None:
        return
    if deadline <= published_at:
        raise InvalidTerms(
            N_("The deadline to lodge deposits must be after the announcement."),
            field="deposit_deadline",
            code="deposit_deadline_too_early",
        )
    if deadline > ends_at:
        raise InvalidTerms(
            N_("The deadline to lodge deposits cannot be after bidding ends."),
            field="deposit_deadline",
            code="deposit_deadline_too_late",
        )


def deposits_open(
    *, published_at: datetime | None, deadline: datetime | None, ends_at: datetime, now: datetime
) -> bool:
    """Deposits may be lodged from the announcement's publication until the deadline (or the end)."""
    if published_at is None or now < published_at:
        return False
    return now < ends_at if deadline is None else now <= deadline
