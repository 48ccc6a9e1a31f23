"""Plain SQL on a pooled connection in autocommit, for the hottest statements (bids, polls).

A statement that stands alone (one read, or one write that is atomic by itself) needs no
BEGIN/COMMIT around it: run in autocommit on a pooled connection, it is one round trip,
and it skips SQLAlchemy's per-statement work. Only when the session has begun nothing
(`alone`): inside a transaction already begun (a caller's earlier work, a test's) the
statement must join that one (`session_execute`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Engine

from core.extensions import db
from core.uow import in_unit_of_work

Execute = Callable[[str, dict[str, Any]], Sequence[Any]]  # plain SQL, parameters → rows


def alone() -> bool:
    """True when the session has begun nothing (no transaction, nothing pending)."""
    session = db.session()
    return (
        isinstance(session.get_bind(), Engine)
        and not session.in_transaction()
        and not (session.new or session.dirty or session.deleted)
    )


def on_postgresql() -> bool:
    return db.session.get_bind().dialect.name == "postgresql"


def reads_in_autocommit() -> None:
    """Run the session's next statements in autocommit until its transaction ends, when on
    PostgreSQL with nothing begun (`alone`, outside any unit of work): no BEGIN before the
    first read and no COMMIT after the last, one round trip a statement. READ COMMITTED
    reads each statement from a snapshot of its own anyway, so only atomicity is lost:
    call it where the session writes nothing before its transaction ends."""
    if on_postgresql() and alone() and not in_unit_of_work():
        db.session.connection(execution_options={"isolation_level": "AUTOCOMMIT"})


@contextmanager
def autocommit_execute() -> Iterator[Execute]:
    """A pooled connection in autocommit: each statement is its own transaction."""
    engine = db.session.get_bind()
    assert isinstance(engine, Engine)
    pooled = engine.raw_connection()
    driver = pooled.driver_connection
    assert driver is not None
    try:
        driver.autocommit = True

        def execute(sql: str, params: dict[str, Any]) -> Sequence[Any]:
            return driver.execute(sql, params).fetchall()

        yield execute
    finally:
        driver.autocommit = False
        pooled.close()


def session_execute() -> Execute:
    """Run plain SQL in the session's transaction (the caller's unit of work commits it)."""
    conn = db.session.connection()

    def execute(sql: str, params: dict[str, Any]) -> Sequence[Any]:
        return conn.exec_driver_sql(sql, params).all()

    return execute
