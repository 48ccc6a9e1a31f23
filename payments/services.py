"""Use cases of payments: the deal's accruals, paying by card, payouts, onboarding, money flow.

Both channels write the same ledger (`ledger.post`); the offline channel's own use
cases (receipts confirmed by a reviewer) live in `offline`. Every function here flushes
and never commits: the caller's unit of work commits. Paying by card and setting up
payouts take two units of work in sequence (our row is committed before Stripe is
asked for its page): `start_card_deposit` / `start_card_payment` then `open_checkout`,
and `open_connected_account` then `onboarding_link`.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import stripe
from flask import current_app
from sqlalchemy import or_, select

from accounts.models import Organisation, User
from accounts.services import require_reviewer
from core.audit import services as audit
from core.domain import N_, DomainError, NotFound, PermissionDenied
from core.extensions import db
from core.signals import values_from_signal
from deals.models import Deal, DealStatus
from payments import deposit_ledger, ledger, rules, signals, stripe_channel
from payments.models import (
    ConnectedAccount,
    Deposit,
    DepositStatus,
    LedgerLeg,
    LedgerTransaction,
    Payment,
    Payout,
    StripeOperation,
)
from payments.rules import (
    Account,
    EntryKind,
    Leg,
    PaymentChannel,
    PaymentStatus,
    PayoutStatus,
)

log = logging.getLogger(__name__)

CHECKOUT_REUSE = timedelta(hours=23)  # Checkout sessions expire after 24 hours


class PaymentsOff(DomainError):
    """The online channel is not configured."""

    code = "stripe_off"


def _stripe_unavailable() -> DomainError:
    return PaymentsOff(
        N_("Stripe cannot be reached just now. Try again in a moment, or pay by bank transfer."),
        code="stripe_unavailable",
    )


def fee_bps() -> int:
    """The platform's fee in basis points (PLATFORM_FEE_BPS)."""
    return int(current_app.config.get("PLATFORM_FEE_BPS", rules.DEFAULT_PLATFORM_FEE_BPS))


def _audit(
    object_type: str,
    object_id: int,
    action: str,
    actor_id: int | None,
    now: datetime,
    *,
    before: dict[str, Any] | None,
    after: dict[str, Any],
    reason: str | None = None,
) -> None:
    audit.record(
        actor_id=actor_id,
        action=f"{object_type}.{action}",
        object_type=object_type,
        object_id=object_id,
        now=now,
        before=before,
        after=after,
        reason=reason,
    )


def _move(payment: Payment, target: PaymentStatus, now: datetime, actor_id: int | None) -> bool:
    """Move a payment if the move is allowed (stale webhooks are ignored); audited."""
    if payment.status == target or not rules.may_move(payment.status, target):
        return False
    before = {"status": payment.status.value}
    payment.status = target
    payment.updated_at = now
    if target == PaymentStatus.SUCCEEDED:
        payment.succeeded_at = now
    _audit(
        "payment",
        payment.id,
        target.value,
        actor_id,
        now,
        before=before,
        after={"status": target.value, "amount_minor": payment.amount_minor},
    )
    return True


# --- accruals (deal created / cancelled) --------------------------------------------------


def _commissions(deal: Deal) -> list[rules.Commission]:
    """The commissions the deal owes, as its brokers' domain answers `deal_commissions`."""
    return values_from_signal(signals.deal_commissions, deal, flatten=True)


def accrue(deal: Deal, *, now: datetime, actor_id: int | None = None) -> LedgerTransaction:
    """Post the deal's settlement: buyer owes; seller, platform and brokers are owed (flushes)."""
    settlement = rules.settlement(deal.price_minor, fee_bps(), _commissions(deal))
    return ledger.post(
        f"deal-{deal.id}-accrual",
        EntryKind.ACCRUAL,
        rules.accrual_legs(
            settlement,
            currency=deal.currency,
            buyer_org_id=deal.buyer_org_id,
            seller_org_id=deal.seller_org_id,
        ),
        now=now,
        deal_id=deal.id,
        memo=f"settlement of deal {deal.id} (fee {fee_bps()} bps)",
        actor_id=actor_id,
    )


