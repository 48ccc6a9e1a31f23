"""Use cases of technology brokers: accreditation, mandates (委托), introductions, ratings.

Every function takes the actor and `now`, checks permission, applies `brokers.rules`,
writes with an audit entry and commits (reads never write). `is_accredited` and
`acts_for` are what the other domains ask (matching, valuation, offline deals).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any, BinaryIO
from zoneinfo import ZoneInfo

from sqlalchemy import func, or_, select

from accounts.models import Organisation, User
from accounts.services import require_reviewer
from brokers import rules
from brokers.models import (
    Broker,
    BrokerDocument,
    DealCommission,
    Introduction,
    Mandate,
    Rating,
)
from brokers.rules import (
    AccreditationStatus,
    BrokerLevel,
    BrokerRuleBroken,
    CommissionKind,
    IntroductionKind,
    IntroductionStatus,
    MandateSide,
    MandateStatus,
    Payer,
)
from core import storage
from core.audit import services as audit
from core.domain import N_, DomainError, NotFound, PermissionDenied, ValidationFailed
from core.extensions import db
from deals.models import Deal, DealStatus
from listings.models import Listing, TechNeed
from listings.need_rules import NeedStatus
from listings.rules import FIELDS, ListingStatus

log = logging.getLogger(__name__)

MARKET_TZ = ZoneInfo("Asia/Shanghai")  # certificates expire at the end of a Shanghai day
DOCUMENT_KINDS = ("certificate", "identity", "training", "other")
LANGUAGES = ("zh", "en", "ja", "ko", "de", "fr", "ru")


def today_in_market(now: datetime, tz: ZoneInfo = MARKET_TZ) -> date:
    """The market's calendar date at `now`."""
    return now.astimezone(tz).date()


def _signed_in(actor: User | None) -> User:
    if actor is None or not actor.is_authenticated:
        raise PermissionDenied(N_("Please sign in to continue."))
    return actor


# --- accreditation -------------------------------------------------------------------------


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


def broker_of(user: User | None) -> Broker | None:
    """The user's broker record (any state), if they ever applied."""
    if user is None or not user.is_authenticated:
        return None
    return db.session.scalar(select(Broker).where(Broker.user_id == user.id))


def get_broker(broker_id: int) -> Broker:
    """A broker by id, or NotFound."""
    broker = db.session.get(Broker, broker_id)
    if broker is None:
        raise NotFound(N_("No such broker."))
    return broker


def broker_accredited(broker: Broker, *, now: datetime) -> bool:
    """Accredited by a reviewer and the certificate valid today."""
    return rules.is_accredited(broker.status, broker.expires_on, today_in_market(now))


def is_accredited(user: User | None, *, now: datetime) -> bool:
    """Whether the user is an accredited broker whose certificate has not expired."""
    broker = broker_of(user)
    return broker is not None and broker_accredited(broker, now=now)


def require_accredited(actor: User | None, *, now: datetime) -> Broker:
    """The actor's broker record, or PermissionDenied unless accredited and unexpired."""
    broker = broker_of(actor)
    if broker is None or broker.status != AccreditationStatus.ACCREDITED:
        raise PermissionDenied(N_("Only accredited technology brokers may do this."))
    if not broker_accredited(broker, now=now):
        raise PermissionDenied(
            N_("Your broker certificate has expired: renew it before taking new mandates."),
            code="accreditation_expired",
        )
    return broker


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
    _signed_in(actor)
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
    audit.record(
        actor_id=actor.id,
        action="broker.apply",
        object_type="broker",
        object_id=broker.id,
        now=now,
        before=before,
        after=_snapshot_broker(broker),
    )
    db.session.commit()
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
    broker = broker_of(_signed_in(actor))
    if broker is None:
        raise NotFound(N_("No such broker."))
    if not region.strip():
        raise ValidationFailed(N_("This field is required."), field="region")
    broker.region = region.strip()
    broker.expertise_fields = _clean_list(expertise_fields, list(FIELDS), "expertise_fields")
    broker.languages = _clean_list(languages, LANGUAGES, "languages") or ["zh"]
    broker.bio = bio.strip() or None
    audit.record(
        actor_id=actor.id,
        action="broker.profile",
        object_type="broker",
        object_id=broker.id,
        now=now,
        after={"region": broker.region, "expertise_fields": broker.expertise_fields},
    )
    db.session.commit()
    return broker


