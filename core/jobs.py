"""The job runner: Huey tasks and periodic sweeps, run by `flask jobs worker`.

A domain declares its jobs with `@job(...)` in its `jobs.py`; the shell imports
those modules before `init_app`, which registers every declared job with the
app's Huey:

    @job("auctions.close_due", every=EVERY_MINUTE)
    def close_due_auctions() -> None: ...

Storage: Redis when `REDIS_URL` is set (several workers on several machines
share one queue), else a SQLite file under `instance/` (`make run`, one
machine). `JOBS_IMMEDIATE` runs a job at once in the caller's thread (tests).

A job is a boundary like a view: it opens its own units of work and reads the
clock itself. Jobs are triggers over state the database keeps (due auctions,
pending outbox rows, queued Stripe calls), never the only record of work to
do, so a worker killed mid-job loses nothing: the next run finds the same
rows. A job declared with `every` runs on demand and as a periodic sweep; the
sweep holds a lock with a time-to-live while it runs, so two workers never
sweep at once; the lock is a lease in the database (`job_leases`), so a dead
worker's lease simply expires, whatever the queue. Jobs are idempotent (rows are
locked and their state checked), so a job and a sweep may overlap.
"""

from __future__ import annotations

import logging
import threading
import time
import uuid
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, TypeVar

from flask import Flask, current_app
from sqlalchemy import String, delete, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, mapped_column

from core import clock, log_context, metrics
from core.db_types import UTCDateTime
from core.extensions import Model, db
from core.huey_loader import (
    Consumer,
    Huey,
    MemoryHuey,
    RedisHuey,
    SqliteHuey,
    TaskWrapper,
    crontab,
    redis_storage_ready,
)
from core.uow import after_commit, end_read_transaction, on_rollback, unit_of_work

log = logging.getLogger(__name__)

JobFunction = Callable[..., object]
Schedule = Callable[[Any], bool]
T = TypeVar("T")

EVERY_MINUTE: Schedule = crontab(minute="*")
SWEEP_LOCK_SECONDS = 300  # a sweep lock outlives no dead worker by more than this
RETRIES = 3
RETRY_DELAY_SECONDS = 10
SQLITE_QUEUE_TIMEOUT_SECONDS = 30  # workers and the web server share the queue's file
_QUEUED = "jobs_queued"  # session.info: jobs this transaction queues after its commit
CONTEXT_KWARG = "_context"  # a queued job's context (the request id), not the job's argument
COALESCE_SECONDS = 1.0  # `enqueue_soon_after_commit`: one queued run per this long and process
COALESCE_MARGIN_SECONDS = 0.25  # a queued run due sooner than this is not relied on


@dataclass(frozen=True)
class JobSpec:
    """A declared job: its name, what it runs, and when (periodic) or on demand."""

    name: str
    func: JobFunction
    every: Schedule | None = None


_DECLARED: dict[str, JobSpec] = {}


def job(name: str, *, every: Schedule | None = None) -> Callable[[JobFunction], JobFunction]:
    """Declare a job; `every` (a Huey crontab) makes it a periodic sweep."""

    def declare(func: JobFunction) -> JobFunction:
        _DECLARED[name] = JobSpec(name=name, func=func, every=every)
        return func

    return declare


