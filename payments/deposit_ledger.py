"""The ledger side of deposits (保证金), for both channels; called by `payments.deposits`.

Each function posts once per deposit (keys `deposit-<id>-<step>`), flushes and leaves the
commit to the deposit use case. For a card deposit it also queues the Stripe call the
step needs (capture on apply, cancel or refund on release) in the same transaction;
`stripe_channel.run_pending()` makes the call after the commit, with an idempotency key.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from core.extensions import db
from payments import ledger, rules
from payments.models import Deposit, Payment
from payments.rules import Account, EntryKind, PaymentChannel, PaymentStatus


def card_payment_of(deposit: Deposit) -> Payment | None:
    """The card payment that holds a Stripe deposit (the latest one that got the money)."""
    return db.session.scalar(
        select(Payment)
        .where(
            Payment.deposit_id == deposit.id,
            Payment.channel == PaymentChannel.STRIPE,
            Payment.status.in_(
                (
                    PaymentStatus.REQUIRES_CAPTURE,
                    PaymentStatus.SUCCEEDED,
                    PaymentStatus.REFUNDED,
                    PaymentStatus.CANCELLED,
                )
            ),
        )
        .order_by(Payment.id.desc())
        .limit(1)
    )


def _channel(deposit: Deposit) -> PaymentChannel:
    return PaymentChannel.STRIPE if deposit.channel == "stripe" else PaymentChannel.OFFLINE


def held(
    deposit: Deposit,
    *,
    now: datetime,
    actor_id: int | None = None,
    source: Account = Account.BANK,
    payment_id: int | None = None,
    external_ref: str | None = None,
) -> None:
    """The deposit's money arrived: on the bank, on Stripe, or as a card hold."""
    ledger.post(
        f"deposit-{deposit.id}-held",
        EntryKind.DEPOSIT_HELD,
        rules.deposit_held_legs(deposit.org_id, deposit.amount_minor, deposit.currency, source),
        now=now,
        deposit_id=deposit.id,
        payment_id=payment_id,
        channel=_channel(deposit),
        memo=f"deposit {deposit.context_type}:{deposit.context_id}",
        external_ref=external_ref or deposit.bank_reference,
        actor_id=actor_id,
    )


def captured(
    deposit: Deposit, *, now: datetime, payment_id: int | None, external_ref: str | None
) -> None:
    """A card hold was captured (idempotent: our call and Stripe's webhook both report it)."""
    if ledger.find(f"deposit-{deposit.id}-held") is None:
        # The capture was reported before the hold (webhooks out of order): post the hold first.
        held(
            deposit,
            now=now,
            source=Account.CARD_HOLDS,
            payment_id=payment_id,
            external_ref=external_ref,
        )
    ledger.post(
        f"deposit-{deposit.id}-captured",
        EntryKind.DEPOSIT_CAPTURED,
        rules.deposit_captured_legs(deposit.amount_minor, deposit.currency),
        now=now,
        deposit_id=deposit.id,
        payment_id=payment_id,
        channel=PaymentChannel.STRIPE,
        external_ref=external_ref,
    )


def applied(deposit: Deposit, *, now: datetime, actor_id: int | None = None) -> None:
    """The winner's deposit pays part of the price; a card hold is queued for capture."""
    if ledger.find(f"deposit-{deposit.id}-held") is None:
        return  # never recorded as money (deposits from before the ledger existed)
    ledger.post(
        f"deposit-{deposit.id}-applied",
        EntryKind.DEPOSIT_APPLIED,
        rules.deposit_applied_legs(deposit.org_id, deposit.amount_minor, deposit.currency),
        now=now,
        deal_id=deposit.deal_id,
        deposit_id=deposit.id,
        channel=_channel(deposit),
        memo="deposit applied to the price",
        actor_id=actor_id,
    )
    if deposit.channel == "stripe" and ledger.deposit_source(deposit.id) == Account.CARD_HOLDS:
        from payments import stripe_channel

        payment = card_payment_of(deposit)
        if payment is not None:
            stripe_channel.enqueue(
                "capture",
                f"deposit-{deposit.id}-capture",
                now=now,
                payment_id=payment.id,
                amount_minor=deposit.amount_minor,
            )


def _unapply(deposit: Deposit, *, now: datetime, actor_id: int | None) -> None:
    if ledger.find(f"deposit-{deposit.id}-applied") is None:
        return
    ledger.post(
        f"deposit-{deposit.id}-unapplied",
        EntryKind.DEPOSIT_UNAPPLIED,
        rules.reversed_legs(
            rules.deposit_applied_legs(deposit.org_id, deposit.amount_minor, deposit.currency)
        ),
        now=now,
        deal_id=deposit.deal_id,
        deposit_id=deposit.id,
        channel=_channel(deposit),
        memo="the deal fell: the deposit is a deposit again",
        actor_id=actor_id,
    )


def released(deposit: Deposit, *, now: datetime, actor_id: int | None = None) -> None:
    """The deposit goes back: bank transfer (a reviewer makes it), card refund or hold cancelled."""
    _unapply(deposit, now=now, actor_id=actor_id)
    if ledger.find(f"deposit-{deposit.id}-released") is not None:
        return
    if deposit.channel == "stripe":
        from payments import stripe_channel

        # A capture queued but not made yet is superseded: the hold is simply cancelled.
        stripe_channel.supersede(f"deposit-{deposit.id}-capture", now=now)
    source = ledger.deposit_source(deposit.id)
    if source is None:
        return  # the money was never recorded as arrived (a receipt nobody confirmed)
    ledger.post(
        f"deposit-{deposit.id}-released",
        EntryKind.DEPOSIT_RELEASED,
        rules.deposit_released_legs(deposit.org_id, deposit.amount_minor, deposit.currency, source),
        now=now,
        deal_id=deposit.deal_id,
        deposit_id=deposit.id,
        channel=_channel(deposit),
        memo="deposit released",
        actor_id=actor_id,
    )
    if deposit.channel == "stripe":
        from payments import stripe_channel

        payment = card_payment_of(deposit)
        if payment is not None:
            kind = "cancel" if source == Account.CARD_HOLDS else "refund"
            stripe_channel.enqueue(
                kind,
                f"deposit-{deposit.id}-{kind}",
                now=now,
                payment_id=payment.id,
                amount_minor=deposit.amount_minor,
            )


def forfeited(deposit: Deposit, *, now: datetime, actor_id: int | None = None) -> None:
    """A winner who did not sign loses the deposit (a card hold is still captured)."""
    _unapply(deposit, now=now, actor_id=actor_id)
    if ledger.find(f"deposit-{deposit.id}-held") is None:
        return
    ledger.post(
        f"deposit-{deposit.id}-forfeited",
        EntryKind.DEPOSIT_FORFEITED,
        rules.deposit_forfeited_legs(deposit.org_id, deposit.amount_minor, deposit.currency),
        now=now,
        deal_id=deposit.deal_id,
        deposit_id=deposit.id,
        channel=_channel(deposit),
        memo="deposit forfeited: the winner did not sign",
        actor_id=actor_id,
    )
