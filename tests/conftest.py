"""Fixtures: one app per test session on SQLite or PostgreSQL, a rollback per test, a clock."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from flask_migrate import upgrade
from flask_sqlalchemy.session import Session
from hypothesis import settings
from sqlalchemy import text

from auctions import bid_memory
from core.breaker import EXTENSION_KEY as BREAKERS
from core.breaker import Breakers
from core.extensions import db, limiter
from marketplace import create_app

# Property tests state what holds, not how fast: a per-example deadline only turns a
# busy CI machine into a flaky failure (speed is measured by bench/, not by tests).
settings.register_profile("market", deadline=None)
settings.load_profile("market")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Browser tests run last, after the (shuffled) rest.

    Their live server runs in threads of this process and shares `db` with the
    other tests: an auction room's event stream still open when a browser test
    ends would otherwise run its polls through the next test's `db_session` (the
    fixture swaps the global `db.session`). A stable sort keeps pytest-randomly's
    order within each group.
    """
    items.sort(key=lambda item: item.nodeid.startswith("tests/e2e/"))


@dataclass
class FrozenClock:
    """A clock the test moves by hand."""

    current: datetime

    def __call__(self) -> datetime:
        return self.current

    def advance(self, **delta: float) -> datetime:
        self.current += timedelta(**delta)
        return self.current


class _ConnectionBoundSession(Session):
    """Every statement goes through the test's connection, whatever the model's bind."""

    def get_bind(self, *args: object, **kwargs: object):  # type: ignore[override]
        return self.bind


def database_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    """TEST_DATABASE_URL (PostgreSQL in `make test`) or a fresh SQLite file."""
    return (
        os.environ.get("TEST_DATABASE_URL")
        or f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"
    )


@pytest.fixture(scope="session")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    """The app with a database built by the migrations (so they are exercised on every run)."""
    work = tmp_path_factory.mktemp("instance")
    url = database_url(tmp_path_factory)
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": url,
            "SEARCH_INDEX_PATH": str(work / "search.db"),
            "UPLOAD_FOLDER": str(work / "uploads"),
            "MAX_EVIDENCE_BYTES": 200_000,
        }
    )
    with app.app_context():
        if url.startswith("postgresql"):
            with db.engine.begin() as connection:
                connection.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
        upgrade()
        db.session.remove()
    yield app


@pytest.fixture
def clock(app: Flask) -> Iterator[FrozenClock]:
    """The app's clock, frozen at a known moment."""
    frozen = FrozenClock(datetime(2026, 3, 2, 1, 30, tzinfo=UTC))
    app.extensions["clock"] = frozen
    yield frozen
    app.extensions.pop("clock", None)


def breakers_of(app: Flask) -> Breakers:
    """The app's circuit breakers (every test starts with them closed)."""
    found: Breakers = app.extensions[BREAKERS]
    return found


@pytest.fixture
def db_session(app: Flask, clock: FrozenClock) -> Iterator[object]:
    """A test inside one outer transaction, rolled back at the end; commits become savepoints.

    Sign-in counters (rate limits, lockouts) start empty: every test signs in from 127.0.0.1.
    """
    limiter.reset()
    breakers_of(app).reset()
    bid_memory.reset(app)
    with app.app_context():
        connection = db.engine.connect()
        outer = connection.begin()
        original = db.session
        db.session = db._make_scoped_session(
            {
                "bind": connection,
                "join_transaction_mode": "create_savepoint",
                "class_": _ConnectionBoundSession,
            }
        )
        try:
            yield db.session
        finally:
            db.session.remove()
            db.session = original
            outer.rollback()
            connection.close()


@pytest.fixture
def client(app: Flask, db_session: object) -> FlaskClient:
    """A browser-like client sharing the test's transaction."""
    return app.test_client()


@pytest.fixture
def upload_folder(app: Flask) -> Path:
    """Where evidence files go in this test session."""
    return Path(app.config["UPLOAD_FOLDER"]) / "evidence"


@pytest.fixture
def queued_jobs(app: Flask) -> Iterator[object]:
    """Jobs wait in the queue instead of running at once: for tests of what is left pending."""
    huey = app.extensions["jobs"].huey
    huey.immediate = False
    try:
        yield huey
    finally:
        huey.flush()
        huey.immediate = True
