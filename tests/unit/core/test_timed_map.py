"""A worker's short memory: entries expire, the oldest go first, an update keeps the expiry."""

from __future__ import annotations

import pytest

from core import timed_map
from core.timed_map import TimedMap


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    moment = [100.0]
    monkeypatch.setattr(timed_map.time, "monotonic", lambda: moment[0])
    return moment


def test_an_entry_is_kept_for_its_seconds_and_no_longer(clock: list[float]) -> None:
    kept: TimedMap[str, int] = TimedMap(seconds=5, most=10)
    kept.put("a", 1)
    clock[0] += 4.9
    assert kept.get("a") == 1
    clock[0] += 0.2
    assert kept.get("a") is None


def test_an_update_changes_the_value_not_the_expiry(clock: list[float]) -> None:
    kept: TimedMap[str, int] = TimedMap(seconds=5, most=10)
    kept.put("a", 1)
    clock[0] += 4
    kept.update("a", 2)
    kept.update("b", 3)  # not kept: nothing to update
    assert (kept.get("a"), kept.get("b")) == (2, None)
    clock[0] += 1.5
    assert kept.get("a") is None


def test_the_least_recently_put_go_first(clock: list[float]) -> None:
    kept: TimedMap[str, int] = TimedMap(seconds=5, most=2)
    kept.put("a", 1)
    kept.put("b", 2)
    kept.put("a", 3)  # put again: now the most recent
    kept.put("c", 4)
    assert [kept.get(k) for k in "abc"] == [3, None, 4]
    kept.pop("a")
    kept.clear()
    assert kept.get("c") is None
