"""The circuit breaker's rules (core.breaker): a state machine on an injected clock."""

from __future__ import annotations

import logging
import time

from hypothesis import given, settings
from hypothesis import strategies as st

from core.breaker import Breaker, Breakers, Policy, State, policy_of, remaining, within


class Clock:
    def __init__(self) -> None:
        self.t = 1000.0

    def __call__(self) -> float:
        return self.t


def make(failures: int = 3, window: float = 10.0, cooldown: float = 5.0) -> tuple[Breaker, Clock]:
    clock = Clock()
    return Breaker("dep", Policy(failures, window, cooldown), clock), clock


def test_opens_after_n_failures_within_the_window_only() -> None:
    gate, clock = make()
    gate.failure()
    clock.t += 11  # the first one leaves the window
    gate.failure()
    gate.failure()
    assert gate.state is State.CLOSED and gate.allow()
    gate.failure()
    assert gate.state is State.OPEN and gate.trips == 1
    assert not gate.allow()


def test_a_success_forgets_the_failures() -> None:
    gate, _ = make()
    gate.failure()
    gate.failure()
    gate.success()
    gate.failure()
    gate.failure()
    assert gate.state is State.CLOSED


def test_one_trial_after_the_cooldown_decides(caplog, monkeypatch) -> None:
    logger = logging.getLogger("core.breaker")
    monkeypatch.setattr(logger, "disabled", False)  # alembic's fileConfig disables it in tests
    caplog.set_level(logging.WARNING, logger="core.breaker")
    gate, clock = make(failures=1)
    gate.failure()
    assert "breaker dep opened" in caplog.text
    clock.t += 4.9
    assert not gate.allow()
    clock.t += 0.1
    assert gate.state is State.HALF_OPEN
    assert gate.allow()  # the trial
    assert not gate.allow()  # everyone else still falls back meanwhile
    gate.failure()  # the trial failed: open for another cool-down, another trip
    assert gate.state is State.OPEN and gate.trips == 2
    clock.t += 5
    assert gate.allow()
    gate.success()
    assert gate.state is State.CLOSED and gate.allow() and gate.allow()
    assert "breaker dep closed" in caplog.text


def test_a_trial_that_never_reports_lets_another_try_after_a_cooldown() -> None:
    gate, clock = make(failures=1)
    gate.failure()
    clock.t += 5
    assert gate.allow()
    clock.t += 4
    assert not gate.allow()
    clock.t += 1
    assert gate.allow()


def test_late_failures_of_calls_begun_before_it_opened_do_not_extend_it() -> None:
    gate, clock = make(failures=1)
    gate.failure()
    clock.t += 3
    gate.failure()  # a call that started while closed
    clock.t += 2
    assert gate.state is State.HALF_OPEN and gate.trips == 1


def test_policy_per_dependency_overrides_the_default() -> None:
    config = {"BREAKER_FAILURES": 4, "BREAKER_COOLDOWN_SECONDS": 9, "BREAKER_STRIPE_FAILURES": 2}
    assert policy_of(config, "stripe") == Policy(failures=2, window=30.0, cooldown=9.0)
    assert policy_of(config, "search") == Policy(failures=4, window=30.0, cooldown=9.0)
    states = Breakers(config).states()
    assert states == {n: "closed" for n in ("search", "stripe", "smtp", "redis", "storage")}


def test_budgets_nest_and_only_shrink() -> None:
    assert remaining() is None
    with within(10):
        outer = remaining()
        assert outer is not None and 9 < outer <= 10
        with within(60):
            inner = remaining()
            assert inner is not None and inner <= outer
        with within(0.01):
            time.sleep(0.02)
            assert remaining() == 0.0
    assert remaining() is None


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.sampled_from(["allow", "success", "failure", "tick", "wait"]), min_size=1, max_size=60
    )
)
def test_properties_under_any_sequence(events: list[str]) -> None:
    """Open means no call gets through; half-open lets one trial through at a time; every
    opening counts one trip; a success always closes."""
    gate, clock = make(failures=3, window=10.0, cooldown=5.0)
    openings = 0
    for event in events:
        before = gate.state
        if event == "allow":
            allowed = gate.allow()
            if before is State.OPEN:
                assert not allowed
            if before is State.CLOSED:
                assert allowed
            if before is State.HALF_OPEN and allowed:
                assert not gate.allow()
        elif event == "success":
            gate.success()
            assert gate.state is State.CLOSED
        elif event == "failure":
            gate.failure()
        else:
            clock.t += 1.0 if event == "tick" else 5.0
        if before is not State.OPEN and gate.state is State.OPEN:
            openings += 1
    assert gate.trips == openings
