"""A live server on a free port with its own database, and Debian's Chromium driven by Playwright."""

from __future__ import annotations

import os
import shutil
import socket
import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from flask import Flask
from flask_migrate import upgrade
from playwright.sync_api import Browser, ConsoleMessage, Page, sync_playwright
from werkzeug.serving import make_server

from core.extensions import db
from core.uow import unit_of_work
from marketplace import create_app
from tests.conftest import FrozenClock, breakers_of

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="session")
def live_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Flask, str]]:
    """The whole app served by a real HTTP server in a thread (CSRF on, as in production)."""
    work = tmp_path_factory.mktemp("e2e")
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{work / 'e2e.db'}",
            "SEARCH_INDEX_PATH": str(work / "search.db"),
            "UPLOAD_FOLDER": str(work / "uploads"),
            "WTF_CSRF_ENABLED": True,
            # The walks move the market's clock by weeks while people stay signed in; the
            # sessions' absolute lifetime is checked in tests/integration/accounts.
            "SESSION_ABSOLUTE_LIFETIME_HOURS": 24 * 365,
        }
    )
    with app.app_context():
        upgrade()
    port = _free_port()
    server = make_server("127.0.0.1", port, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield app, f"http://127.0.0.1:{port}"
    server.shutdown()
    with app.app_context():
        db.engine.dispose()


@pytest.fixture(autouse=True)
def _server_settled(request: pytest.FixtureRequest) -> None:
    """A walk starts once the shared server's writers of the walk before have finished.

    The walks write set-up rows from the test's own thread; SQLite refuses at once (no
    busy wait) a transaction that read and then writes while another connection holds
    the write lock, e.g. the server's job thread still telling the last walk's bids.
    A unit of work that takes the write lock first waits (busy timeout) for them.
    """
    if "live_app" not in request.fixturenames:
        return
    app, _ = request.getfixturevalue("live_app")
    breakers_of(app).reset()  # a walk starts with every dependency trusted again
    with app.app_context():
        with unit_of_work(writer=True):
            pass
        db.session.remove()


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """Debian's chromium; the suite fails (never skips) when it is missing."""
    executable = shutil.which("chromium") or "/usr/bin/chromium"
    assert Path(executable).exists(), "chromium is not installed: run devservices/browser.sh"
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def new_page(browser: Browser) -> Iterator:
    """Pages in fresh contexts (one per person), Chinese first like our users.

    Every walk is also a check of the Content-Security-Policy: a script or style the
    policy blocked (Chromium reports it on the console) fails the test.
    """
    contexts = []
    violations: list[str] = []

    def make(locale: str = "zh-CN") -> Page:
        context = browser.new_context(locale=locale, viewport={"width": 1280, "height": 900})
        context.on("console", lambda message: _note_violation(message, violations))
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()
    assert violations == [], "blocked by the Content-Security-Policy"


def _note_violation(message: ConsoleMessage, violations: list[str]) -> None:
    if "Content Security Policy" in message.text:
        violations.append(f"{message.page.url if message.page else ''}: {message.text}")


@pytest.fixture
def screenshot_dir() -> Path | None:
    """Set E2E_SCREENSHOTS=folder to keep screenshots of the walk (used for the README)."""
    folder = os.environ.get("E2E_SCREENSHOTS")
    if not folder:
        return None
    path = Path(folder)
    path.mkdir(parents=True, exist_ok=True)
    return path


@pytest.fixture
def market_clock(live_app: tuple[Flask, str]) -> Iterator[FrozenClock]:
    """The live app's clock, frozen on a Monday morning in Shanghai; the system clock after."""
    app, _ = live_app
    frozen = FrozenClock(datetime(2026, 3, 2, 1, 30, tzinfo=UTC))
    previous = app.extensions.get("clock")
    app.extensions["clock"] = frozen
    yield frozen
    if previous is None:
        app.extensions.pop("clock", None)
    else:
        app.extensions["clock"] = previous