def reverse(deal: Deal, *, now: datetime, actor_id: int | None = None) -> None:
    """A cancelled deal: the accrual is reversed, card payments of the price refunded (flushes)."""
    accrual = ledger.find(f"deal-{deal.id}-accrual")
    if accrual is None:
        return
    ledger.post(
        f"deal-{deal.id}-reversal",
        EntryKind.ACCRUAL_REVERSAL,
        rules.reversed_legs(ledger.legs_of([accrual])),
        now=now,
        deal_id=deal.id,
        memo="the deal was cancelled",
        actor_id=actor_id,
    )
    for payment in db.session.scalars(
        select(Payment).where(
            Payment.deal_id == deal.id,
            Payment.purpose == "price",
            Payment.status == PaymentStatus.SUCCEEDED,
        )
    ):
        refund(payment, now=now, actor_id=actor_id)


def refund(payment: Payment, *, now: datetime, actor_id: int | None) -> None:
    """Give a price payment back: posted now; by card through Stripe, by bank by a reviewer."""
    ledger.post(
        f"payment-{payment.id}-refund",
        EntryKind.REFUND,
        rules.refund_legs(payment.org_id, payment.amount_minor, payment.currency, payment.channel),
        now=now,
        deal_id=payment.deal_id,
        payment_id=payment.id,
        channel=payment.channel,
        memo="refund of a payment of the price",
        actor_id=actor_id,
    )
    if payment.channel == PaymentChannel.STRIPE:
        stripe_channel.enqueue(
            "refund",
            f"payment-{payment.id}-refund",
            now=now,
            payment_id=payment.id,
            amount_minor=payment.amount_minor,
        )
    else:
        _move(payment, PaymentStatus.REFUNDED, now, actor_id)


# --- reading ---------------------------------------------------------------------------------


def _org_id(actor: User | None) -> int | None:
    return actor.acting_org_id if actor is not None and actor.is_authenticated else None


def broker_org_ids(deal_id: int) -> set[int]:
    """Broker organisations with a commission on the deal's ledger."""
    return {
        leg.org_id
        for leg in ledger.deal_legs(deal_id)
        if leg.account == Account.BROKER_PAYABLE and leg.org_id is not None
    }


def visible_deal(actor: User | None, deal_id: int) -> Deal:
    """A deal's money for its parties, its brokers and the reviewers."""
    deal = db.session.get(Deal, deal_id)
    org = _org_id(actor)
    if deal is None or actor is None or not actor.is_authenticated:
        raise NotFound(N_("No such deal."))
    if actor.can_review or (
        org is not None
        and (org in (deal.seller_org_id, deal.buyer_org_id) or org in broker_org_ids(deal.id))
    ):
        return deal
    raise NotFound(N_("No such deal."))


@dataclass(frozen=True)
class PartyLine:
    """One party's line of the money flow: what it paid in and what it received."""

    label: str
    org_id: int | None
    paid_in: int
    received: int
    owed: int  # still owed to the party (+) or by the party (−)


@dataclass
class MoneyFlow:
    """A deal's ledger made readable: postings, who paid and got what, what is due."""

    deal: Deal
    transactions: list[LedgerTransaction]
    legs: list[Leg]
    due: int
    seller_payable: int
    broker_payables: dict[int, int]
    platform_fee: int
    forfeited: int
    payments: list[Payment]
    payouts: list[Payout]
    balanced: bool
    names: dict[int, str] = field(default_factory=dict)


def money_flow(actor: User | None, deal_id: int) -> MoneyFlow:
    """The deal's money flow for someone allowed to see it."""
    deal = visible_deal(actor, deal_id)
    transactions = ledger.deal_transactions(deal.id)
    legs = ledger.legs_of(transactions)
    brokers: dict[int, int] = defaultdict(int)
    for leg in legs:
        if leg.account == Account.BROKER_PAYABLE and leg.org_id is not None:
            brokers[leg.org_id] -= leg.amount_minor
    org_ids = {leg.org_id for leg in legs if leg.org_id is not None}
    org_ids |= {deal.seller_org_id} | ({deal.buyer_org_id} if deal.buyer_org_id else set())
    names = {
        org.id: org.name
        for org in db.session.scalars(select(Organisation).where(Organisation.id.in_(org_ids)))
    }
    return MoneyFlow(
        deal=deal,
        transactions=transactions,
        legs=legs,
        due=rules.amount_due(legs, deal.buyer_org_id),
        seller_payable=rules.payable_to(legs, Account.SELLER_PAYABLE, deal.seller_org_id),
        broker_payables=dict(brokers),
        platform_fee=-rules.balance(legs, Account.PLATFORM_FEE),
        forfeited=-rules.balance(legs, Account.FORFEITED_DEPOSITS),
        payments=list(
            db.session.scalars(
                select(Payment).where(Payment.deal_id == deal.id).order_by(Payment.id)
            )
        ),
        payouts=list(
            db.session.scalars(select(Payout).where(Payout.deal_id == deal.id).order_by(Payout.id))
        ),
        balanced=rules.is_balanced(legs),
        names=names,
    )


