"""Accreditation of technology brokers (技术经纪人): applying, documents, the review.

Every function takes the actor and `now`, checks permission, applies `brokers.rules`,
writes with an audit entry and flushes; the caller's unit of work commits (reads never
write).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import IO, Any

from sqlalchemy import select

from accounts.models import User
from accounts.services import is_signed_in, require_reviewer, rows_for_reviewer
from brokers import rules, telling
from brokers.broker_access import broker_of, own_broker, signed_in, today_in_market
from brokers.models import Broker, BrokerDocument
from brokers.rules import AccreditationStatus, BrokerLevel, BrokerRuleBroken
from core.domain import N_, NotFound, PermissionDenied, ValidationFailed
from core.extensions import db
from core.service_kit import (
    DocumentAudit,
    Upload,
    audit_action,
    get_or_not_found,
    keep_document,
)
from listings.rules import FIELDS

DOCUMENT_KINDS = ("certificate", "identity", "training", "other")
LANGUAGES = ("zh", "en", "ja", "ko", "de", "fr", "ru")


@dataclass(frozen=True)
class Application:
    """What a person types to apply as a broker."""

    level: BrokerLevel
    certificate_number: str
    issuing_body: str
    expires_on: date
    region: str
    expertise_fields: tuple[str, ...] = ()
    languages: tuple[str, ...] = ("zh",)
    bio: str = ""


def _snapshot_broker(broker: Broker) -> dict[str, Any]:
    return {
        "status": broker.status.value,
        "level": broker.level.value,
        "certificate_number": broker.certificate_number,
        "expires_on": broker.expires_on.isoformat(),
    }


def _clean_list(values: Sequence[str], allowed: Sequence[str], field_name: str) -> list[str]:
    cleaned = list(dict.fromkeys(v.strip() for v in values if v and v.strip()))
    for value in cleaned:
        if value not in allowed:
            raise ValidationFailed(N_("Choose from the list."), field=field_name)
    return cleaned


def apply(actor: User, data: Application, *, now: datetime, warning_days: int = 60) -> Broker:
    """Apply (or apply again) for accreditation; a reviewer decides.

    The applicant acts for a verified organisation (their agency), which receives the
    commissions. A refused, expired or soon-expiring accreditation may be renewed by
    applying again; the application then waits for a reviewer.
    """
    signed_in(actor)
    org = actor.organisation if actor.acting_org_id is not None else None
    if org is None or not org.is_verified:
        raise PermissionDenied(
            N_("Brokers act for a verified organisation: join or register one first."),
            code="org_not_verified",
        )
    today = today_in_market(now)
    rules.check_application(
        certificate_number=data.certificate_number,
        issuing_body=data.issuing_body,
        expires_on=data.expires_on,
        today=today,
    )
    if not data.region.strip():
        raise ValidationFailed(N_("This field is required."), field="region")
    fields_ = _clean_list(data.expertise_fields, list(FIELDS), "expertise_fields")
    languages = _clean_list(data.languages, LANGUAGES, "languages") or ["zh"]
    broker = broker_of(actor)
    before = _snapshot_broker(broker) if broker else None
    if broker is None:
        broker = Broker(user_id=actor.id)
        db.session.add(broker)
    elif broker.status == AccreditationStatus.ACCREDITED and not rules.expiry_warning(
        broker.expires_on, today, warning_days
    ):
        raise BrokerRuleBroken(
            N_("Your accreditation is valid: apply again when it nears its expiry."),
            code="already_accredited",
        )
    broker.organisation_id = org.id
    broker.level = data.level
    broker.certificate_number = data.certificate_number.strip()
    broker.issuing_body = data.issuing_body.strip()
    broker.expires_on = data.expires_on
    broker.region = data.region.strip()
    broker.expertise_fields = fields_
    broker.languages = languages
    broker.bio = data.bio.strip() or None
    broker.status = AccreditationStatus.PENDING
    broker.applied_at = now
    broker.decided_at = None
    broker.decided_by_id = None
    broker.decision_reason = None
    db.session.flush()
    after = _snapshot_broker(broker)
    audit_action("broker.apply", broker.id, actor.id, now, before=before, after=after)
    return broker


def update_profile(
    actor: User,
    *,
    region: str,
    expertise_fields: Sequence[str],
    languages: Sequence[str],
    bio: str,
    now: datetime,
) -> Broker:
    """A broker edits the public part of the profile (not the accreditation)."""
    broker = own_broker(actor, N_("No such broker."))
    if not region.strip():
        raise ValidationFailed(N_("This field is required."), field="region")
    broker.region = region.strip()
    broker.expertise_fields = _clean_list(expertise_fields, list(FIELDS), "expertise_fields")
    broker.languages = _clean_list(languages, LANGUAGES, "languages") or ["zh"]
    broker.bio = bio.strip() or None
    after = {"region": broker.region, "expertise_fields": broker.expertise_fields}
    audit_action("broker.profile", broker.id, actor.id, now, after=after)
    return broker


def add_document(
    actor: User,
    *,
    kind: str,
    stream: IO[bytes],
    filename: str,
    folder: Path,
    max_bytes: int,
    now: datetime,
) -> BrokerDocument:
    """Attach a document to one's own application (while it waits or was refused)."""
    broker = own_broker(actor, N_("Apply first, then attach your documents."))
    if broker.status == AccreditationStatus.ACCREDITED:
        raise BrokerRuleBroken(
            N_("Documents are added to an application, not to a decided accreditation."),
            code="not_editable",
        )
    return keep_document(
        BrokerDocument(broker_id=broker.id, kind=kind),
        Upload(stream, filename),
        DocumentAudit("broker.document_add", broker.id),
        kinds=DOCUMENT_KINDS, by=actor.id, now=now, folder=folder, max_bytes=max_bytes,
    )  # fmt: skip


