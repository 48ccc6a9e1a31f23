"""The currencies the market prices in, each with its own minor unit, and conversion at the
market's dated reference rates.

A reference rate says what one major unit of a currency was worth in yuan on a day (the
rate table an administrator keeps or imports). A conversion goes through the yuan, uses
for each currency the latest rate dated on or before the day asked for, rounds once, half
away from zero (四舍五入), to the target's own minor unit, and names the dates of the
rates it used, so a figure is never shown without the day it was true.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, localcontext

from core.domain import N_, ValidationFailed

REFERENCE = "CNY"
# Decimal places of each currency's minor unit (ISO 4217): the yen and the won have none.
EXPONENTS: dict[str, int] = {
    "CNY": 2,
    "USD": 2,
    "EUR": 2,
    "JPY": 0,
    "KRW": 0,
    "GBP": 2,
    "HKD": 2,
}
MAX_RATE = Decimal(100_000)  # yuan per unit; no currency of the table comes near
MAX_RATE_PLACES = 10
MAX_AMOUNT_MINOR = 10**17  # inside a signed 64-bit column after any conversion below


class NoRate(ValidationFailed):
    """No reference rate of a currency on or before the day of a conversion."""

    code = "no_rate"


def minor_per_major(currency: str) -> int:
    """How many minor units make one major unit: 100 for the yuan, 1 for the yen."""
    return 10 ** exponent(currency)


def exponent(currency: str) -> int:
    """The decimal places of a currency's minor unit; ValidationFailed for one not priced in."""
    try:
        return EXPONENTS[currency]
    except KeyError:
        raise ValidationFailed(
            N_("Prices are in CNY, USD, EUR, JPY, KRW, GBP or HKD."), field="currency"
        ) from None


@dataclass(frozen=True)
class Rate:
    """One major unit of `currency` was worth `yuan` yuan on `on`."""

    currency: str
    yuan: Decimal
    on: date

    def __post_init__(self) -> None:
        exponent(self.currency)
        if not (Decimal(0) < self.yuan <= MAX_RATE) or _places(self.yuan) > MAX_RATE_PLACES:
            raise ValidationFailed(
                N_("A rate is a positive number of yuan with at most ten decimal places."),
                field="rate",
            )


@dataclass(frozen=True)
class Conversion:
    """An amount converted, with the dates of the rates that made it."""

    amount_minor: int
    currency: str
    rate_dates: tuple[date, ...]  # empty when nothing was converted

    @property
    def as_of(self) -> date | None:
        """The date to print beside the figure: the older of the rates used."""
        return min(self.rate_dates) if self.rate_dates else None


class RateTable:
    """Dated reference rates; the yuan is worth one yuan on every day."""

    def __init__(self, rates: Iterable[Rate]) -> None:
        self._rates: dict[str, list[Rate]] = {}
        for rate in rates:
            self._rates.setdefault(rate.currency, []).append(rate)
        for dated in self._rates.values():
            dated.sort(key=lambda r: r.on)
        # The days of each currency's rates, for a binary search (statistics convert
        # thousands of groups against years of daily rates).
        self._days = {c: [r.on for r in dated] for c, dated in self._rates.items()}

    def rate(self, currency: str, on: date) -> Rate:
        """The latest rate of `currency` dated on or before `on`, or NoRate."""
        exponent(currency)
        if currency == REFERENCE:
            return Rate(REFERENCE, Decimal(1), on)
        found = bisect_right(self._days.get(currency, []), on)
        if not found:
            raise NoRate(
                N_("There is no reference rate of %(currency)s on or before %(day)s."),
                field="currency",
                currency=currency,
                day=on.isoformat(),
            )
        return self._rates[currency][found - 1]

    def convert(self, amount_minor: int, source: str, target: str, on: date) -> Conversion:
        """`amount_minor` of `source` in `target`'s minor units at the rates of `on`."""
        if abs(amount_minor) > MAX_AMOUNT_MINOR:
            raise ValidationFailed(N_("The amount is too large."), field="amount")
        if source == target:
            exponent(source)
            return Conversion(amount_minor, target, ())
        from_rate, to_rate = self.rate(source, on), self.rate(target, on)
        amount = convert_exactly(amount_minor, source, target, from_rate.yuan, to_rate.yuan)
        dates = tuple(r.on for r in (from_rate, to_rate) if r.currency != REFERENCE)
        return Conversion(round_half_up(amount), target, dates)


def convert_exactly(
    amount_minor: int, source: str, target: str, source_yuan: Decimal, target_yuan: Decimal
) -> Decimal:
    """The unrounded result in target minor units (60 significant digits: exact enough that
    the one rounding decides every result)."""
    with localcontext() as context:
        context.prec = 60
        major = Decimal(amount_minor) / minor_per_major(source)
        return major * source_yuan / target_yuan * minor_per_major(target)


def round_half_up(amount: Decimal) -> int:
    """To the nearest whole minor unit, halves away from zero (四舍五入)."""
    return int(amount.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def _places(value: Decimal) -> int:
    exponent_ = value.as_tuple().exponent
    return -exponent_ if isinstance(exponent_, int) and exponent_ < 0 else 0
