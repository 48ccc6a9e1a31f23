"""The announcement (拍卖公告) rules, without a database: examples and properties."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from auctions import term_rules
from core.domain import DomainError

T0 = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)
WEEK = timedelta(days=7)


def test_bidding_may_start_seven_days_after_publication_and_not_sooner() -> None:
    term_rules.check_announcement_period(T0 + WEEK, published_at=T0)
    with pytest.raises(DomainError) as caught:
        term_rules.check_announcement_period(T0 + WEEK - timedelta(minutes=1), published_at=T0)
    assert caught.value.code == "announcement_too_short"
    assert caught.value.field == "starts_at"


@given(
    days=st.integers(min_value=0, max_value=60),
    offset_minutes=st.integers(min_value=-90 * 24 * 60, max_value=90 * 24 * 60),
)
def test_a_start_is_accepted_exactly_when_the_announcement_period_has_run(
    days: int, offset_minutes: int
) -> None:
    period = timedelta(days=days)
    starts_at = T0 + timedelta(minutes=offset_minutes)
    allowed = starts_at >= T0 + period
    try:
        term_rules.check_announcement_period(starts_at, published_at=T0, period=period)
    except DomainError as error:
        assert not allowed and error.code == "announcement_too_short"
    else:
        assert allowed


def test_the_deposit_deadline_lies_between_publication_and_the_end() -> None:
    ends = T0 + WEEK + timedelta(days=2)
    term_rules.check_deposit_deadline(None, published_at=T0, ends_at=ends)
    term_rules.check_deposit_deadline(T0 + WEEK, published_at=T0, ends_at=ends)
    for deadline, code in (
        (T0, "deposit_deadline_too_early"),
        (ends + timedelta(seconds=1), "deposit_deadline_too_late"),
    ):
        with pytest.raises(DomainError) as caught:
            term_rules.check_deposit_deadline(deadline, published_at=T0, ends_at=ends)
        assert caught.value.code == code
        assert caught.value.field == "deposit_deadline"


@given(
    minutes=st.integers(min_value=-3 * 24 * 60, max_value=20 * 24 * 60),
    deadline_days=st.none() | st.integers(min_value=1, max_value=9),
)
def test_deposits_are_lodged_only_from_publication_until_the_deadline(
    minutes: int, deadline_days: int | None
) -> None:
    ends = T0 + timedelta(days=9)
    deadline = None if deadline_days is None else T0 + timedelta(days=deadline_days)
    now = T0 + timedelta(minutes=minutes)
    is_open = term_rules.deposits_open(published_at=T0, deadline=deadline, ends_at=ends, now=now)
    last = deadline if deadline is not None else ends
    assert is_open == (now >= T0 and (now <= last if deadline else now < last))


def test_no_deposit_before_the_announcement_is_published() -> None:
    assert not term_rules.deposits_open(published_at=None, deadline=None, ends_at=T0, now=T0)
