"""The migrations build exactly the schema the models describe."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask import Flask
from flask_migrate import upgrade
from sqlalchemy import create_engine, inspect, make_url, text

from core.extensions import db
from marketplace import create_app


def test_models_and_migrations_agree(app: Flask) -> None:
    with app.app_context(), db.engine.connect() as connection:
        context = MigrationContext.configure(
            connection, opts={"compare_type": True, "render_as_batch": True}
        )
        differences = compare_metadata(context, db.metadata)
    assert differences == [], f"models differ from migrations: {differences}"


# `flask serve` makes a new, empty database from the models and stamps it (create_schema)
# instead of replaying the migrations: it must be the database the migrations make.


def _describe(url: str) -> dict[str, object]:
    """What a database holds, as the inspector reads it: every table's columns (name,
    type, nullability, server default; in any order: added columns come last), primary
    key, foreign keys, indexes (partial ones with their condition), unique and check
    constraints, and its rows (the random tokens masked); PostgreSQL's enum types."""
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            found = inspect(connection)
            tables: dict[str, object] = {}
            for table in found.get_table_names():
                tables[table] = {
                    "columns": sorted(
                        (c["name"], str(c["type"]), c["nullable"], str(c.get("default")))
                        for c in found.get_columns(table)
                    ),
                    "primary key": found.get_pk_constraint(table)["constrained_columns"],
                    "foreign keys": sorted(
                        (
                            f["name"] or "",
                            tuple(f["constrained_columns"]),
                            f["referred_table"],
                            tuple(f["referred_columns"]),
                            str(sorted(f.get("options", {}).items())),
                        )
                        for f in found.get_foreign_keys(table)
                    ),
                    "indexes": sorted(
                        (
                            i["name"] or "",
                            tuple(str(c) for c in i["column_names"]),
                            bool(i["unique"]),
                            _condition(i.get("dialect_options", {})),
                        )
                        for i in found.get_indexes(table)
                    ),
                    "unique": sorted(
                        (u["name"] or "", tuple(u["column_names"]))
                        for u in found.get_unique_constraints(table)
                    ),
                    "checks": sorted(
                        (c["name"] or "", _sql(c["sqltext"]))
                        for c in found.get_check_constraints(table)
                    ),
                    "rows": sorted(
                        repr({k: "*" if k == "token" else v for k, v in row._mapping.items()})
                        for row in connection.execute(text(f'SELECT * FROM "{table}"'))
                        if table != "alembic_version"
                    ),
                }
            if connection.dialect.name == "postgresql":
                tables["enum types"] = sorted(
                    (e["name"], tuple(e["labels"])) for e in found.get_enums()
                )
            return tables
    finally:
        engine.dispose()


def _condition(options: dict[str, object]) -> str:
    return " ".join(f"{k}={_sql(v)}" for k, v in sorted(options.items()) if k.endswith("_where"))


def _sql(clause: object) -> str:
    """SQL text as written, `<>` and `!=` alike (SQLite keeps what each wrote)."""
    return " ".join(str(clause).replace("<>", "!=").split())


@contextmanager
def _new_database(url: str, folder: Path, name: str) -> Iterator[str]:
    """A new, empty database beside the tests' own: a SQLite file, or a PostgreSQL database."""
    if not url.startswith("postgresql"):
        yield f"sqlite:///{folder / name}.db"
        return
    server = create_engine(url, isolation_level="AUTOCOMMIT")
    database = f"{make_url(url).database}_{name}_{os.getpid()}"
    try:
        with server.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{database}"'))
            connection.execute(text(f'CREATE DATABASE "{database}"'))
        yield make_url(url).set(database=database).render_as_string(hide_password=False)
    finally:
        with server.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)'))
        server.dispose()


def _app_on(url: str, folder: Path) -> Flask:
    return create_app(
        {
            "SQLALCHEMY_DATABASE_URI": url,
            "SEARCH_INDEX_PATH": str(folder / "search.db"),
            "UPLOAD_FOLDER": str(folder / "uploads"),
        }
    )


def test_a_new_database_made_from_the_models_is_the_migrated_one(
    app: Flask, tmp_path: Path
) -> None:
    from marketplace.devserver import create_schema, database_is_new, migrations_pending

    url = app.config["SQLALCHEMY_DATABASE_URI"]
    with (
        _new_database(url, tmp_path, "migrated") as migrated,
        _new_database(url, tmp_path, "created") as created,
    ):
        with _app_on(migrated, tmp_path).app_context():
            upgrade()
            db.engine.dispose()
        made = _app_on(created, tmp_path)
        with made.app_context():
            assert database_is_new(made)
            create_schema(made)
            assert not database_is_new(made)
            assert not migrations_pending(made)  # stamped at the head
            db.engine.dispose()
        assert _describe(created) == _describe(migrated)
