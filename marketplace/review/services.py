"""What reviewers see: the queues and the audit trail."""

from __future__ import annotations

from sqlalchemy import select

from accounts.models import Organisation, User, VerificationStatus
from accounts.services import require_reviewer
from core.audit_models import AuditEntry
from core.extensions import db


def organisation_queue(actor: User) -> list[Organisation]:
    """Organisations waiting for verification, oldest first."""
    require_reviewer(actor)
    return list(
        db.session.scalars(
            select(Organisation)
            .where(Organisation.status == VerificationStatus.PENDING)
            .order_by(Organisation.created_at)
        )
    )


def audit_trail(
    actor: User, *, object_type: str | None = None, limit: int = 200
) -> list[AuditEntry]:
    """The latest audit entries, newest first."""
    require_reviewer(actor)
    query = select(AuditEntry).order_by(AuditEntry.id.desc()).limit(limit)
    if object_type:
        query = query.where(AuditEntry.object_type == object_type)
    return list(db.session.scalars(query))
