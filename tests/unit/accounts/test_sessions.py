"""When a stored session still signs its user in."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from accounts.models import User
from accounts.sessions import forget_sign_in, is_current, remember_sign_in

SIGNED_IN = datetime(2026, 3, 2, 1, 30, tzinfo=UTC)
LIFETIME = timedelta(hours=12)


def _session(user: User) -> dict[str, object]:
    stored: dict[str, object] = {"_user_id": "7", "csrf_token": "t"}
    remember_sign_in(stored, user, now=SIGNED_IN)
    return stored


def test_a_session_counts_until_its_lifetime_has_passed() -> None:
    user = User(session_version=3)
    stored = _session(user)
    assert is_current(
        stored, user, now=SIGNED_IN + LIFETIME - timedelta(seconds=1), lifetime=LIFETIME
    )
    assert not is_current(stored, user, now=SIGNED_IN + LIFETIME, lifetime=LIFETIME)


def test_a_session_of_an_earlier_version_or_without_its_sign_in_time_does_not_count() -> None:
    user = User(session_version=3)
    stored = _session(user)
    user.session_version = 4
    assert not is_current(stored, user, now=SIGNED_IN, lifetime=LIFETIME)
    older = {"_user_id": "7", "_session_version": 4}  # a cookie from before this check
    assert not is_current(older, user, now=SIGNED_IN, lifetime=LIFETIME)


def test_forgetting_a_sign_in_keeps_the_csrf_token() -> None:
    stored = _session(User(session_version=0))
    forget_sign_in(stored)
    assert stored == {"csrf_token": "t"}
