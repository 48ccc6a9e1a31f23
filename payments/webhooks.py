"""Stripe webhooks: the raw body verified with the signing secret, each event checked, applied once.

The event's id is stored under a unique constraint in the same transaction as its
effect (the caller's unit of work), so a replay (Stripe delivers at least once) changes
nothing, and two deliveries racing each other apply once: the second waits on the
unique index and fails. Events may arrive in any order; every effect is a state move
that ignores stale reports and a ledger posting with a key of its own. Unknown events
are logged and acknowledged.

A signature proves only that Stripe sent the event. Before it counts, the event must
be well formed, not stamped in the future, of our mode (live / test) and not of a
connected account, and the object must carry the stored payment's amount, currency
and PaymentIntent (`payments.webhook_rules`). An event that fails is refused: its
record keeps the reason (and the audit trail), its effects are rolled back to a
savepoint, and the endpoint answers 400.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from flask import current_app
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from core import audit
from core.extensions import db
from payments import card_events, payouts, webhook_rules
from payments.models import Payment, StripeEvent
from payments.webhook_rules import EventFacts, EventRefused

log = logging.getLogger(__name__)

REFUSED = "refused"


def _with_payment(
    effect: Callable[[Payment, dict[str, Any], datetime], str],
) -> Callable[[EventFacts, datetime], str]:
    def handler(facts: EventFacts, now: datetime) -> str:
        webhook_rules.check_connected_account(facts, platform_object=True)
        obj = dict(facts.obj)
        payment = card_events.payment_for_stripe_object(obj)
        if payment is None:
            return "no matching payment"
        card_events.check_against_stored(payment, obj)
        return effect(payment, obj, now)

    return handler


def _checkout_completed(payment: Payment, obj: dict[str, Any], now: datetime) -> str:
    intent = obj.get("payment_intent")
    if intent and not payment.payment_intent_id:
        payment.payment_intent_id = intent
    if obj.get("payment_status") == "paid":
        return card_events.card_succeeded(payment, intent, now=now)
    return "session completed"


def _charge_refunded(payment: Payment, obj: dict[str, Any], now: datetime) -> str:
    # We only ever refund a payment in full; a partial refund is for a person to look at.
    if obj.get("amount_refunded") != obj.get("amount"):
        log.warning("Stripe reports a partial refund of payment %s", payment.id)
        return "partially refunded"
    return card_events.card_refunded(payment, now=now)


def _account_updated(facts: EventFacts, now: datetime) -> str:
    webhook_rules.check_connected_account(facts, platform_object=False)
    return payouts.account_updated(dict(facts.obj), now=now)


_intent_id = webhook_rules.object_intent_id

HANDLERS: dict[str, Callable[[EventFacts, datetime], str]] = {
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
    "charge.refunded": _with_payment(_charge_refunded),
    "account.updated": _account_updated,
}


class BadSignature(Exception):
    """The body was not signed with our webhook secret (or was altered)."""


@dataclass(frozen=True)
class Outcome:
    """What became of an event: its outcome, and the refusal's code when it was refused."""

    text: str
    refused_code: str | None = None


def verify(raw_body: bytes, signature: str | None) -> Any:
    """The event's JSON (None if it is not JSON), if the body carries a valid signature of our
    secret; else BadSignature."""
    import stripe

    try:
        text = raw_body.decode("utf-8")
        stripe.WebhookSignature.verify_header(
            text,
            signature or "",
            current_app.config["STRIPE_WEBHOOK_SECRET"],
            stripe.Webhook.DEFAULT_TOLERANCE,
        )
    except (ValueError, stripe.SignatureVerificationError) as error:
        raise BadSignature(str(error)) from error
    try:
        return json.loads(text)
    except ValueError:
        return None


def _settings() -> tuple[bool, timedelta]:
    config = current_app.config
    skew = int(config.get("STRIPE_EVENT_CLOCK_SKEW_SECONDS", 300))
    return webhook_rules.expected_livemode(config.get("STRIPE_SECRET_KEY")), timedelta(seconds=skew)


def _refusal_text(refusal: EventRefused) -> str:
    return f"{REFUSED} {refusal.code}: {refusal}"[:200]


def _refused_code(outcome: str) -> str | None:
    if not outcome.startswith(REFUSED + " "):
        return None
    return outcome[len(REFUSED) + 1 :].split(":", 1)[0]


def _refuse(record: StripeEvent, refusal: EventRefused, now: datetime) -> Outcome:
    """Keep why the event was refused, on its record and in the audit trail (flushes)."""
    record.outcome = _refusal_text(refusal)
    db.session.flush()
    audit.record_change(
        "stripe_event",
        record.id,
        "refuse",
        None,
        now,
        after={
            "event_id": record.event_id,
            "type": record.type,
            "code": refusal.code,
            "reason": str(refusal)[:500],
        },
    )
    log.warning("Stripe event %s (%s) refused: %s", record.event_id, record.type, refusal)
    return Outcome(record.outcome, refusal.code)


def _malformed_record(raw_body: bytes, payload: Any, now: datetime) -> StripeEvent:
    """The record of an event too broken to name itself: its id, or a digest of the body."""
    event_id = payload.get("id") if isinstance(payload, dict) else None
    event_type = payload.get("type") if isinstance(payload, dict) else None
    if not isinstance(event_id, str) or not 0 < len(event_id) <= 200:
        event_id = "malformed:" + hashlib.sha256(raw_body).hexdigest()
    if not isinstance(event_type, str):
        event_type = "?"
    return StripeEvent(event_id=event_id, type=event_type[:100], outcome="", received_at=now)


def _keep(record: StripeEvent) -> StripeEvent | None:
    """Store the event's record; None when it is already there (a replay)."""
    try:
        with db.session.begin_nested():
            db.session.add(record)
    except IntegrityError:
        return None
    return record


def _replay(event_id: str) -> Outcome:
    earlier = db.session.scalar(select(StripeEvent.outcome).where(StripeEvent.event_id == event_id))
    code = _refused_code(earlier or "")
    return Outcome(earlier or "", code) if code else Outcome("duplicate")


def receive(raw_body: bytes, signature: str | None, *, now: datetime) -> Outcome:
    """Verify, check, then apply the event once (flushes; the caller's unit of work commits).

    A replay only rolls back the savepoint of its event's row; a refused event keeps its
    record with the reason and nothing else.
    """
    payload = verify(raw_body, signature)
    try:
        facts = webhook_rules.parse_event(payload)
    except EventRefused as refusal:
        broken = _malformed_record(raw_body, payload, now)
        kept = _keep(broken)
        return _refuse(kept, refusal, now) if kept else _replay(broken.event_id)
    record = _keep(StripeEvent(event_id=facts.id, type=facts.type, outcome="", received_at=now))
    if record is None:
        return _replay(facts.id)
    livemode, skew = _settings()
    try:
        webhook_rules.check_event(facts, now=now, livemode=livemode, skew=skew)
        handler = HANDLERS.get(facts.type)
        if handler is None:
            log.info("Stripe event %s of type %s acknowledged and ignored", facts.id, facts.type)
            record.outcome = "ignored"
        else:
            with db.session.begin_nested():  # a refusal half-way leaves nothing behind
                record.outcome = handler(facts, now)[:200]
    except EventRefused as refusal:
        return _refuse(record, refusal, now)
    return Outcome(record.outcome)