class JobRunner:
    """The app's Huey and its registered tasks (`app.extensions["jobs"]`)."""

    def __init__(self, app: Flask, huey: Huey) -> None:
        self.app = app
        self.huey = huey
        self.tasks: dict[str, TaskWrapper] = {}
        self.sweeps: dict[str, TaskWrapper] = {}  # the periodic ones, by job name
        self._due: dict[str, float] = {}  # job name → when the run `enqueue_soon` queued is due
        self._due_lock = threading.Lock()
        for spec in _DECLARED.values():
            self._register(spec)

    def _register(self, spec: JobSpec) -> None:
        app, huey = self.app, self.huey

        def run(**kwargs: Any) -> None:
            context = kwargs.pop(CONTEXT_KWARG, None) or {}
            with app.app_context(), log_context.bound(request_id=context.get("request_id")):
                _counted(spec)(**kwargs)

        def sweep() -> None:
            with app.app_context(), lease(f"sweep:{spec.name}", SWEEP_LOCK_SECONDS) as held:
                if held:
                    _counted(spec)()
                else:
                    log.info("job %s: another worker is sweeping", spec.name)

        task = huey.task(retries=RETRIES, retry_delay=RETRY_DELAY_SECONDS, name=spec.name)
        self.tasks[spec.name] = task(run)
        if spec.every is not None:
            periodic = huey.periodic_task(spec.every, name=f"{spec.name}:sweep")
            self.sweeps[spec.name] = periodic(sweep)

    def enqueue(self, name: str, **kwargs: Any) -> None:
        """Queue job `name` (run it now under `JOBS_IMMEDIATE`); the job logs under the
        id of the request that queued it."""
        request_id = log_context.request_id()
        if request_id is not None:
            kwargs[CONTEXT_KWARG] = {"request_id": request_id}
        self.tasks[name](**kwargs)
        if self.huey.immediate:
            end_read_transaction()  # the caller reads what the job committed

    def enqueue_soon(self, name: str, within: float) -> None:
        """Queue job `name` to run `within` seconds from now, unless a run this process
        queued is still due later than now (plus `COALESCE_MARGIN_SECONDS`): that run
        starts after the caller's commit and finds its work. Under `JOBS_IMMEDIATE`, now."""
        if self.huey.immediate:
            self.enqueue(name)
            return
        moment = time.time()
        with self._due_lock:
            due = self._due.get(name)
            if due is not None and due > moment + COALESCE_MARGIN_SECONDS:
                return
            self._due[name] = moment + within
        try:
            self.tasks[name].schedule(delay=within)
        except Exception:
            with self._due_lock:
                self._due.pop(name, None)  # the next commit tries again
            raise

    def consumer(self, *, workers: int) -> Consumer:
        """A consumer polling briskly, so a queued job starts within about a second."""
        return self.huey.create_consumer(
            workers=workers, worker_type="thread", periodic=True, max_delay=1.0
        )

    def pending_count(self) -> int:
        return int(self.huey.pending_count())


def _counted(spec: JobSpec) -> JobFunction:
    def counted(**kwargs: Any) -> object:
        try:
            result = spec.func(**kwargs)
        except Exception:
            metrics.JOBS.labels(job=spec.name, outcome="failed").inc()
            raise
        metrics.JOBS.labels(job=spec.name, outcome="ok").inc()
        return result

    return counted


class JobLease(Model):
    """Who holds a sweep, until when: a lock that outlives no dead worker."""

    __tablename__ = "job_leases"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    holder: Mapped[str] = mapped_column(String(32))
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())


@contextmanager
def lease(name: str, seconds: int) -> Iterator[bool]:
    """Hold the lease `name` for at most `seconds` while the block runs; yields whether
    it was taken (False: another holder's lease has not expired)."""
    holder = uuid.uuid4().hex
    with unit_of_work(writer=True):
        held = _take(name, holder, clock.now(), seconds)
    try:
        yield held
    finally:
        if held:
            with unit_of_work(writer=True):
                db.session.execute(
                    delete(JobLease).where(JobLease.name == name, JobLease.holder == holder)
                )


def _take(name: str, holder: str, now: datetime, seconds: int) -> bool:
    until = now + timedelta(seconds=seconds)
    taken = db.session.execute(
        update(JobLease)
        .where(JobLease.name == name, JobLease.expires_at <= now)
        .values(holder=holder, expires_at=until)
    )
    if taken.rowcount:  # type: ignore[attr-defined]
        return True
    if db.session.get(JobLease, name) is not None:
        return False
    try:
        with db.session.begin_nested():
            db.session.add(JobLease(name=name, holder=holder, expires_at=until))
    except IntegrityError:  # another worker inserted it first
        return False
    return True


