"""REST endpoints of people (`/api/v1/accounts`): sign-up without a browser, who I am, and
changing one's password.

Sign-up is the one write that takes no token (the person has none yet): it is limited per
client address like sign-in (SIGNIN_RATE_LIMIT). Its first token comes from
POST /api/v1/tokens/ with the email and password (`accounts.api`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import request
from marshmallow import fields, validate

from accounts import services
from accounts.auth import (
    BEARER_TOKEN,
    api_reader,
    api_writer,
    require_token_for_writes,
    sign_in_rate_limit,
)
from accounts.models import User
from accounts.rules import MAX_PASSWORD_LENGTH
from accounts.schemas import CallerOutSchema, SignUpInSchema, sign_up_input
from core.api_kit import GENERIC_REFUSALS, OPTIONAL_TOKEN, ApiBlueprint, DomainErrorSchema
from core.clock import now
from core.extensions import limiter
from core.i18n import current_locale
from core.marshmallow_messages import REQUIRED
from core.openapi_examples import error_example
from core.schema_kit import InputSchema
from core.uow import unit_of_work

blp = ApiBlueprint(
    "accounts_api",
    __name__,
    description="People: sign-up (no token needed) and the caller's account",
    write_doc=BEARER_TOKEN,
)

_INVALID = "Invalid input, a weak password, a bad credit code; email or organisation taken"
_EXAMPLE = {
    "email": "tto@jiangcheng-tech.edu.cn",
    "name": "王老师",
    "password": "Correct-horse-9",
    "organisation_mode": "create",
    "org_name": "江城理工大学",
    "org_name_en": "Jiangcheng University of Technology",
    "kind": "university",
    "credit_code": "12310000000000007N",
    "region": "上海市",
}


def _refusal(status: int, description: str) -> Callable[[Any], Any]:
    return blp.alt_response(
        status, schema=DomainErrorSchema, description=description, example=error_example(status)
    )


@blp.before_request
def _token_unless_signing_up() -> None:
    """Every request checks its bearer token; a sign-up needs none, but one that is sent is
    checked as everywhere (a read token may write nothing)."""
    bearer = request.headers.get("Authorization", "").startswith("Bearer ")
    if bearer or request.endpoint != "accounts_api.sign_up":
        require_token_for_writes()


@blp.route("/", methods=["POST"])
@limiter.limit(sign_in_rate_limit, methods=["POST"])  # before the body is read: all count
@blp.arguments(SignUpInSchema, location="json", example=_EXAMPLE)
@blp.response(201, CallerOutSchema)
@_refusal(400, GENERIC_REFUSALS[400])
@_refusal(401, "A bearer token was sent and is not valid")
@_refusal(403, "A bearer token was sent that may only read")
@_refusal(422, _INVALID)
@_refusal(429, "Too many attempts from this address")
@blp.doc(**OPTIONAL_TOKEN)
def sign_up(data: dict[str, Any]) -> User:
    """Register a person with a new organisation (as its admin; a reviewer verifies it
    before it may list or buy) or as a member waiting for an organisation's admin.
    No token needed; then POST /api/v1/tokens/ with the email and password."""
    with unit_of_work():
        return services.sign_up(sign_up_input(data, current_locale()), now=now())


@blp.read("/me", CallerOutSchema, 401)
def me() -> User:
    """The caller: account, roles, organisation and its verification."""
    return api_reader()


class PasswordChangeInSchema(InputSchema):
    """The current password, and the new one (at least 10 characters of two kinds)."""

    current_password = fields.String(required=True, error_messages=REQUIRED, validate=validate.Length(1, MAX_PASSWORD_LENGTH))  # fmt: skip
    password = fields.String(required=True, error_messages=REQUIRED, validate=validate.Length(1, MAX_PASSWORD_LENGTH))  # fmt: skip


@blp.write("/me/password", 200, CallerOutSchema, 401, 403, (422, "The current password is wrong, or the new one is weak."), (429, "Too many attempts from this address"), args=PasswordChangeInSchema, example={"current_password": "Old-password-42", "password": "Battery-staple-27"})  # fmt: skip
@limiter.limit(sign_in_rate_limit, methods=["POST"])
def change_password(data: dict[str, Any]) -> User:
    """Change the caller's password, proven by the current one: every browser session of
    the account ends (API tokens stay valid: revoke them at /api/v1/tokens)."""
    with unit_of_work():
        return services.change_password(
            api_writer(), data["current_password"], data["password"], now=now()
        )