def add_document(
    actor: User,
    *,
    kind: str,
    stream: BinaryIO,
    filename: str,
    folder: Path,
    max_bytes: int,
    now: datetime,
) -> BrokerDocument:
    """Attach a document to one's own application (while it waits or was refused)."""
    broker = broker_of(_signed_in(actor))
    if broker is None:
        raise NotFound(N_("Apply first, then attach your documents."))
    if broker.status == AccreditationStatus.ACCREDITED:
        raise BrokerRuleBroken(
            N_("Documents are added to an application, not to a decided accreditation."),
            code="not_editable",
        )
    if kind not in DOCUMENT_KINDS:
        raise ValidationFailed(N_("Choose what kind of document this is."), field="kind")
    stored = storage.save_evidence(folder, stream, filename, max_bytes)
    try:
        document = BrokerDocument(
            broker_id=broker.id,
            kind=kind,
            **stored.columns(),
            uploaded_by_id=actor.id,
            uploaded_at=now,
        )
        db.session.add(document)
        db.session.flush()
        audit.record(
            actor_id=actor.id,
            action="broker.document_add",
            object_type="broker",
            object_id=broker.id,
            now=now,
            after={"document_id": document.id, "sha256": stored.sha256, "kind": kind},
        )
        db.session.commit()
    except Exception:
        db.session.rollback()
        storage.discard(folder, stored.stored_name)
        raise
    return document


def document_for_download(actor: User | None, document_id: int) -> BrokerDocument:
    """An application document, for the applicant and the reviewers only."""
    document = db.session.get(BrokerDocument, document_id)
    if document is None or actor is None or not actor.is_authenticated:
        raise NotFound(N_("No such document."))
    if not (document.broker.user_id == actor.id or actor.can_review):
        raise NotFound(N_("No such document."))
    return document


def broker_queue(actor: User) -> list[Broker]:
    """Applications waiting for a reviewer, oldest first."""
    require_reviewer(actor)
    return list(
        db.session.scalars(
            select(Broker)
            .where(Broker.status == AccreditationStatus.PENDING)
            .order_by(Broker.applied_at, Broker.id)
        )
    )


def _decide(
    actor: User, broker_id: int, target: AccreditationStatus, reason: str, *, now: datetime
) -> Broker:
    require_reviewer(actor)
    broker = db.session.scalar(select(Broker).where(Broker.id == broker_id).with_for_update())
    if broker is None:
        raise NotFound(N_("No such broker."))
    rules.check_decision(broker.status)
    if target == AccreditationStatus.REFUSED and not reason.strip():
        raise ValidationFailed(N_("Give the reason for the decision."), field="reason")
    if broker.user_id == actor.id:
        raise PermissionDenied(N_("Nobody decides their own application."))
    if target == AccreditationStatus.ACCREDITED and broker.expires_on < today_in_market(now):
        raise BrokerRuleBroken(
            N_("The certificate has expired: it cannot be accredited."), code="expired"
        )
    before = _snapshot_broker(broker)
    broker.status = target
    broker.decided_at = now
    broker.decided_by_id = actor.id
    broker.decision_reason = reason.strip() or None
    audit.record(
        actor_id=actor.id,
        action=f"broker.{target.value}",
        object_type="broker",
        object_id=broker.id,
        now=now,
        before=before,
        after=_snapshot_broker(broker),
        reason=broker.decision_reason,
    )
    db.session.commit()
    return broker


def accredit(actor: User, broker_id: int, *, now: datetime, note: str = "") -> Broker:
    """A reviewer accredits a broker after checking the certificate."""
    return _decide(actor, broker_id, AccreditationStatus.ACCREDITED, note, now=now)


def refuse(actor: User, broker_id: int, reason: str, *, now: datetime) -> Broker:
    """A reviewer refuses an application, with the reason the applicant reads."""
    return _decide(actor, broker_id, AccreditationStatus.REFUSED, reason, now=now)


# --- public profiles -----------------------------------------------------------------------


@dataclass
class BrokerStats:
    """What a profile shows of a broker's record."""

    completed_deals: int = 0
    deals: int = 0
    rating_count: int = 0
    rating_average: float | None = None


def public_broker(broker_id: int) -> Broker:
    """A broker whose profile is public: accredited (an expired one shows as such)."""
    broker = db.session.get(Broker, broker_id)
    if broker is None or broker.status != AccreditationStatus.ACCREDITED:
        raise NotFound(N_("No such broker."))
    return broker


def stats_for(broker_ids: Sequence[int]) -> dict[int, BrokerStats]:
    """Deals, completed deals and ratings per broker, in two queries."""
    result = {broker_id: BrokerStats() for broker_id in broker_ids}
    if not result:
        return result
    rows = db.session.execute(
        select(DealCommission.broker_id, Deal.status, func.count(func.distinct(Deal.id)))
        .join(Deal, Deal.id == DealCommission.deal_id)
        .where(DealCommission.broker_id.in_(result), Deal.status != DealStatus.CANCELLED)
        .group_by(DealCommission.broker_id, Deal.status)
    ).all()
    for broker_id, status, count in rows:
        result[broker_id].deals += count
        if status == DealStatus.COMPLETED:
            result[broker_id].completed_deals += count
    for broker_id, count, average in db.session.execute(
        select(Rating.broker_id, func.count(Rating.id), func.avg(Rating.score))
        .where(Rating.broker_id.in_(result))
        .group_by(Rating.broker_id)
    ).all():
        result[broker_id].rating_count = count
        result[broker_id].rating_average = round(float(average), 1) if average else None
    return result


