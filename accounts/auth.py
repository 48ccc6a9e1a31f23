"""Flask-Login wiring and the decorators views use for sign-in."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, TypeVar

from flask import (
    Flask,
    abort,
    after_this_request,
    current_app,
    g,
    has_request_context,
    request,
    session,
)
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from flask_login import user_logged_in
from sqlalchemy import or_, select, update
from sqlalchemy.exc import OperationalError
from werkzeug.wrappers import Response

from accounts import sessions, token_cache
from accounts.models import ApiToken, TokenScope, User
from accounts.throttle import SignInThrottle
from accounts.token_rules import TokenState, token_state
from accounts.tokens import digest
from core import api_actions, page_cache, plain_sql
from core.api_kit import ApiBlueprint
from core.clock import as_utc, now
from core.extensions import db, limiter, login_manager
from core.sqlite import brief_lock_wait
from core.uow import end_read_transaction, permit_get_write, unit_of_work

log = logging.getLogger(__name__)
T = TypeVar("T")
F = TypeVar("F", bound=Callable[..., Any])

# A token's last use is written at most this often: an API call then reads its token
# and writes nothing but its own effect (a bid must not queue behind a token update).
TOKEN_TOUCH_INTERVAL = timedelta(minutes=1)
# How long noting a token's use may wait for the write lock before it is skipped.
TOKEN_TOUCH_WAIT_MS = 200
# The OpenAPI security requirement of an endpoint that takes a bearer token:
# `@blp.doc(**BEARER_TOKEN)`.
BEARER_TOKEN: dict[str, Any] = {"security": [{"bearerAuth": []}]}


def init_app(app: Flask) -> None:
    """Load users by id; send anonymous visitors to the sign-in page."""
    login_manager.init_app(app)
    api_actions.set_caller(api_actor)
    page_cache.set_caller(api_actor)
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
    A bearer token that is unknown, revoked or expired is a 401, even on a public read.
    """
    from flask_login import current_user

    if _CALLER in request.environ:
        token_user: User = request.environ[_CALLER]
        return token_user
    if _WRITER_ID in request.environ:  # a write whose endpoint reads its user when needed
        return api_writer()
    plain = _bearer_token()
    if plain is not None:
        request.environ[_CALLER] = token_caller(plain, now=now()).checked_user()
        return api_actor()
    return current_user if allow_session and current_user.is_authenticated else None


_READS = ("GET", "HEAD", "OPTIONS")
# The token's caller, looked up once per request, kept in the request's own environ
# (not `g`, which lives as long as the app context: tests keep one across requests).
_CALLER, _WRITER = "market.api_caller", "market.api_writer"
_WRITER_ID = "market.api_writer_id"  # the writer's id, its user not read yet
_USER_WHEN_NEEDED = "_token_user_when_needed"


def _bearer_token() -> str | None:
    header = request.headers.get("Authorization", "")
    return header.removeprefix("Bearer ").strip() if header.startswith("Bearer ") else None


def require_token_for_writes() -> None:
    """`before_request` of every API blueprint: checks the bearer token of any request.

    A write without a token is a 401; a token that is unknown, revoked or expired is a
    401 on any request; a read-scoped token is a 403 on a write. Checked before the body
    is read (a 401, not a 422 about the body); the writer is kept for the endpoint
    (`api_writer`), so the token is looked up once per request. An endpoint marked
    `token_user_when_needed` reads the user itself: a user no longer active is then a 401
    when it does.
    """
    plain = _bearer_token()
    if plain is None:
        if request.method not in _READS:
            abort(401, description=gettext("Send an API token: Authorization: Bearer <token>."))
        return
    if request.method in _READS:
        request.environ[_CALLER] = token_caller(plain, now=now()).checked_user()
        return
    caller = token_caller(plain, now=now(), read_user=not _user_when_needed())
    if caller.scope != TokenScope.WRITE:
        abort(403, description=gettext("This API token may only read: use a write token."))
    if caller.user is None:
        request.environ[_WRITER_ID] = caller.user_id
    else:
        request.environ[_CALLER] = request.environ[_WRITER] = caller.user


def token_user_when_needed(view: F) -> F:
    """Mark a write endpoint that reads its token's user only when it needs it
    (`api_writer`), so that what it can answer from the token alone (`api_writer_id`)
    costs no statement: a stale bid refused from this worker's memory.

    The token is checked before the body as for any write (known, not revoked, not
    expired, allowed to write); whether its user is still active is checked when the
    user is read. The refusal answered without it must reveal nothing a public read
    would not (a bid's minimum is on the auction's public page).
    """
    setattr(view, _USER_WHEN_NEEDED, True)
    return view


def _user_when_needed() -> bool:
    view = current_app.view_functions.get(request.endpoint or "")
    return bool(getattr(view, _USER_WHEN_NEEDED, False))


def token_api(name: str, import_name: str, description: str) -> ApiBlueprint:
    """An API blueprint whose writes take a bearer token (`require_token_for_writes`) and
    say so in the OpenAPI document."""
    blp = ApiBlueprint(name, import_name, description=description, write_doc=BEARER_TOKEN)
    blp.before_request(require_token_for_writes)
    return blp


def accept_session_writer(user: User) -> None:
    """Let the signed-in session write this request (its CSRF token checked by the caller)."""
    request.environ[_WRITER] = user


def api_writer() -> User:
    """The token holder of the current write (checked by `require_token_for_writes`; read
    now, a 401 if no longer active, for an endpoint marked `token_user_when_needed`)."""
    if _WRITER not in request.environ:
        user = _active_user(request.environ[_WRITER_ID])
        request.environ[_CALLER] = request.environ[_WRITER] = user
    writer: User = request.environ[_WRITER]
    return writer


