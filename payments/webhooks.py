"""Stripe webhooks: the raw body verified with the signing secret, each event applied once.

The event's id is stored under a unique constraint in the same transaction as its
effect (the caller's unit of work), so a replay (Stripe delivers at least once) changes
nothing, and two deliveries racing each other apply once: the second waits on the
unique index and fails. Events may arrive in any order; every effect is a state move
that ignores stale reports and a ledger posting with a key of its own. Unknown events
are logged and acknowledged.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from typing import Any

import stripe
from flask import current_app
from sqlalchemy.exc import IntegrityError

from core.extensions import db
from payments import card_events, payouts
from payments.models import StripeEvent

log = logging.getLogger(__name__)


def _intent_id(obj: Any) -> str | None:
    if obj.get("object") == "payment_intent":
        return obj.get("id")
    return obj.get("payment_intent")


def _with_payment(
    effect: Callable[..., str],
) -> Callable[[Any, datetime], str]:
    def handler(obj: Any, now: datetime) -> str:
        payment = card_events.payment_for_stripe_object(obj)
        if payment is None:
            return "no matching payment"
        return effect(payment, obj, now)

    return handler


def _checkout_completed(payment: Any, obj: Any, now: datetime) -> str:
    intent = obj.get("payment_intent")
    if intent and not payment.payment_intent_id:
        payment.payment_intent_id = intent
    if obj.get("payment_status") == "paid":
        return card_events.card_succeeded(payment, intent, now=now)
    return "session completed"


HANDLERS: dict[str, Callable[[Any, datetime], str]] = {
    "checkout.session.completed": _with_payment(_checkout_completed),
    "checkout.session.expired": _with_payment(
        lambda p, o, now: card_events.card_failed(p, now=now)
    ),
    "payment_intent.amount_capturable_updated": _with_payment(
        lambda p, o, now: card_events.card_authorised(p, _intent_id(o), now=now)
    ),
    "payment_intent.succeeded": _with_payment(
        lambda p, o, now: card_events.card_succeeded(p, _intent_id(o), now=now)
    ),
    "payment_intent.payment_failed": _with_payment(
        lambda p, o, now: card_events.card_failed(p, now=now)
    ),
    "payment_intent.canceled": _with_payment(lambda p, o, now: card_events.card_failed(p, now=now)),
    "charge.refunded": _with_payment(lambda p, o, now: card_events.card_refunded(p, now=now)),
    "account.updated": lambda obj, now: payouts.account_updated(obj, now=now),
}


class BadSignature(Exception):
    """The body was not signed with our webhook secret (or was altered)."""


def verify(raw_body: bytes, signature: str | None) -> Any:
    """The event, if the raw body carries a valid signature of our secret; else BadSignature."""
    try:
        return stripe.Webhook.construct_event(
            raw_body, signature or "", current_app.config["STRIPE_WEBHOOK_SECRET"]
        )
    except (ValueError, stripe.SignatureVerificationError) as error:
        raise BadSignature(str(error)) from error


def receive(raw_body: bytes, signature: str | None, *, now: datetime) -> str:
    """Verify, then apply the event once (flushes; the caller's unit of work commits).

    Returns what happened: a replay only rolls back the savepoint of its event's row.
    """
    event = verify(raw_body, signature)
    record = StripeEvent(event_id=event.id, type=event.type, outcome="", received_at=now)
    try:
        with db.session.begin_nested():
            db.session.add(record)
    except IntegrityError:
        return "duplicate"
    handler = HANDLERS.get(event.type)
    if handler is None:
        log.info("Stripe event %s of type %s acknowledged and ignored", event.id, event.type)
        record.outcome = "ignored"
    else:
        obj = event.data.object
        record.outcome = handler(obj.to_dict() if hasattr(obj, "to_dict") else dict(obj), now)[:200]
    return record.outcome
