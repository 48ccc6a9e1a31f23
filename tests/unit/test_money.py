"""Money in 分: exact parsing, arithmetic without loss, display in yuan and 万元."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.domain import DomainError, ValidationFailed
from core.money import (
    CurrencyMismatch,
    Money,
    format_money,
    format_wan,
    from_yuan_text,
    sum_money,
    to_yuan_text,
)

amounts = st.integers(min_value=-(10**15), max_value=10**15)
non_negative = st.integers(min_value=0, max_value=10**17 - 1)  # the largest parseable amount


# --- parsing ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "minor"),
    [
        ("1,234.56", 123456),
        ("1234.56", 123456),
        ("1234.5", 123450),
        ("1234", 123400),
        ("1234.", 123400),
        (".5", 50),
        ("0", 0),
        ("¥1,234,567.00", 123456700),
        ("￥1,234.56", 123456),
        ("１，２３４．５６元", 123456),
        (" 500000 元 ", 50000000),
        ("CNY 12.30", 1230),
        ("RMB12", 1200),
        ("+7", 700),
        ("0.01", 1),
        ("0009.99", 999),
    ],
)
def test_yuan_text_parses_exactly(text: str, minor: int) -> None:
    assert from_yuan_text(text) == Money(minor)
    assert Money.from_yuan_text(text) == Money(minor)


def parse_message(text: str, field: str = "amount") -> str:
    with pytest.raises(ValidationFailed) as caught:
        from_yuan_text(text, field=field)
    assert caught.value.field == field
    return caught.value.text()


def test_more_than_two_decimals_is_rejected() -> None:
    assert parse_message("1.234") == "Give at most two decimals (分): 1.234 has 3."


def test_negative_amount_is_rejected() -> None:
    assert parse_message("-5") == "The amount cannot be negative."


def test_empty_amount_is_rejected() -> None:
    assert parse_message("  ") == "Give an amount in yuan, like 1,234.56."
    assert parse_message(".") == "Give an amount in yuan, like 1,234.56."


@pytest.mark.parametrize("text", ["abc", "1.2.3", "12e3", "1_000", "五百", "0x10", "nan"])
def test_garbage_is_rejected(text: str) -> None:
    assert "is not an amount" in parse_message(text)


@pytest.mark.parametrize("text", ["1,23.45", "12,3456", ",123"])
def test_misplaced_commas_are_rejected(text: str) -> None:
    assert "groups of three digits" in parse_message(text)


def test_absurdly_large_amount_is_rejected() -> None:
    assert "too large" in parse_message("1" + "0" * 15)


def test_the_field_is_named_in_the_error() -> None:
    parse_message("abc", field="asking_price")


def test_other_currency_is_kept() -> None:
    assert from_yuan_text("US$12.50", "USD") == Money(1250, "USD")


def test_yen_and_won_have_no_minor_unit_below_the_major_one() -> None:
    assert from_yuan_text("1,500,000", "JPY") == Money(1_500_000, "JPY")
    assert from_yuan_text("1500000.00", "KRW") == Money(1_500_000, "KRW")
    assert "no decimals" in parse_message_in("1500.5", "JPY")
    assert format_money(Money(1_500_000, "JPY")) == "JP¥1,500,000"
    assert format_money(Money(-2_000, "KRW")) == "-₩2,000"
    assert to_yuan_text(Money(1_500_000, "JPY")) == "1500000"
    assert format_wan(Money(1_234_550, "JPY")) == "123.46万 JPY"


def parse_message_in(text: str, currency: str) -> str:
    with pytest.raises(ValidationFailed) as caught:
        from_yuan_text(text, currency)
    return caught.value.text()


# --- arithmetic ---------------------------------------------------------------------


def test_add_and_subtract() -> None:
    assert Money(150) + Money(250) == Money(400)
    assert Money(150) - Money(250) == Money(-100)
    assert -Money(5) == Money(-5)
    assert Money(5) * 3 == 3 * Money(5) == Money(15)


def test_different_currencies_cannot_be_combined_or_compared() -> None:
    with pytest.raises(CurrencyMismatch) as caught:
        Money(1) + Money(1, "USD")
    assert isinstance(caught.value, DomainError)
    assert caught.value.code == "currency_mismatch"
    with pytest.raises(DomainError):
        Money(1) - Money(1, "USD")
    with pytest.raises(DomainError):
        assert Money(1) < Money(2, "USD")
    assert Money(1) != Money(1, "USD")


def test_comparison() -> None:
    assert Money(1) < Money(2) <= Money(2) < Money(3)
    assert Money(3) > Money(2) >= Money(2)
    assert max(Money(5), Money(9), Money(1)) == Money(9)


def test_money_refuses_floats_and_bad_currencies() -> None:
    with pytest.raises(TypeError):
        Money(1.5)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        Money(True)
    with pytest.raises(ValueError):
        Money(1, "cny")


def test_constructors_and_sum() -> None:
    assert Money.of_yuan(500_000) == Money(50_000_000)
    assert Money.zero("USD") == Money(0, "USD")
    assert sum_money([Money(1), Money(2), Money(3)]) == Money(6)
    assert sum_money([]) == Money(0)
    assert Money(0).is_zero and Money(-1).is_negative


def test_scaled_rounds_half_up() -> None:
    assert Money(1_000_000).scaled(10, 100) == Money(100_000)  # a 10% deposit
    assert Money(1).scaled(1, 2) == Money(1)  # half a fen rounds up
    assert Money(-1).scaled(1, 2) == Money(-1)  # and away from zero below it
    assert Money(333).scaled(15, 1000) == Money(5)  # 4.995 → 5


@given(amounts, amounts, amounts)
def test_addition_is_associative_and_commutative(a: int, b: int, c: int) -> None:
    x, y, z = Money(a), Money(b), Money(c)
    assert (x + y) + z == x + (y + z)
    assert x + y == y + x


@given(st.lists(amounts, max_size=50))
def test_sum_never_loses_a_fen(values: list[int]) -> None:
    assert sum_money(Money(v) for v in values).minor == sum(values)


@given(amounts, amounts)
def test_subtraction_undoes_addition(a: int, b: int) -> None:
    assert Money(a) + Money(b) - Money(b) == Money(a)


@given(amounts, st.integers(-1000, 1000), st.integers(1, 10_000))
def test_scaled_matches_decimal_half_up(minor: int, numerator: int, denominator: int) -> None:
    expected = (Decimal(minor) * numerator / Decimal(denominator)).quantize(
        Decimal(1), rounding=ROUND_HALF_UP
    )
    assert Money(minor).scaled(numerator, denominator).minor == int(expected)


# --- display ------------------------------------------------------------------------


@pytest.mark.parametrize("locale", ["zh_CN", "en", "zh"])
def test_format_money_in_both_languages(locale: str) -> None:
    assert format_money(Money(123456700), locale) == "¥1,234,567.00"
    assert format_money(Money(5), locale) == "¥0.05"
    assert format_money(Money(-500), locale) == "-¥5.00"


def test_format_money_other_currencies() -> None:
    assert format_money(Money(1250, "USD"), "en") == "US$12.50"
    assert format_money(Money(1250, "CHF"), "en") == "CHF 12.50"


@pytest.mark.parametrize(
    ("minor", "text"),
    [
        (123456700, "123.46万元"),
        (123455000, "123.46万元"),  # exactly half of 0.01万 rounds up
        (123454999, "123.45万元"),
        (0, "0.00万元"),
        (4999, "0.00万元"),
        (5000, "0.01万元"),
        (10_000_000_000, "10,000.00万元"),  # ¥100,000,000 = 1亿
        (-123455000, "-123.46万元"),
    ],
)
def test_format_wan_rounds_half_up_to_hundred_yuan(minor: int, text: str) -> None:
    assert format_wan(Money(minor)) == text


@given(amounts)
def test_format_wan_matches_decimal_half_up(minor: int) -> None:
    wan = (Decimal(minor) / 1_000_000).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    assert format_wan(Money(minor)) == f"{wan:,}万元".replace("-0.00", "0.00")


@given(non_negative)
def test_parse_reads_back_what_format_writes(minor: int) -> None:
    money = Money(minor)
    assert from_yuan_text(format_money(money, "zh_CN")) == money
    assert from_yuan_text(format_money(money, "en")) == money
    assert from_yuan_text(to_yuan_text(money)) == money


@given(amounts)
def test_to_yuan_text_is_plain(minor: int) -> None:
    text = to_yuan_text(Money(minor))
    assert "," not in text
    assert Decimal(text) * 100 == minor


@given(st.text(max_size=20))
def test_parsing_anything_gives_money_or_a_validation_error(text: str) -> None:
    try:
        money = from_yuan_text(text)
    except ValidationFailed as error:
        assert error.field == "amount" and error.text()
    else:
        assert money.minor >= 0


def test_digits_of_other_scripts_are_not_amounts() -> None:
    assert "is not an amount" in parse_message("١٢٣")