def my_deposits(actor: User) -> list[Deposit]:
    """The deposits the actor's organisation owes or has paid, newest first."""
    org = _org_id(actor)
    if org is None:
        return []
    return list(
        db.session.scalars(select(Deposit).where(Deposit.org_id == org).order_by(Deposit.id.desc()))
    )


def own_deposit(actor: User | None, deposit_id: int) -> Deposit:
    """A deposit of the actor's organisation (NotFound for anyone else)."""
    deposit = db.session.get(Deposit, deposit_id)
    if deposit is None or _org_id(actor) != deposit.org_id:
        raise NotFound(N_("No such deposit."))
    return deposit


def period_end_of(deposit: Deposit) -> datetime | None:
    """When the auction or listed sale of a deposit ends (its owner answers the signal)."""
    ends = values_from_signal(
        signals.deposit_period_end, deposit.context_type, context_id=deposit.context_id
    )
    return ends[0] if ends else None


# --- paying by card ---------------------------------------------------------------------------


def _require_stripe() -> None:
    if not stripe_channel.enabled():
        raise PaymentsOff(
            N_("Card payments are not available; pay by bank transfer."), code="stripe_off"
        )


def _reusable(payment: Payment | None, now: datetime) -> bool:
    from core.clock import as_utc

    return (
        payment is not None
        and payment.status == PaymentStatus.PENDING
        and as_utc(payment.created_at) > now - CHECKOUT_REUSE
    )


def start_card_deposit(actor: User, deposit_id: int, *, now: datetime) -> Payment:
    """Pay a deposit by card, first unit of work: the pending payment (flushes).

    The card is authorised only (manual capture) when the auction or listed sale ends
    within the card's capture window; otherwise it is charged and refunded if not applied.
    A pending payment of the last 23 hours is reused. The caller commits it, then opens
    Stripe's page with `open_checkout` in a second unit of work, so a payment Stripe
    could not take stays pending and the next click asks again with the same key.
    """
    _require_stripe()
    deposit = own_deposit(actor, deposit_id)
    if deposit.status != DepositStatus.REQUIRED:
        raise DomainError(
            N_("This deposit does not wait for a payment (it is %(status)s)."),
            code="deposit_state",
            status=deposit.status.value,
        )
    existing = db.session.scalar(
        select(Payment)
        .where(Payment.deposit_id == deposit.id, Payment.channel == PaymentChannel.STRIPE)
        .order_by(Payment.id.desc())
        .limit(1)
    )
    if existing is not None and _reusable(existing, now):
        return existing
    ends_at = period_end_of(deposit) or now
    window = timedelta(hours=int(current_app.config.get("STRIPE_CAPTURE_WINDOW_HOURS", 144)))
    manual = rules.use_manual_capture(period_ends_at=ends_at, now=now, window=window)
    payment = Payment(
        purpose="deposit",
        deposit_id=deposit.id,
        org_id=deposit.org_id,
        user_id=actor.id,
        amount_minor=deposit.amount_minor,
        currency=deposit.currency,
        channel=PaymentChannel.STRIPE,
        status=PaymentStatus.PENDING,
        capture_method="manual" if manual else "automatic",
        created_at=now,
        updated_at=now,
    )
    db.session.add(payment)
    db.session.flush()
    _audit(
        "payment",
        payment.id,
        "start",
        actor.id,
        now,
        before=None,
        after={"deposit_id": deposit.id, "capture_method": payment.capture_method},
    )
    return payment


def _buyer_deal(actor: User, deal_id: int) -> Deal:
    deal = db.session.get(Deal, deal_id)
    if deal is None or _org_id(actor) is None:
        raise NotFound(N_("No such deal."))
    if _org_id(actor) != deal.buyer_org_id:
        if _org_id(actor) == deal.seller_org_id:
            raise PermissionDenied(N_("Only the buyer pays the price."))
        raise NotFound(N_("No such deal."))
    if deal.status == DealStatus.CANCELLED:
        raise DomainError(N_("This deal is closed."), code="deal_closed")
    return deal


