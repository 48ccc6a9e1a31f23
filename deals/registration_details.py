"""Completing a deal's registration form and recording its certificate number (技术合同认定登记).

The seller (the side that registers) or a reviewer fills in the form's fields; a
reviewer records the certificate number the registration office issued. Both are
audited. They flush and never commit: the caller's unit of work commits.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict
from datetime import datetime

from sqlalchemy import select

from accounts.models import User
from accounts.services import can_review, require_reviewer
from core.domain import N_, DomainError, PermissionDenied
from core.extensions import db
from core.service_kit import audit_action
from deals.models import Deal, DealRegistration
from deals.registration_rules import (
    RegistrationDetails,
    check_details,
    normalise_certificate_number,
)
from deals.services import get_deal
from listings.rules import FIELDS


def details_of(deal_ids: Iterable[int]) -> dict[int, DealRegistration]:
    """The registration forms of `deal_ids` that have been completed, by deal (one query)."""
    ids = list(deal_ids)
    if not ids:
        return {}
    rows = db.session.scalars(select(DealRegistration).where(DealRegistration.deal_id.in_(ids)))
    return {row.deal_id: row for row in rows}


def _may_complete(actor: User, deal: Deal) -> bool:
    return can_review(actor) or (
        actor.acting_org_id is not None and actor.acting_org_id == deal.seller_org_id
    )


def _snapshot(row: DealRegistration | None) -> dict | None:
    if row is None:
        return None
    return {
        "contract_number": row.contract_number,
        "transaction_amount_minor": row.transaction_amount_minor,
        "certificate_number": row.certificate_number,
    }


def save_details(
    actor: User, deal_id: int, details: RegistrationDetails, *, now: datetime
) -> DealRegistration:
    """Complete or correct the registration form of a deal (its seller, or a reviewer).

    Once registered (a certificate number recorded), the form is what the office
    registered: only a reviewer may still correct it.
    """
    deal = get_deal(deal_id)
    if not _may_complete(actor, deal):
        raise PermissionDenied(N_("Only the seller or a reviewer completes the registration."))
    check_details(
        details,
        contract_type=deal.contract_type,
        contract_amount_minor=deal.price_minor,
        fields=frozenset(FIELDS),
    )
    row = db.session.get(DealRegistration, deal_id)
    if row is not None and row.certificate_number and not can_review(actor):
        raise DomainError(
            N_("The contract is registered: ask a reviewer to correct the form."),
            code="registered",
        )
    before = _snapshot(row)
    if row is None:
        row = DealRegistration(deal_id=deal_id)
        db.session.add(row)
    for name, value in asdict(details).items():
        setattr(row, name, value.strip() if isinstance(value, str) else value)
    row.updated_at = now
    db.session.flush()
    audit_action(
        "deal.registration_details", deal_id, actor.id, now, before=before, after=_snapshot(row)
    )
    return row


def record_certificate(
    actor: User, deal_id: int, certificate_number: str, *, now: datetime
) -> DealRegistration:
    """A reviewer records the certificate number (登记证明编号) the office issued."""
    require_reviewer(actor)
    get_deal(deal_id)
    row = db.session.get(DealRegistration, deal_id, with_for_update=True)
    if row is None:
        raise DomainError(
            N_("Complete the registration form before recording its certificate."),
            code="registration_incomplete",
        )
    number = normalise_certificate_number(certificate_number)
    before = _snapshot(row)
    row.certificate_number = number
    row.certified_at = now
    row.certified_by_id = actor.id
    row.updated_at = now
    db.session.flush()
    audit_action(
        "deal.registration_certificate", deal_id, actor.id, now, before=before, after=_snapshot(row)
    )
    return row
