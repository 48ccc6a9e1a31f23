"""The job runner with real worker processes, on a SQLite-file queue and on a real Redis.

What is due gets done by the workers alone (no page view, no cron): due auctions
close, each exactly once although two workers race for the jobs; the search events a
commit emitted are drained; a worker killed with SIGKILL loses nothing, because the
work to do lives in the database and the next run finds it.
"""

from __future__ import annotations

import os
import selectors
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import delete, func, select, update

from auctions import bidding
from auctions.models import Auction, AuctionStatus
from config import BASE_DIR
from core.audit_models import AuditEntry
from core.extensions import db
from core.jobs import JobLease, JobRunner, lease, make_huey
from core.outbox import OutboxEvent
from core.uow import unit_of_work
from deals.models import Deal

from .conftest import START, make_market

STARTED = datetime.now(UTC) - timedelta(days=3)  # so they ended before the workers start
WAIT_SECONDS = 120  # the work, once the workers are up (a loaded machine is slow)
READY_SECONDS = 300  # a worker's start-up: importing the app takes long under load


@pytest.fixture(params=["sqlite", "redis"])
def queue(request: pytest.FixtureRequest, tmp_path: Path) -> dict[str, str]:
    """The queue's settings, as the workers read them from the environment."""
    name = f"test-{uuid.uuid4().hex[:8]}"
    if request.param == "sqlite":
        return {"JOBS_QUEUE_NAME": name, "JOBS_SQLITE_PATH": str(tmp_path / "jobs.sqlite3")}
    url = os.environ.get("REDIS_TEST_URL", "").strip()
    if not url:
        pytest.skip("REDIS_TEST_URL is not set: start Redis with `devservices/redis.sh start`")
    return {"JOBS_QUEUE_NAME": name, "REDIS_URL": url}


@pytest.fixture
def queued_app(committing_app: Flask, queue: dict[str, str]) -> Iterator[Flask]:
    """The committing app, its jobs going to the real queue instead of running at once."""
    immediate = committing_app.extensions["jobs"]
    runner = JobRunner(
        committing_app, make_huey({**committing_app.config, **queue, "JOBS_IMMEDIATE": False})
    )
    committing_app.extensions["jobs"] = runner
    try:
        yield committing_app
    finally:
        runner.huey.flush()
        committing_app.extensions["jobs"] = immediate


