"""Writing audit entries (in the caller's transaction) and verifying the chain."""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Generic, Protocol, TypeVar

from sqlalchemy import select

from core.audit_models import AuditEntry
from core.audit_rules import GENESIS_HASH, ChainBreak, ChainLink, link_hash, verify_chain
from core.extensions import db
from core.row_lists import all_of


def record(
    *,
    actor_id: int | None,
    action: str,
    object_type: str,
    object_id: int,
    now: datetime,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    reason: str | None = None,
    chained: bool = False,
) -> AuditEntry:
    """Add an audit entry to the session; `chained` entries join the ownership hash chain.

    The chain position is unique, so two decisions racing for the same position
    cannot both commit: one transaction fails and nothing of it is kept.
    """
    entry = AuditEntry(
        at=now,
        actor_id=actor_id,
        action=action,
        object_type=object_type,
        object_id=object_id,
        before=before,
        after=after,
        reason=reason,
    )
    if chained:
        last = db.session.execute(
            select(AuditEntry.chain_seq, AuditEntry.entry_hash)
            .where(AuditEntry.chain_seq.is_not(None))
            .order_by(AuditEntry.chain_seq.desc())
            .limit(1)
            .with_for_update()
        ).first()
        entry.chain_seq = (last.chain_seq + 1) if last else 1
        entry.prev_hash = last.entry_hash if last else GENESIS_HASH
        entry.entry_hash = link_hash(_link(entry))
    db.session.add(entry)
    return entry


def record_change(
    object_type: str,
    object_id: int,
    action: str,
    actor_id: int | None,
    now: datetime,
    *,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    reason: str | None = None,
) -> AuditEntry:
    """Audit a change of one object, under the action `<object_type>.<action>`."""
    return record(
        actor_id=actor_id,
        action=f"{object_type}.{action}",
        object_type=object_type,
        object_id=object_id,
        now=now,
        before=before,
        after=after,
        reason=reason,
    )


class _Row(Protocol):
    id: int


class _RowWithStatus(_Row, Protocol):
    @property
    def status(self) -> enum.Enum: ...


def record_status(
    object_type: str,
    row: _RowWithStatus,
    action: str,
    actor_id: int | None,
    now: datetime,
    *,
    was: enum.Enum,
    reason: str | None = None,
    **after: Any,
) -> None:
    """Audit a move of the row from status `was` to the one it has now, `after` fields beside it."""
    record_change(
        object_type,
        row.id,
        action,
        actor_id,
        now,
        before={"status": was.value},
        after={"status": row.status.value, **after},
        reason=reason,
    )


def add_audited(
    object_type: str,
    row: _Row,
    action: str,
    actor_id: int | None,
    now: datetime,
    *,
    after: dict[str, Any],
) -> None:
    """Add a new row to the session and audit its creation (`<object_type>.<action>`; flushes)."""
    db.session.add(row)
    db.session.flush()  # the entry names the row by its id
    record_change(object_type, row.id, action, actor_id, now, after=after)


R = TypeVar("R", bound=_Row)


@dataclass(frozen=True)
class ChangeRecorder(Generic[R]):
    """Audits the changes of one kind of object, with its audited `fields` after each change."""

    object_type: str
    fields: Callable[[R], dict[str, Any]]

    def __call__(
        self,
        row: R,
        action: str,
        actor_id: int | None,
        now: datetime,
        *,
        before: dict[str, Any] | None,
        reason: str | None = None,
        **extra: Any,
    ) -> None:
        """Write the entry `<object_type>.<action>`: the row's fields and `extra` after it."""
        record_change(
            self.object_type,
            row.id,
            action,
            actor_id,
            now,
            before=before,
            after={**self.fields(row), **extra},
            reason=reason,
        )


def _link(entry: AuditEntry) -> ChainLink:
    assert entry.chain_seq is not None and entry.prev_hash is not None
    return ChainLink(
        seq=entry.chain_seq,
        at=_stable_time(entry.at),
        actor_id=entry.actor_id,
        action=entry.action,
        object_type=entry.object_type,
        object_id=entry.object_id,
        before=entry.before,
        after=entry.after,
        reason=entry.reason,
        prev_hash=entry.prev_hash,
        entry_hash=entry.entry_hash or "",
    )


def _stable_time(moment: datetime) -> str:
    """The same text whether the database hands the time back naive (SQLite) or aware."""
    return moment.replace(tzinfo=None).isoformat(timespec="microseconds")


def verify_ownership_chain() -> tuple[int, ChainBreak | None]:
    """Return how many chain entries were checked and the first break, if any."""
    entries = all_of(
        select(AuditEntry).where(AuditEntry.chain_seq.is_not(None)).order_by(AuditEntry.chain_seq)
    )
    return len(entries), verify_chain(_link(e) for e in entries)


def history(object_type: str, object_id: int) -> list[AuditEntry]:
    """The audit entries of one object, oldest first."""
    return all_of(
        select(AuditEntry)
        .where(AuditEntry.object_type == object_type, AuditEntry.object_id == object_id)
        .order_by(AuditEntry.at, AuditEntry.id)
    )
