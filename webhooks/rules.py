"""Webhook rules: the event types, an endpoint's URL, the signature, the retry back-off.

Pure: no database, no Flask, no clock reads.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
from collections.abc import Collection
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from core.domain import N_, ValidationFailed

# What an organisation may subscribe to. The notifications told to an organisation's
# members (`notify_org`) keep their names; the rest are published by the domains
# themselves (a listing published: listings.review; a deal's steps:
# deals.telling.to_integrators; bids on the seller's auction: auctions.telling; a price
# payment received, a payout owed or paid: payments.telling). A notification whose
# event is not listed here reaches people only: `deal.milestone` tells people of the
# step whose own event (deal.signed, deal.paid...) integrators already receive.
EVENT_TYPES: tuple[str, ...] = (
    "organisation.verified",
    "listing.ownership_confirmed",
    "listing.ownership_refused",
    "listing.published",
    "co_owner.consent_asked",
    "auction.announcement_published",
    "auction.announcement_refused",
    "auction.starting",
    "auction.bid",
    "auction.outbid",
    "auction.ending",
    "auction.won",
    "auction.lost",
    "auction.result",
    "deposit.confirmed",
    "deposit.rejected",
    "deposit.released",
    "deposit.forfeited",
    "sale.intent",
    "negotiation.opened",
    "negotiation.offer",
    "negotiation.message",
    "negotiation.agreed",
    "notice.objection",
    "notice.objection_decided",
    "deal.created",
    "deal.signed",
    "deal.paid",
    "deal.rights_registered",
    "deal.completed",
    "deal.overdue",
    "deal.cancel_proposed",
    "deal.cancel_requested",
    "deal.cancel_answered",
    "deal.cancel_ruled",
    "deal.cancelled",
    "payment.received",
    "event.reminder",
    "event.contact",
    "event.introduction",
    "payout.created",
    "payout.paid",
    "mandate.proposed",
    "mandate.active",
    "mandate.closed",
    "mandate.terminated",
    "introduction.proposed",
    "introduction.accepted",
    "introduction.declined",
    "broker.decided",
    "broker.expiring",
    "need.match",
    "valuation.declined",
    "valuation.issued",
    "open_licence.published",
    "open_licence.refused",
    "open_licence.notice",
    "open_licence.granted",
    "open_licence.withdrawn",
    "licence.proposed",
    "royalty.reported",
    "royalty.reminder",
    "royalty.late",
)

MAX_URL_LENGTH = 500
MAX_ENDPOINTS = 10  # per organisation
TIMEOUT_SECONDS = 5.0  # a receiver answers quickly and works afterwards
# After the n-th failed attempt the next waits BACKOFF[n-1]: 8 attempts over about a day.
BACKOFF: tuple[timedelta, ...] = (
    timedelta(minutes=1),
    timedelta(minutes=5),
    timedelta(minutes=30),
    timedelta(hours=2),
    timedelta(hours=5),
    timedelta(hours=8),
    timedelta(hours=10),
)
MAX_ATTEMPTS = len(BACKOFF) + 1
SIGNATURE_HEADER = "X-Market-Signature"
LOCAL_HOSTS = frozenset({"localhost", "127.0.0.1"})


def check_url(url: str, *, allow_local_http: bool) -> str:
    """The endpoint's URL, trimmed; ValidationFailed unless it is an https URL of a public host.

    `allow_local_http` (development and tests) also accepts http://localhost and
    http://127.0.0.1, the only places a receiver runs on a developer's machine.
    """
    url = url.strip()
    if not url or len(url) > MAX_URL_LENGTH:
        raise ValidationFailed(N_("Give the endpoint's URL (at most 500 characters)."), field="url")
    try:
        parts = urlsplit(url)
        host = (parts.hostname or "").lower()
        _ = parts.port  # a port that is not a number raises here
    except ValueError:
        host = ""
    if not host or parts.username or parts.password:
        raise ValidationFailed(N_("This is not a URL a webhook can be sent to."), field="url")
    local = host in LOCAL_HOSTS
    if parts.scheme == "http" and local and allow_local_http:
        return url
    if parts.scheme != "https":
        raise ValidationFailed(N_("A webhook's URL must begin with https://."), field="url")
    if local or _private_address(host):
        raise ValidationFailed(N_("A webhook cannot be sent to a private address."), field="url")
    return url


def _private_address(host: str) -> bool:
    try:
        address = ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return False
    return not address.is_global


def check_event_types(chosen: Collection[str]) -> list[str]:
    """The chosen event types, in the catalogue's order; ValidationFailed if none or unknown."""
    unknown = set(chosen) - set(EVENT_TYPES)
    if unknown or not chosen:
        raise ValidationFailed(
            N_("Choose at least one of the event types offered."), field="events"
        )
    return [event for event in EVENT_TYPES if event in chosen]


def check_room(count: int) -> None:
    """ValidationFailed when the organisation already has MAX_ENDPOINTS endpoints."""
    if count >= MAX_ENDPOINTS:
        raise ValidationFailed(
            N_("An organisation may register at most %(max)d endpoints."), max=MAX_ENDPOINTS
        )


def signature(secret: str, timestamp: int, body: bytes) -> str:
    """The signature header's value: `t=<unix time>,v1=<HMAC-SHA256 of "t.body" in hex>`."""
    signed = str(timestamp).encode() + b"." + body
    digest = hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={digest}"


def verify(secret: str, header: str, body: bytes, *, now: int, tolerance: int = 300) -> bool:
    """Whether `header` signs `body` with `secret` within `tolerance` seconds of `now`.

    What a receiver does (docs/webhooks.md gives the same few lines to copy).
    """
    fields = dict(part.split("=", 1) for part in header.split(",") if "=" in part)
    try:
        timestamp = int(fields.get("t", ""))
    except ValueError:
        return False
    if abs(now - timestamp) > tolerance:
        return False
    expected = signature(secret, timestamp, body)
    return hmac.compare_digest(expected, f"t={timestamp},v1={fields.get('v1', '')}")


def delivered(status: int | None) -> bool:
    """A 2xx answer is a delivery; anything else (or no answer) is tried again."""
    return status is not None and 200 <= status < 300


def retry_at(attempts: int, now: datetime) -> datetime | None:
    """When to try again after `attempts` failed attempts; None: give up."""
    if attempts >= MAX_ATTEMPTS:
        return None
    return now + BACKOFF[max(attempts, 1) - 1]
