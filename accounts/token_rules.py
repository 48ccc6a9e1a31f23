"""Rules of personal API tokens: how long one may live, whether it still opens the API."""

from __future__ import annotations

import enum
from datetime import datetime

from core.domain import N_, ValidationFailed


class TokenState(enum.StrEnum):
    """Whether a token opens the API now."""

    ACTIVE = "active"
    EXPIRED = "expired"
    REVOKED = "revoked"


def check_token_days(days: int, max_days: int) -> None:
    """A token lives at least a day and at most `max_days` (API_TOKEN_MAX_DAYS)."""
    if not 1 <= days <= max_days:
        raise ValidationFailed(
            N_("A token expires after 1 to %(max_days)d days."), field="days", max_days=max_days
        )


def token_state(revoked_at: datetime | None, expires_at: datetime, now: datetime) -> TokenState:
    """Revoked wins over expired; a token is expired from its expiry instant on."""
    if revoked_at is not None:
        return TokenState.REVOKED
    return TokenState.EXPIRED if now >= expires_at else TokenState.ACTIVE