def api_writer_id() -> int:
    """The id of the current write's token holder, without reading its user."""
    if _WRITER in request.environ:
        return int(request.environ[_WRITER].id)
    return int(request.environ[_WRITER_ID])


def api_reader() -> User:
    """The caller of a read that needs one: a bearer token or the browser session, else 401."""
    reader = api_actor()
    if reader is None:
        abort(
            401,
            description=gettext("Sign in or send an API token: Authorization: Bearer <token>."),
        )
    return reader


def api_caller() -> User:
    """The caller of the current request: the writer of a write, else the reader."""
    return api_writer() if request.method not in _READS else api_reader()


@dataclass(frozen=True)
class TokenCaller:
    """Who a valid bearer token speaks for, and what it may do."""

    user: User | None  # None: not read (`token_caller(read_user=False)`)
    user_id: int
    scope: TokenScope

    def checked_user(self) -> User:
        """The user, read now if it was not (a 401 if no longer active)."""
        return self.user if self.user is not None else _active_user(self.user_id)


def token_caller(plain: str, *, now: datetime, read_user: bool = True) -> TokenCaller:
    """The active user a bearer token belongs to and its scope, else a 401 saying why.

    A token this worker checked within `token_cache.TTL_SECONDS` costs one read of its
    user by primary key (none with `read_user=False`: the caller reads it when it needs
    it, `TokenCaller.checked_user`); otherwise one indexed read of the token's columns
    and its user. The reads run in autocommit (`_in_autocommit`). The use is noted
    after the endpoint, at most once per TOKEN_TOUCH_INTERVAL (`note_token_use`).
    """
    token_hash = digest(plain)
    known = token_cache.recall(token_hash)
    user: User | None = None
    if known is None:
        user, known = _in_autocommit(lambda: _read_token(token_hash, now))
    elif read_user:
        user = _active_user(known.user_id)
    if token_state(None, as_utc(known.expires_at), now) == TokenState.EXPIRED:
        abort(401, description=gettext("This API token has expired: issue a new one."))
    last_used_at = known.last_used_at
    if last_used_at is None or as_utc(last_used_at) <= now - TOKEN_TOUCH_INTERVAL:
        token_id = known.token_id
        _after_the_endpoint(lambda: note_token_use(token_id, now=now, token_hash=token_hash))
    return TokenCaller(user, known.user_id, known.scope)


def _active_user(user_id: int) -> User:
    """The user by primary key, else a 401: gone or no longer active."""
    user = _in_autocommit(lambda: db.session.get(User, user_id))
    if user is None or not user.active:
        abort(401, description=gettext("This API token is not valid."))
    return user


def _in_autocommit(read: Callable[[], T]) -> T:
    """`read` in a small unit of work of its own (call it before the endpoint opens its
    own), in autocommit when nothing is begun: no BEGIN/COMMIT round trips."""
    session = db.session()
    alone = plain_sql.alone()
    # Alone, the read is in autocommit and its end expires nothing: the user just read
    # stays loaded for the endpoint (else its first attribute would read it again).
    session.expire_on_commit = not alone
    try:
        with unit_of_work(writer=False):  # a read: a POST's endpoint queues as SQLite's writer
            if alone:
                session.connection(execution_options={"isolation_level": "AUTOCOMMIT"})
            return read()
    finally:
        session.expire_on_commit = True


def _read_token(token_hash: str, now: datetime) -> tuple[User, token_cache.KnownToken]:
    """The token's user and facts by its digest (unique index); a 401 if unknown or revoked.

    A token that is not revoked is remembered (`token_cache`) for the next calls.
    """
    row = db.session.execute(
        select(User, ApiToken.id, ApiToken.last_used_at, ApiToken.scope)
        .add_columns(ApiToken.revoked_at, ApiToken.expires_at)
        .join(ApiToken, ApiToken.user_id == User.id)
        .where(ApiToken.token_hash == token_hash)
    ).first()
    if row is None or not row[0].active:
        abort(401, description=gettext("This API token is not valid."))
    user, token_id, last_used_at, scope, revoked_at, expires_at = row
    if token_state(revoked_at, as_utc(expires_at), now) == TokenState.REVOKED:
        abort(401, description=gettext("This API token has been revoked."))
    known = token_cache.KnownToken(token_id, user.id, scope, expires_at, last_used_at)
    if revoked_at is None:
        token_cache.remember(token_hash, known)
    return user, known


def _after_the_endpoint(step: Callable[[], object]) -> None:
    if not has_request_context():
        step()
        return
    permit_get_write("api token last use, throttled")

    @after_this_request
    def run(response: Response) -> Response:
        step()
        return response


def note_token_use(token_id: int, *, now: datetime, token_hash: str | None = None) -> bool:
    """Write the token's last use, unless it is recent; False if that had to be skipped.

    Bookkeeping never fails a request: it runs after the endpoint, in a short
    transaction of its own that writes first (on SQLite a write after a read fails at
    once when another writer committed in between), waits at most TOKEN_TOUCH_WAIT_MS
    for the write lock, and is skipped (noted next time) if the database stays busy.
    """
    end_read_transaction()
    session = db.session
    recent = now - TOKEN_TOUCH_INTERVAL
    try:
        with unit_of_work(), brief_lock_wait(session, TOKEN_TOUCH_WAIT_MS):
            with session.begin_nested():
                session.execute(
                    update(ApiToken)
                    .where(
                        ApiToken.id == token_id,
                        or_(ApiToken.last_used_at.is_(None), ApiToken.last_used_at <= recent),
                    )
                    .values(last_used_at=now)
                )
    except OperationalError:
        log.info("api token %s: last use not noted, the database is busy", token_id)
        return False
    if token_hash is not None:
        token_cache.noted_use(token_hash, now)
    return True
