"""Progressive lockout after failed sign-ins: when a lock starts and how long it lasts."""

from __future__ import annotations

from datetime import timedelta

from hypothesis import given
from hypothesis import strategies as st

from accounts.lockout_rules import LockoutPolicy, lock_duration

POLICY = LockoutPolicy(
    free_failures=5, first_lock=timedelta(minutes=1), max_lock=timedelta(hours=1)
)


def test_no_lock_before_the_fifth_failure() -> None:
    assert [lock_duration(n, POLICY) for n in range(5)] == [None] * 5


def test_the_fifth_failure_locks_for_the_first_period_and_each_further_one_doubles_it() -> None:
    assert [lock_duration(n, POLICY) for n in (5, 6, 7)] == [
        timedelta(minutes=1),
        timedelta(minutes=2),
        timedelta(minutes=4),
    ]


@given(st.integers(min_value=0, max_value=10_000))
def test_a_further_failure_never_shortens_the_lock_and_no_lock_exceeds_the_maximum(
    failures: int,
) -> None:
    this, following = lock_duration(failures, POLICY), lock_duration(failures + 1, POLICY)
    assert following is not None or this is None
    if this is not None:
        assert following is not None and this <= following <= POLICY.max_lock
