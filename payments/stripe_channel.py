"""The Stripe channel: the client, queued operations and the calls that create objects.

On only when STRIPE_SECRET_KEY, STRIPE_PUBLISHABLE_KEY and STRIPE_WEBHOOK_SECRET are
set; STRIPE_API_BASE points the client elsewhere (stripe-mock in the tests).

Calls that follow a decision of ours (capture a deposit, cancel or refund it, transfer
a payout) are never made inside the deciding transaction: the transaction writes a
`StripeOperation` row (pending) whose `key` is the idempotency key, and the call is made
after the commit (`run_pending`: at the end of a request whose unit of work committed
such a row, and by `flask payments retry` from cron). The rows stay the queue rather
than after-commit steps of their own: they survive a crash between our commit and the
call, and an after-commit step cannot read them (the session emits no SQL inside its
commit), so the step only marks the request for a pass at its end. If the process dies
after Stripe acted but before our commit, the row is still pending; the retry sends the
same key and Stripe answers with the first result instead of acting again. Its effect on
our side (status, ledger) is posted under keys of its own, so the webhook that reports
the same thing changes nothing twice.

The `stripe` package (with `requests`: 4 MB and a third of a second of every start) is
imported by the functions that call Stripe, here and in the other payments modules.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from datetime import datetime
from typing import TYPE_CHECKING, Any, TypeVar

from flask import current_app, g, has_app_context
from sqlalchemy import select

from core.breaker import State, breaker
from core.extensions import db
from core.row_lists import all_of
from core.uow import after_commit
from payments.models import Payment, Payout, StripeOperation
from payments.rules import OperationStatus

if TYPE_CHECKING:
    import stripe

log = logging.getLogger(__name__)

REQUIRED_SETTINGS = ("STRIPE_SECRET_KEY", "STRIPE_PUBLISHABLE_KEY", "STRIPE_WEBHOOK_SECRET")
CLIENT_KEY = "stripe.client"
HTTP_CLIENT_KEY = "stripe.http_client"  # tests put a recording client here
T = TypeVar("T")


def enabled(config: Mapping[str, Any] | None = None) -> bool:
    """Whether the online channel is on (all three keys are set)."""
    settings = config if config is not None else current_app.config
    return all(settings.get(name) for name in REQUIRED_SETTINGS)


def client() -> stripe.StripeClient:
    """The app's Stripe client (built once; pointed at STRIPE_API_BASE when set)."""
    import stripe

    app = current_app
    existing = app.extensions.get(CLIENT_KEY)
    if existing is not None:
        return existing
    if not enabled():
        raise RuntimeError(
            "Stripe is off: set STRIPE_SECRET_KEY, _PUBLISHABLE_KEY, _WEBHOOK_SECRET"
        )
    # Bounded: a hung Stripe costs a payment page STRIPE_TIMEOUT_SECONDS, not 80 s per try.
    kwargs: dict[str, Any] = {
        "max_network_retries": int(app.config.get("STRIPE_MAX_NETWORK_RETRIES", 0)),
        "http_client": app.extensions.get(HTTP_CLIENT_KEY)
        or stripe.RequestsClient(timeout=float(app.config.get("STRIPE_TIMEOUT_SECONDS", 3))),
    }
    base = app.config.get("STRIPE_API_BASE")
    if base:
        kwargs["base_addresses"] = {"api": base.rstrip("/")}
    made = stripe.StripeClient(app.config["STRIPE_SECRET_KEY"], **kwargs)
    app.extensions[CLIENT_KEY] = made
    return made


def reset_client() -> None:
    """Forget the built client (tests switch settings)."""
    current_app.extensions.pop(CLIENT_KEY, None)


def _options(key: str) -> dict[str, Any]:
    return {"idempotency_key": key}


def paused() -> bool:
    """Whether card payments are briefly off: Stripe failed often just now (its breaker is
    open); pages offer bank transfer only, queued calls wait for the next pass."""
    return breaker("stripe").state is State.OPEN


