"""The lockout works the same on each storage Flask-Limiter may use: memory and Redis."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from limits.storage import Storage, storage_from_string

from accounts.lockout_rules import LockoutPolicy, SignInLocked
from accounts.throttle import SignInThrottle

NOW = datetime(2026, 3, 2, 1, 30, tzinfo=UTC)
POLICY = LockoutPolicy(
    free_failures=2, first_lock=timedelta(minutes=1), max_lock=timedelta(hours=1)
)


@pytest.fixture(params=["memory", "redis"])
def storage(request: pytest.FixtureRequest) -> Iterator[Storage]:
    if request.param == "memory":
        yield storage_from_string("memory://")
        return
    url = os.environ.get("REDIS_TEST_URL", "").strip()
    if not url:
        pytest.skip("REDIS_TEST_URL is not set: start Redis with `devservices/redis.sh start`")
    redis = storage_from_string(url, key_prefix=f"test-signin-{uuid.uuid4().hex}")
    yield redis
    redis.reset()  # only this test's keys (its own prefix)


def test_a_lock_starts_at_the_threshold_holds_from_any_address_and_ends(storage: Storage) -> None:
    throttle = SignInThrottle(storage, account=POLICY, address=POLICY, memory=timedelta(hours=1))
    with pytest.raises(SignInLocked) as first:
        for _ in range(2):
            throttle.failed("tto@example.edu.cn", "192.0.2.1", now=NOW)
    assert first.value.retry_after == 60
    with pytest.raises(SignInLocked) as later:
        throttle.check("TTO@example.edu.cn", "198.51.100.1", now=NOW + timedelta(seconds=45))
    assert later.value.retry_after == 15
    throttle.check("tto@example.edu.cn", "198.51.100.1", now=NOW + timedelta(seconds=60))
    throttle.succeeded("tto@example.edu.cn")
    throttle.failed("tto@example.edu.cn", "198.51.100.1", now=NOW + timedelta(seconds=61))
