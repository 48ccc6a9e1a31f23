"""Money as whole minor units (分): exact parsing, arithmetic and display, never floats.

Each currency has its own minor unit (`core.currencies.EXPONENTS`, ISO 4217): a hundredth
for the yuan, the dollar, the euro, the pound and the Hong Kong dollar; the yen and the won
have none, so their minor unit is the major one. A currency the table does not know is
taken to have two decimals.

Rounding, where a shorter display must drop precision (`format_wan`, `Money.scaled`), is
half-up away from zero: 1,234,550.00 yuan is 123.46万元 and -0.005 yuan would be -0.01.
That is the rounding Chinese readers learn as 四舍五入 and the one a cashier uses.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from core.currencies import EXPONENTS
from core.domain import N_, DomainError, ValidationFailed

MINOR_PER_MAJOR = 100  # of the yuan (分); other currencies: `decimals`
MAX_YUAN_DIGITS = 15  # keeps every parsed amount well inside a signed 64-bit column

SYMBOLS: dict[str, str] = {
    "CNY": "¥",
    "USD": "US$",
    "EUR": "€",
    "HKD": "HK$",
    "GBP": "£",
    "JPY": "JP¥",  # not ¥, which is the yuan here
    "KRW": "₩",
}


def decimals(currency: str) -> int:
    """Decimal places of the currency's minor unit: 2 for the yuan, 0 for the yen."""
    return EXPONENTS.get(currency, 2)


_CURRENCY_RE = re.compile(r"[A-Z]{3}")
_AMOUNT_RE = re.compile(r"(?P<whole>[0-9]{1,3}(?:,[0-9]{3})+|[0-9]*)(?:\.(?P<frac>[0-9]*))?")


class CurrencyMismatch(DomainError):
    """Two amounts in different currencies were combined or compared."""

    code = "currency_mismatch"


@dataclass(frozen=True)
class Money:
    """An amount in minor units (分 for CNY); may be negative as a ledger balance."""

    minor: int
    currency: str = "CNY"

    def __post_init__(self) -> None:
        # bool is an int subclass; a True amount is a programming error, not one fen.
        if not isinstance(self.minor, int) or isinstance(self.minor, bool):
            raise TypeError(f"Money.minor must be an int, not {type(self.minor).__name__}")
        if not _CURRENCY_RE.fullmatch(self.currency):
            raise ValueError(f"Money.currency must be a 3-letter ISO code, not {self.currency!r}")

    @classmethod
    def zero(cls, currency: str = "CNY") -> Money:
        """Nothing, in `currency`."""
        return cls(0, currency)

    @classmethod
    def of_yuan(cls, yuan: int, currency: str = "CNY") -> Money:
        """A whole number of major units (元), e.g. ``Money.of_yuan(500_000)``."""
        return cls(yuan * 10 ** decimals(currency), currency)

    @classmethod
    def from_yuan_text(cls, text: str, currency: str = "CNY", *, field: str = "amount") -> Money:
        """Parse what a person typed, e.g. "1,234.56", "¥1234.5", "１２３４元"; see module docs."""
        return from_yuan_text(text, currency, field=field)

    def _same_currency(self, other: Money) -> None:
        if other.currency != self.currency:
            raise CurrencyMismatch(
                N_("Amounts in %(left)s and %(right)s cannot be combined."),
                left=self.currency,
                right=other.currency,
            )

    def __add__(self, other: object) -> Money:
        if not isinstance(other, Money):
            return NotImplemented
        self._same_currency(other)
        return Money(self.minor + other.minor, self.currency)

    def __sub__(self, other: object) -> Money:
        if not isinstance(other, Money):
            return NotImplemented
        self._same_currency(other)
        return Money(self.minor - other.minor, self.currency)

    def __neg__(self) -> Money:
        return Money(-self.minor, self.currency)

    def __mul__(self, factor: object) -> Money:
        if not isinstance(factor, int) or isinstance(factor, bool):
            return NotImplemented
        return Money(self.minor * factor, self.currency)

    __rmul__ = __mul__

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, Money):
            return NotImplemented
        self._same_currency(other)
        return self.minor < other.minor

    def __le__(self, other: object) -> bool:
        if not isinstance(other, Money):
            return NotImplemented
        self._same_currency(other)
        return self.minor <= other.minor

    def __gt__(self, other: object) -> bool:
        if not isinstance(other, Money):
            return NotImplemented
        self._same_currency(other)
        return self.minor > other.minor

    def __ge__(self, other: object) -> bool:
        if not isinstance(other, Money):
            return NotImplemented
        self._same_currency(other)
        return self.minor >= other.minor

    @property
    def is_zero(self) -> bool:
        """True for exactly nothing."""
        return self.minor == 0

    @property
    def is_negative(self) -> bool:
        """True below zero (a debit balance)."""
        return self.minor < 0

    def scaled(self, numerator: int, denominator: int) -> Money:
        """This amount × numerator / denominator, rounded half-up to the fen.

        For rates: 10% is ``scaled(10, 100)``, 1.5% is ``scaled(15, 1000)``.
        """
        if denominator <= 0:
            raise ValueError("denominator must be positive")
        return Money(_div_half_up(self.minor * numerator, denominator), self.currency)


