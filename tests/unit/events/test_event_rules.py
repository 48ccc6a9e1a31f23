"""Roadshow rules: what an event needs to be held, when registration closes, the reminder."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.domain import PermissionDenied, ValidationFailed
from events.rules import (
    EventFormat,
    EventRuleBroken,
    Schedule,
    check_may_register,
    check_may_show_interest,
    check_schedule,
    reminder_due,
)

NOW = datetime(2026, 3, 2, 1, 30, tzinfo=UTC)
START = NOW + timedelta(days=3)


def _plan(format: EventFormat, venue: str = "", stream: str = "") -> Schedule:
    return Schedule(format, START, START + timedelta(hours=2), 50, venue, stream)


def test_each_format_needs_its_place() -> None:
    check_schedule(_plan(EventFormat.ONLINE, stream="https://live.example.com/x"), NOW)
    check_schedule(_plan(EventFormat.OFFLINE, venue="一号厅"), NOW)
    with pytest.raises(ValidationFailed) as online:
        check_schedule(_plan(EventFormat.ONLINE, stream="javascript:alert(1)"), NOW)
    assert online.value.field == "stream_url"
    with pytest.raises(ValidationFailed) as hybrid:
        check_schedule(_plan(EventFormat.HYBRID, stream="https://live.example.com/x"), NOW)
    assert hybrid.value.field == "venue"


def test_an_event_is_scheduled_ahead_and_lasts_at_most_a_week() -> None:
    late = Schedule(EventFormat.OFFLINE, NOW, NOW + timedelta(hours=1), 5, "厅", "")
    with pytest.raises(ValidationFailed):
        check_schedule(late, NOW)
    long = Schedule(EventFormat.OFFLINE, START, START + timedelta(days=8), 5, "厅", "")
    with pytest.raises(ValidationFailed):
        check_schedule(long, NOW)


def test_registration_closes_at_the_start_at_the_limit_and_on_cancellation() -> None:
    check_may_register(starts_at=START, cancelled=False, taken=49, capacity=50, now=NOW)
    for kwargs, code in (
        ({"taken": 50}, "event_full"),
        ({"now": START}, "started"),
        ({"cancelled": True}, "event_cancelled"),
    ):
        args = {"starts_at": START, "cancelled": False, "taken": 0, "capacity": 50, "now": NOW}
        with pytest.raises(EventRuleBroken) as refused:
            check_may_register(**(args | kwargs))  # type: ignore[arg-type]
        assert refused.value.code == code


def test_interest_is_for_participants_from_the_start() -> None:
    check_may_show_interest(starts_at=START, registered=True, now=START)
    with pytest.raises(EventRuleBroken):
        check_may_show_interest(starts_at=START, registered=True, now=NOW)
    with pytest.raises(PermissionDenied):
        check_may_show_interest(starts_at=START, registered=False, now=START)


@given(st.integers(min_value=-72 * 60, max_value=72 * 60))
def test_the_reminder_is_due_only_within_the_day_before_and_only_once(minutes: int) -> None:
    now = START - timedelta(minutes=minutes)
    due = reminder_due(START, False, False, now)
    assert due == (0 < minutes <= 24 * 60)
    assert not reminder_due(START, True, False, now)
    assert not reminder_due(START, False, True, now)