def guarded(make: Callable[[], T]) -> T:
    """Make one call to Stripe behind its breaker: while the breaker is open, fail at once
    with a connection error (callers already treat that as "try again later")."""
    import stripe

    gate = breaker("stripe")
    if not gate.allow():
        raise stripe.APIConnectionError("Stripe is not called for a moment: it failed just now")
    try:
        result = make()
    except (stripe.APIConnectionError, stripe.APIError, stripe.RateLimitError):
        gate.failure()
        raise
    except stripe.StripeError:
        gate.success()  # a refusal is an answer: Stripe is there
        raise
    gate.success()
    return result


# --- queued operations -------------------------------------------------------------------


def enqueue(
    kind: str,
    key: str,
    *,
    now: datetime,
    payment_id: int | None = None,
    payout_id: int | None = None,
    amount_minor: int | None = None,
) -> StripeOperation:
    """Queue a call to Stripe in the current transaction (once per key; flushes)."""
    existing = db.session.scalar(select(StripeOperation).where(StripeOperation.key == key))
    if existing is not None:
        return existing
    operation = StripeOperation(
        key=key,
        kind=kind,
        payment_id=payment_id,
        payout_id=payout_id,
        amount_minor=amount_minor,
        status=OperationStatus.PENDING,
        attempts=0,
        created_at=now,
    )
    db.session.add(operation)
    db.session.flush()
    after_commit(_mark_request)
    return operation


def _mark_request() -> None:
    """After the commit: the request that queued a call makes it on its way out."""
    if has_app_context():
        g.stripe_operations_pending = True


def supersede(key: str, *, now: datetime) -> bool:
    """A queued call not made yet is dropped (a capture overtaken by a release); flushes."""
    operation = db.session.scalar(
        select(StripeOperation).where(StripeOperation.key == key).with_for_update()
    )
    if operation is None or operation.status != OperationStatus.PENDING:
        return False
    operation.status = OperationStatus.SUPERSEDED
    operation.done_at = now
    db.session.flush()
    return True


def pending_operations(limit: int = 100) -> list[StripeOperation]:
    """Calls still to make, oldest first."""
    return all_of(
        select(StripeOperation)
        .where(StripeOperation.status == OperationStatus.PENDING)
        .order_by(StripeOperation.id)
        .limit(limit)
    )


def call(operation: StripeOperation) -> Any:
    """Make the operation's call to Stripe with its idempotency key; return Stripe's object."""
    return guarded(lambda: _call(operation))


def _call(operation: StripeOperation) -> Any:
    stripe_client = client()
    options = _options(operation.key)
    if operation.kind in ("capture", "cancel", "refund"):
        payment = db.session.get(Payment, operation.payment_id)
        if payment is None or not payment.payment_intent_id:
            raise RuntimeError(f"operation {operation.key}: no PaymentIntent to act on")
        intent = payment.payment_intent_id
        if operation.kind == "capture":
            params: dict[str, Any] = {}
            if operation.amount_minor is not None:
                params["amount_to_capture"] = operation.amount_minor
            return stripe_client.v1.payment_intents.capture(
                intent,
                params,  # type: ignore[arg-type]
                options,  # type: ignore[arg-type]
            )
        if operation.kind == "cancel":
            return stripe_client.v1.payment_intents.cancel(
                intent,
                {},
                options,  # type: ignore[arg-type]
            )
        refund: dict[str, Any] = {
            "payment_intent": intent,
            "metadata": {"payment_id": str(payment.id)},
        }
        if operation.amount_minor is not None:
            refund["amount"] = operation.amount_minor
        return stripe_client.v1.refunds.create(refund, options)  # type: ignore[arg-type]
    if operation.kind == "transfer":
        payout = db.session.get(Payout, operation.payout_id)
        if payout is None:
            raise RuntimeError(f"operation {operation.key}: no payout")
        from payments.models import ConnectedAccount

        account = db.session.scalar(
            select(ConnectedAccount).where(ConnectedAccount.org_id == payout.org_id)
        )
        if account is None:
            raise RuntimeError(f"operation {operation.key}: the payee has no connected account")
        return stripe_client.v1.transfers.create(
            {
                "amount": payout.amount_minor,
                "currency": payout.currency.lower(),
                "destination": account.stripe_account_id,
                "transfer_group": transfer_group(payout.deal_id),
                "metadata": {"payout_id": str(payout.id), "deal_id": str(payout.deal_id)},
            },
            options,  # type: ignore[arg-type]
        )
    raise ValueError(f"unknown Stripe operation {operation.kind!r}")


