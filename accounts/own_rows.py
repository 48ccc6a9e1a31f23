"""The rows of the actor's own organisation: what "my mandates", "my deals" and the like list."""

from __future__ import annotations

from typing import TypeVar

from sqlalchemy import Select, or_
from sqlalchemy.orm import QueryableAttribute

from accounts.models import User
from core.row_lists import all_of

Row = TypeVar("Row")


def rows_of_acting_org(
    actor: User, query: Select[Row], *org_columns: QueryableAttribute[int | None]
) -> list[Row]:
    """The rows `query` finds where one of `org_columns` names the organisation the actor acts
    for; none when the actor acts for no organisation."""
    org_id = actor.acting_org_id if actor.is_authenticated else None
    if org_id is None:
        return []
    return all_of(query.where(or_(*(column == org_id for column in org_columns))))
