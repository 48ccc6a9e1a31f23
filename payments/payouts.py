"""Payouts: the payees' connected accounts on Stripe and the money paid out to them.

Setting up payouts takes two units of work in sequence: `open_connected_account`
(committed) then `onboarding_link`. Every function flushes and never commits: the
caller's unit of work commits.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from flask import current_app
from sqlalchemy import select

from accounts.models import User
from accounts.services import require_reviewer
from core import audit
from core.domain import N_, DomainError, PermissionDenied
from core.extensions import db
from core.rows import get_row
from deals.models import Deal, DealStatus
from payments import ledger, rules, stripe_channel, telling
from payments.card import require_stripe, stripe_unavailable
from payments.models import ConnectedAccount, Payment, Payout
from payments.queries import acting_org_id, connected_account_of
from payments.rules import Account, EntryKind, PaymentChannel, PaymentStatus, PayoutStatus

log = logging.getLogger(__name__)


def _payout_admin_org(actor: User) -> int:
    org_id = acting_org_id(actor)
    if org_id is None or not actor.is_org_admin:
        raise PermissionDenied(
            N_("Only an administrator of your organisation can set up its payouts.")
        )
    return org_id


def open_connected_account(actor: User, *, now: datetime) -> ConnectedAccount:
    """Payouts set-up, first unit of work: the organisation's connected account (flushes).

    An administrator's organisation without one gets an Express account on Stripe and
    its row here. The caller commits it before asking for `onboarding_link`, so an
    account Stripe made is kept even when the link cannot be had just then.
    """
    import stripe

    org_id = _payout_admin_org(actor)  # who asks first, then whether Stripe is on
    require_stripe()
    account = connected_account_of(org_id)
    if account is not None:
        return account
    try:
        created = stripe_channel.create_connected_account(
            org_id, email=actor.email, country=current_app.config.get("STRIPE_CONNECT_COUNTRY")
        )
    except stripe.StripeError as error:
        log.warning("Stripe account for organisation %s failed: %s", org_id, error)
        raise stripe_unavailable() from error
    account = ConnectedAccount(
        org_id=org_id,
        stripe_account_id=created.id,
        details_submitted=bool(getattr(created, "details_submitted", False)),
        charges_enabled=bool(getattr(created, "charges_enabled", False)),
        payouts_enabled=bool(getattr(created, "payouts_enabled", False)),
        created_at=now,
        updated_at=now,
    )
    audit.add_audited(
        "connected_account",
        account,
        "create",
        actor.id,
        now,
        after={"org_id": org_id, "stripe_account_id": account.stripe_account_id},
    )
    return account


def onboarding_link(
    account: ConnectedAccount, *, now: datetime, refresh_url: str, return_url: str
) -> str:
    """Payouts set-up, second step: Stripe's one-time onboarding URL (writes nothing).

    Takes the account `open_connected_account` returned, once its unit of work committed.
    """
    import stripe

    org_id = account.org_id
    try:
        link = stripe_channel.create_account_link(
            account.stripe_account_id,
            refresh_url=refresh_url,
            return_url=return_url,
            key=f"org-{org_id}-account-link-{now:%Y%m%d%H%M%S}",
        )
    except stripe.StripeError as error:
        log.warning("Stripe onboarding link for organisation %s failed: %s", org_id, error)
        raise stripe_unavailable() from error
    return str(link.url)


def account_updated(obj: Any, *, now: datetime) -> str:
    """Stripe says what a connected account may do now; blocked payouts go once it is ready."""
    account = db.session.scalar(
        select(ConnectedAccount)
        .where(ConnectedAccount.stripe_account_id == obj.get("id"))
        .with_for_update()
    )
    if account is None:
        return "unknown account"
    before = {"ready": account.ready}
    account.details_submitted = bool(obj.get("details_submitted"))
    account.charges_enabled = bool(obj.get("charges_enabled"))
    account.payouts_enabled = bool(obj.get("payouts_enabled"))
    account.updated_at = now
    audit.record_change(
        "connected_account",
        account.id,
        "update",
        None,
        now,
        before=before,
        after={"ready": account.ready},
    )
    if account.ready:
        for payout in db.session.scalars(
            select(Payout).where(
                Payout.org_id == account.org_id, Payout.status == PayoutStatus.BLOCKED
            )
        ):
            payout.status = PayoutStatus.PENDING
            stripe_channel.enqueue(
                "transfer", f"payout-{payout.id}-transfer", now=now, payout_id=payout.id
            )
    return "ready" if account.ready else "not ready"


def _paid_by_card(deal_id: int) -> bool:
    return (
        db.session.scalar(
            select(Payment.id)
            .where(
                Payment.deal_id == deal_id,
                Payment.channel == PaymentChannel.STRIPE,
                Payment.status == PaymentStatus.SUCCEEDED,
            )
            .limit(1)
        )
        is not None
    )


def release_payouts(actor: User, deal_id: int, *, now: datetime) -> list[Payout]:
    """A reviewer pays the seller and the brokers what the ledger owes them (flushes).

    Allowed once nothing is due from the buyer. Money paid by card goes by Stripe transfer
    (blocked until the payee's onboarding is complete); money paid by bank goes by bank
    transfer, which the reviewer records when made.
    """
    require_reviewer(actor)
    deal = get_row(Deal, deal_id, N_("No such deal."), lock=True)
    if deal.status == DealStatus.CANCELLED:
        raise DomainError(N_("This deal is closed."), code="deal_closed")
    legs = ledger.deal_legs(deal.id)
    if rules.amount_due(legs, deal.buyer_org_id) > 0:
        raise DomainError(
            N_("The buyer has not paid everything due yet."), code="payment_outstanding"
        )
    by_card = _paid_by_card(deal.id) and stripe_channel.enabled()
    payees: list[tuple[str, int, int]] = [
        (
            "seller",
            deal.seller_org_id,
            rules.payable_to(legs, Account.SELLER_PAYABLE, deal.seller_org_id),
        )
    ]
    for leg in legs:
        if leg.account == Account.BROKER_PAYABLE and leg.org_id is not None:
            amount = rules.payable_to(legs, Account.BROKER_PAYABLE, leg.org_id)
            if ("broker", leg.org_id, amount) not in payees:
                payees.append(("broker", leg.org_id, amount))
    made: list[Payout] = []
    for role, org_id, amount in payees:
        if amount > 0 and _payout_of(deal, org_id, role) is None:
            made.append(
                _owe(deal, org_id, role, amount, by_card=by_card, now=now, actor_id=actor.id)
            )
    return made


def _payout_of(deal: Deal, org_id: int, role: str) -> Payout | None:
    return db.session.scalar(
        select(Payout).where(
            Payout.deal_id == deal.id, Payout.org_id == org_id, Payout.role == role
        )
    )


def _owe(
    deal: Deal,
    org_id: int,
    role: str,
    amount_minor: int,
    *,
    by_card: bool,
    now: datetime,
    actor_id: int | None,
    **why: str,
) -> Payout:
    """A payout owed to `org_id` (flushes at the caller's flush): audited; by card, its
    Stripe transfer queued, or blocked until the payee's payout account is ready."""
    account = connected_account_of(org_id)
    ready = account is not None and account.ready
    status = PayoutStatus.BLOCKED if by_card and not ready else PayoutStatus.PENDING
    payout = Payout(
        deal_id=deal.id,
        org_id=org_id,
        role=role,
        amount_minor=amount_minor,
        currency=deal.currency,
        channel=PaymentChannel.STRIPE if by_card else PaymentChannel.OFFLINE,
        status=status,
        created_at=now,
    )
    after = {"status": status.value, "amount_minor": amount_minor, "role": role, **why}
    audit.add_audited("payout", payout, "create", actor_id, now, after=after)
    telling.payout_moved(payout, "payout.created", now=now)
    if by_card and status == PayoutStatus.PENDING:
        stripe_channel.enqueue(
            "transfer", f"payout-{payout.id}-transfer", now=now, payout_id=payout.id
        )
    return payout


def owe_forfeit_to_seller(
    deal: Deal, amount_minor: int, *, by_card: bool, now: datetime, actor_id: int | None
) -> Payout | None:
    """The seller's compensation from a forfeited deposit becomes a payout it is owed (flushes).

    Card money goes by Stripe transfer (blocked until the seller's payout account is
    ready), bank money by a reviewer's bank transfer. Once per deal: a second forfeiture
    of the same deal (a replay) finds the payout there.
    """
    if amount_minor <= 0:
        return None
    existing = _payout_of(deal, deal.seller_org_id, "seller")
    if existing is not None:
        return existing
    by_card = by_card and stripe_channel.enabled()
    return _owe(
        deal,
        deal.seller_org_id,
        "seller",
        amount_minor,
        by_card=by_card,
        now=now,
        actor_id=actor_id,
        reason="forfeited deposit",
    )


def payout_paid(
    payout: Payout,
    *,
    now: datetime,
    transfer_id: str | None = None,
    bank_reference: str | None = None,
    actor_id: int | None,
) -> None:
    """The payout left the platform: posted once (flushes)."""
    payable = Account.SELLER_PAYABLE if payout.role == "seller" else Account.BROKER_PAYABLE
    kind = EntryKind.SELLER_PAYOUT if payout.role == "seller" else EntryKind.BROKER_PAYOUT
    ledger.post(
        f"payout-{payout.id}-paid",
        kind,
        rules.payout_legs(
            payable, payout.org_id, payout.amount_minor, payout.currency, payout.channel
        ),
        now=now,
        deal_id=payout.deal_id,
        payout_id=payout.id,
        channel=payout.channel,
        memo=f"payout to the {payout.role}",
        external_ref=transfer_id or bank_reference,
        actor_id=actor_id,
    )
    if payout.status != PayoutStatus.PAID:
        was = payout.status
        payout.status = PayoutStatus.PAID
        payout.paid_at = now
        payout.transfer_id = transfer_id or payout.transfer_id
        payout.bank_reference = bank_reference or payout.bank_reference
        payout.recorded_by_id = actor_id
        audit.record_status("payout", payout, "paid", actor_id, now, was=was)
        telling.payout_paid(payout, now=now)