def transfer_group(deal_id: int) -> str:
    """The transfer group tying a deal's charge to its transfers."""
    return f"deal-{deal_id}"


# --- creating objects ----------------------------------------------------------------------


def create_checkout_session(
    payment: Payment,
    *,
    title: str,
    success_url: str,
    cancel_url: str,
    deal_id: int | None = None,
) -> Any:
    """A Stripe Checkout page for the payment (card entry on Stripe's page, never ours)."""
    intent_data: dict[str, Any] = {
        "capture_method": payment.capture_method or "automatic",
        "metadata": {"payment_id": str(payment.id), "purpose": payment.purpose},
    }
    if deal_id is not None:
        intent_data["transfer_group"] = transfer_group(deal_id)
    params: dict[str, Any] = {
        "mode": "payment",
        "client_reference_id": str(payment.id),
        "metadata": {"payment_id": str(payment.id), "purpose": payment.purpose},
        "line_items": [
            {
                "price_data": {
                    "currency": payment.currency.lower(),
                    "unit_amount": payment.amount_minor,
                    "product_data": {"name": title[:250]},
                },
                "quantity": 1,
            }
        ],
        "payment_intent_data": intent_data,
        "success_url": success_url,
        "cancel_url": cancel_url,
    }
    return guarded(
        lambda: client().v1.checkout.sessions.create(
            params,  # type: ignore[arg-type]
            _options(f"payment-{payment.id}-checkout"),  # type: ignore[arg-type]
        )
    )


def create_connected_account(org_id: int, *, email: str | None, country: str | None) -> Any:
    """An Express connected account for an organisation that receives payouts."""
    params: dict[str, Any] = {"type": "express", "metadata": {"org_id": str(org_id)}}
    if email:
        params["email"] = email
    if country:
        params["country"] = country
    return guarded(
        lambda: client().v1.accounts.create(
            params,  # type: ignore[arg-type]
            _options(f"org-{org_id}-connected-account"),  # type: ignore[arg-type]
        )
    )


def create_account_link(
    stripe_account_id: str, *, refresh_url: str, return_url: str, key: str
) -> Any:
    """A one-time onboarding link on Stripe for the connected account."""
    return guarded(
        lambda: client().v1.account_links.create(
            {
                "account": stripe_account_id,
                "refresh_url": refresh_url,
                "return_url": return_url,
                "type": "account_onboarding",
            },
            _options(key),  # type: ignore[arg-type]
        )
    )


def retrieve_payment_intent(intent_id: str) -> Any:
    """Stripe's view of a PaymentIntent (reconciliation)."""
    return guarded(lambda: client().v1.payment_intents.retrieve(intent_id))


def retrieve_transfer(transfer_id: str) -> Any:
    """Stripe's view of a transfer (reconciliation)."""
    return guarded(lambda: client().v1.transfers.retrieve(transfer_id))


def retrieve_latest_charge(intent_id: str) -> dict[str, Any]:
    """The PaymentIntent's latest charge as a plain dict (empty if it has none): card holds."""
    found = guarded(
        lambda: client().v1.payment_intents.retrieve(intent_id, {"expand": ["latest_charge"]})
    )
    charge: Any = getattr(found, "latest_charge", None)
    if isinstance(charge, str):
        charge_id = charge
        charge = guarded(lambda: client().v1.charges.retrieve(charge_id))
    if charge is None:
        return {}
    return dict(charge.to_dict())
