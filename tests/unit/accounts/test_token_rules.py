"""The rules of API tokens: bounded lifetime, and when a token stops opening the API."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from accounts.token_rules import TokenState, check_token_days, token_state
from core.domain import ValidationFailed

T0 = datetime(2026, 3, 2, tzinfo=UTC)


@given(days=st.integers(-1000, 1000), max_days=st.integers(1, 730))
def test_a_lifetime_is_accepted_exactly_from_one_day_to_the_maximum(
    days: int, max_days: int
) -> None:
    if 1 <= days <= max_days:
        check_token_days(days, max_days)
    else:
        with pytest.raises(ValidationFailed):
            check_token_days(days, max_days)


def test_a_token_expires_at_its_expiry_instant_and_revocation_wins() -> None:
    expiry = T0 + timedelta(days=1)
    assert token_state(None, expiry, expiry - timedelta(microseconds=1)) == TokenState.ACTIVE
    assert token_state(None, expiry, expiry) == TokenState.EXPIRED
    assert token_state(T0, expiry, T0) == TokenState.REVOKED
    assert token_state(T0, expiry, expiry + timedelta(days=1)) == TokenState.REVOKED