def make_huey(config: Mapping[str, Any]) -> Huey:
    """Redis with `REDIS_URL`, else SQLite under the instance folder; memory when immediate."""
    name = config.get("JOBS_QUEUE_NAME", "market")
    if config.get("JOBS_IMMEDIATE"):
        return MemoryHuey(name, immediate=True, results=False)
    if config.get("REDIS_URL"):
        from redis import ConnectionPool

        redis_storage_ready()
        # Bounded waits: a hung Redis costs an enqueueing request REDIS_TIMEOUT_SECONDS (to
        # connect) and a worker's blocking read its 1 s plus that, never forever.
        wait = float(config.get("REDIS_TIMEOUT_SECONDS", 0.5))
        pool = ConnectionPool.from_url(
            config["REDIS_URL"], socket_connect_timeout=wait, socket_timeout=1.0 + wait
        )
        return RedisHuey(name, connection_pool=pool, results=False, utc=True)
    return SqliteHuey(
        name,
        filename=config["JOBS_SQLITE_PATH"],
        results=False,
        utc=True,
        timeout=SQLITE_QUEUE_TIMEOUT_SECONDS,
    )


def init_app(app: Flask) -> None:
    app.extensions["jobs"] = JobRunner(app, make_huey(app.config))


def runner() -> JobRunner:
    """The current app's job runner."""
    found: JobRunner = current_app.extensions["jobs"]
    return found


def request(name: str) -> None:
    """Queue job `name` now, e.g. when a page finds due work; an unreachable queue is logged,
    and the work waits in the database for the job's next sweep."""
    try:
        runner().enqueue(name)
    except Exception:
        log.exception("job %s could not be queued; its sweep will pick the work up", name)


def request_if_due(rows: list[T], is_due: Callable[[T], bool], name: str) -> list[T]:
    """Reading rows never closes them: if some are due, job `name` is asked to close them now
    (its sweep would anyway) and those are read again (closed once it ran)."""
    due = [row for row in rows if is_due(row)]
    if due:
        request(name)
        for row in due:
            db.session.refresh(row)
    return rows


def enqueue_after_commit(name: str) -> None:
    """Queue job `name` once the current unit of work has committed (never for a rollback).

    Asked for several times in one transaction, it is queued once. A queue that
    cannot be reached is logged, not raised: the work waits in the database for
    the job's next periodic sweep.
    """
    _queue_at_commit(name, lambda jobs: jobs.enqueue(name))


def enqueue_soon_after_commit(name: str, within: float = COALESCE_SECONDS) -> None:
    """Queue job `name` to run about `within` seconds after the current unit of work has
    committed, one run for all the commits of this process in that time.

    For a job that reads the work left in the database (untold bids, say) and is asked
    for by a hot path: instead of one queue write per commit, at most one per `within`
    seconds and process. A commit queues nothing while a run this process queued is still
    due later than now: that run starts after the commit and finds what it wrote. (A
    worker whose clock runs ahead by more than `COALESCE_MARGIN_SECONDS` may start it
    early: the work then waits for the next run or the job's sweep.) Under
    `JOBS_IMMEDIATE` the job runs at the commit, as with `enqueue_after_commit`.
    """
    _queue_at_commit(name, lambda jobs: jobs.enqueue_soon(name, within))


def _queue_at_commit(name: str, queue: Callable[[JobRunner], object]) -> None:
    """Run `queue` once the current unit of work has committed, once per transaction and
    job; a queue that cannot be reached is logged (the job's sweep finds the work)."""
    queued: set[str] = db.session.info.setdefault(_QUEUED, set())
    if name in queued:
        return
    queued.add(name)
    jobs = runner()

    def enqueue() -> None:
        queued.discard(name)
        try:
            queue(jobs)
        except Exception:
            log.exception("job %s could not be queued; its sweep will pick the work up", name)

    after_commit(enqueue)
    on_rollback(lambda: queued.discard(name))
