"""Browser sessions: what a sign-in stores, and when a stored session stops counting.

A session holds the user's session version and the moment of sign-in. It counts while
the version is the user's current one (signing out or changing the password raises it,
so every copy of the cookie ends with it) and until its absolute lifetime has passed,
however active the user has been since.
"""

from __future__ import annotations

from collections.abc import Mapping, MutableMapping
from datetime import UTC, datetime, timedelta
from typing import Any

from accounts.models import User

SESSION_VERSION = "_session_version"
SIGNED_IN_AT = "_signed_in_at"
# Flask-Login's keys of a signed-in session.
_LOGIN_KEYS = ("_user_id", "_fresh", "_id", "_remember")


def remember_sign_in(stored: MutableMapping[str, Any], user: User, *, now: datetime) -> None:
    """Note in the session which version of the user's sessions it belongs to, and when."""
    stored[SESSION_VERSION] = user.session_version
    stored[SIGNED_IN_AT] = int(now.timestamp())


def is_current(
    stored: Mapping[str, Any], user: User, *, now: datetime, lifetime: timedelta
) -> bool:
    """Whether a stored session still signs `user` in at `now`."""
    signed_in_at = stored.get(SIGNED_IN_AT)
    if stored.get(SESSION_VERSION) != user.session_version or not isinstance(signed_in_at, int):
        return False
    return now < datetime.fromtimestamp(signed_in_at, UTC) + lifetime


def has_sign_in(stored: Mapping[str, Any]) -> bool:
    """Whether the session claims a signed-in user (still to be checked by `is_current`)."""
    return "_user_id" in stored


def forget_sign_in(stored: MutableMapping[str, Any]) -> None:
    """Drop what signs the session in; its CSRF token and flashed messages stay."""
    for key in (*_LOGIN_KEYS, SESSION_VERSION, SIGNED_IN_AT):
        stored.pop(key, None)
