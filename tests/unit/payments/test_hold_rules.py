"""Rules of card holds: their deadline and when to capture them before it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from payments.hold_rules import capture_now, hold_deadline, lapsed

PAID = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)
NOTED = PAID + timedelta(minutes=3)


def test_stripes_deadline_wins() -> None:
    stated = int((PAID + timedelta(days=5)).timestamp())
    deadline = hold_deadline(
        capture_before=stated, charge_created=None, payment_created=PAID, hold_noted=NOTED
    )
    assert deadline == PAID + timedelta(days=5)


def test_without_it_a_hold_lasts_seven_days_from_the_authorisation() -> None:
    charged = int((PAID + timedelta(minutes=1)).timestamp())
    assert hold_deadline(
        capture_before=None, charge_created=charged, payment_created=PAID, hold_noted=NOTED
    ) == PAID + timedelta(minutes=1, days=7)
    # A charge time before our payment existed is not plausible: count from when we heard.
    assert hold_deadline(
        capture_before=None, charge_created=1_234_567_890, payment_created=PAID, hold_noted=NOTED
    ) == NOTED + timedelta(days=7)


@given(st.integers(min_value=-48 * 60, max_value=48 * 60))
def test_a_hold_is_captured_only_within_the_margin_before_it_lapses(minutes: int) -> None:
    now = PAID
    deadline = now + timedelta(minutes=minutes)
    due = capture_now(deadline, now, timedelta(hours=24))
    assert due == (0 < minutes <= 24 * 60)
    assert not (due and lapsed(deadline, now))
    assert not capture_now(None, now)
