"""REST endpoints of personal API tokens (`/api/v1/tokens`): the owner issues, lists, revokes.

Reads take a token of any scope or the browser session. Writes take a write-scoped
token, or the browser session with its CSRF token (`X-CSRFToken`): the API is exempt
from CSRF, so a cookie alone must not suffice. The first token of a client without a
browser is issued for its owner's email and password, counted and locked exactly like
a sign-in (`accounts.throttle`, SIGNIN_RATE_LIMIT per address).
"""

from __future__ import annotations

from typing import Any

from flask import abort, after_this_request, current_app, request
from flask_babel import gettext
from flask_login import current_user
from werkzeug.wrappers import Response

from accounts import services, tokens
from accounts.auth import (
    BEARER_TOKEN,
    accept_session_writer,
    api_caller,
    require_token_for_writes,
    sign_in_rate_limit,
    sign_in_throttle,
)
from accounts.lockout_rules import SignInLocked
from accounts.models import TokenScope, User
from accounts.schemas import (
    PingSchema,
    TokenIssuedSchema,
    TokenOutSchema,
    TokenPageSchema,
    TokenRequestSchema,
)
from core.api_kit import ApiBlueprint
from core.clock import now
from core.domain import DomainError
from core.extensions import csrf, limiter
from core.uow import SAFE_METHODS, unit_of_work

blp = ApiBlueprint(
    "tokens_api",
    __name__,
    description="Personal API tokens: issue (the secret is shown once), list, revoke",
    write_doc=BEARER_TOKEN,
)


def _by_credentials() -> bool:
    """Whether this is an issue with neither bearer token nor session: email and password."""
    bearer = request.headers.get("Authorization", "").startswith("Bearer ")
    signed_in = current_user.is_authenticated
    return request.endpoint == "tokens_api.issue" and not bearer and not signed_in


@blp.before_request
def _token_or_session() -> None:
    """A bearer token as everywhere; without one, a write may come from the session + CSRF."""
    if _by_credentials():
        return  # the endpoint signs the body's email and password in
    bearer = request.headers.get("Authorization", "").startswith("Bearer ")
    if bearer or request.method in SAFE_METHODS or not current_user.is_authenticated:
        require_token_for_writes()  # (a write with neither token nor session: the usual 401)
        return
    if current_app.config.get("WTF_CSRF_ENABLED", True):
        csrf.protect()
    accept_session_writer(current_user._get_current_object())


@blp.read("/", TokenPageSchema, 401)
def index() -> dict[str, Any]:
    """The caller's tokens, newest first (revoked and expired ones too)."""
    moment = now()
    return {"items": [tokens.describe(t, moment) for t in tokens.tokens_of(api_caller())]}


@blp.write(
    "/",
    201,
    TokenIssuedSchema,
    (401, "No token, session or credentials; wrong email or password"),
    (403, "A read-scoped token; a deactivated account"),
    422,
    (429, "Too many sign-ins: the account or address is locked (Retry-After)"),
    args=TokenRequestSchema,
)
@limiter.limit(sign_in_rate_limit, methods=["POST"], exempt_when=lambda: not _by_credentials())
def issue(data: dict[str, Any]) -> dict[str, Any]:
    """Issue a token; the response holds its secret, shown this once (only a hash is kept).

    With no bearer token (a client's first), send `email` and `password`: failures are
    counted and locked like sign-ins.
    """
    moment = now()
    new = tokens.NewToken(data["name"], TokenScope(data["scope"]), data["days"])
    with unit_of_work():
        owner = _signed_in(data, moment) if _by_credentials() else api_caller()
        issued = tokens.issue_token(
            owner, new, now=moment, max_days=current_app.config["API_TOKEN_MAX_DAYS"]
        )
    after_this_request(_not_stored)
    return {**tokens.describe(issued.token, moment), "secret": issued.secret}


def _signed_in(data: dict[str, Any], moment: Any) -> User:
    """The owner of the credentials in the body, as a sign-in finds them (throttled)."""
    if not data["email"] or not data["password"]:
        abort(401, description=gettext("Send an API token, or your email and password."))
    try:
        return services.authenticate(
            data["email"],
            data["password"],
            now=moment,
            throttle=sign_in_throttle(),
            address=request.remote_addr or "",
        )
    except SignInLocked as error:
        wait = str(error.retry_after)
        after_this_request(lambda response: _retry_after(response, wait))
        raise
    except DomainError as error:
        if error.code != "bad_credentials":
            raise
        abort(401, description=error.text(gettext))


def _retry_after(response: Response, seconds: str) -> Response:
    response.headers["Retry-After"] = seconds
    return response


def _not_stored(response: Response) -> Response:
    response.headers["Cache-Control"] = "no-store"  # the secret stays in no cache
    return response


@blp.write("/<int:token_id>", 200, TokenOutSchema, 401, 403, 404, method="DELETE")
def revoke(token_id: int) -> dict[str, Any]:
    """Revoke one of the caller's tokens: from now on it gets 401. Another's is not found."""
    moment = now()
    with unit_of_work():
        token = tokens.revoke_token(api_caller(), token_id, now=moment)
    return tokens.describe(token, moment)


@blp.read("/ping", PingSchema, 401)
def ping() -> dict[str, Any]:
    """Check a token: whom it speaks for (a client's health check; the benchmarks' ceiling)."""
    return {"user_id": api_caller().id}


@blp.write("/ping", 200, PingSchema, method="POST")
def ping_write() -> dict[str, Any]:
    """Check a write token, writing nothing: whom it speaks for."""
    return {"user_id": api_caller().id}
