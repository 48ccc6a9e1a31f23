"""One row a use case needs: loading it by id (or NotFound); its closing period, closed once."""

from __future__ import annotations

import enum
import logging
from collections.abc import Callable
from datetime import datetime
from typing import Any, TypeVar, cast

from sqlalchemy import CursorResult, select, update
from sqlalchemy.exc import IntegrityError, OperationalError

from core.clock import as_utc
from core.db_types import ClosingPeriodMixin
from core.domain import DomainError, NotFound
from core.extensions import db
from core.row_lists import all_of

log = logging.getLogger(__name__)

T = TypeVar("T")


def get_row(model: type[T], row_id: int, missing: str, *, lock: bool = False) -> T:
    """The row of `model` with this id, or NotFound(`missing`).

    With `lock` the row is locked for the rest of the transaction and read afresh,
    whatever the session held of it (on SQLite, which has no row locks, the caller's
    unit of work is opened with `writer=True` instead).
    """
    if lock:
        row = db.session.get(model, row_id, with_for_update=True, populate_existing=True)
    else:
        row = db.session.get(model, row_id)
    if row is None:
        raise NotFound(missing)
    return row


def claim_closing(
    row: ClosingPeriodMixin,
    open_status: enum.Enum,
    now: datetime,
    *,
    status: enum.Enum | None = None,
) -> bool:
    """Stamp `closed_at` on a row still in `open_status` (moving it to `status`, if given).

    False when another worker got there first. The conditional UPDATE is the guard
    that makes closing happen exactly once, on PostgreSQL (row lock, re-checked after
    the other transaction commits) and on SQLite (one writer at a time; a stale reader
    cannot write).
    """
    model_row: Any = row  # a model with the mixin: `id` and `status` as well
    model = type(model_row)
    values: dict[str, Any] = {"closed_at": now}
    if status is not None:
        values["status"] = status
    result = cast(
        CursorResult[Any],  # an UPDATE: the driver reports the rows it matched
        db.session.execute(
            update(model)
            .where(model.id == model_row.id, model.status == open_status, model.closed_at.is_(None))
            .values(**values)
            .execution_options(synchronize_session=False)
        ),
    )
    if result.rowcount != 1:
        return False
    for name, value in values.items():
        setattr(row, name, value)
    return True


def period_end(model: type[ClosingPeriodMixin], row_id: int) -> datetime | None:
    """When the period of the row with this id ends (None when there is no such row)."""
    row = db.session.get(model, row_id)
    return None if row is None else as_utc(row.ends_at)


def due_ids(model: type[ClosingPeriodMixin], open_status: enum.Enum, now: datetime) -> list[int]:
    """The ids of the rows still in `open_status` whose period is over, the earliest end first."""
    table: Any = model  # a model with the mixin: `id` and `status` as well
    return all_of(
        select(table.id)
        .where(table.status == open_status, table.ends_at <= now)
        .order_by(table.ends_at)
    )


def close_in_savepoint(close: Callable[[], T], what: str) -> T | None:
    """Close one row in a savepoint: one that fails is logged and undone alone (None)."""
    try:
        with db.session.begin_nested():
            return close()
    except (OperationalError, IntegrityError):
        # Another worker is closing the same row right now; it wins.
        log.info("%s: closing raced with another worker", what)
    except DomainError:
        log.exception("%s could not be closed", what)
    return None
