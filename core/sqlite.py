"""SQLite as a proper transactional database: real BEGIN/SAVEPOINT, foreign keys, WAL."""

from __future__ import annotations

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
