"""Two application nodes (gunicorn, two ports) on one PostgreSQL and one Redis: a bid placed
through node A reaches an auction room open on node B within a second.

Needs PostgreSQL (CLUSTER_DATABASE_URL, else a PostgreSQL TEST_DATABASE_URL: a database
of its own is created on that server and dropped afterwards) and Redis (REDIS_TEST_URL);
skipped without them, failed without them in CI (CI=true).
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import threading
import time
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import psycopg
import pytest
import requests
from sqlalchemy.engine import make_url

from tests import factories
from tests.integration.auctions.conftest import START, make_market

ROOT = Path(__file__).resolve().parents[2]
DELIVERY_SECONDS = 1.0


def _needed(name: str, value: str | None) -> str:
    if not value:
        if os.environ.get("CI"):
            pytest.fail(f"{name} is not set: CI runs the cluster test")
        pytest.skip(f"{name} is not set")
    return value


@pytest.fixture(scope="module")
def cluster_database() -> Iterator[str]:
    """A fresh database on the test PostgreSQL server, dropped at the end."""
    given = os.environ.get("CLUSTER_DATABASE_URL") or os.environ.get("TEST_DATABASE_URL")
    if given and not given.startswith("postgresql"):
        given = None
    url = make_url(_needed("CLUSTER_DATABASE_URL (PostgreSQL)", given))
    name = f"market_cluster_{uuid.uuid4().hex[:8]}"
    admin = url.set(drivername="postgresql", database="postgres").render_as_string(False)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield url.set(database=name).render_as_string(hide_password=False)
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _node(url: str, redis: str, work: Path, queue: str) -> tuple[subprocess.Popen, str]:
    port = _free_port()
    env = {
        **os.environ,
        "APP_ENV": "production",
        "SECRET_KEY": "cluster-test",
        "DATABASE_URL": url,
        "REDIS_URL": redis,
        "JOBS_QUEUE_NAME": queue,
        "RATELIMIT_KEY_PREFIX": queue,
        "INSTANCE_PATH": str(work / f"instance-{port}"),
        "SEARCH_INDEX_PATH": str(work / f"search-{port}.db"),
        "UPLOAD_FOLDER": str(work / "uploads"),
    }
    command = [str(ROOT / ".venv/bin/gunicorn"), "-k", "gthread", "--threads", "8"]
    command += ["-b", f"127.0.0.1:{port}", "--log-level", "warning", "wsgi:app"]
    process = subprocess.Popen(command, cwd=ROOT, env=env, start_new_session=True)
    return process, f"http://127.0.0.1:{port}"


def _wait_up(base: str, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + 45
    while time.monotonic() < deadline:
        assert process.poll() is None, f"the node at {base} exited"
        try:
            if requests.get(f"{base}/api/v1/openapi.json", timeout=5).status_code == 200:
                return
        except requests.RequestException:
            time.sleep(0.2)
    raise AssertionError(f"the node at {base} did not start")


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)


def _seed(url: str, work: Path) -> tuple[int, str]:
    """Migrate; a running auction and a bidder with a held deposit and an API token."""
    from flask_migrate import upgrade

    from core.extensions import db
    from marketplace import create_app

    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": url,
            "SEARCH_INDEX_PATH": str(work / "seed-search.db"),
            "UPLOAD_FOLDER": str(work / "uploads"),
        }
    )
    with app.app_context():
        upgrade()
        now = datetime.now(UTC)
        market = make_market(now, work / "uploads" / "evidence")
        token = factories.api_token(market.bidder(), "cluster", now=now)
        auction_id = market.auction.id
        db.session.remove()
        db.engine.dispose()
    return auction_id, token


def _room_events(base: str, auction_id: int, seen: list[tuple[float, dict]]) -> Iterator[None]:
    """Read the room's snapshots on node B into `seen` (a thread), yielding once it is open."""
    response = requests.get(f"{base}/auctions/{auction_id}/events", stream=True, timeout=30)
    opened = threading.Event()

    def read() -> None:
        buffer = ""
        try:
            for chunk in response.iter_content(chunk_size=None, decode_unicode=True):
                buffer += chunk
                while "\n\n" in buffer:
                    block, buffer = buffer.split("\n\n", 1)
                    if "event: snapshot" in block:
                        seen.append((time.monotonic(), json.loads(block.split("data: ", 1)[1])))
                        opened.set()
        except (requests.RequestException, AttributeError, ValueError):
            return  # the test closed the stream

    thread = threading.Thread(target=read, daemon=True)
    thread.start()
    assert opened.wait(20), "the room on node B sent no first snapshot"
    try:
        yield
    finally:
        response.close()


def test_a_bid_on_node_a_reaches_a_room_open_on_node_b(
    cluster_database: str, tmp_path: Path
) -> None:
    redis = _needed("REDIS_TEST_URL", os.environ.get("REDIS_TEST_URL"))
    queue = f"cluster-{uuid.uuid4().hex[:8]}"
    node_a, base_a = _node(cluster_database, redis, tmp_path, queue)
    node_b, base_b = _node(cluster_database, redis, tmp_path, queue)
    try:
        auction_id, token = _seed(cluster_database, tmp_path)
        _wait_up(base_a, node_a)
        _wait_up(base_b, node_b)
        bids_url = f"{base_a}/api/v1/auctions/{auction_id}/bids"
        bearer = {"Authorization": f"Bearer {token}"}
        # A refused bid first: node A's worker has made its connections and first imports.
        low = requests.post(bids_url, json={"amount_minor": START - 1}, headers=bearer, timeout=30)
        assert low.status_code in (409, 422), low.text
        seen: list[tuple[float, dict]] = []
        room = _room_events(base_b, auction_id, seen)
        next(room)
        assert seen[0][1]["bid_count"] == 0
        placed = time.monotonic()
        answer = requests.post(bids_url, json={"amount_minor": START}, headers=bearer, timeout=30)
        assert answer.status_code == 201, answer.text
        deadline = placed + 5
        while time.monotonic() < deadline and not any(s["bid_count"] == 1 for _, s in seen):
            time.sleep(0.02)
        next(room, None)
        [(arrived, snapshot)] = [(t, s) for t, s in seen if s["bid_count"] == 1]
        assert snapshot["current_price_minor"] == START and snapshot["leader_number"]
        assert arrived - placed < DELIVERY_SECONDS, f"took {arrived - placed:.2f} s"
    finally:
        _stop(node_a)
        _stop(node_b)