def _div_half_up(value: int, divisor: int) -> int:
    """value / divisor rounded to the nearest integer, halves away from zero (divisor > 0)."""
    quotient = (abs(value) * 2 + divisor) // (2 * divisor)
    return -quotient if value < 0 else quotient


def sum_money(amounts: Iterable[Money], currency: str = "CNY") -> Money:
    """The total of `amounts`; zero in `currency` when there are none."""
    total = Money.zero(currency)
    for amount in amounts:
        total = total + amount
    return total


def _amount_error(message: str, field: str, text: str) -> ValidationFailed:
    return ValidationFailed(message, field=field, text=text)


def from_yuan_text(text: str, currency: str = "CNY", *, field: str = "amount") -> Money:
    """Parse a non-negative amount in yuan exactly, or raise ValidationFailed on `field`.

    Accepts full-width characters, a leading ¥ / CNY / RMB, a trailing 元, commas between
    groups of three digits and at most two decimals (分). Never goes through float.
    """
    raw = text if isinstance(text, str) else ""
    cleaned = "".join(unicodedata.normalize("NFKC", raw).split()).upper()
    prefixes = (
        ("¥", "CNY", "RMB") if currency == "CNY" else (currency, SYMBOLS.get(currency, currency))
    )
    for prefix in prefixes:
        if cleaned.startswith(prefix):
            cleaned = cleaned[len(prefix) :]
            break
    cleaned = cleaned.removesuffix("元")
    if not cleaned:
        raise _amount_error(N_("Give an amount in yuan, like 1,234.56."), field, raw)
    if cleaned.startswith(("-", "−")):
        raise _amount_error(N_("The amount cannot be negative."), field, raw)
    cleaned = cleaned.removeprefix("+")
    match = _AMOUNT_RE.fullmatch(cleaned)
    if match is None:
        if re.fullmatch(r"[0-9,]*(?:\.[0-9]*)?", cleaned) and "," in cleaned:
            raise _amount_error(
                N_(
                    "Put commas between groups of three digits, like 1,234,567.89, or leave them out."
                ),
                field,
                raw,
            )
        raise _amount_error(
            N_("%(text)s is not an amount: give it in yuan, like 1,234.56."), field, raw
        )
    whole = match["whole"].replace(",", "")
    frac = match["frac"] or ""
    if not whole and not frac:
        raise _amount_error(N_("Give an amount in yuan, like 1,234.56."), field, raw)
    places = decimals(currency)
    if len(frac) > places and places == 0 and not frac.strip("0"):
        frac = ""  # "1000.00" yen is 1000 yen
    if len(frac) > places:
        if places == 0:
            raise _amount_error(N_("%(text)s: this currency has no decimals."), field, raw)
        raise ValidationFailed(
            N_("Give at most two decimals (分): %(text)s has %(decimals)s."),
            field=field,
            text=raw,
            decimals=len(frac),
        )
    if len(whole.lstrip("0")) > MAX_YUAN_DIGITS:
        raise _amount_error(N_("The amount %(text)s is too large."), field, raw)
    fraction = int(frac.ljust(places, "0")) if places else 0
    return Money(int(whole or "0") * 10**places + fraction, currency)


def _major_text(minor: int, currency: str = "CNY") -> str:
    """'1,234,567.00' for 123456700 fen, '1,234,567' for as many yen (sign not included)."""
    places = decimals(currency)
    if places == 0:
        return f"{abs(minor):,}"
    major, rest = divmod(abs(minor), 10**places)
    return f"{major:,}.{rest:0{places}d}"


def format_money(money: Money, locale: str = "zh_CN") -> str:
    """The full amount with its symbol, e.g. "¥1,234,567.00" (same in Chinese and English).

    Both locales group by thousands with commas and put the sign before the symbol
    ("-¥5.00"); a currency without a known symbol is shown with its code ("CHF 5.00").
    `locale` is accepted so a later locale with other conventions needs no new call sites.
    """
    del locale  # zh_CN and en share these conventions today
    sign = "-" if money.minor < 0 else ""
    symbol = SYMBOLS.get(money.currency)
    prefix = symbol if symbol else f"{money.currency} "
    return f"{sign}{prefix}{_major_text(money.minor, money.currency)}"


def format_wan(money: Money) -> str:
    """The amount in 万元 with two decimals, e.g. "123.46万元" for ¥1,234,567.00.

    Rounds half-up (away from zero) to 0.01万 = ¥100: ¥1,234,550.00 → "123.46万元",
    ¥1,234,549.99 → "123.45万元". Thousands of 万 are grouped with commas. Another
    currency keeps its code after 万 ("12.00万 USD").
    """
    hundredths = _div_half_up(money.minor, 100 * 10 ** decimals(money.currency))
    sign = "-" if hundredths < 0 else ""
    wan, rest = divmod(abs(hundredths), 100)
    unit = "万元" if money.currency == "CNY" else f"万 {money.currency}"
    return f"{sign}{wan:,}.{rest:02d}{unit}"


def to_yuan_text(money: Money) -> str:
    """The plain amount a form field shows and `from_yuan_text` reads back: "1234.56"
    (yen and won without decimals: "1234")."""
    sign = "-" if money.minor < 0 else ""
    return sign + _major_text(money.minor, money.currency).replace(",", "")