def start_worker(app: Flask, queue: dict[str, str]) -> subprocess.Popen[bytes]:
    """`flask jobs worker` in its own process, on the test database and queue."""
    config = app.config
    env = {
        **os.environ,
        **queue,
        "APP_ENV": "development",
        "DATABASE_URL": config["SQLALCHEMY_DATABASE_URI"],
        "SEARCH_BACKEND": "embedded",
        "SEARCH_INDEX_PATH": config["SEARCH_INDEX_PATH"],
        "UPLOAD_FOLDER": config["UPLOAD_FOLDER"],
        "INSTANCE_PATH": str(Path(config["UPLOAD_FOLDER"]).parent),
    }
    if "REDIS_URL" not in queue:
        env.pop("REDIS_URL", None)
    return subprocess.Popen(
        [sys.executable, "-m", "flask", "--app", "wsgi", "jobs", "worker", "--workers", "2"],
        cwd=BASE_DIR,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


def wait_until_ready(*workers: subprocess.Popen[bytes]) -> None:
    """Return once each worker has loaded the app and says it takes jobs (`jobs: N
    worker(s) on …`): its start-up is not the work's time, and it is never stopped while
    still starting."""
    deadline = time.monotonic() + READY_SECONDS
    for worker in workers:
        assert worker.stdout is not None
        with selectors.DefaultSelector() as selector:
            selector.register(worker.stdout, selectors.EVENT_READ)
            readable = selector.select(max(0.0, deadline - time.monotonic()))
        line = worker.stdout.readline() if readable else b""
        if not line.startswith(b"jobs: "):
            raise AssertionError(f"a worker did not start: {line!r} {stop(worker)}")


def wait_for(app: Flask, condition: Callable[[], bool]) -> None:
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        with app.app_context():
            try:
                if condition():
                    return
            finally:
                db.session.remove()
        time.sleep(0.2)
    raise AssertionError(f"not done within {WAIT_SECONDS} s")


def stop(worker: subprocess.Popen[bytes]) -> str:
    if worker.poll() is None:
        worker.send_signal(signal.SIGINT)
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()
    return worker.stderr.read().decode(errors="replace")[-3000:] if worker.stderr else ""


def open_auctions(ids: list[int]) -> int:
    return db.session.scalar(
        select(func.count()).where(
            Auction.id.in_(ids), Auction.status.not_in([AuctionStatus.CLOSED, AuctionStatus.FAILED])
        )
    )


def pending_events(topic_prefix: str = "") -> int:
    return db.session.scalar(
        select(func.count()).where(
            OutboxEvent.processed_at.is_(None), OutboxEvent.topic.startswith(topic_prefix)
        )
    )


def make_due_auctions(app: Flask, count: int) -> list[int]:
    """`count` auctions that ended days ago, every other one with a bid (committed)."""
    upload = Path(app.config["UPLOAD_FOLDER"]) / "evidence"
    with app.app_context():
        ids = []
        for n in range(count):
            market = make_market(STARTED, upload, hours=24)
            if n % 2 == 0:
                with unit_of_work(writer=True):
                    bidding.place_bid(market.bidder(), market.auction.id, START, now=STARTED)
            ids.append(market.auction.id)
        db.session.remove()
    return ids


def test_two_workers_close_due_auctions_once_and_drain_the_search_events(
    queued_app: Flask, queue: dict[str, str]
) -> None:
    app = queued_app
    ids = make_due_auctions(app, 4)
    with app.app_context():
        assert pending_events() > 0, "publishing the listings emitted search events"
        assert app.extensions["jobs"].pending_count() >= 1, "their commit queued the drain"

    workers = [start_worker(app, queue), start_worker(app, queue)]
    try:
        wait_until_ready(*workers)  # both take jobs when the two sweeps arrive: they race
        with app.app_context():
            app.extensions["jobs"].enqueue("auctions.close_due")
            app.extensions["jobs"].enqueue("auctions.close_due")
        wait_for(app, lambda: open_auctions(ids) == 0 and pending_events() == 0)
    finally:
        logs = [stop(worker) for worker in workers]
    assert all("Traceback" not in log for log in logs), logs

    with app.app_context():
        deals = db.session.scalars(
            select(Deal).where(Deal.source_type == "auction", Deal.source_id.in_(ids))
        ).all()
        assert sorted(d.source_id for d in deals) == sorted(ids[0::2]), "one deal per sold lot"
        closings = db.session.scalar(
            select(func.count()).where(
                AuditEntry.object_type == "auction",
                AuditEntry.object_id.in_(ids),
                AuditEntry.action == "auction.close",
            )
        )
        assert closings == len(ids), "each auction closed exactly once"


def test_a_worker_killed_mid_run_loses_nothing(queued_app: Flask, queue: dict[str, str]) -> None:
    app = queued_app
    ids = make_due_auctions(app, 6)
    with app.app_context():
        app.extensions["jobs"].enqueue("auctions.close_due")

    first = start_worker(app, queue)
    try:
        wait_until_ready(first)
        wait_for(app, lambda: open_auctions(ids) < len(ids) or pending_events() == 0)
    finally:
        first.send_signal(signal.SIGKILL)
        first.wait()

    with app.app_context():
        app.extensions["jobs"].enqueue("auctions.close_due")  # the next periodic sweep's call
        app.extensions["jobs"].enqueue("search.drain")
    second = start_worker(app, queue)
    try:
        wait_until_ready(second)
        wait_for(app, lambda: open_auctions(ids) == 0 and pending_events() == 0)
    finally:
        stop(second)
    with app.app_context():
        deals = db.session.scalar(
            select(func.count()).where(Deal.source_type == "auction", Deal.source_id.in_(ids))
        )
        assert deals == len(ids[0::2])


def test_a_sweep_runs_under_its_lock_and_skips_while_another_holds_it(
    queued_app: Flask, queue: dict[str, str]
) -> None:
    app = queued_app
    make_due_auctions(app, 1)
    runner = app.extensions["jobs"]
    with app.app_context():
        assert pending_events("search.") > 0
        with lease("sweep:search.drain", 60) as held:  # another worker is sweeping
            assert held
            runner.sweeps["search.drain"].call_local()
            assert pending_events("search.") > 0, "the sweep stood aside"
        runner.sweeps["search.drain"].call_local()
        db.session.remove()
    with app.app_context():
        assert pending_events("search.") == 0


def test_a_dead_workers_lease_expires(committing_app: Flask) -> None:
    with committing_app.app_context():
        with lease("sweep:test", 60) as first:
            with lease("sweep:test", 60) as second:
                assert first and not second, "one holder at a time"
        db.session.execute(
            update(JobLease).values(expires_at=datetime.now(UTC) - timedelta(seconds=1))
        )
        db.session.add(JobLease(name="sweep:dead", holder="gone", expires_at=datetime.now(UTC)))
        db.session.commit()
        with lease("sweep:dead", 60) as taken:
            assert taken, "an expired lease is taken over"
        db.session.execute(delete(JobLease))
        db.session.commit()
