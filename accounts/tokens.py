"""Personal API tokens: their owner issues, lists and revokes them (the page and the API).

The secret is shown once, at issue; only its SHA-256 is stored. They flush and never
commit: the caller's unit of work commits.
"""

from __future__ import annotations

import functools
import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from accounts import token_cache
from accounts.models import ApiToken, TokenScope, User
from accounts.token_rules import check_token_days, token_state
from core.clock import as_utc
from core.domain import N_, NotFound
from core.extensions import db
from core.row_lists import all_of, newest_first
from core.service_kit import audit_action, flush_new
from core.uow import after_commit

DEFAULT_DAYS = 90
SECRET_PREFIX = "tt_"  # so a leaked token is recognisable (secret scanners, logs)


@dataclass(frozen=True)
class NewToken:
    """A token to issue: its owner's name for it, what it may do, how many days it lives."""

    name: str
    scope: TokenScope = TokenScope.WRITE
    days: int = DEFAULT_DAYS


@dataclass(frozen=True)
class IssuedToken:
    """A token just issued, with its secret: the only time the secret is known."""

    token: ApiToken
    secret: str


def digest(secret: str) -> str:
    """What is stored of a token's secret (and looked up on every API call)."""
    return hashlib.sha256(secret.encode()).hexdigest()


def issue_token(actor: User, data: NewToken, *, now: datetime, max_days: int) -> IssuedToken:
    """A new token of `actor`, expiring after `data.days` (at most `max_days`); audited."""
    check_token_days(data.days, max_days)
    secret = SECRET_PREFIX + secrets.token_urlsafe(32)
    token = flush_new(
        ApiToken(
            user_id=actor.id,
            name=data.name.strip()[:100] or "API",
            scope=data.scope,
            created_at=now,
            expires_at=now + timedelta(days=data.days),
            token_hash=digest(secret),
        )
    )
    after = {
        "name": token.name,
        "scope": token.scope.value,
        "expires_at": token.expires_at.isoformat(),
    }
    audit_action("api_token.issue", token.id, actor.id, now, after=after)
    return IssuedToken(token, secret)


def tokens_of(actor: User) -> list[ApiToken]:
    """The actor's tokens, newest first (revoked and expired ones too, marked by the page)."""
    return all_of(newest_first(ApiToken).where(ApiToken.user_id == actor.id))


def describe(token: ApiToken, moment: datetime) -> dict[str, Any]:
    """A token as the API and the page show it: its state at `moment`, never its secret."""
    return {
        "id": token.id,
        "name": token.name,
        "scope": token.scope.value,
        "state": token_state(token.revoked_at, as_utc(token.expires_at), moment).value,
        "created_at": token.created_at,
        "expires_at": token.expires_at,
        "last_used_at": token.last_used_at,
        "revoked_at": token.revoked_at,
    }


def revoke_token(actor: User, token_id: int, *, now: datetime) -> ApiToken:
    """The owner revokes a token (from now on it gets 401); another's token is not found.

    Revoking a revoked token changes nothing.
    """
    token = db.session.get(ApiToken, token_id)
    if token is None or token.user_id != actor.id:
        raise NotFound(N_("No such API token."))
    if token.revoked_at is None:
        token.revoked_at = now
        forget = functools.partial(token_cache.forget, token.token_hash)
        forget()  # and again once committed: a call meanwhile may have remembered it
        after_commit(forget)
        audit_action(
            "api_token.revoke",
            token.id,
            actor.id,
            now,
            before={"revoked_at": None},
            after={"revoked_at": now.isoformat()},
        )
    return token
