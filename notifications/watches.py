"""Watching a listing, an auction, a need or a broker: its changes reach the watchers' inboxes.

The domain that owns the object tells its watchers (`notify_watchers`) in the same
transaction as the change; the watchers are not told twice when they are also
parties (the domain passes the users it has told already).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from accounts.models import User
from core.domain import N_, ValidationFailed
from core.extensions import db
from core.row_lists import all_of
from notifications.models import Watch
from notifications.services import notify

WATCHABLE = ("listing", "auction", "need", "broker")
# Where each watched thing is shown (the watching page links there).
PAGES = {
    "listing": "/listings/{}",
    "auction": "/auctions/{}",
    "need": "/needs/{}",
    "broker": "/brokers/{}",
}
MAX_WATCHES_PER_USER = 500


def _check(object_type: str, object_id: int) -> None:
    if object_type not in WATCHABLE or object_id < 1:
        raise ValidationFailed(N_("This cannot be watched."), field="object_type")


def watch(user: User, object_type: str, object_id: int, *, now: datetime) -> None:
    """Follow an object (idempotent; flushes)."""
    _check(object_type, object_id)
    if is_watching(user, object_type, object_id):
        return
    if len(watched_by(user)) >= MAX_WATCHES_PER_USER:
        raise ValidationFailed(N_("You watch too many things: stop watching some first."))
    try:
        with db.session.begin_nested():
            db.session.add(
                Watch(user_id=user.id, object_type=object_type, object_id=object_id, created_at=now)
            )
    except IntegrityError:  # the same click twice at once
        pass


def unwatch(user: User, object_type: str, object_id: int) -> None:
    _check(object_type, object_id)
    db.session.execute(
        delete(Watch).where(
            Watch.user_id == user.id,
            Watch.object_type == object_type,
            Watch.object_id == object_id,
        )
    )


def is_watching(user: Any, object_type: str, object_id: int) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return (
        db.session.scalar(
            select(Watch.id).where(
                Watch.user_id == user.id,
                Watch.object_type == object_type,
                Watch.object_id == object_id,
            )
        )
        is not None
    )


def watched_by(user: User) -> list[Watch]:
    return all_of(select(Watch).where(Watch.user_id == user.id).order_by(Watch.id.desc()))


def notify_watchers(
    object_type: str,
    object_id: int,
    event: str,
    *,
    params: Mapping[str, Any],
    link: str,
    now: datetime,
    told: Iterable[int] = (),
) -> None:
    """Tell the object's watchers (but those already told as parties) about a change."""
    watchers = set(
        db.session.scalars(
            select(Watch.user_id).where(
                Watch.object_type == object_type, Watch.object_id == object_id
            )
        )
    ) - set(told)
    if watchers:
        notify(watchers, event, params=params, link=link, now=now, email=None)