def start_card_payment(actor: User, deal_id: int, *, now: datetime) -> Payment:
    """The buyer pays what is due by card, first unit of work: the pending payment (flushes).

    As with `start_card_deposit`, the caller commits it, then opens Stripe's page with
    `open_checkout` in a second unit of work.
    """
    _require_stripe()
    deal = _buyer_deal(actor, deal_id)
    due = ledger.amount_due(deal)
    rules.check_payment_amount(due, due)
    existing = db.session.scalar(
        select(Payment)
        .where(
            Payment.deal_id == deal.id,
            Payment.channel == PaymentChannel.STRIPE,
            Payment.amount_minor == due,
        )
        .order_by(Payment.id.desc())
        .limit(1)
    )
    if existing is not None and _reusable(existing, now):
        return existing
    payment = Payment(
        purpose="price",
        deal_id=deal.id,
        org_id=deal.buyer_org_id,
        user_id=actor.id,
        amount_minor=due,
        currency=deal.currency,
        channel=PaymentChannel.STRIPE,
        status=PaymentStatus.PENDING,
        capture_method="automatic",
        created_at=now,
        updated_at=now,
    )
    db.session.add(payment)
    db.session.flush()
    _audit("payment", payment.id, "start", actor.id, now, before=None, after={"deal_id": deal.id})
    return payment


def open_checkout(actor: User, payment_id: int, *, success_url: str, cancel_url: str) -> Payment:
    """Second unit of work of paying by card: Stripe's Checkout page for the pending payment.

    Run after the payment is committed (`start_card_deposit`, `start_card_payment`).
    A payment that has its page keeps it; one without (Stripe was down) asks again
    with the same idempotency key (the payment's id). Flushes the page's URL.
    """
    _require_stripe()
    payment = db.session.get(Payment, payment_id)
    if (
        payment is None
        or payment.channel != PaymentChannel.STRIPE
        or payment.org_id != _org_id(actor)
    ):
        raise NotFound(N_("No such payment."))
    if payment.checkout_url:
        return payment
    if payment.purpose == "deposit":
        title, deal_id = f"保证金 Deposit #{payment.deposit_id}", None
    else:
        deal = db.session.get(Deal, payment.deal_id)
        if deal is None:
            raise NotFound(N_("No such deal."))
        title, deal_id = deal.title, deal.id
    try:
        session = stripe_channel.create_checkout_session(
            payment, title=title, success_url=success_url, cancel_url=cancel_url, deal_id=deal_id
        )
    except stripe.StripeError as error:
        # The payment stays pending without a page; the next click asks again, same key.
        log.warning("Stripe Checkout for payment %s failed: %s", payment.id, error)
        raise _stripe_unavailable() from error
    payment.checkout_session_id = session.id
    payment.checkout_url = getattr(session, "url", None) or success_url
    db.session.flush()
    return payment


def record_price_received(payment: Payment, *, now: datetime, actor_id: int | None) -> None:
    """A payment of the price arrived (card or bank): posted once, payouts may follow (flushes)."""
    _move(payment, PaymentStatus.SUCCEEDED, now, actor_id)
    assert payment.deal_id is not None
    ledger.post(
        f"payment-{payment.id}-received",
        EntryKind.PAYMENT_RECEIVED,
        rules.payment_received_legs(
            payment.org_id, payment.amount_minor, payment.currency, payment.channel
        ),
        now=now,
        deal_id=payment.deal_id,
        payment_id=payment.id,
        channel=payment.channel,
        memo="payment of the price",
        external_ref=payment.payment_intent_id or payment.bank_reference,
        actor_id=actor_id,
    )


# --- effects reported by Stripe (webhooks and our own calls) ----------------------------------


def payment_for_stripe_object(obj: dict[str, Any]) -> Payment | None:
    """Our payment for a Stripe PaymentIntent / Checkout Session / Charge (by metadata, then id)."""
    metadata = obj.get("metadata") or {}
    payment_id = metadata.get("payment_id")
    payment = None
    if payment_id and str(payment_id).isdigit():
        payment = db.session.get(Payment, int(payment_id))
    if payment is None:
        intent = (
            obj.get("payment_intent") if obj.get("object") != "payment_intent" else obj.get("id")
        )
        if intent:
            payment = db.session.scalar(
                select(Payment).where(Payment.payment_intent_id == intent).limit(1)
            )
    if payment is not None:
        db.session.refresh(payment, with_for_update=True)
    return payment


