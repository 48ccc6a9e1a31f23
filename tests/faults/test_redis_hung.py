"""Redis frozen behind a relay: sign-in fails closed within its budget (503, never an
unthrottled sign-in), reads go on, and sign-in comes back by itself after a cool-down."""

from __future__ import annotations

import time
from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest
from flask import Flask
from flask.testing import FlaskClient
from limits.storage import Storage, storage_from_string

from accounts import views as account_views
from accounts.throttle import SignInThrottle
from tests import factories
from tests.faults.conftest import COOLDOWN, SLACK, service_url, timed
from tests.faults.relay import NodeRelay

TIMEOUT = 0.3  # REDIS_TIMEOUT_SECONDS here


@pytest.fixture
def redis_relay(
    app: Flask, fault_settings: object, monkeypatch: pytest.MonkeyPatch
) -> Iterator[NodeRelay]:
    """Sign-in's lockout counts in a real Redis, reached through a relay."""
    target = service_url("REDIS_TEST_URL")
    relay = NodeRelay(target, default_port=6379)
    relay.up()
    parts = urlsplit(target)
    url = parts._replace(
        netloc=f"{parts.netloc.rsplit('@', 1)[0] + '@' if '@' in parts.netloc else ''}127.0.0.1:{relay.port}"
    ).geturl()
    options = {**app.config["RATELIMIT_STORAGE_OPTIONS"], "socket_timeout": TIMEOUT}
    storage: Storage = storage_from_string(url, **{**options, "socket_connect_timeout": TIMEOUT})
    monkeypatch.setattr(
        account_views, "sign_in_throttle", lambda: SignInThrottle.from_config(storage, app.config)
    )
    yield relay
    relay.heal()
    relay.down()


def test_redis_hung_sign_in_fails_closed_within_budget_and_recovers(
    client: FlaskClient, clock, redis_relay: NodeRelay
) -> None:
    user = factories.seller(clock())
    form = {"email": user.email, "password": factories.PASSWORD}
    assert client.get("/signin").status_code == 200  # warm: the page's templates compiled
    redis_relay.hang()
    costs = []
    for _ in range(3):  # two wait for Redis's timeout and open the breaker; the third not
        answer, took = timed(lambda: client.post("/signin", data=form))
        assert answer.status_code == 503, answer.status_code
        assert "登录服务暂时不可用" in answer.get_data(as_text=True)
        costs.append(took)
    # What Redis cost each sign-in: its time less the page's own work (the third's).
    assert all(took - costs[-1] < TIMEOUT + SLACK for took in costs), f"sign-ins {costs} s"
    assert costs[-1] < TIMEOUT, f"with the breaker open a sign-in still took {costs[-1]:.3f} s"
    assert client.get("/healthz").get_json()["breakers"]["redis"] == "open"
    assert client.get("/").status_code == 200  # reading the market needs no Redis

    redis_relay.heal()
    time.sleep(COOLDOWN)
    assert client.post("/signin", data=form).status_code == 302
    assert client.get("/healthz").get_json()["breakers"]["redis"] == "closed"
