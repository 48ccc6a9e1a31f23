"""Pure rules of Stripe's webhook events: well formed, current, and about the money we expect.

A valid signature proves that Stripe sent the event, not that it is about what we think:
an event of the other mode (live / test), of a connected account, or for another amount
or currency than the payment it names must change nothing. No Flask, no database, no
clock: the event, the stored payment's facts and `now` come in as arguments. The texts
are for the operators (the event's record and the log), not for users.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from core.domain import DomainError

# Stripe stamps `created` with its own clock; ours may lag a little behind it.
DEFAULT_CLOCK_SKEW = timedelta(minutes=5)
MAX_ID_LENGTH = 255


class EventRefused(DomainError):
    """A correctly signed event that we do not apply (the reason goes to its record)."""

    code = "stripe_event_refused"


@dataclass(frozen=True)
class EventFacts:
    """What every event must carry, checked: id, type, when, which mode and account, the object."""

    id: str
    type: str
    created: datetime
    livemode: bool
    account: str | None
    obj: Mapping[str, Any]


def _malformed(detail: str) -> EventRefused:
    return EventRefused("malformed event: %(detail)s", code="stripe_event_malformed", detail=detail)


def _text(payload: Mapping[str, Any], name: str) -> str:
    value = payload.get(name)
    if not isinstance(value, str) or not value.strip() or len(value) > MAX_ID_LENGTH:
        raise _malformed(f"{name} is missing or not a short text")
    return value


def parse_event(payload: Any) -> EventFacts:
    """The event's facts, or EventRefused (malformed) when a field is missing or of a wrong type."""
    if not isinstance(payload, Mapping):
        raise _malformed("the body is not a JSON object")
    created = payload.get("created")
    if isinstance(created, bool) or not isinstance(created, int) or created < 0:
        raise _malformed("created is not a timestamp")
    livemode = payload.get("livemode")
    if not isinstance(livemode, bool):
        raise _malformed("livemode is not true or false")
    account = payload.get("account")
    if account is not None and (not isinstance(account, str) or not account.strip()):
        raise _malformed("account is not an account id")
    data = payload.get("data")
    obj = data.get("object") if isinstance(data, Mapping) else None
    if not isinstance(obj, Mapping):
        raise _malformed("data.object is missing")
    try:
        moment = datetime.fromtimestamp(created, tz=UTC)
    except (OverflowError, OSError, ValueError) as error:
        raise _malformed("created is out of range") from error
    return EventFacts(
        id=_text(payload, "id"),
        type=_text(payload, "type"),
        created=moment,
        livemode=livemode,
        account=account,
        obj=obj,
    )


def expected_livemode(secret_key: str | None) -> bool:
    """Whether our configured key is a live one: only events of that mode are ours."""
    return bool(secret_key) and str(secret_key).startswith(("sk_live_", "rk_live_"))


def check_event(
    facts: EventFacts,
    *,
    now: datetime,
    livemode: bool,
    skew: timedelta = DEFAULT_CLOCK_SKEW,
) -> None:
    """Refuse an event stamped in the future (beyond `skew`) or of the other mode."""
    if facts.created > now + skew:
        raise EventRefused(
            "created %(created)s is in the future",
            code="stripe_event_future",
            created=facts.created.isoformat(),
        )
    if facts.livemode != livemode:
        raise EventRefused(
            "livemode %(got)s where %(expected)s is configured",
            code="stripe_event_livemode",
            got=facts.livemode,
            expected=livemode,
        )


def check_connected_account(facts: EventFacts, *, platform_object: bool) -> None:
    """A payment is the platform's own: an event of a connected account is not about it.

    An account's own update (`account.updated`) may come from that account only.
    """
    if facts.account is None:
        return
    if platform_object or facts.obj.get("id") != facts.account:
        raise EventRefused(
            "event of connected account %(account)s about an object of another",
            code="stripe_event_account",
            account=facts.account,
        )


@dataclass(frozen=True)
class Expected:
    """What we stored for the payment an event names."""

    amount_minor: int
    currency: str
    intent_id: str | None


# The amount of each object kind, and the amounts that must not exceed it.
_AMOUNT_FIELD = {"payment_intent": "amount", "checkout.session": "amount_total", "charge": "amount"}
_PART_FIELDS = ("amount_capturable", "amount_received", "amount_captured", "amount_refunded")


def _amount(obj: Mapping[str, Any], name: str) -> int:
    value = obj.get(name)
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise _malformed(f"{name} is not an amount")
    return value


def object_intent_id(obj: Mapping[str, Any]) -> str | None:
    """The PaymentIntent an object is or belongs to."""
    if obj.get("object") == "payment_intent":
        value = obj.get("id")
    else:
        value = obj.get("payment_intent")
    return value if isinstance(value, str) else None


def check_payment_object(obj: Mapping[str, Any], expected: Expected) -> None:
    """Refuse an object whose amount, currency or PaymentIntent is not the stored payment's."""
    kind = obj.get("object")
    field = _AMOUNT_FIELD.get(kind) if isinstance(kind, str) else None
    if field is None:
        raise _malformed(f"object {kind!r} is not a payment")
    amount = _amount(obj, field)
    currency = obj.get("currency")
    if not isinstance(currency, str):
        raise _malformed("currency is missing")
    if currency.lower() != expected.currency.lower():
        raise EventRefused(
            "currency %(got)s where the payment is in %(expected)s",
            code="stripe_event_currency",
            got=currency,
            expected=expected.currency,
        )
    if amount != expected.amount_minor:
        raise EventRefused(
            "amount %(got)d where the payment is %(expected)d",
            code="stripe_event_amount",
            got=amount,
            expected=expected.amount_minor,
        )
    for part in _PART_FIELDS:
        if part in obj and obj[part] is not None and _amount(obj, part) > expected.amount_minor:
            raise EventRefused(
                "%(part)s exceeds the payment's amount",
                code="stripe_event_amount",
                part=part,
            )
    intent = object_intent_id(obj)
    if expected.intent_id and intent and intent != expected.intent_id:
        raise EventRefused(
            "PaymentIntent %(got)s where the payment's is %(expected)s",
            code="stripe_event_intent",
            got=intent,
            expected=expected.intent_id,
        )
