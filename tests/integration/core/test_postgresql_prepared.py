"""On PostgreSQL a transaction that only read ends with COMMIT, so psycopg keeps its plans.

psycopg forgets every prepared statement of a connection on ROLLBACK; SQLAlchemy ends
each transaction it has not committed (each request's) with one. `core.postgresql` ends
the transactions that only read with COMMIT instead, and anything else as before.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, column, create_engine, select, table, text
from sqlalchemy.exc import DataError
from sqlalchemy.orm import Session

from core.postgresql import configure_postgresql

URL = os.environ.get("TEST_DATABASE_URL", "")

pytestmark = pytest.mark.skipif(
    not URL.startswith("postgresql"), reason="psycopg's prepared statements: PostgreSQL only"
)

PROBE = table("probe", column("n"))
READ = select(PROBE.c.n).where(PROBE.c.n == 5)
RUNS = 8  # psycopg prepares a statement at its fifth run on a connection


def one_connection(*, configured: bool) -> Engine:
    engine = create_engine(URL, pool_size=1, max_overflow=0)
    if configured:
        configure_postgresql(engine)
    return engine


@pytest.fixture
def engine() -> Iterator[Engine]:
    engine = one_connection(configured=True)
    with engine.begin() as connection:
        connection.execute(text("CREATE TEMPORARY TABLE probe (n integer CHECK (n > 0))"))
    yield engine
    engine.dispose()


def read_in_requests(engine: Engine) -> None:
    for _ in range(RUNS):
        with Session(engine) as session:  # closed like a request's session: not committed
            session.execute(READ).all()


def prepared(engine: Engine) -> list[str]:
    with engine.connect() as connection:
        statements = connection.execute(text("SELECT statement FROM pg_prepared_statements"))
        return [str(row[0]) for row in statements]


def probe_rows(engine: Engine) -> list[int]:
    with engine.connect() as connection:
        return [int(n) for n in connection.execute(text("SELECT n FROM probe")).scalars()]


def test_reads_in_requests_keep_their_prepared_statement(engine: Engine) -> None:
    read_in_requests(engine)

    assert any("FROM probe" in statement for statement in prepared(engine))


def test_without_it_every_request_forgets_what_it_prepared() -> None:
    engine = one_connection(configured=False)
    with engine.begin() as connection:
        connection.execute(text("CREATE TEMPORARY TABLE probe (n integer)"))
    try:
        read_in_requests(engine)

        assert not any("FROM probe" in statement for statement in prepared(engine))
    finally:
        engine.dispose()


def test_a_transaction_that_wrote_and_was_not_committed_leaves_nothing(engine: Engine) -> None:
    with Session(engine) as session:
        session.execute(READ).all()
        session.execute(text("INSERT INTO probe (n) VALUES (1)"))
    with Session(engine) as session:
        session.execute(text("INSERT INTO probe (n) VALUES (2)"))
        session.rollback()

    assert probe_rows(engine) == []


def test_a_transaction_whose_statement_failed_is_rolled_back(engine: Engine) -> None:
    with Session(engine) as session:
        with pytest.raises(DataError):
            session.execute(text("SELECT 1 / 0"))
    with engine.begin() as connection:
        connection.execute(text("INSERT INTO probe (n) VALUES (3)"))

    assert probe_rows(engine) == [3]
