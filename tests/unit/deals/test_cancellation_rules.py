"""Pure rules of ending a deal early: who may answer what, rulings, the signing deadline."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.domain import DomainError, PermissionDenied
from core.workdays import WorkCalendar
from deals.cancellation_rules import (
    Answer,
    CancellationKind,
    CancellationStatus,
    Side,
    check_answer,
    check_open,
    check_ruling,
    has_lapsed,
    side_of,
    signing_deadline,
)
from deals.rules import DealStatus

AGREEMENT, RULING = CancellationKind.AGREEMENT, CancellationKind.RULING
PENDING = CancellationStatus.PENDING
CALENDAR = WorkCalendar()
CALENDAR_ZONE = ZoneInfo(CALENDAR.timezone)


def test_sides_are_the_seller_and_the_buyer_and_no_one_else() -> None:
    assert side_of(1, 1, 2) == Side.SELLER and side_of(2, 1, 2) == Side.BUYER
    assert side_of(3, 1, 2) is None and side_of(None, 1, None) is None


def test_the_party_that_proposes_cannot_confirm_its_own_proposal() -> None:
    with pytest.raises(PermissionDenied):
        check_answer(AGREEMENT, PENDING, Side.BUYER, Side.BUYER, Answer.AGREE)
    check_answer(AGREEMENT, PENDING, Side.BUYER, Side.SELLER, Answer.AGREE)
    check_answer(AGREEMENT, PENDING, Side.BUYER, Side.BUYER, Answer.WITHDRAW)
    with pytest.raises(PermissionDenied):
        check_answer(AGREEMENT, PENDING, Side.BUYER, Side.SELLER, Answer.WITHDRAW)
    with pytest.raises(PermissionDenied):
        check_answer(AGREEMENT, PENDING, Side.BUYER, None, Answer.DECLINE)


def test_a_request_for_a_ruling_is_not_answered_by_the_parties() -> None:
    with pytest.raises(DomainError) as refused:
        check_answer(RULING, PENDING, Side.SELLER, Side.BUYER, Answer.AGREE)
    assert refused.value.code == "awaits_ruling"
    check_answer(RULING, PENDING, Side.SELLER, Side.SELLER, Answer.WITHDRAW)


def test_nothing_closed_is_answered_or_ruled_again() -> None:
    for status in set(CancellationStatus) - {PENDING}:
        with pytest.raises(DomainError):
            check_answer(AGREEMENT, status, Side.BUYER, Side.SELLER, Answer.AGREE)
        with pytest.raises(DomainError):
            check_ruling(RULING, status, upheld=False, at_fault=None)


def test_upholding_names_the_party_at_fault_and_proposals_are_not_ruled() -> None:
    with pytest.raises(DomainError) as unnamed:
        check_ruling(RULING, PENDING, upheld=True, at_fault=None)
    assert unnamed.value.field == "at_fault"
    check_ruling(RULING, PENDING, upheld=True, at_fault=Side.BUYER)
    check_ruling(RULING, PENDING, upheld=False, at_fault=None)
    with pytest.raises(DomainError):
        check_ruling(AGREEMENT, PENDING, upheld=True, at_fault=Side.BUYER)


def test_a_closed_deal_or_a_pending_one_opens_no_new_cancellation() -> None:
    check_open(DealStatus.SIGNED, pending=False)
    for status in (DealStatus.CANCELLED, DealStatus.COMPLETED):
        with pytest.raises(DomainError):
            check_open(status, pending=False)
    with pytest.raises(DomainError) as pending:
        check_open(DealStatus.AWAITING_SIGNATURE, pending=True)
    assert pending.value.code == "cancellation_pending"


@given(
    start=st.datetimes(
        min_value=datetime(2026, 1, 1), max_value=datetime(2027, 12, 31), timezones=st.just(UTC)
    ),
    days=st.integers(min_value=1, max_value=20),
)
def test_the_winner_always_has_at_least_the_working_days_and_lapses_only_after(
    start: datetime, days: int
) -> None:
    deadline = signing_deadline(start, CALENDAR, days)
    assert deadline - start >= timedelta(days=days), "working days are never fewer than days"
    assert CALENDAR.is_working_day(deadline.astimezone(CALENDAR_ZONE).date())
    lapse = {"calendar": CALENDAR, "working_days": days, "pending": False}
    before = deadline - timedelta(seconds=1)
    assert not has_lapsed(DealStatus.AWAITING_SIGNATURE, start, before, **lapse)
    assert has_lapsed(DealStatus.AWAITING_SIGNATURE, start, deadline, **lapse)
    assert not has_lapsed(DealStatus.SIGNED, start, deadline, **lapse)
    assert not has_lapsed(
        DealStatus.AWAITING_SIGNATURE, start, deadline, calendar=CALENDAR, working_days=days,
        pending=True,
    )  # fmt: skip
