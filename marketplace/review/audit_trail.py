"""The audit trail as reviewers read it: filtered, a page at a time, or whole as CSV.

Pages are keyset-paged on the entry id (newest first), so a page costs the same
whether it is the first or the thousandth and new entries never shift the next page.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import Select, func, or_, select

from accounts.models import User
from accounts.services import require_reviewer
from core.audit_models import AuditEntry
from core.extensions import db
from core.row_lists import all_of

PAGE_SIZE = 50
EXPORT_BATCH = 1000
CHOICES_WINDOW = 5000
MARKET_ZONE = ZoneInfo("Asia/Shanghai")


@dataclass(frozen=True)
class AuditFilter:
    """What a reviewer narrows the trail to; empty fields do not narrow it."""

    object_type: str | None = None
    object_id: int | None = None
    actor: str | None = None  # a name or email, or part of one
    action: str | None = None
    start: date | None = None  # market days, both included
    end: date | None = None
    zone: ZoneInfo = MARKET_ZONE


@dataclass(frozen=True)
class AuditPage:
    """One page of entries, who acted in them, and where the next (older) page starts."""

    entries: list[AuditEntry]
    actors: dict[int, User]
    older_than: int | None  # the `before` of the next page, None on the last one


def _market_midnight(day: date, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, time.min, tzinfo=zone)


def _filtered(query: Select, wanted: AuditFilter) -> Select:
    if wanted.object_type:
        query = query.where(AuditEntry.object_type == wanted.object_type)
    if wanted.object_id is not None:
        query = query.where(AuditEntry.object_id == wanted.object_id)
    if wanted.action:
        query = query.where(AuditEntry.action == wanted.action)
    if wanted.actor:
        pattern = f"%{wanted.actor.lower()}%"
        people = select(User.id).where(
            or_(func.lower(User.name).like(pattern), func.lower(User.email).like(pattern))
        )
        query = query.where(AuditEntry.actor_id.in_(people))
    if wanted.start:
        query = query.where(AuditEntry.at >= _market_midnight(wanted.start, wanted.zone))
    if wanted.end:
        next_day = wanted.end + timedelta(days=1)
        query = query.where(AuditEntry.at < _market_midnight(next_day, wanted.zone))
    return query


def _actors(entries: Sequence[AuditEntry]) -> dict[int, User]:
    ids = {e.actor_id for e in entries if e.actor_id is not None}
    if not ids:
        return {}
    return {u.id: u for u in db.session.scalars(select(User).where(User.id.in_(ids)))}


def audit_page(
    actor: User, wanted: AuditFilter, *, before: int | None = None, size: int = PAGE_SIZE
) -> AuditPage:
    """Entries matching `wanted`, newest first, older than entry `before` when given."""
    require_reviewer(actor)
    query = _filtered(select(AuditEntry), wanted).order_by(AuditEntry.id.desc())
    if before is not None:
        query = query.where(AuditEntry.id < before)
    rows = all_of(query.limit(size + 1))
    entries = rows[:size]
    older = entries[-1].id if len(rows) > size else None
    return AuditPage(entries, _actors(entries), older)


def audit_choices(actor: User) -> tuple[list[str], list[str]]:
    """The object types the trail holds, and the action codes of its latest entries.

    Types come from the (object_type, object_id) index; actions have none, so only the
    last CHOICES_WINDOW entries are read (a code seen only before them can still be
    asked for by its link or the address).
    """
    require_reviewer(actor)
    types = db.session.scalars(select(AuditEntry.object_type).distinct())
    recent = select(AuditEntry.action).order_by(AuditEntry.id.desc()).limit(CHOICES_WINDOW)
    actions = db.session.scalars(select(recent.subquery().c.action).distinct())
    return sorted(types), sorted(actions)


def audit_export(actor: User, wanted: AuditFilter) -> Iterator[tuple[AuditEntry, User | None]]:
    """Every matching entry, newest first, with its actor: read in batches by keyset."""
    require_reviewer(actor)
    before: int | None = None
    while True:
        page = audit_page(actor, wanted, before=before, size=EXPORT_BATCH)
        for entry in page.entries:
            yield entry, page.actors.get(entry.actor_id) if entry.actor_id else None
        if page.older_than is None:
            return
        before = page.older_than