def directory(
    *, now: datetime, field_code: str | None = None, region: str | None = None
) -> list[Broker]:
    """Accredited brokers with a valid certificate, senior first, for the public directory."""
    query = select(Broker).where(
        Broker.status == AccreditationStatus.ACCREDITED,
        Broker.expires_on >= today_in_market(now),
    )
    if region:
        query = query.where(Broker.region == region)
    brokers = list(db.session.scalars(query.order_by(Broker.id)))
    if field_code:
        brokers = [b for b in brokers if field_code in (b.expertise_fields or [])]
    order = {BrokerLevel.SENIOR: 0, BrokerLevel.INTERMEDIATE: 1, BrokerLevel.JUNIOR: 2}
    return sorted(brokers, key=lambda b: (order[b.level], b.id))


def ratings_of(broker_id: int, limit: int = 50) -> list[Rating]:
    """A broker's ratings, newest first."""
    return list(
        db.session.scalars(
            select(Rating)
            .where(Rating.broker_id == broker_id)
            .order_by(Rating.created_at.desc(), Rating.id.desc())
            .limit(limit)
        )
    )


# --- mandates ------------------------------------------------------------------------------


@dataclass(frozen=True)
class MandateInput:
    """A mandate as proposed by the principal or by the broker."""

    broker_id: int
    side: MandateSide
    starts_at: datetime
    ends_at: datetime
    commission_kind: CommissionKind
    payer: Payer
    listing_id: int | None = None
    need_id: int | None = None
    exclusive: bool = False
    notice_days: int = 30
    rate_bps: int | None = None
    min_minor: int | None = None
    max_minor: int | None = None
    fixed_minor: int | None = None
    above_cap_agreed: bool = False
    scope_note: str = ""


def _get_need(need_id: int, *, lock: bool = False) -> TechNeed:
    query = select(TechNeed).where(TechNeed.id == need_id)
    need = db.session.scalar(query.with_for_update() if lock else query)
    if need is None:
        raise NotFound(N_("No such technology need."))
    return need


def _scope_owner(side: MandateSide, listing_id: int | None, need_id: int | None) -> int:
    """The organisation a mandate on this scope must come from (listing seller / need buyer)."""
    if side == MandateSide.SELLER:
        if listing_id is None or need_id is not None:
            raise ValidationFailed(
                N_("A seller's mandate covers one of its listings."), field="listing_id"
            )
        listing = db.session.get(Listing, listing_id)
        if listing is None:
            raise NotFound(N_("No such listing."))
        return listing.organisation_id
    if need_id is None or listing_id is not None:
        raise ValidationFailed(N_("A buyer's mandate covers one of its needs."), field="need_id")
    return _get_need(need_id).organisation_id


def _is_principal(actor: User | None, mandate: Mandate) -> bool:
    return bool(
        actor and actor.is_authenticated and actor.acting_org_id == mandate.principal_org_id
    )


def _is_broker(actor: User | None, mandate: Mandate) -> bool:
    return bool(actor and actor.is_authenticated and mandate.broker.user_id == actor.id)


def _scope_claims(mandate_or_data: Mandate | MandateInput) -> list[rules.ScopeClaim]:
    """The bound mandates on the same scope (listing or need, same side)."""
    query = select(Mandate).where(
        Mandate.status.in_([MandateStatus.ACTIVE, MandateStatus.TERMINATED]),
        Mandate.side == mandate_or_data.side,
    )
    if mandate_or_data.listing_id is not None:
        query = query.where(Mandate.listing_id == mandate_or_data.listing_id)
    else:
        query = query.where(Mandate.need_id == mandate_or_data.need_id)
    return [
        rules.ScopeClaim(
            mandate_id=m.id, broker_id=m.broker_id, exclusive=m.exclusive, term=m.term()
        )
        for m in db.session.scalars(query)
    ]


def _lock_scope(listing_id: int | None, need_id: int | None) -> None:
    """Serialise bindings on one scope, so two exclusive mandates cannot both bind."""
    if listing_id is not None:
        db.session.scalar(select(Listing.id).where(Listing.id == listing_id).with_for_update())
    elif need_id is not None:
        _get_need(need_id, lock=True)


def _mandate_snapshot(mandate: Mandate) -> dict[str, Any]:
    return {
        "status": mandate.status.value,
        "broker_id": mandate.broker_id,
        "principal_org_id": mandate.principal_org_id,
        "listing_id": mandate.listing_id,
        "need_id": mandate.need_id,
        "exclusive": mandate.exclusive,
        "commission_kind": mandate.commission_kind.value,
        "rate_bps": mandate.rate_bps,
        "min_minor": mandate.min_minor,
        "max_minor": mandate.max_minor,
        "fixed_minor": mandate.fixed_minor,
        "payer": mandate.payer.value,
        "ends_at": mandate.ends_at.isoformat(),
    }