def card_authorised(payment: Payment, intent_id: str | None, *, now: datetime) -> str:
    """The card is held (manual capture): the deposit is held."""
    if intent_id and not payment.payment_intent_id:
        payment.payment_intent_id = intent_id
    if not _move(payment, PaymentStatus.REQUIRES_CAPTURE, now, None):
        return "stale"
    if payment.purpose == "deposit" and payment.deposit_id is not None:
        from payments import deposits

        deposits.hold_by_card(
            payment.deposit_id,
            captured=False,
            now=now,
            payment_id=payment.id,
            external_ref=payment.payment_intent_id,
        )
    return "held"


def card_succeeded(payment: Payment, intent_id: str | None, *, now: datetime) -> str:
    """The card money arrived on Stripe: a deposit held (or its hold captured), or the price paid."""
    if intent_id and not payment.payment_intent_id:
        payment.payment_intent_id = intent_id
    was = payment.status
    if payment.status == PaymentStatus.SUCCEEDED or not rules.may_move(
        payment.status, PaymentStatus.SUCCEEDED
    ):
        moved = False
    else:
        moved = _move(payment, PaymentStatus.SUCCEEDED, now, None)
    if payment.purpose == "deposit" and payment.deposit_id is not None:
        deposit = db.session.get(Deposit, payment.deposit_id)
        if deposit is None:
            return "no deposit"
        if payment.capture_method == "manual":
            if was == PaymentStatus.PENDING or deposit.status == DepositStatus.REQUIRED:
                from payments import deposits

                deposits.hold_by_card(
                    deposit.id,
                    captured=False,
                    now=now,
                    payment_id=payment.id,
                    external_ref=payment.payment_intent_id,
                )
            deposit_ledger.captured(
                deposit, now=now, payment_id=payment.id, external_ref=payment.payment_intent_id
            )
            return "captured"
        from payments import deposits

        deposits.hold_by_card(
            deposit.id,
            captured=True,
            now=now,
            payment_id=payment.id,
            external_ref=payment.payment_intent_id,
        )
        return "held (charged)"
    if payment.purpose == "price":
        record_price_received(payment, now=now, actor_id=None)
        return "price received" if moved else "price already received"
    return "ignored"


def card_failed(payment: Payment, *, now: datetime) -> str:
    """The card was declined or the hold cancelled before it was used."""
    if payment.status == PaymentStatus.REQUIRES_CAPTURE:
        return "cancelled" if _move(payment, PaymentStatus.CANCELLED, now, None) else "stale"
    return "failed" if _move(payment, PaymentStatus.FAILED, now, None) else "stale"


def card_refunded(payment: Payment, *, now: datetime) -> str:
    """Stripe refunded the charge (we asked for it; the posting was made then)."""
    return "refunded" if _move(payment, PaymentStatus.REFUNDED, now, None) else "stale"


def apply_operation_result(operation: StripeOperation, result: Any, *, now: datetime) -> None:
    """Our queued call succeeded: record what it changed (flushes; the runner commits)."""
    if operation.kind in ("capture", "cancel", "refund"):
        payment = db.session.get(Payment, operation.payment_id)
        if payment is None:
            return
        if operation.kind == "capture":
            card_succeeded(payment, payment.payment_intent_id, now=now)
        elif operation.kind == "cancel":
            _move(payment, PaymentStatus.CANCELLED, now, None)
        else:
            _move(payment, PaymentStatus.REFUNDED, now, None)
    elif operation.kind == "transfer":
        payout = db.session.get(Payout, operation.payout_id)
        if payout is not None:
            payout_paid(payout, now=now, transfer_id=getattr(result, "id", None), actor_id=None)


# --- connected accounts and payouts ------------------------------------------------------------


def connected_account_of(org_id: int | None) -> ConnectedAccount | None:
    """The organisation's connected account, if it started onboarding."""
    if org_id is None:
        return None
    return db.session.scalar(select(ConnectedAccount).where(ConnectedAccount.org_id == org_id))


