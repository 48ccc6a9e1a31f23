"""The unit of work: one transaction per use case, committed once, then its after-commit steps.

Services flush and never commit. Whoever starts a use case (a view, an API
endpoint, a CLI command, a job) opens one unit of work around it:

    with unit_of_work():
        listing = review.publish(actor, listing_id, now=now())

It commits once when the block ends, or rolls back if it raises, and only then
runs the steps the use case asked for after the commit (`after_commit`: drain
the outbox, call Stripe, send mail) or after a rollback (`on_rollback`: remove
a file stored for a row that was never saved). A step that fails is logged and
does not undo the commit: what it does is derived, and retried from the outbox.

`writer=True` takes SQLite's write lock before the first read, so concurrent
writers queue instead of failing with "database is locked" (PostgreSQL use
cases lock their rows with FOR UPDATE instead).

`init_app` adds two checks to every request: a request that wrote but did not
commit (a use case run outside a unit of work: its writes are lost) and a GET or
HEAD request that wrote at all. Both raise under TESTING and are logged
otherwise. The one place that may write on any request (an API token's last
use) says so with `permit_get_write(reason)`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from flask import Flask, current_app, g, has_request_context, request
from sqlalchemy import event
from sqlalchemy.orm import ORMExecuteState, Session, SessionTransaction
from werkzeug.wrappers import Response

from core.extensions import db
from core.sqlite import queue_as_writer

log = logging.getLogger(__name__)

Step = Callable[[], None]
_AFTER_COMMIT = "uow_after_commit"
_ON_ROLLBACK = "uow_on_rollback"
_UNCOMMITTED = "uow_uncommitted"
_DEPTH = "uow_depth"
_COMMITTED = "uow_committed"  # after-commit steps whose commit has happened
_KEPT = "uow_kept"  # a GET's read-only commit left its objects loaded (see _commit)
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def after_commit(step: Step) -> None:
    """Run `step` once the current transaction has committed (dropped if it rolls back)."""
    db.session.info.setdefault(_AFTER_COMMIT, []).append(step)


def on_rollback(step: Step) -> None:
    """Run `step` if the current transaction rolls back (dropped if it commits)."""
    db.session.info.setdefault(_ON_ROLLBACK, []).append(step)


@contextmanager
def unit_of_work(*, writer: bool | None = None) -> Iterator[None]:
    """Open a unit of work: commit once at the end, roll back on an exception.

    The after-commit steps run once `commit()` has returned, so they may use the
    session (in a transaction of their own). Inside another unit of work this one
    joins it: the outer one commits, or rolls back if the exception reaches it.
    `writer` defaults to true in a request that may write (not GET, HEAD or OPTIONS):
    a use case a person starts then queues behind SQLite's other writers instead of
    failing with "database is locked" (a sign-up did, beside another writer).
    """
    session = db.session
    if session.info.get(_DEPTH):
        session.info[_DEPTH] += 1
        try:
            yield
        finally:
            session.info[_DEPTH] -= 1
        return
    if writer is None:
        writer = has_request_context() and request.method not in SAFE_METHODS
    if writer:
        queue_as_writer(session)
    session.info[_DEPTH] = 1
    try:
        yield
        session.info[_DEPTH] = 0
        _commit(session())
    except BaseException:
        session.info[_DEPTH] = 0
        session.rollback()
        raise
    _run(session.info.pop(_COMMITTED, []), "after the commit")


def _commit(session: Session) -> None:
    """Commit; a read-only unit of work of a GET keeps what it read loaded.

    Committing expires every object, so the template a GET renders afterwards would
    read each one again, one statement per object (a listing page's similar listings:
    13 statements). Nothing was written, and the request ends soon after: what it read
    is still what it shows. They are expired when the request ends (`_expire_kept`), for
    a session that outlives it (a test's app context).
    """
    keep = (
        has_request_context()
        and request.method in SAFE_METHODS
        and not session.info.get(_UNCOMMITTED)
        and not (session.new or session.dirty or session.deleted)
    )
    if not keep:
        session.commit()
        return
    expiring = session.expire_on_commit
    session.expire_on_commit = False
    try:
        session.commit()
    finally:
        session.expire_on_commit = expiring
    session.info[_KEPT] = True


def _run(steps: list[Step], moment: str) -> None:
    for step in steps:
        try:
            step()
        except Exception:
            log.exception("unit of work: a step %s failed: %r", moment, step)


def in_unit_of_work() -> bool:
    """True while a unit of work is open (its statements must share its transaction)."""
    return bool(db.session.info.get(_DEPTH))


def end_read_transaction() -> None:
    """Let the next reads see what other connections committed since this session's first
    read (SQLite keeps one snapshot per transaction). Only outside a unit of work and with
    nothing pending, so it never commits a write."""
    session = db.session
    if session.info.get(_DEPTH) or session.new or session.dirty or session.deleted:
        return
    session.commit()


def permit_get_write(reason: str) -> None:
    """Allow the current request to write although it is a GET (e.g. a token's last use)."""
    if has_request_context():
        g.get_write_permitted = reason


def _wrote(session: Session) -> None:
    session.info[_UNCOMMITTED] = True
    if has_request_context():
        g.request_wrote = True


@event.listens_for(Session, "after_flush")
def _after_flush(session: Session, _context: object) -> None:
    # An attribute set to the value it had makes an object dirty without a write.
    if session.new or session.deleted or any(session.is_modified(o) for o in session.dirty):
        _wrote(session)


@event.listens_for(Session, "do_orm_execute")
def _on_execute(state: ORMExecuteState) -> None:
    if state.is_insert or state.is_update or state.is_delete:
        _wrote(state.session)


@event.listens_for(Session, "after_commit")
def _after_commit(session: Session) -> None:
    session.info.pop(_UNCOMMITTED, None)
    session.info.pop(_ON_ROLLBACK, None)
    # Run by unit_of_work once commit() has returned: here the session refuses SQL.
    session.info.setdefault(_COMMITTED, []).extend(session.info.pop(_AFTER_COMMIT, []))


@event.listens_for(Session, "after_soft_rollback")
def _after_rollback(session: Session, previous_transaction: SessionTransaction) -> None:
    if previous_transaction.nested:
        return  # a SAVEPOINT rolled back; the outer transaction goes on
    session.info.pop(_UNCOMMITTED, None)
    session.info.pop(_AFTER_COMMIT, None)
    steps = session.info.pop(_ON_ROLLBACK, [])
    if steps:
        _run(steps, "after the rollback")


def init_app(app: Flask) -> None:
    """Check every request: no writes left uncommitted, no writes on GET (see the module doc)."""
    app.before_request(_start_request)
    app.after_request(_check_request)
    app.teardown_request(_expire_kept)


def _start_request() -> None:
    # Only this request's writes count (a test may share the app context, hence the session).
    db.session.info.pop(_UNCOMMITTED, None)
    g.request_wrote = False
    g.get_write_permitted = None


def _check_request(response: Response) -> Response:
    problems = []
    if db.session.info.get(_UNCOMMITTED):
        problems.append("wrote outside a unit of work (the writes are rolled back)")
    if (
        current_app.config.get("CHECK_GET_WRITES", True)
        and request.method in SAFE_METHODS
        and g.get("request_wrote")
        and not g.get("get_write_permitted")
    ):
        problems.append(f"{request.method} request wrote to the database")
    for problem in problems:
        message = f"{request.method} {request.path} ({request.endpoint}): {problem}"
        if current_app.testing:
            raise RuntimeError(message)
        log.error(message)
    return response


def _expire_kept(_error: BaseException | None) -> None:
    session = db.session()
    if session.info.pop(_KEPT, None):
        session.expire_all()
