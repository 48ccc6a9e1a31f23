"""Obtaining an open licence: written notice, payment on the published terms, the licence.

No negotiation (专利法 Art. 51): the notice accepts the published terms as they stand.
A fee due with the notice (a lump sum, an entry fee) is paid by bank transfer quoting
OL-<licence id>; a reviewer finds it on the statement and records it, as for a deal's
price (payments.offline), and the licence is granted. A royalty-only licence is granted
with the notice: the royalties are due on the net sales afterwards. Each use case
flushes; the caller's unit of work commits.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from accounts.models import User
from accounts.services import get_organisation, require_reviewer
from core.domain import N_, NotFound, PermissionDenied, ValidationFailed
from core.extensions import db
from core.row_lists import all_of
from core.service_kit import audit_action, flush_new, get_or_not_found
from licences import rules
from licences.models import OpenLicence, OpenLicenceDeclaration
from licences.rules import DeclarationStatus, LicenceKind, LicenceStatus
from listings.need_rules import market_today
from notifications.services import notify_org
from payments import bank_rules
from payments.models import Payment

MAX_NOTICE = 2000


def transfer_reference(licence_id: int) -> str:
    """The reference the licensee's bank transfer quotes."""
    return f"OL-{licence_id}"


def give_notice(actor: User, declaration_id: int, notice: str, *, now: datetime) -> OpenLicence:
    """A verified organisation notifies the patentee in writing that it takes the licence."""
    org_id = actor.acting_org_id
    if org_id is None or not get_organisation(org_id).is_verified:
        raise PermissionDenied(N_("Only members of a verified organisation may take a licence."))
    text = (notice or "").strip()
    if not text or len(text) > MAX_NOTICE:
        raise ValidationFailed(N_("Write the notice to the patentee (at most 2,000 characters)."), field="notice")  # fmt: skip
    declaration = get_or_not_found(OpenLicenceDeclaration, declaration_id, N_("No such open licence."), lock=True)  # fmt: skip
    rules.check_may_take(declaration.status, org_id, declaration.org_id)
    due = rules.due_on_notice(declaration.terms)
    licence = flush_new(
        OpenLicence(
            declaration_id=declaration.id, licensee_org_id=org_id, notified_by_id=actor.id,
            status=LicenceStatus.AWAITING_PAYMENT, notice_text=text, amount_due_minor=due,
            created_at=now,
        )
    )  # fmt: skip
    audit_action("open_licence_grant.notice", licence.id, actor.id, now, after={"declaration_id": declaration.id, "amount_due_minor": due})  # fmt: skip
    notify_org(declaration.org_id, "open_licence.notice", params=_params(licence), link=_link(licence), now=now)  # fmt: skip
    if due == 0:
        _grant(licence, actor.id, now)
    return licence


def record_payment(
    reviewer: User, licence_id: int, amount_minor: int, bank_reference: str, *, now: datetime
) -> OpenLicence:
    """A reviewer found the licensee's transfer on the statement: the licence is granted."""
    require_reviewer(reviewer)
    licence = get_or_not_found(OpenLicence, licence_id, N_("No such licence."), lock=True)
    if licence.status != LicenceStatus.AWAITING_PAYMENT:
        raise rules.OpenLicenceError(N_("This licence is not waiting for payment."), code="not_awaiting_payment")  # fmt: skip
    reference = bank_rules.check_reference(bank_reference, transfer_reference(licence.id))
    if amount_minor != licence.amount_due_minor:
        raise ValidationFailed(
            N_("The transfer must be the fee on the published terms, %(amount)s."),
            field="amount", amount=f"{licence.amount_due_minor / 100:,.2f}",
        )  # fmt: skip
    licence.bank_reference = reference
    licence.payment_recorded_by_id = reviewer.id
    licence.paid_at = now
    audit_action("open_licence_grant.paid", licence.id, reviewer.id, now, after={"amount_minor": amount_minor, "bank_reference": reference})  # fmt: skip
    _grant(licence, reviewer.id, now)
    return licence