def _payout_admin_org(actor: User) -> int:
    org_id = _org_id(actor)
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
    _require_stripe()
    org_id = _payout_admin_org(actor)
    account = connected_account_of(org_id)
    if account is not None:
        return account
    try:
        created = stripe_channel.create_connected_account(
            org_id, email=actor.email, country=current_app.config.get("STRIPE_CONNECT_COUNTRY")
        )
    except stripe.StripeError as error:
        log.warning("Stripe account for organisation %s failed: %s", org_id, error)
        raise _stripe_unavailable() from error
    account = ConnectedAccount(
        org_id=org_id,
        stripe_account_id=created.id,
        details_submitted=bool(getattr(created, "details_submitted", False)),
        charges_enabled=bool(getattr(created, "charges_enabled", False)),
        payouts_enabled=bool(getattr(created, "payouts_enabled", False)),
        created_at=now,
        updated_at=now,
    )
    db.session.add(account)
    db.session.flush()
    _audit(
        "connected_account",
        account.id,
        "create",
        actor.id,
        now,
        before=None,
        after={"org_id": org_id, "stripe_account_id": account.stripe_account_id},
    )
    return account


def onboarding_link(
    account: ConnectedAccount, *, now: datetime, refresh_url: str, return_url: str
) -> str:
    """Payouts set-up, second step: Stripe's one-time onboarding URL (writes nothing).

    Takes the account `open_connected_account` returned, once its unit of work committed.
    """
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
        raise _stripe_unavailable() from error
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
    _audit(
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
    deal = db.session.scalar(select(Deal).where(Deal.id == deal_id).with_for_update())
    if deal is None:
        raise NotFound(N_("No such deal."))
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
        if amount <= 0:
            continue
        existing = db.session.scalar(
            select(Payout).where(
                Payout.deal_id == deal.id, Payout.org_id == org_id, Payout.role == role
            )
        )
        if existing is not None:
            continue
        account = connected_account_of(org_id)
        if by_card:
            status = PayoutStatus.PENDING if account and account.ready else PayoutStatus.BLOCKED
        else:
            status = PayoutStatus.PENDING
        payout = Payout(
            deal_id=deal.id,
            org_id=org_id,
            role=role,
            amount_minor=amount,
            currency=deal.currency,
            channel=PaymentChannel.STRIPE if by_card else PaymentChannel.OFFLINE,
            status=status,
            created_at=now,
        )
        db.session.add(payout)
        db.session.flush()
        _audit(
            "payout",
            payout.id,
            "create",
            actor.id,
            now,
            before=None,
            after={"status": status.value, "amount_minor": amount, "role": role},
        )
        if by_card and status == PayoutStatus.PENDING:
            stripe_channel.enqueue(
                "transfer", f"payout-{payout.id}-transfer", now=now, payout_id=payout.id
            )
        made.append(payout)
    return made


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
        before = {"status": payout.status.value}
        payout.status = PayoutStatus.PAID
        payout.paid_at = now
        payout.transfer_id = transfer_id or payout.transfer_id
        payout.bank_reference = bank_reference or payout.bank_reference
        payout.recorded_by_id = actor_id
        _audit("payout", payout.id, "paid", actor_id, now, before=before, after={"status": "paid"})


def payouts_of(actor: User) -> list[Payout]:
    """The payouts to the actor's organisation, newest first."""
    org = _org_id(actor)
    if org is None:
        return []
    return list(
        db.session.scalars(select(Payout).where(Payout.org_id == org).order_by(Payout.id.desc()))
    )


def deals_with_money(actor: User) -> list[Deal]:
    """Deals where the actor's organisation pays or is paid (party or broker), newest first."""
    org = _org_id(actor)
    if org is None:
        return []
    broker_ids = (
        select(LedgerTransaction.deal_id)
        .join(LedgerLeg, LedgerLeg.transaction_id == LedgerTransaction.id)
        .where(LedgerLeg.account == Account.BROKER_PAYABLE, LedgerLeg.org_id == org)
    )
    return list(
        db.session.scalars(
            select(Deal)
            .where(
                or_(
                    Deal.seller_org_id == org,
                    Deal.buyer_org_id == org,
                    Deal.id.in_(broker_ids),
                )
            )
            .order_by(Deal.created_at.desc(), Deal.id.desc())
        )
    )
