"""Pure rules of card holds (manual capture): when a hold lapses and when to capture it.

Stripe states a hold's deadline on its charge (`payment_method_details.card.capture_before`).
When it does not, the hold lasts 7 days from the authorisation (online card payments);
we count them from the charge's creation, or from when we learned of the hold when the
charge's time is not plausible (that is later by the webhook's delay, minutes, which the
capture margin covers). No Flask, no database, no clock.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

DEFAULT_HOLD_LIFE = timedelta(days=7)
DEFAULT_CAPTURE_MARGIN = timedelta(hours=24)


def _moment(timestamp: object) -> datetime | None:
    if isinstance(timestamp, bool) or not isinstance(timestamp, int) or timestamp <= 0:
        return None
    return datetime.fromtimestamp(timestamp, tz=UTC)


def hold_deadline(
    *,
    capture_before: object,
    charge_created: object,
    payment_created: datetime,
    hold_noted: datetime,
) -> datetime:
    """When the card hold lapses: Stripe's word if given, else 7 days after the authorisation."""
    stated = _moment(capture_before)
    if stated is not None:
        return stated
    created = _moment(charge_created)
    authorised = created if created is not None and created >= payment_created else hold_noted
    return min(authorised, hold_noted) + DEFAULT_HOLD_LIFE


def capture_now(
    capture_before: datetime | None, now: datetime, margin: timedelta = DEFAULT_CAPTURE_MARGIN
) -> bool:
    """Whether a hold still valid must be captured now, before it lapses (within `margin`)."""
    return capture_before is not None and now < capture_before <= now + margin


def lapsed(capture_before: datetime | None, now: datetime) -> bool:
    """Whether the hold can no longer be captured."""
    return capture_before is not None and capture_before <= now
