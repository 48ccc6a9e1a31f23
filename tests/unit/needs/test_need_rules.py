"""Pure rules of technology needs: states, who posts, what a need must say."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.domain import PermissionDenied, ValidationFailed
from listings.need_rules import (
    NeedAction,
    NeedInput,
    NeedNotAllowed,
    NeedStatus,
    check_budget,
    check_can_post,
    clean_need,
    is_current,
    market_today,
    next_need_status,
    normalise_ipc,
)

TODAY = date(2026, 3, 2)


def _input(**changes: object) -> NeedInput:
    values: dict[str, object] = {
        "title": "  寻求  储能技术 ",
        "problem": "储能电站需要热失控预警，误报率低。",
        "field": "energy",
        "region": " 上海市 ",
        "transfer_modes": ("assignment", "assignment", "equity"),
    }
    values.update(changes)
    return NeedInput(**values)  # type: ignore[arg-type]


def test_only_open_needs_close_or_withdraw() -> None:
    assert next_need_status(NeedStatus.OPEN, NeedAction.CLOSE) == NeedStatus.CLOSED
    assert next_need_status(NeedStatus.OPEN, NeedAction.WITHDRAW) == NeedStatus.WITHDRAWN
    for status in (NeedStatus.CLOSED, NeedStatus.WITHDRAWN):
        for action in NeedAction:
            with pytest.raises(NeedNotAllowed) as refused:
                next_need_status(status, action)
            assert refused.value.code == "need_not_open"


def test_only_verified_enterprises_post() -> None:
    check_can_post(is_enterprise=True, is_verified=True)
    with pytest.raises(PermissionDenied, match="enterprises"):
        check_can_post(is_enterprise=False, is_verified=True)
    with pytest.raises(PermissionDenied, match="verified"):
        check_can_post(is_enterprise=True, is_verified=False)


@pytest.mark.parametrize(
    ("typed", "stored"),
    [("h01m", "H01M"), ("H01M 4/525", "H01M 4/525"), ("g06f16 / 35", "G06F 16/35"),
     (" A61K  39/395 ", "A61K 39/395")],
)  # fmt: skip
def test_ipc_symbols_are_normalised(typed: str, stored: str) -> None:
    assert normalise_ipc(typed) == stored


@pytest.mark.parametrize("typed", ["", "battery", "Z01M", "H1M", "H01M 4"])
def test_what_is_not_an_ipc_symbol_is_refused_on_its_field(typed: str) -> None:
    with pytest.raises(ValidationFailed) as refused:
        normalise_ipc(typed)
    assert refused.value.field == "ipc_classes"


def test_clean_need_trims_and_deduplicates() -> None:
    clean = clean_need(_input(ipc_classes=("h01m", "H01M", " ")), TODAY)
    assert clean.title == "寻求 储能技术" and clean.region == "上海市"
    assert clean.transfer_modes == ("assignment", "equity")
    assert clean.ipc_classes == ("H01M",)


def test_a_deadline_today_is_fine_yesterday_is_not() -> None:
    assert clean_need(_input(deadline=TODAY), TODAY).deadline == TODAY
    with pytest.raises(ValidationFailed) as refused:
        clean_need(_input(deadline=date(2026, 3, 1)), TODAY)
    assert refused.value.field == "deadline"


def test_deadlines_are_market_days_in_shanghai() -> None:
    assert market_today(datetime(2026, 3, 1, 17, 0, tzinfo=UTC)) == date(2026, 3, 2)
    assert market_today(datetime(2026, 3, 1, 15, 0, tzinfo=UTC)) == date(2026, 3, 1)


def test_expired_or_closed_needs_are_not_current() -> None:
    assert is_current(NeedStatus.OPEN, None, TODAY)
    assert is_current(NeedStatus.OPEN, TODAY, TODAY)
    assert not is_current(NeedStatus.OPEN, date(2026, 3, 1), TODAY)
    assert not is_current(NeedStatus.CLOSED, None, TODAY)


@given(st.one_of(st.none(), st.integers(-10, 10**9)), st.one_of(st.none(), st.integers(-10, 10**9)))
def test_a_budget_is_accepted_exactly_when_positive_and_ordered(low, high) -> None:
    ok = all(v is None or v > 0 for v in (low, high)) and (
        low is None or high is None or low <= high
    )
    try:
        check_budget(low, high)
    except ValidationFailed:
        assert not ok
    else:
        assert ok
