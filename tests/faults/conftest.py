"""Fault injection: real dependencies behind a `NodeRelay`, the app with short budgets.

Budgets are production's (search 300 ms on a page, 1 s in the API); breakers open
after two failures and cool down for one second, so a whole outage and its
recovery fit in a test of a few seconds.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from search.backend import SearchBackend
from tests.conftest import breakers_of
from tests.faults.relay import NodeRelay
from tests.search_primary import elasticsearch_primary

COOLDOWN = 1.0
SETTINGS = {
    "SEARCH_BUDGET_PAGE_MS": 300,
    "SEARCH_BUDGET_API_MS": 1000,
    "HEALTH_BUDGET_MS": 1000,
    "BREAKER_FAILURES": 2,
    "BREAKER_WINDOW_SECONDS": 30.0,
    "BREAKER_COOLDOWN_SECONDS": COOLDOWN,
    "STRIPE_TIMEOUT_SECONDS": 0.3,
}
SLACK = 0.1  # what a request may take beyond its budget


def service_url(name: str) -> str:
    """A running service's URL (env `name`); skip on a workstation, fail in CI, without one."""
    url = os.environ.get(name, "").split(",")[0].strip()
    if not url:
        message = f"{name} is not set: run `make test` (it starts the services)"
        if os.environ.get("CI", "").strip().lower() in ("1", "true", "yes"):
            pytest.fail(f"CI: the fault tests need the services. {message}")
        pytest.skip(message)
    return url


@pytest.fixture
def fault_settings(app: Flask, db_session: object) -> Iterator[dict[str, Any]]:
    """The app with production budgets and quick breakers, for this test."""
    saved = {name: app.config.get(name) for name in SETTINGS}
    app.config.update(SETTINGS)
    breakers_of(app).reset()
    try:
        yield SETTINGS
    finally:
        app.config.update(saved)
        breakers_of(app).reset()


@pytest.fixture
def es_relay() -> Iterator[NodeRelay]:
    relay = NodeRelay(service_url("ELASTICSEARCH_URL"), default_port=9200)
    relay.up()
    yield relay
    relay.heal()
    relay.down()


@pytest.fixture
def search_behind(
    app: Flask, es_relay: NodeRelay, tmp_path: Path, fault_settings: object
) -> Iterator[tuple[SearchBackend, SearchBackend]]:
    """The app as with SEARCH_BACKEND=elasticsearch, its node behind `es_relay` (production's
    client: 5 s timeout, budgets per request)."""
    with elasticsearch_primary(app, es_relay.url, tmp_path) as backends:
        try:
            yield backends
        finally:
            es_relay.heal()


def timed(call: Callable[[], Any]) -> tuple[Any, float]:
    """What `call` returned and how many seconds it took."""
    started = time.perf_counter()
    value = call()
    return value, time.perf_counter() - started
