"""REST endpoints of organisations (`/api/v1/organisations`): the caller's organisation and
its members, the admin's approval of people who asked to join, and the reviewers'
verification (the pending queue, verify or refuse with a reason).

An organisation is registered with its first user at sign-up and waits, pending, for a
reviewer: there is no separate "submit for verification" step.
"""

from __future__ import annotations

from typing import Any

from werkzeug.wrappers import Response

from accounts import documents, services
from accounts.auth import api_reader, api_writer, token_api
from accounts.models import Organisation, User
from accounts.schemas import (
    DecisionReasonSchema,
    MembersOutSchema,
    OrganisationOutSchema,
    UserOutSchema,
)
from core.clock import now
from core.domain import N_, NotFound
from core.storage import ALLOWED_TYPES, area_folder
from core.uow import unit_of_work
from core.views_kit import send_stored

blp = token_api(
    "organisations_api", __name__, "Organisations: membership and verification by reviewers"
)


def _own_organisation(actor: User) -> Organisation:
    if actor.organisation is None:
        raise NotFound(N_("No such organisation."))
    return actor.organisation


@blp.read("/mine", OrganisationOutSchema, 401, (404, "The caller belongs to no organisation"))
def mine() -> Organisation:
    """The caller's organisation, with its verification status (and a refusal's reason)."""
    return _own_organisation(api_reader())


@blp.read("/mine/members", MembersOutSchema, 401, (404, "The caller acts for no organisation"))
def members() -> dict[str, Any]:
    """The members of the caller's organisation; its admin also sees who waits to join."""
    return services.members_of(api_reader())


@blp.write(
    "/mine/members/<int:user_id>/approve",
    200,
    UserOutSchema,
    (403, "Not the organisation's admin, or not a person who asked to join it"),
)
def approve_member(user_id: int) -> User:
    """The organisation's admin accepts a person who asked to join."""
    with unit_of_work():
        return services.approve_member(api_writer(), user_id, now=now())


@blp.read("/pending", OrganisationOutSchema(many=True), 401, (403, "Not a reviewer"))
def pending() -> list[Organisation]:
    """Organisations waiting for verification, oldest first (reviewers)."""
    return services.organisation_queue(api_reader())


@blp.write(
    "/<int:org_id>/<any(verify, reject):decision>",
    200,
    OrganisationOutSchema,
    (403, "Not a reviewer"),
    404,
    (409, "Already decided (code already_decided)"),
    (422, "A refusal without a reason"),
    args=DecisionReasonSchema,
)
def decide(data: dict[str, Any], org_id: int, decision: str) -> Organisation:
    """A reviewer verifies an organisation (it may then list, offer and bid) or refuses it
    with a reason its members read."""
    actor = api_writer()
    with unit_of_work():
        if decision == "verify":
            return services.verify_organisation(actor, org_id, now=now())
        return services.reject_organisation(actor, org_id, data["reason"], now=now())


@blp.download("/documents/<int:document_id>/file", ALLOWED_TYPES, "The document as uploaded at sign-up (never served as active content)")  # fmt: skip
def document_file(document_id: int) -> Response:
    """An organisation's document (its business licence) for its members and the reviewers."""
    document = documents.document_for_download(api_reader(), document_id)
    return send_stored(area_folder("organisations"), document)
