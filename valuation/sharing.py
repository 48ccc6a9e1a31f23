"""Valuation reports shared with partner banks (知识产权质押融资): the owner shares a formal
report with a verified bank and may take it back; the bank reads it while it is shared.

Each use case flushes and is audited; the caller's unit of work commits.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select

from accounts.models import Organisation, OrganisationKind, User, VerificationStatus
from accounts.services import is_signed_in
from core.domain import N_, NotFound, PermissionDenied, ValidationFailed
from core.extensions import db
from core.row_lists import all_of
from core.service_kit import audit_action, get_or_not_found
from valuation.models import ReportShare, Valuation


def banks() -> list[Organisation]:
    """The verified partner banks a report can be shared with."""
    query = select(Organisation).where(
        Organisation.kind == OrganisationKind.BANK,
        Organisation.status == VerificationStatus.VERIFIED,
    )
    return all_of(query.order_by(Organisation.name))


def is_bank_member(actor: User | None) -> bool:
    """Whether the actor acts for a verified partner bank."""
    org = actor.organisation if is_signed_in(actor) and actor.acting_org_id else None
    return org is not None and org.kind == OrganisationKind.BANK and org.is_verified


def shared_with(valuation_id: int, bank_org_id: int | None) -> bool:
    """Whether the report is shared now with this bank."""
    if bank_org_id is None:
        return False
    found = db.session.scalar(
        select(ReportShare.id).where(
            ReportShare.valuation_id == valuation_id,
            ReportShare.bank_org_id == bank_org_id,
            ReportShare.revoked_at.is_(None),
        )
    )
    return found is not None


def shares_of(valuation_id: int) -> list[ReportShare]:
    """The report's shares, current and revoked."""
    query = select(ReportShare).where(ReportShare.valuation_id == valuation_id)
    return all_of(query.order_by(ReportShare.id))


def owner_panel(actor: User | None, valuation: Valuation) -> dict[str, Any]:
    """The report page's sharing panel: its shares and the banks, for its owner only."""
    if not is_signed_in(actor) or actor.acting_org_id != valuation.organisation_id or not valuation.is_formal:  # fmt: skip
        return {"shares": None, "banks": []}
    return {"shares": shares_of(valuation.id), "banks": banks()}


def _owned_report(actor: User, valuation_id: int) -> Valuation:
    valuation = get_or_not_found(Valuation, valuation_id, N_("No such valuation."))
    if not is_signed_in(actor) or actor.acting_org_id != valuation.organisation_id:
        raise PermissionDenied(N_("Only the report's owner may share it."))
    if not valuation.is_formal:
        raise ValidationFailed(N_("Only a formal report can be shared with a bank."), field="_form")  # fmt: skip
    return valuation


def share(actor: User, valuation_id: int, bank_org_id: int, *, now: datetime) -> ReportShare:
    """The owner shares a formal report with a verified partner bank."""
    valuation = _owned_report(actor, valuation_id)
    bank = db.session.get(Organisation, bank_org_id)
    if bank is None or bank.kind != OrganisationKind.BANK or not bank.is_verified:
        raise ValidationFailed(N_("Choose a partner bank."), field="bank_org_id")
    row = db.session.scalar(
        select(ReportShare).where(
            ReportShare.valuation_id == valuation.id, ReportShare.bank_org_id == bank.id
        )
    )
    if row is None:
        row = ReportShare(valuation_id=valuation.id, bank_org_id=bank.id)
        db.session.add(row)
    row.shared_by_id, row.shared_at, row.revoked_at = actor.id, now, None
    db.session.flush()
    audit_action("valuation.share", valuation.id, actor.id, now, after={"bank_org_id": bank.id})
    return row


def unshare(actor: User, valuation_id: int, bank_org_id: int, *, now: datetime) -> ReportShare:
    """The owner takes a report back from a bank (the bank no longer reads it)."""
    valuation = _owned_report(actor, valuation_id)
    row = db.session.scalar(
        select(ReportShare).where(
            ReportShare.valuation_id == valuation.id,
            ReportShare.bank_org_id == bank_org_id,
            ReportShare.revoked_at.is_(None),
        )
    )
    if row is None:
        raise NotFound(N_("The report is not shared with this bank."))
    row.revoked_at = now
    db.session.flush()
    audit_action("valuation.unshare", valuation.id, actor.id, now, before={"bank_org_id": bank_org_id})  # fmt: skip
    return row


def reports_shared_with(actor: User) -> list[Valuation]:
    """The reports shared now with the actor's bank, newest first."""
    if not is_bank_member(actor):
        return []
    query = (
        select(Valuation)
        .join(ReportShare, ReportShare.valuation_id == Valuation.id)
        .where(ReportShare.bank_org_id == actor.acting_org_id, ReportShare.revoked_at.is_(None))
        .order_by(ReportShare.shared_at.desc())
    )
    return all_of(query)
