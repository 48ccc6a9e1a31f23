"""Bounds on a seller's terms (AUCTION_* settings): durations, amounts, dates."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from auctions import term_rules
from auctions.term_rules import TermLimits
from core.domain import DomainError

T0 = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)
LIMITS = TermLimits()


def check(**overrides: object) -> None:
    terms: dict[str, object] = {
        "starting_price": 1_000_000,
        "increment": 50_000,
        "reserve_price": None,
        "starts_at": T0 + timedelta(days=8),
        "ends_at": T0 + timedelta(days=10),
        "deposit_bps": 1000,
        "now": T0,
        "limits": LIMITS,
    }
    terms.update(overrides)
    term_rules.check_terms(**terms)  # type: ignore[arg-type]


def refused(**overrides: object) -> tuple[str, str | None]:
    with pytest.raises(DomainError) as caught:
        check(**overrides)
    return caught.value.code, caught.value.field


def test_an_auction_may_not_end_in_year_9999() -> None:
    far = datetime(9999, 12, 31, tzinfo=UTC)
    assert refused(ends_at=far) == ("auction_too_long", "ends_at")
    assert refused(starts_at=far - timedelta(days=1), ends_at=far) == (
        "starts_too_late",
        "starts_at",
    )


def test_the_default_bounds_accept_ordinary_terms_at_their_edges() -> None:
    check(starts_at=T0 + timedelta(days=180), ends_at=T0 + timedelta(days=210))
    check(starting_price=LIMITS.max_starting_price, increment=100_000)
    check(increment=LIMITS.min_increment)
    check(increment=100_000)  # 10 % of ¥10,000


@pytest.mark.parametrize(
    ("overrides", "code", "field"),
    [
        ({"starting_price": 10_000_000_000 * 100 + 1}, "starting_price_too_high", "starting_price"),
        ({"increment": 99}, "increment_too_small", "increment"),
        ({"increment": 100_001}, "increment_too_large", "increment"),
        ({"reserve_price": 10**18}, "reserve_price_too_high", "reserve_price"),
        ({"starts_at": T0 + timedelta(days=181)}, "starts_too_late", "starts_at"),
        ({"ends_at": T0 + timedelta(days=38, seconds=1)}, "auction_too_long", "ends_at"),
    ],
)
def test_terms_beyond_a_bound_are_refused_on_their_field(
    overrides: dict[str, object], code: str, field: str
) -> None:
    assert refused(**overrides) == (code, field)


@given(
    hours=st.integers(min_value=1, max_value=24 * 400),
    max_days=st.integers(min_value=2, max_value=90),
)
def test_a_duration_is_accepted_exactly_within_the_configured_bounds(
    hours: int, max_days: int
) -> None:
    limits = TermLimits(max_duration=timedelta(days=max_days))
    start = T0 + timedelta(days=8)
    allowed = 24 <= hours <= max_days * 24
    try:
        check(starts_at=start, ends_at=start + timedelta(hours=hours), limits=limits)
    except DomainError as error:
        assert not allowed and error.code in ("auction_too_short", "auction_too_long")
    else:
        assert allowed


@given(
    price=st.integers(min_value=1, max_value=10**13),
    increment=st.integers(min_value=1, max_value=10**12),
)
def test_accepted_amounts_always_lie_within_the_bounds(price: int, increment: int) -> None:
    try:
        check(starting_price=price, increment=increment)
    except DomainError as error:
        assert error.field in ("starting_price", "increment")
    else:
        assert price <= LIMITS.max_starting_price
        assert LIMITS.min_increment <= increment <= max(LIMITS.min_increment, price // 10)
