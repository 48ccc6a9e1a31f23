"""REST endpoints of personal API tokens (`/api/v1/tokens`): the owner issues, lists, revokes.

Reads take a token of any scope or the browser session. Writes take a write-scoped
token, or the browser session with its CSRF token (`X-CSRFToken`): the API is exempt
from CSRF, so a cookie alone must not suffice.
"""

from __future__ import annotations

from typing import Any

from flask import after_this_request, current_app, request
from flask_login import current_user
from werkzeug.wrappers import Response

from accounts import tokens
from accounts.auth import (
    BEARER_TOKEN,
    accept_session_writer,
    api_caller,
    require_token_for_writes,
)
from accounts.models import TokenScope
from accounts.schemas import TokenInSchema, TokenIssuedSchema, TokenOutSchema, TokenPageSchema
from core.api_kit import ApiBlueprint
from core.clock import now
from core.extensions import csrf
from core.uow import SAFE_METHODS, unit_of_work

blp = ApiBlueprint(
    "tokens_api",
    __name__,
    description="Personal API tokens: issue (the secret is shown once), list, revoke",
    write_doc=BEARER_TOKEN,
)


@blp.before_request
def _token_or_session() -> None:
    """A bearer token as everywhere; without one, a write may come from the session + CSRF."""
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


@blp.write("/", 201, TokenIssuedSchema, 401, (403, "A read-scoped token"), 422, args=TokenInSchema)
def issue(data: dict[str, Any]) -> dict[str, Any]:
    """Issue a token; the response holds its secret, shown this once (only a hash is kept)."""
    moment = now()
    new = tokens.NewToken(data["name"], TokenScope(data["scope"]), data["days"])
    with unit_of_work():
        issued = tokens.issue_token(
            api_caller(), new, now=moment, max_days=current_app.config["API_TOKEN_MAX_DAYS"]
        )
    after_this_request(_not_stored)
    return {**tokens.describe(issued.token, moment), "secret": issued.secret}


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
