"""Conversion at the market's dated reference rates, rounded once to each currency's own
minor unit (the yen and the won have none)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.currencies import (
    EXPONENTS,
    MAX_AMOUNT_MINOR,
    NoRate,
    Rate,
    RateTable,
    convert_exactly,
    minor_per_major,
)
from core.domain import ValidationFailed

DAY = date(2026, 12, 1)
TABLE = RateTable(
    [
        Rate("USD", Decimal("7.1000"), DAY - timedelta(days=3)),
        Rate("USD", Decimal("7.1234"), DAY),
        Rate("EUR", Decimal("7.7321"), DAY),
        Rate("JPY", Decimal("0.047650"), DAY),
        Rate("KRW", Decimal("0.005123"), DAY),
        Rate("GBP", Decimal("9.0167"), DAY),
        Rate("HKD", Decimal("0.9152"), DAY),
    ]
)
currencies = st.sampled_from(sorted(EXPONENTS))
amounts = st.integers(min_value=-(10**15), max_value=10**15)


def test_a_dollar_price_in_yuan_names_the_day_of_its_rate() -> None:
    converted = TABLE.convert(1_000_000_00, "USD", "CNY", DAY + timedelta(days=5))
    assert converted.amount_minor == 7_123_400_00  # US$1,000,000.00 → ¥7,123,400.00
    assert converted.as_of == DAY  # the latest rate on or before the day asked for
    assert TABLE.convert(1_000_000_00, "USD", "CNY", DAY - timedelta(days=1)).amount_minor == (
        7_100_000_00
    )


def test_the_yen_and_the_won_have_no_minor_unit() -> None:
    assert minor_per_major("JPY") == minor_per_major("KRW") == 1
    assert TABLE.convert(10_000, "JPY", "CNY", DAY).amount_minor == 476_50  # ¥10,000 → ¥476.50
    assert TABLE.convert(1_00, "CNY", "KRW", DAY).amount_minor == 195  # 195.19 won, rounded


def test_no_rate_before_the_first_one_is_an_error_not_a_guess() -> None:
    with pytest.raises(NoRate):
        TABLE.convert(100, "EUR", "CNY", DAY - timedelta(days=1))
    with pytest.raises(ValidationFailed):
        TABLE.convert(100, "XAU", "CNY", DAY)


@pytest.mark.parametrize(
    "rate", [Decimal(0), Decimal(-1), Decimal("1e6"), Decimal("0.00000000001")]
)
def test_rates_are_bounded(rate: Decimal) -> None:
    with pytest.raises(ValidationFailed):
        Rate("USD", rate, DAY)


@given(amounts, currencies)
def test_a_currency_converts_to_itself_unchanged(amount: int, currency: str) -> None:
    converted = TABLE.convert(amount, currency, currency, DAY)
    assert converted.amount_minor == amount and converted.as_of is None


@given(amounts, currencies, currencies)
def test_one_rounding_within_half_a_minor_unit(amount: int, source: str, target: str) -> None:
    converted = TABLE.convert(amount, source, target, DAY).amount_minor
    exact = convert_exactly(
        amount, source, target, TABLE.rate(source, DAY).yuan, TABLE.rate(target, DAY).yuan
    )
    assert abs(Decimal(converted) - exact) <= Decimal("0.5")
    assert abs(converted) <= MAX_AMOUNT_MINOR * 10**4  # stays an integer a column can hold


@given(amounts, currencies, currencies)
def test_a_refund_converts_to_minus_the_payment(amount: int, source: str, target: str) -> None:
    forward = TABLE.convert(amount, source, target, DAY).amount_minor
    assert TABLE.convert(-amount, source, target, DAY).amount_minor == -forward


@given(amounts, amounts, currencies, currencies)
def test_more_never_converts_to_less(a: int, b: int, source: str, target: str) -> None:
    low, high = sorted((a, b))
    assert (
        TABLE.convert(low, source, target, DAY).amount_minor
        <= TABLE.convert(high, source, target, DAY).amount_minor
    )


@given(
    st.dictionaries(
        st.integers(0, 60),
        st.decimals(min_value=Decimal("0.0001"), max_value=Decimal(100), places=4),
        max_size=8,
    ),
    st.integers(-5, 90),
    amounts,
)
def test_a_conversion_uses_the_latest_rate_dated_on_or_before_its_day(
    rates: dict[int, Decimal], offset: int, amount: int
) -> None:
    """Never a later rate, never a guess: the day printed beside the figure is the rate's."""
    table = RateTable([Rate("USD", yuan, DAY + timedelta(days=k)) for k, yuan in rates.items()])
    on = DAY + timedelta(days=offset)
    earlier = [k for k in rates if k <= offset]
    if not earlier:
        with pytest.raises(NoRate):
            table.convert(amount, "USD", "CNY", on)
        return
    used = max(earlier)
    converted = table.convert(amount, "USD", "CNY", on)
    assert converted.as_of == DAY + timedelta(days=used)
    exact = convert_exactly(amount, "USD", "CNY", rates[used], Decimal(1))
    assert abs(Decimal(converted.amount_minor) - exact) <= Decimal("0.5")
