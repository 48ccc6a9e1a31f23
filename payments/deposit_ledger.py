"""The ledger side of deposits (保证金), for both channels; called by `payments.deposits`.

Each function posts once per deposit (keys `deposit-<id>-<step>`), flushes and leaves the
commit to the deposit use case. For a card deposit it also queues the Stripe call the
step needs (capture on apply, cancel or refund on release) in the same transaction;
`stripe_queue.run_pending()` makes the call after the commit, with an idempotency key.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from core.extensions import db
from payments import ledger, rules
from payments.forfeit_rules import deposit_forfeited_legs, forfeit_split
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
        _key(deposit, "held"),
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
    if not _posted(deposit, "held"):
        # The capture was reported before the hold (webhooks out of order): post the hold first.
        held(
            deposit,
            now=now,
            source=Account.CARD_HOLDS,
            payment_id=payment_id,
            external_ref=external_ref,
        )
    ledger.post(
        _key(deposit, "captured"),
        EntryKind.DEPOSIT_CAPTURED,
        rules.deposit_captured_legs(deposit.amount_minor, deposit.currency),
        now=now,
        deposit_id=deposit.id,
        payment_id=payment_id,
        channel=PaymentChannel.STRIPE,
        external_ref=external_ref,
    )


def _key(deposit: Deposit, step: str) -> str:
    return f"deposit-{deposit.id}-{step}"


def _posted(deposit: Deposit, step: str) -> bool:
    return ledger.find(_key(deposit, step)) is not None


def _post_step(
    deposit: Deposit,
    step: str,
    kind: EntryKind,
    legs: list[rules.Leg],
    *,
    now: datetime,
    memo: str,
    actor_id: int | None,
) -> None:
    """Post one step of the deposit's settlement (on its deal, if any)."""
    ledger.post(
        _key(deposit, step),
        kind,
        legs,
        now=now,
        deal_id=deposit.deal_id,
        deposit_id=deposit.id,
        channel=_channel(deposit),
        memo=memo,
        actor_id=actor_id,
    )


def _queue_card_call(deposit: Deposit, kind: str, *, now: datetime) -> None:
    """Queue the Stripe call (capture, cancel, refund) on the card payment holding the deposit."""
    from payments import stripe_channel

    payment = card_payment_of(deposit)
    if payment is not None:
        stripe_channel.enqueue(
            kind,
            _key(deposit, kind),
            now=now,
            payment_id=payment.id,
            amount_minor=deposit.amount_minor,
        )


def applied(deposit: Deposit, *, now: datetime, actor_id: int | None = None) -> None:
    """The winner's deposit pays part of the price; a card hold is queued for capture."""
    if not _posted(deposit, "held"):
        return  # never recorded as money (deposits from before the ledger existed)
    _post_step(
        deposit,
        "applied",
        EntryKind.DEPOSIT_APPLIED,
        rules.deposit_applied_legs(deposit.org_id, deposit.amount_minor, deposit.currency),
        now=now,
        memo="deposit applied to the price",
        actor_id=actor_id,
    )
    if deposit.channel == "stripe" and ledger.deposit_source(deposit.id) == Account.CARD_HOLDS:
        _queue_card_call(deposit, "capture", now=now)


def _unapply(deposit: Deposit, *, now: datetime, actor_id: int | None) -> None:
    if not _posted(deposit, "applied"):
        return
    _post_step(
        deposit,
        "unapplied",
        EntryKind.DEPOSIT_UNAPPLIED,
        rules.reversed_legs(
            rules.deposit_applied_legs(deposit.org_id, deposit.amount_minor, deposit.currency)
        ),
        now=now,
        memo="the deal fell: the deposit is a deposit again",
        actor_id=actor_id,
    )


def released(deposit: Deposit, *, now: datetime, actor_id: int | None = None) -> None:
    """The deposit goes back: bank transfer (a reviewer makes it), card refund or hold cancelled."""
    _unapply(deposit, now=now, actor_id=actor_id)
    if _posted(deposit, "released"):
        return
    if deposit.channel == "stripe":
        from payments import stripe_channel

        # A capture queued but not made yet is superseded: the hold is simply cancelled.
        stripe_channel.supersede(_key(deposit, "capture"), now=now)
    source = ledger.deposit_source(deposit.id)
    if source is None:
        return  # the money was never recorded as arrived (a receipt nobody confirmed)
    _post_step(
        deposit,
        "released",
        EntryKind.DEPOSIT_RELEASED,
        rules.deposit_released_legs(deposit.org_id, deposit.amount_minor, deposit.currency, source),
        now=now,
        memo="deposit released",
        actor_id=actor_id,
    )
    if deposit.channel == "stripe":
        _queue_card_call(deposit, "cancel" if source == Account.CARD_HOLDS else "refund", now=now)


def forfeited(
    deposit: Deposit,
    *,
    seller_org_id: int,
    fee_bps: int,
    now: datetime,
    actor_id: int | None = None,
) -> int:
    """The party at fault in a cancelled deal loses the deposit to the seller, less the market's fee.

    A card hold is still captured. Returns what the seller is owed (0 when the deposit's
    money was never recorded as arrived).
    """
    _unapply(deposit, now=now, actor_id=actor_id)
    if not _posted(deposit, "held"):
        return 0
    _post_step(
        deposit,
        "forfeited",
        EntryKind.DEPOSIT_FORFEITED,
        deposit_forfeited_legs(
            deposit.org_id,
            deposit.amount_minor,
            deposit.currency,
            seller_org_id=seller_org_id,
            fee_bps=fee_bps,
        ),
        now=now,
        memo="deposit forfeited: its party was at fault in a cancelled deal; owed to the seller less the fee",
        actor_id=actor_id,
    )
    return forfeit_split(deposit.amount_minor, fee_bps).seller