def propose_mandate(actor: User, data: MandateInput, *, now: datetime) -> Mandate:
    """The principal (or the broker) proposes a mandate; it binds when the other side accepts.

    The proposer's acceptance is recorded with the proposal. The broker must be accredited
    and unexpired, the terms valid, and no exclusive mandate may conflict on the scope.
    """
    _signed_in(actor)
    broker = get_broker(data.broker_id)
    principal_org_id = _scope_owner(data.side, data.listing_id, data.need_id)
    by_broker = broker.user_id == actor.id
    if not by_broker and actor.acting_org_id != principal_org_id:
        raise PermissionDenied(
            N_(
                "Only the organisation that owns the listing or the need, or the broker, may do this."
            )
        )
    if principal_org_id == broker.organisation_id:
        raise ValidationFailed(
            N_("A broker cannot take a mandate from their own organisation."), field="broker_id"
        )
    if not broker_accredited(broker, now=now):
        raise BrokerRuleBroken(
            N_("This broker's accreditation is not valid: no new mandates."),
            code="not_accredited",
        )
    principal = db.session.get(Organisation, principal_org_id)
    if principal is None or not principal.is_verified:
        raise PermissionDenied(N_("The principal's organisation must be verified."))
    terms = rules.CommissionTerms(
        kind=data.commission_kind,
        rate_bps=data.rate_bps if data.commission_kind == CommissionKind.PERCENTAGE else None,
        min_minor=data.min_minor if data.commission_kind == CommissionKind.PERCENTAGE else None,
        max_minor=data.max_minor if data.commission_kind == CommissionKind.PERCENTAGE else None,
        fixed_minor=data.fixed_minor if data.commission_kind == CommissionKind.FIXED else None,
    )
    rules.check_terms(terms, above_cap_agreed=data.above_cap_agreed)
    rules.check_term(data.starts_at, data.ends_at, data.notice_days, now)
    if len(data.scope_note) > 5000:
        raise ValidationFailed(N_("The text is too long."), field="scope_note")
    rules.check_exclusivity(
        rules.ScopeClaim(
            mandate_id=None,
            broker_id=broker.id,
            exclusive=data.exclusive,
            term=rules.MandateTerm(data.starts_at, data.ends_at),
        ),
        _scope_claims(data),
    )
    mandate = Mandate(
        broker_id=broker.id,
        principal_org_id=principal_org_id,
        side=data.side,
        listing_id=data.listing_id,
        need_id=data.need_id,
        scope_note=data.scope_note.strip() or None,
        exclusive=data.exclusive,
        starts_at=data.starts_at,
        ends_at=data.ends_at,
        notice_days=data.notice_days,
        commission_kind=terms.kind,
        rate_bps=terms.rate_bps,
        min_minor=terms.min_minor,
        max_minor=terms.max_minor,
        fixed_minor=terms.fixed_minor,
        currency="CNY",
        payer=data.payer,
        above_cap_agreed=data.above_cap_agreed,
        status=MandateStatus.PROPOSED,
        proposed_by_id=actor.id,
        created_at=now,
        broker_accepted_at=now if by_broker else None,
        principal_accepted_at=None if by_broker else now,
    )
    db.session.add(mandate)
    db.session.flush()
    audit.record(
        actor_id=actor.id,
        action="mandate.propose",
        object_type="mandate",
        object_id=mandate.id,
        now=now,
        after=_mandate_snapshot(mandate),
    )
    db.session.commit()
    return mandate


def get_mandate(mandate_id: int) -> Mandate:
    """A mandate by id, or NotFound."""
    mandate = db.session.get(Mandate, mandate_id)
    if mandate is None:
        raise NotFound(N_("No such mandate."))
    return mandate


def visible_mandate(actor: User | None, mandate_id: int) -> Mandate:
    """A mandate for its broker, the principal's members and the reviewers."""
    mandate = get_mandate(mandate_id)
    reviewer = bool(actor and actor.is_authenticated and actor.can_review)
    if not (_is_broker(actor, mandate) or _is_principal(actor, mandate) or reviewer):
        raise NotFound(N_("No such mandate."))
    return mandate


