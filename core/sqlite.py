"""SQLite as a proper transactional database: real BEGIN/SAVEPOINT, foreign keys, WAL."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Engine, event, text


def configure_sqlite(engine: Engine) -> None:
    """Take transaction control away from pysqlite so SAVEPOINTs and rollbacks mean what they say.

    pysqlite delays BEGIN until the first write and commits around some statements on
    its own; SQLAlchemy's documented recipe emits BEGIN itself instead.
    """
    if engine.dialect.name != "sqlite":
        return

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=15000")  # writers queue behind a slow one
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        connection.exec_driver_sql("BEGIN")


def queue_as_writer(session: Any) -> None:
    """SQLite: start a transaction whose first statement writes, so concurrent writers queue.

    PostgreSQL has row locks (FOR UPDATE). SQLite has one writer at a time, and a
    transaction that read before another's commit cannot write afterwards
    ("database is locked"), so a use case that locks then writes takes the write
    lock first; the busy timeout then makes the others wait their turn. A no-op
    elsewhere. Commits whatever the session had open: call it at the start of a
    use case.
    """
    if session.get_bind().dialect.name != "sqlite":
        return
    if session().in_transaction():
        session.commit()
    session.execute(text("UPDATE outbox_events SET id = id WHERE id = -1"))


@contextmanager
def brief_lock_wait(session: Any, milliseconds: int) -> Iterator[None]:
    """Within the block, a write waits at most `milliseconds` for a lock, then fails.

    For bookkeeping that may be skipped (a token's last use): it must not queue behind
    the market's writers for the whole busy timeout. SQLite: the connection's busy
    timeout; PostgreSQL: the transaction's lock timeout; both restored afterwards. Put
    the writes in a savepoint inside the block, so a failed one can be rolled back.
    """
    connection = session.connection()
    dialect = connection.dialect.name
    if dialect == "sqlite":
        read, write = "PRAGMA busy_timeout", "PRAGMA busy_timeout={}"
    elif dialect == "postgresql":
        read, write = "SHOW lock_timeout", "SET LOCAL lock_timeout = '{}'"
    else:
        yield
        return
    previous = str(connection.exec_driver_sql(read).scalar())
    connection.exec_driver_sql(write.format(int(milliseconds)))
    try:
        yield
    finally:  # (the caller rolls its savepoint back first if a statement failed)
        connection.exec_driver_sql(write.format(previous.replace("'", "")))
