"""Loading one row that a use case needs, by id, or refusing with NotFound."""

from __future__ import annotations

from typing import TypeVar

from core.domain import NotFound
from core.extensions import db

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
