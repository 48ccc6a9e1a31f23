"""What reviewers see: the queues and the audit trail."""

from __future__ import annotations

from sqlalchemy import select

from accounts.models import User
from accounts.services import organisation_queue, require_reviewer
from core.audit_models import AuditEntry
from core.row_lists import all_of

__all__ = ["audit_trail", "organisation_queue"]  # the organisations' queue is accounts'


def audit_trail(
    actor: User, *, object_type: str | None = None, limit: int = 200
) -> list[AuditEntry]:
    """The latest audit entries, newest first."""
    require_reviewer(actor)
    query = select(AuditEntry).order_by(AuditEntry.id.desc()).limit(limit)
    if object_type:
        query = query.where(AuditEntry.object_type == object_type)
    return all_of(query)
