"""Mandates (委托): a principal engages a broker for a listing or a need.

Proposed by one side, binding when the other accepts, ended by notice. Every write
checks permission, applies `brokers.rules`, records an audit entry and flushes; the
caller's unit of work commits.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select

from accounts.models import Organisation, User
from accounts.own_rows import rows_of_acting_org
from accounts.services import acts_for_org, can_review, is_signed_in
from brokers import rules, telling
from brokers.broker_access import broker_accredited, get_broker, signed_in
from brokers.models import Broker, Mandate
from brokers.rules import BrokerRuleBroken, CommissionKind, MandateSide, MandateStatus, Payer
from core.audit_fields import fields_of
from core.domain import N_, NotFound, PermissionDenied, ValidationFailed
from core.extensions import db
from core.row_lists import all_of, newest_first
from core.service_kit import audit_action, flush_new, get_or_not_found
from listings.needs import get_need, visible_need
from listings.services import lock_listing, visible_listing


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


def _scope_owner(
    actor: User, side: MandateSide, listing_id: int | None, need_id: int | None
) -> int:
    """The organisation a mandate on this scope must come from (listing seller / need buyer).

    A scope the actor may not see (another organisation's draft) looks like it does not exist.
    """
    if side == MandateSide.SELLER:
        if listing_id is None or need_id is not None:
            raise ValidationFailed(
                N_("A seller's mandate covers one of its listings."), field="listing_id"
            )
        return visible_listing(actor, listing_id).organisation_id
    if need_id is None or listing_id is not None:
        raise ValidationFailed(N_("A buyer's mandate covers one of its needs."), field="need_id")
    return visible_need(actor, need_id).organisation_id


def _is_principal(actor: User | None, mandate: Mandate) -> bool:
    return acts_for_org(actor, mandate.principal_org_id)


def _is_broker(actor: User | None, mandate: Mandate) -> bool:
    return is_signed_in(actor) and mandate.broker.user_id == actor.id


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
        lock_listing(listing_id)
    elif need_id is not None:
        get_need(need_id, lock=True)


_AUDITED = (
    "status",
    "broker_id",
    "principal_org_id",
    "listing_id",
    "need_id",
    "exclusive",
    "commission_kind",
    "rate_bps",
    "min_minor",
    "max_minor",
    "fixed_minor",
    "payer",
    "ends_at",
)


def _mandate_snapshot(mandate: Mandate) -> dict[str, Any]:
    return fields_of(mandate, _AUDITED)


def propose_mandate(actor: User, data: MandateInput, *, now: datetime) -> Mandate:
    """The principal (or the broker) proposes a mandate; it binds when the other side accepts.

    The proposer's acceptance is recorded with the proposal. The broker must be accredited
    and unexpired, the terms valid, and no exclusive mandate may conflict on the scope.
    """
    signed_in(actor)
    broker = get_broker(data.broker_id)
    principal_org_id = _scope_owner(actor, data.side, data.listing_id, data.need_id)
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
    mandate = flush_new(
        Mandate(
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
    )
    audit_action("mandate.propose", mandate.id, actor.id, now, after=_mandate_snapshot(mandate))
    telling.mandate_proposed(mandate, by_broker=by_broker, now=now)
    return mandate


def get_mandate(mandate_id: int) -> Mandate:
    """A mandate by id, or NotFound."""
    return get_or_not_found(Mandate, mandate_id, N_("No such mandate."))


def visible_mandate(actor: User | None, mandate_id: int) -> Mandate:
    """A mandate for its broker, the principal's members and the reviewers."""
    mandate = get_mandate(mandate_id)
    if not (_is_broker(actor, mandate) or _is_principal(actor, mandate) or can_review(actor)):
        raise NotFound(N_("No such mandate."))
    return mandate


def _lock_mandate(mandate_id: int) -> Mandate:
    return get_or_not_found(Mandate, mandate_id, N_("No such mandate."), lock=True)


def _party_side(actor: User | None, mandate: Mandate) -> bool:
    """True for the broker, False for the principal; NotFound for anyone else."""
    as_broker = _is_broker(actor, mandate)
    if not (as_broker or _is_principal(actor, mandate)):
        raise NotFound(N_("No such mandate."))
    return as_broker


def check_accept(actor: User | None, mandate: Mandate, *, now: datetime) -> bool:
    """Whether the actor may accept `mandate` now (writes nothing); True for its broker."""
    signed_in(actor)
    as_broker = _party_side(actor, mandate)
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
    return as_broker


def check_decline(actor: User | None, mandate: Mandate) -> bool:
    """Whether the actor may decline (or withdraw) `mandate` now; True for its broker."""
    signed_in(actor)
    as_broker = _party_side(actor, mandate)
    if mandate.status != MandateStatus.PROPOSED:
        raise BrokerRuleBroken(N_("This mandate is no longer awaiting acceptance."), code="state")
    return as_broker


def check_terminate(actor: User | None, mandate: Mandate, *, now: datetime) -> None:
    """Whether the actor may end `mandate` by notice now (writes nothing)."""
    signed_in(actor)
    _party_side(actor, mandate)
    rules.check_termination(mandate.status, mandate.term(), now)


def accept_mandate(actor: User, mandate_id: int, *, now: datetime) -> Mandate:
    """The side that did not propose accepts: the mandate binds (status active)."""
    signed_in(actor)
    mandate = get_mandate(mandate_id)
    _lock_scope(mandate.listing_id, mandate.need_id)
    mandate = _lock_mandate(mandate_id)
    as_broker = check_accept(actor, mandate, now=now)
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
    after = {"status": mandate.status.value, "by": "broker" if as_broker else "principal"}
    audit_action("mandate.accept", mandate.id, actor.id, now, before=before, after=after)
    if mandate.status == MandateStatus.ACTIVE:
        telling.mandate_active(mandate, now=now)
    return mandate


def decline_mandate(actor: User, mandate_id: int, *, now: datetime, reason: str = "") -> Mandate:
    """Before it binds: the other side declines a proposal, or the proposer withdraws it."""
    signed_in(actor)
    mandate = _lock_mandate(mandate_id)
    as_broker = check_decline(actor, mandate)
    proposer_side_broker = mandate.proposed_by_id == mandate.broker.user_id
    withdrawing = as_broker == proposer_side_broker
    mandate.status = MandateStatus.WITHDRAWN if withdrawing else MandateStatus.DECLINED
    _audit_status(
        mandate,
        "withdraw" if withdrawing else "decline",
        actor,
        now,
        before=MandateStatus.PROPOSED,
        reason=reason.strip() or None,
    )
    telling.mandate_closed(mandate, by_broker=as_broker, withdrawn=withdrawing, now=now)
    return mandate


def terminate_mandate(actor: User, mandate_id: int, reason: str, *, now: datetime) -> Mandate:
    """Either side ends a mandate in force by notice: it stays in force for the notice period."""
    signed_in(actor)
    mandate = _lock_mandate(mandate_id)
    as_broker = _party_side(actor, mandate)
    if not reason.strip():
        raise ValidationFailed(N_("Give the reason for the decision."), field="reason")
    check_terminate(actor, mandate, now=now)
    term = mandate.term()
    mandate.terminates_at = rules.termination_date(now, mandate.notice_days, term)
    mandate.status = MandateStatus.TERMINATED
    mandate.terminated_by_id = actor.id
    mandate.termination_reason = reason.strip()[:2000]
    _audit_status(
        mandate,
        "terminate",
        actor,
        now,
        before=MandateStatus.ACTIVE,
        reason=mandate.termination_reason,
        terminates_at=mandate.terminates_at.isoformat(),
    )
    telling.mandate_terminated(mandate, by_broker=as_broker, now=now)
    return mandate


def _audit_status(
    mandate: Mandate,
    verb: str,
    actor: User,
    now: datetime,
    *,
    before: MandateStatus,
    reason: str | None,
    **after: Any,
) -> None:
    """Audit `mandate.<verb>`: the status before, the status after (and `after`'s details)."""
    audit_action(
        f"mandate.{verb}",
        mandate.id,
        actor.id,
        now,
        before={"status": before.value},
        after={"status": mandate.status.value, **after},
        reason=reason,
    )


def mandates_of_broker(broker: Broker) -> list[Mandate]:
    """A broker's mandates, newest first."""
    return all_of(newest_first(Mandate).where(Mandate.broker_id == broker.id))


def mandates_of_org(actor: User) -> list[Mandate]:
    """The mandates the actor's organisation gave, newest first."""
    return rows_of_acting_org(actor, newest_first(Mandate), Mandate.principal_org_id)