def record_card_payment(payment: Payment, *, now: datetime) -> OpenLicence | None:
    """Stripe reported the fee paid by card: the licence is granted (once; a replay is a no-op)."""
    licence = db.session.get(OpenLicence, payment.open_licence_id, with_for_update=True)
    if licence is None or licence.status != LicenceStatus.AWAITING_PAYMENT:
        return licence
    if payment.amount_minor != licence.amount_due_minor:
        return None  # not the published fee: left for a reviewer (reconciliation shows it)
    licence.paid_at = now
    audit_action("open_licence_grant.paid", licence.id, payment.user_id, now, after={"amount_minor": payment.amount_minor, "channel": "stripe", "payment_id": payment.id})  # fmt: skip
    _grant(licence, payment.user_id, now)
    return licence


def _grant(licence: OpenLicence, actor_id: int, now: datetime) -> None:
    # A withdrawal after the notice does not undo it: the licence is obtained by notice
    # and payment on the terms that stood when notice was given.
    declaration = licence.declaration
    starts = market_today(now)
    licence.status = LicenceStatus.GRANTED
    licence.granted_at = now
    licence.number = rules.licence_number(licence.id, starts.year)
    licence.starts_on = starts
    licence.ends_on = rules.licence_end(starts, declaration.term_years)
    audit_action("open_licence_grant.grant", licence.id, actor_id, now, before={"status": "awaiting_payment"}, after={"status": "granted", "number": licence.number, "starts_on": starts.isoformat(), "ends_on": licence.ends_on.isoformat()})  # fmt: skip
    for org_id in (declaration.org_id, licence.licensee_org_id):
        notify_org(org_id, "open_licence.granted", params=_params(licence), link=_link(licence), now=now)  # fmt: skip


def _params(licence: OpenLicence) -> dict[str, str]:
    declaration = licence.declaration
    return {
        **declaration.listing.titles(),
        "organisation": licence.licensee.name, "organisation_en": licence.licensee.display_name("en"),
        "name": licence.number or declaration.patent_number,
    }  # fmt: skip


def _link(licence: OpenLicence) -> str:
    return f"/open-licences/licences/{licence.id}"


def visible_licence(actor: User | None, licence_id: int) -> OpenLicence:
    """A licence's record, for its two parties and reviewers (else NotFound)."""
    licence = db.session.get(OpenLicence, licence_id)
    if licence is None or actor is None or not actor.is_authenticated:
        raise NotFound(N_("No such licence."))
    parties = (licence.licensee_org_id, licence.declaration.org_id)
    if not (actor.can_review or actor.acting_org_id in parties):
        raise NotFound(N_("No such licence."))
    return licence


def awaiting_payment(reviewer: User) -> list[OpenLicence]:
    """Notices whose fee the reviewer still has to find on the bank statement, oldest first."""
    require_reviewer(reviewer)
    query = select(OpenLicence).where(OpenLicence.status == LicenceStatus.AWAITING_PAYMENT)
    return all_of(query.order_by(OpenLicence.id))


def licences_of(actor: User) -> list[OpenLicence]:
    """The licences the actor's organisation took, newest first."""
    query = select(OpenLicence).where(OpenLicence.licensee_org_id == actor.acting_org_id)
    return all_of(query.order_by(OpenLicence.id.desc()))


def open_licence_standing(patent_number: str) -> bool:
    """Whether a published open-licence declaration stands for this patent."""
    found = db.session.scalar(
        select(OpenLicenceDeclaration.id).where(
            OpenLicenceDeclaration.patent_number == patent_number,
            OpenLicenceDeclaration.status == DeclarationStatus.PUBLISHED,
        )
    )
    return found is not None


def check_licence_allowed(patent_number: str, kind: LicenceKind) -> None:
    """Refuse an exclusive or sole licence of a patent under a standing open licence.

    For whatever grants a negotiated licence of a patent (trading and auctions sit
    above this package and may call it); ordinary licences pass.
    """
    rules.check_licence_kind(kind, open_licence_standing(patent_number))