def document_for_download(actor: User | None, document_id: int) -> BrokerDocument:
    """An application document, for the applicant and the reviewers only."""
    document = get_or_not_found(BrokerDocument, document_id, N_("No such document."))
    if not (is_signed_in(actor) and (document.broker.user_id == actor.id or actor.can_review)):
        raise NotFound(N_("No such document."))
    return document


def broker_queue(actor: User) -> list[Broker]:
    """Applications waiting for a reviewer, oldest first."""
    pending = select(Broker).where(Broker.status == AccreditationStatus.PENDING)
    return rows_for_reviewer(actor, pending.order_by(Broker.applied_at, Broker.id))


def application(actor: User | None, broker_id: int) -> Broker:
    """A broker's application in any state, for the reviewers (their page and the API)."""
    require_reviewer(actor)
    return get_or_not_found(Broker, broker_id, N_("No such broker."))


def check_decision(actor: User | None, broker: Broker, target: AccreditationStatus, *, now: datetime) -> None:  # fmt: skip
    """Whether the actor may accredit or refuse (`target`) the application now (writes
    nothing): a reviewer, not the applicant, while it waits; never an expired certificate."""
    require_reviewer(actor)
    rules.check_decision(broker.status)
    assert actor is not None
    if broker.user_id == actor.id:
        raise PermissionDenied(N_("Nobody decides their own application."))
    if target == AccreditationStatus.ACCREDITED and broker.expires_on < today_in_market(now):
        raise BrokerRuleBroken(
            N_("The certificate has expired: it cannot be accredited."), code="expired"
        )


def _decide(
    actor: User, broker_id: int, target: AccreditationStatus, reason: str, *, now: datetime
) -> Broker:
    require_reviewer(actor)
    broker = get_or_not_found(Broker, broker_id, N_("No such broker."), lock=True)
    rules.check_decision(broker.status)
    if target == AccreditationStatus.REFUSED and not reason.strip():
        raise ValidationFailed(N_("Give the reason for the decision."), field="reason")
    check_decision(actor, broker, target, now=now)
    before = _snapshot_broker(broker)
    broker.status = target
    broker.decided_at = now
    broker.decided_by_id = actor.id
    broker.decision_reason = reason.strip() or None
    audit_action(
        f"broker.{target.value}",
        broker.id,
        actor.id,
        now,
        before=before,
        after=_snapshot_broker(broker),
        reason=broker.decision_reason,
    )
    telling.broker_decided(broker, accredited=target == AccreditationStatus.ACCREDITED, now=now)
    return broker


def accredit(actor: User, broker_id: int, *, now: datetime, note: str = "") -> Broker:
    """A reviewer accredits a broker after checking the certificate."""
    return _decide(actor, broker_id, AccreditationStatus.ACCREDITED, note, now=now)


def refuse(actor: User, broker_id: int, reason: str, *, now: datetime) -> Broker:
    """A reviewer refuses an application, with the reason the applicant reads."""
    return _decide(actor, broker_id, AccreditationStatus.REFUSED, reason, now=now)