def _lock_mandate(mandate_id: int) -> Mandate:
    mandate = db.session.scalar(
        select(Mandate)
        .where(Mandate.id == mandate_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    if mandate is None:
        raise NotFound(N_("No such mandate."))
    return mandate


def accept_mandate(actor: User, mandate_id: int, *, now: datetime) -> Mandate:
    """The side that did not propose accepts: the mandate binds (status active)."""
    _signed_in(actor)
    mandate = get_mandate(mandate_id)
    _lock_scope(mandate.listing_id, mandate.need_id)
    mandate = _lock_mandate(mandate_id)
    as_broker = _is_broker(actor, mandate)
    as_principal = _is_principal(actor, mandate)
    if not (as_broker or as_principal):
        raise NotFound(N_("No such mandate."))
    already = mandate.broker_accepted_at if as_broker else mandate.principal_accepted_at
    rules.check_acceptance(
        mandate.status,
        already_accepted=already is not None,
        is_party=True,
        expired=now >= mandate.term().effective_end,
    )
    if not broker_accredited(mandate.broker, now=now):
        raise BrokerRuleBroken(
            N_("This broker's accreditation is not valid: no new mandates."),
            code="not_accredited",
        )
    rules.check_exclusivity(
        rules.ScopeClaim(mandate.id, mandate.broker_id, mandate.exclusive, mandate.term()),
        _scope_claims(mandate),
    )
    before = {"status": mandate.status.value}
    if as_broker:
        mandate.broker_accepted_at = now
    else:
        mandate.principal_accepted_at = now
    if mandate.broker_accepted_at and mandate.principal_accepted_at:
        mandate.status = MandateStatus.ACTIVE
    audit.record(
        actor_id=actor.id,
        action="mandate.accept",
        object_type="mandate",
        object_id=mandate.id,
        now=now,
        before=before,
        after={"status": mandate.status.value, "by": "broker" if as_broker else "principal"},
    )
    db.session.commit()
    return mandate


def decline_mandate(actor: User, mandate_id: int, *, now: datetime, reason: str = "") -> Mandate:
    """Before it binds: the other side declines a proposal, or the proposer withdraws it."""
    _signed_in(actor)
    mandate = _lock_mandate(mandate_id)
    as_broker = _is_broker(actor, mandate)
    if not (as_broker or _is_principal(actor, mandate)):
        raise NotFound(N_("No such mandate."))
    if mandate.status != MandateStatus.PROPOSED:
        raise BrokerRuleBroken(N_("This mandate is no longer awaiting acceptance."), code="state")
    proposer_side_broker = mandate.proposed_by_id == mandate.broker.user_id
    withdrawing = as_broker == proposer_side_broker
    mandate.status = MandateStatus.WITHDRAWN if withdrawing else MandateStatus.DECLINED
    audit.record(
        actor_id=actor.id,
        action="mandate.withdraw" if withdrawing else "mandate.decline",
        object_type="mandate",
        object_id=mandate.id,
        now=now,
        before={"status": MandateStatus.PROPOSED.value},
        after={"status": mandate.status.value},
        reason=reason.strip() or None,
    )
    db.session.commit()
    return mandate


def terminate_mandate(actor: User, mandate_id: int, reason: str, *, now: datetime) -> Mandate:
    """Either side ends a mandate in force by notice: it stays in force for the notice period."""
    _signed_in(actor)
    mandate = _lock_mandate(mandate_id)
    if not (_is_broker(actor, mandate) or _is_principal(actor, mandate)):
        raise NotFound(N_("No such mandate."))
    if not reason.strip():
        raise ValidationFailed(N_("Give the reason for the decision."), field="reason")
    term = mandate.term()
    rules.check_termination(mandate.status, term, now)
    mandate.terminates_at = rules.termination_date(now, mandate.notice_days, term)
    mandate.status = MandateStatus.TERMINATED
    mandate.terminated_by_id = actor.id
    mandate.termination_reason = reason.strip()[:2000]
    audit.record(
        actor_id=actor.id,
        action="mandate.terminate",
        object_type="mandate",
        object_id=mandate.id,
        now=now,
        before={"status": MandateStatus.ACTIVE.value},
        after={"status": mandate.status.value, "terminates_at": mandate.terminates_at.isoformat()},
        reason=mandate.termination_reason,
    )
    db.session.commit()
    return mandate


def mandates_of_broker(broker: Broker) -> list[Mandate]:
    """A broker's mandates, newest first."""
    return list(
        db.session.scalars(
            select(Mandate)
            .where(Mandate.broker_id == broker.id)
            .order_by(Mandate.created_at.desc(), Mandate.id.desc())
        )
    )


def mandates_of_org(actor: User) -> list[Mandate]:
    """The mandates the actor's organisation gave, newest first."""
    if actor.acting_org_id is None:
        return []
    return list(
        db.session.scalars(
            select(Mandate)
            .where(Mandate.principal_org_id == actor.acting_org_id)
            .order_by(Mandate.created_at.desc(), Mandate.id.desc())
        )
    )


def mandates_in_force(
    broker: Broker, *, now: datetime, listing_id: int | None = None, need_id: int | None = None
) -> list[Mandate]:
    """The broker's mandates in force now on a listing or a need (both None: all of them)."""
    query = select(Mandate).where(
        Mandate.broker_id == broker.id,
        Mandate.status.in_([MandateStatus.ACTIVE, MandateStatus.TERMINATED]),
    )
    if listing_id is not None:
        query = query.where(Mandate.listing_id == listing_id)
    if need_id is not None:
        query = query.where(Mandate.need_id == need_id)
    return [m for m in db.session.scalars(query.order_by(Mandate.id)) if m.in_force(now)]


def acts_for(
    actor: User | None,
    *,
    listing_id: int | None = None,
    need_id: int | None = None,
    now: datetime,
) -> bool:
    """Whether the actor is an accredited broker with a mandate in force on the listing or need."""
    if listing_id is None and need_id is None:
        return False
    broker = broker_of(actor)
    if broker is None or not broker_accredited(broker, now=now):
        return False
    return bool(mandates_in_force(broker, now=now, listing_id=listing_id, need_id=need_id))


# --- introductions -------------------------------------------------------------------------


def _mandate_for_introduction(
    broker: Broker, *, listing: Listing, buyer_org_id: int, need: TechNeed | None, now: datetime
) -> Mandate | None:
    """The broker's mandate in force under which this introduction is made, if any."""
    candidates = mandates_in_force(broker, now=now, listing_id=listing.id)
    if need is not None:
        candidates += mandates_in_force(broker, now=now, need_id=need.id)
    else:
        # Acting for the buyer: a mandate on any of the buyer's needs covers it.
        candidates += [
            m
            for m in mandates_in_force(broker, now=now)
            if m.side == MandateSide.BUYER and m.principal_org_id == buyer_org_id
        ]
    return candidates[0] if candidates else None


def introduce(
    actor: User,
    *,
    listing_id: int,
    buyer_org_id: int | None = None,
    need_id: int | None = None,
    note: str = "",
    now: datetime,
) -> Introduction:
    """A broker acting under a mandate introduces a buyer to a listing (or a seller to a need).

    Both parties then accept; the introduction is recorded with its time and broker.
    """
    broker = require_accredited(actor, now=now)
    listing = db.session.get(Listing, listing_id)
    if listing is None or listing.status != ListingStatus.PUBLISHED:
        raise NotFound(N_("No such listing."))
    need = None
    if need_id is not None:
        need = _get_need(need_id)
        if need.status != NeedStatus.OPEN:
            raise BrokerRuleBroken(N_("This technology need is closed."), code="need_closed")
        buyer_org_id = need.organisation_id
        kind = IntroductionKind.SELLER_TO_NEED
    else:
        kind = IntroductionKind.BUYER_TO_LISTING
    if buyer_org_id is None:
        raise ValidationFailed(N_("Choose the buyer to introduce."), field="buyer_org_id")
    buyer = db.session.get(Organisation, buyer_org_id)
    if buyer is None:
        raise NotFound(N_("No such organisation."))
    if buyer.id == listing.organisation_id:
        raise ValidationFailed(
            N_("The buyer and the seller are the same organisation."), field="buyer_org_id"
        )
    if not buyer.is_verified:
        raise BrokerRuleBroken(
            N_("Only verified organisations can be introduced."), code="not_verified"
        )
    mandate = _mandate_for_introduction(
        broker, listing=listing, buyer_org_id=buyer.id, need=need, now=now
    )
    if mandate is None:
        raise PermissionDenied(
            N_("You need a mandate in force for this listing or need to introduce parties."),
            code="no_mandate",
        )
    if len(note) > 5000:
        raise ValidationFailed(N_("The text is too long."), field="note")
    duplicate = db.session.scalar(
        select(Introduction.id).where(
            Introduction.broker_id == broker.id,
            Introduction.listing_id == listing.id,
            Introduction.buyer_org_id == buyer.id,
            Introduction.status.in_([IntroductionStatus.PROPOSED, IntroductionStatus.ACCEPTED]),
        )
    )
    if duplicate is not None:
        raise BrokerRuleBroken(
            N_("You have already introduced these parties for this listing."), code="duplicate"
        )
    introduction = Introduction(
        mandate_id=mandate.id,
        broker_id=broker.id,
        kind=kind,
        listing_id=listing.id,
        need_id=need.id if need is not None else None,
        seller_org_id=listing.organisation_id,
        buyer_org_id=buyer.id,
        note=note.strip() or None,
        status=IntroductionStatus.PROPOSED,
        created_at=now,
        created_by_id=actor.id,
    )
    db.session.add(introduction)
    db.session.flush()
    audit.record(
        actor_id=actor.id,
        action="introduction.propose",
        object_type="introduction",
        object_id=introduction.id,
        now=now,
        after={
            "status": introduction.status.value,
            "mandate_id": mandate.id,
            "listing_id": listing.id,
            "seller_org_id": listing.organisation_id,
            "buyer_org_id": buyer.id,
            "need_id": introduction.need_id,
        },
    )
    db.session.commit()
    return introduction


def get_introduction(introduction_id: int) -> Introduction:
    """An introduction by id, or NotFound."""
    introduction = db.session.get(Introduction, introduction_id)
    if introduction is None:
        raise NotFound(N_("No such introduction."))
    return introduction


def side_in(actor: User | None, introduction: Introduction) -> str | None:
    """'seller', 'buyer', 'broker' or None for the actor in an introduction."""
    if actor is None or not actor.is_authenticated:
        return None
    if actor.acting_org_id == introduction.seller_org_id:
        return "seller"
    if actor.acting_org_id == introduction.buyer_org_id:
        return "buyer"
    if introduction.broker.user_id == actor.id:
        return "broker"
    return None


def visible_introduction(actor: User | None, introduction_id: int) -> Introduction:
    """An introduction for its two parties, its broker and the reviewers."""
    introduction = get_introduction(introduction_id)
    reviewer = bool(actor and actor.is_authenticated and actor.can_review)
    if side_in(actor, introduction) is None and not reviewer:
        raise NotFound(N_("No such introduction."))
    return introduction


def respond_to_introduction(
    actor: User, introduction_id: int, *, accept: bool, now: datetime
) -> Introduction:
    """A party accepts or declines; once both accept, a negotiation thread opens between them.

    The thread is the listing's negotiation (协议定价): the parties agree a price there,
    and the deal that follows carries the broker's commission.
    """
    _signed_in(actor)
    introduction = db.session.scalar(
        select(Introduction)
        .where(Introduction.id == introduction_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    if introduction is None:
        raise NotFound(N_("No such introduction."))
    side = side_in(actor, introduction)
    if side not in ("seller", "buyer"):
        if side == "broker":
            raise PermissionDenied(N_("The parties accept an introduction, not the broker."))
        raise NotFound(N_("No such introduction."))
    if introduction.status != IntroductionStatus.PROPOSED:
        raise BrokerRuleBroken(
            N_("This introduction is no longer awaiting an answer."), code="state"
        )
    stamp = "seller_accepted_at" if side == "seller" else "buyer_accepted_at"
    if getattr(introduction, stamp) is not None:
        raise BrokerRuleBroken(N_("You have already accepted this introduction."), code="state")
    before = {"status": introduction.status.value}
    if not accept:
        introduction.status = IntroductionStatus.DECLINED
        introduction.declined_at = now
        introduction.declined_by_org_id = actor.acting_org_id
    else:
        setattr(introduction, stamp, now)
        if introduction.seller_accepted_at and introduction.buyer_accepted_at:
            introduction.status = IntroductionStatus.ACCEPTED
            introduction.accepted_at = now
    audit.record(
        actor_id=actor.id,
        action=f"introduction.{'accept' if accept else 'decline'}",
        object_type="introduction",
        object_id=introduction.id,
        now=now,
        before=before,
        after={"status": introduction.status.value, "by": side},
    )
    db.session.flush()
    if introduction.status == IntroductionStatus.ACCEPTED:
        _open_thread(actor, introduction, now=now)
    db.session.commit()
    return introduction


def _open_thread(actor: User, introduction: Introduction, *, now: datetime) -> None:
    """Link the parties' running negotiation on the listing, or open one (commits)."""
    from trading import sales  # the negotiation thread of negotiated prices
    from trading.models import Negotiation, NegotiationStatus

    running = db.session.scalar(
        select(Negotiation)
        .where(
            Negotiation.listing_id == introduction.listing_id,
            Negotiation.buyer_org_id == introduction.buyer_org_id,
            Negotiation.status.in_([NegotiationStatus.OPEN, NegotiationStatus.AGREED]),
        )
        .order_by(Negotiation.id.desc())
        .limit(1)
    )
    if running is None:
        message = (
            f"经纪人 {introduction.broker.user.name} 介绍双方洽谈（介绍 #{introduction.id}）。"
            f" / Introduced by broker {introduction.broker.user.name} "
            f"(introduction #{introduction.id})."
        )
        try:
            running = sales.open_negotiation(
                actor,
                introduction.listing_id,
                message=message,
                now=now,
                buyer_org_id=introduction.buyer_org_id
                if actor.acting_org_id == introduction.seller_org_id
                else None,
            )
        except DomainError as error:
            # The listing is in a listed sale or an auction: the introduction stands and
            # still protects the commission; the parties meet in that sale instead.
            log.info("introduction %s: no negotiation opened (%s)", introduction.id, error.code)
            return
    introduction.negotiation_id = running.id


def introductions_of_broker(broker: Broker) -> list[Introduction]:
    """A broker's introductions, newest first."""
    return list(
        db.session.scalars(
            select(Introduction)
            .where(Introduction.broker_id == broker.id)
            .order_by(Introduction.created_at.desc(), Introduction.id.desc())
        )
    )


def introductions_of_org(actor: User) -> list[Introduction]:
    """Introductions the actor's organisation is a party to, newest first."""
    org_id = actor.acting_org_id if actor.is_authenticated else None
    if org_id is None:
        return []
    return list(
        db.session.scalars(
            select(Introduction)
            .where(or_(Introduction.seller_org_id == org_id, Introduction.buyer_org_id == org_id))
            .order_by(Introduction.created_at.desc(), Introduction.id.desc())
        )
    )


# --- commissions: statement and the deal page ---------------------------------------------


def commissions_on_deal(deal_id: int) -> list[DealCommission]:
    """The commissions attributed to a deal (read-only: the settlement records them)."""
    return list(
        db.session.scalars(
            select(DealCommission)
            .where(DealCommission.deal_id == deal_id)
            .order_by(DealCommission.id)
        )
    )


@dataclass
class StatementLine:
    """One deal on a broker's statement."""

    commission: DealCommission
    deal: Deal
    paid: bool | None  # None: the payments ledger does not say


@dataclass
class Statement:
    """A broker's commissions, deal by deal, with totals per currency."""

    lines: list[StatementLine] = field(default_factory=list)
    earned: dict[str, int] = field(default_factory=dict)
    paid: dict[str, int] = field(default_factory=dict)
    outstanding: dict[str, int] = field(default_factory=dict)


def _paid_state(commission: DealCommission) -> bool | None:
    """Whether the payments ledger shows the commission paid out (None: nothing posted yet).

    Read-only: the deal's legs on the broker organisation's payable account. The accrual
    credits it, the payout debits it; settled when the payouts cover the accrual.
    """
    try:
        from payments import ledger  # issue 5: the deal ledger
        from payments.rules import Account
    except ImportError:
        return None
    try:
        legs = [
            leg
            for leg in ledger.deal_legs(commission.deal_id)
            if leg.account == Account.BROKER_PAYABLE and leg.org_id == commission.broker_org_id
        ]
    except Exception:  # a reader of another domain's ledger must never break the statement
        log.exception("commission %s: the payments ledger could not be read", commission.id)
        return None
    accrued = -sum(leg.amount_minor for leg in legs if leg.amount_minor < 0)
    paid_out = sum(leg.amount_minor for leg in legs if leg.amount_minor > 0)
    if accrued <= 0:
        return None
    return paid_out >= accrued


def statement(actor: User) -> Statement:
    """The signed-in broker's statement: every deal that carries their commission."""
    broker = broker_of(_signed_in(actor))
    if broker is None:
        raise NotFound(N_("No such broker."))
    result = Statement()
    rows = db.session.execute(
        select(DealCommission, Deal)
        .join(Deal, Deal.id == DealCommission.deal_id)
        .where(DealCommission.broker_id == broker.id)
        .order_by(Deal.created_at.desc(), DealCommission.id.desc())
    ).all()
    for commission, deal in rows:
        cancelled = deal.status == DealStatus.CANCELLED
        paid = None if cancelled else _paid_state(commission)
        result.lines.append(StatementLine(commission, deal, paid))
        if cancelled:
            continue
        currency = commission.currency
        result.earned[currency] = result.earned.get(currency, 0) + commission.amount_minor
        if paid:
            result.paid[currency] = result.paid.get(currency, 0) + commission.amount_minor
        else:
            result.outstanding[currency] = (
                result.outstanding.get(currency, 0) + commission.amount_minor
            )
    return result


# --- ratings -------------------------------------------------------------------------------


def rate_broker(
    actor: User, deal_id: int, broker_id: int, score: int, comment: str, *, now: datetime
) -> Rating:
    """A party rates the broker of a completed deal (1–5 and a comment), once per deal."""
    _signed_in(actor)
    deal = db.session.get(Deal, deal_id)
    org_id = actor.acting_org_id
    if deal is None or org_id is None or org_id not in (deal.seller_org_id, deal.buyer_org_id):
        raise NotFound(N_("No such deal."))
    if not db.session.scalar(
        select(DealCommission.id).where(
            DealCommission.deal_id == deal.id, DealCommission.broker_id == broker_id
        )
    ):
        raise NotFound(N_("No such broker."))
    if deal.status != DealStatus.COMPLETED:
        raise BrokerRuleBroken(
            N_("Brokers are rated once the deal is completed."), code="not_completed"
        )
    text = rules.check_rating(score, comment)
    if db.session.scalar(
        select(Rating.id).where(
            Rating.deal_id == deal.id, Rating.broker_id == broker_id, Rating.rater_org_id == org_id
        )
    ):
        raise BrokerRuleBroken(
            N_("Your organisation has already rated this broker for this deal."),
            code="already_rated",
        )
    rating = Rating(
        deal_id=deal.id,
        broker_id=broker_id,
        rater_org_id=org_id,
        rater_user_id=actor.id,
        score=score,
        comment=text or None,
        created_at=now,
    )
    db.session.add(rating)
    db.session.flush()
    audit.record(
        actor_id=actor.id,
        action="broker.rate",
        object_type="broker",
        object_id=broker_id,
        now=now,
        after={"deal_id": deal.id, "score": score, "rating_id": rating.id},
    )
    db.session.commit()
    return rating


def rateable(actor: User | None, deal: Deal) -> list[DealCommission]:
    """The deal's brokers the actor's organisation may still rate (completed deals only)."""
    if actor is None or not actor.is_authenticated or deal.status != DealStatus.COMPLETED:
        return []
    org_id = actor.acting_org_id
    if org_id is None or org_id not in (deal.seller_org_id, deal.buyer_org_id):
        return []
    rated = set(
        db.session.scalars(
            select(Rating.broker_id).where(Rating.deal_id == deal.id, Rating.rater_org_id == org_id)
        )
    )
    return [c for c in commissions_on_deal(deal.id) if c.broker_id not in rated]
