"""Flask-Login wiring and the decorators views use for sign-in."""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta
from typing import Any

from flask import Flask, abort, current_app, g, request, session
from flask_babel import lazy_gettext as _l
from flask_login import user_logged_in
from sqlalchemy import Engine, select, update

from accounts import sessions
from accounts.models import ApiToken, User
from accounts.throttle import SignInThrottle
from core.clock import as_utc, now
from core.extensions import db, limiter, login_manager
from core.uow import permit_get_write, unit_of_work

# A token's last use is written at most this often: an API call then reads its token
# and writes nothing but its own effect (a bid must not queue behind a token update).
TOKEN_TOUCH_INTERVAL = timedelta(minutes=1)
# The OpenAPI security requirement of an endpoint that takes a bearer token:
# `@blp.doc(**BEARER_TOKEN)`.
BEARER_TOKEN: dict[str, Any] = {"security": [{"bearerAuth": []}]}


def init_app(app: Flask) -> None:
    """Load users by id; send anonymous visitors to the sign-in page."""
    login_manager.init_app(app)
    login_manager.login_view = "accounts.sign_in"
    login_manager.login_message = _l("Please sign in to continue.")
    login_manager.login_message_category = "info"
    login_manager.session_protection = "strong"

    limiter.init_app(app)

    @login_manager.user_loader
    def load_user(user_id: str) -> User | None:
        """The session's user, unless the session was ended or has outlived its lifetime."""
        user = db.session.get(User, int(user_id)) if user_id.isdigit() else None
        lifetime = timedelta(hours=app.config["SESSION_ABSOLUTE_LIFETIME_HOURS"])
        if user is None or not sessions.is_current(session, user, now=now(), lifetime=lifetime):
            sessions.forget_sign_in(session)
            return None
        return user

    user_logged_in.connect(_remember_sign_in, app)
    app.before_request(_load_user_per_request)


def _remember_sign_in(sender: Flask, user: User, **_: object) -> None:
    """Every sign-in (Flask-Login's login_user) notes its session version and time."""
    sessions.remember_sign_in(session, user, now=now())


def _load_user_per_request() -> None:
    """Each request reads its user from its own session cookie.

    `g` lives in the app context, which a test (or a CLI command) may keep across
    requests: a user loaded for one client must not be reused for the next.
    """
    g.pop("_login_user", None)


def sign_in_throttle() -> SignInThrottle:
    """The lockout state of sign-ins, kept in the rate limiter's storage (config SIGNIN_*)."""
    return SignInThrottle.from_config(limiter.storage, current_app.config)


def sign_in_rate_limit() -> str:
    """How many sign-in attempts one client address may make (config SIGNIN_RATE_LIMIT)."""
    limit: str = current_app.config["SIGNIN_RATE_LIMIT"]
    return limit


def api_actor(*, allow_session: bool = True) -> User | None:
    """The caller of an API endpoint: a bearer token, else (for reads) the browser session.

    Writes take tokens only: the API is exempt from CSRF, so a cookie must not suffice.
    """
    from flask import request
    from flask_login import current_user

    header = request.headers.get("Authorization", "")
    if header.startswith("Bearer "):
        return user_for_token(header.removeprefix("Bearer ").strip(), now=now())
    return current_user if allow_session and current_user.is_authenticated else None


_SEND_A_TOKEN = "Send an API token: Authorization: Bearer <token>."
_READS = ("GET", "HEAD", "OPTIONS")


def require_token_for_writes() -> None:
    """`before_request` of every API blueprint: a write without a bearer token is a 401.

    Checked before the body is read (a 401, not a 422 about the body); the writer is kept
    for the endpoint (`api_writer`), so the token is looked up once per request.
    """
    if request.method in _READS:
        return
    writer = api_actor(allow_session=False)
    if writer is None:
        abort(401, description=_SEND_A_TOKEN)
    g.api_writer = writer


def api_writer() -> User:
    """The token holder of the current write (checked by `require_token_for_writes`)."""
    writer: User = g.api_writer
    return writer


def api_reader() -> User:
    """The caller of a read that needs one: a bearer token or the browser session, else 401."""
    reader = api_actor()
    if reader is None:
        abort(401, description="Sign in or send an API token: Authorization: Bearer <token>.")
    return reader


def api_caller() -> User:
    """The caller of the current request: the writer of a write, else the reader."""
    return api_writer() if request.method not in _READS else api_reader()


def user_for_token(plain: str, *, now: datetime) -> User | None:
    """The active user a bearer token belongs to, or None; notes the token's use (throttled).

    One read of token and user, in a small unit of work of its own (call it before the
    endpoint opens its own). Outside a caller's transaction it runs in autocommit (no
    BEGIN/COMMIT round trips), and `last_used_at` is written only when it is more than
    TOKEN_TOUCH_INTERVAL old: the one write a GET request of the API may make.
    """
    digest = hashlib.sha256(plain.encode()).hexdigest()
    with unit_of_work():
        session = db.session()
        if (
            isinstance(session.get_bind(), Engine)
            and not session.in_transaction()
            and not (session.new or session.dirty or session.deleted)
        ):
            session.connection(execution_options={"isolation_level": "AUTOCOMMIT"})
        row = session.execute(
            select(User, ApiToken.id, ApiToken.last_used_at)
            .join(ApiToken, ApiToken.user_id == User.id)
            .where(ApiToken.token_hash == digest, ApiToken.revoked_at.is_(None))
        ).first()
        if row is None or not row[0].active:
            return None
        user, token_id, last_used_at = row
        if last_used_at is None or as_utc(last_used_at) <= now - TOKEN_TOUCH_INTERVAL:
            permit_get_write("api token last use, throttled")
            session.execute(
                update(ApiToken).where(ApiToken.id == token_id).values(last_used_at=now)
            )
    return user
