"""Flask-Migrate, loaded only when a migration runs.

Flask-Migrate imports Alembic, Mako and Pygments (about 10 MB of a web worker's memory
and a tenth of a second of every start-up) though serving pages never migrates. So the app
keeps, in `app.extensions["migrate"]`, what Flask-Migrate's own `init_app` would keep,
without importing it:

- `flask_migrate.upgrade()` and the other functions, `migrations/env.py` and
  `marketplace.devserver` read `.db`, `.directory`, `.configure_args` and `.migrate`
  (the `Migrate` itself, made on first reading, which imports Alembic);
- `flask db ...` is a command that imports `flask_migrate.cli` when it is run or listed.
"""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING, Any

import click
from flask import Flask
from flask_sqlalchemy import SQLAlchemy

if TYPE_CHECKING:
    from flask_migrate import Migrate

# Batch mode: SQLite alters a table by copying it; compare_type: autogenerate sees type changes.
OPTIONS: dict[str, Any] = {"render_as_batch": True, "compare_type": True}


class MigrateConfig:
    """What Flask-Migrate keeps in `app.extensions["migrate"]` (its `_MigrateConfig`)."""

    def __init__(self, db: SQLAlchemy, directory: str) -> None:
        self.db = db
        self.directory = directory
        self.configure_args = dict(OPTIONS)

    @property
    def metadata(self) -> Any:
        return self.db.metadata

    @cached_property
    def migrate(self) -> Migrate:
        from flask_migrate import Migrate

        return Migrate(db=self.db, directory=self.directory, **OPTIONS)


class MigrationCommands(click.Command):
    """`flask db`: Flask-Migrate's command group, imported when the command is run."""

    def __init__(self) -> None:
        super().__init__("db", help="Perform database migrations.", add_help_option=False)

    def make_context(
        self,
        info_name: str | None,
        args: list[str],
        parent: click.Context | None = None,
        **extra: Any,
    ) -> click.Context:
        from flask_migrate.cli import db  # type: ignore[import-untyped]

        commands: click.Group = db
        return commands.make_context(info_name, args, parent=parent, **extra)


def init_app(app: Flask, db: SQLAlchemy, directory: str) -> None:
    app.extensions["migrate"] = MigrateConfig(db, directory)
    app.cli.add_command(MigrationCommands())
