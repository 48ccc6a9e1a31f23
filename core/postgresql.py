"""PostgreSQL with psycopg: a transaction that only read ends with COMMIT, not ROLLBACK.

psycopg prepares a statement on a connection after its fifth run, so PostgreSQL plans it
once rather than on every run; but every ROLLBACK makes psycopg forget all of that
connection's prepared statements (and send DEALLOCATE ALL). SQLAlchemy ends every
transaction it has not committed with a rollback: the session closed at the end of
each request, the pool's reset when a connection comes back. So every request threw
away what the last one had prepared, and every statement of the market (a bid's read
and write, the token check, a poll) was planned anew each time: in the bid race of
bench/http.py planning took more of PostgreSQL's CPU than running the statements.

For a transaction whose statements were all SELECTs, COMMIT and ROLLBACK end it alike
(nothing was written; its locks and snapshot go either way). So such a transaction
ends with COMMIT; any other statement (an INSERT, UPDATE or DELETE, text or driver SQL
this module cannot read, a SAVEPOINT) or a failed one, and it ends with ROLLBACK as
before. (A SELECT of a function that writes, such as pg_notify, would be committed: the
market runs none.)
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine, event

_WROTE = "market_transaction_may_have_written"


def configure_postgresql(engine: Engine) -> None:
    """Make `engine` end a psycopg transaction that only read with COMMIT."""
    if engine.dialect.name != "postgresql" or engine.dialect.driver != "psycopg":
        return
    # Imported here, not at the top: a SQLite deployment never loads psycopg (~0.3 s).
    from psycopg.pq import TransactionStatus

    in_transaction = TransactionStatus.INTRANS  # begun, and no statement failed
    rollback = engine.dialect.do_rollback

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        connection.info.pop(_WROTE, None)

    @event.listens_for(engine, "before_cursor_execute")
    def _on_statement(
        connection: Any, _cursor: Any, _sql: str, _params: Any, context: Any, _many: bool
    ) -> None:
        if not _only_reads(context):
            connection.info[_WROTE] = True

    def end_transaction(pooled: Any) -> None:
        driver = getattr(pooled, "driver_connection", pooled)
        if not _may_have_written(pooled) and driver.info.transaction_status == in_transaction:
            driver.commit()
        else:
            rollback(pooled)

    engine.dialect.do_rollback = end_transaction  # type: ignore[method-assign,assignment]


def _may_have_written(pooled: Any) -> bool:
    try:
        return bool(pooled.info.pop(_WROTE, False))
    except (AttributeError, NotImplementedError):  # the dialect's first connection: no pool
        return True


def _only_reads(context: Any) -> bool:
    compiled = getattr(context, "compiled", None)
    return compiled is not None and bool(getattr(compiled.statement, "is_select", False))
