"""REST endpoints of listings (flask-smorest, in the OpenAPI document): the same services as the pages.

The owner drafts, attaches evidence, submits, publishes, withdraws and reopens; a
reviewer confirms or refuses the ownership (确权). A listing shows its sale (collected
from trading and auctions through `listings.signals.listing_sale`) and the actions the
caller may take now. The search endpoint (GET /) is attached to this blueprint by
`search.api`.
"""

from __future__ import annotations

from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

from marshmallow import Schema, fields
from werkzeug.wrappers import Response

from accounts.auth import (
    api_actor,
    api_reader,
    api_writer,
    token_api,
)
from accounts.models import User
from accounts.schemas import DecisionReasonSchema
from core.api_documents import document_args
from core.api_kit import SchemaLike, View
from core.clock import now
from core.domain import N_, NotFound
from core.signals import values_from_signal
from core.storage import ALLOWED_TYPES, area_folder
from core.uow import unit_of_work
from core.views_kit import send_stored
from listings import evidence as listing_evidence
from listings import review, services
from listings.api_schemas import (
    EvidenceFileSchema,
    EvidenceFormSchema,
    EvidenceOutSchema,
    ListingDetailSchema,
)
from listings.models import Listing
from listings.schemas import ListingInputSchema, ListingOutSchema
from listings.signals import listing_sale

blp = token_api("listings_api", __name__, "Listings of results (科技成果)")

# Refusals of the owner's changes to a draft, here and in the pictures' API (listings.image_api).
NOT_OWNER = (403, "Not the owner organisation")
NOT_DRAFT = (409, "Not a draft (code not_editable)")


def _detail(listing: Listing, viewer: User | None) -> Listing:
    """The listing with its sale, as trading and auctions see it for `viewer`."""
    answers = values_from_signal(listing_sale, listing, viewer=viewer, now=now())
    listing.sale = {  # type: ignore[attr-defined]  # for ListingDetailSchema
        "state": listing.sale_state.value,
        "channels": [channel for answer in answers for channel in answer["channels"]],
        "allowed_actions": [action for answer in answers for action in answer["actions"]],
    }
    return listing


def _written(
    use_case: Callable[..., Listing], listing_id: int, *args: Any, **kwargs: Any
) -> Listing:
    """Run `use_case(caller, listing_id, *args, now=..., **kwargs)` in one unit of work; the
    listing as it then is, with its sale (`_detail`)."""
    actor = api_writer()
    with unit_of_work():
        listing = use_case(actor, listing_id, *args, now=now(), **kwargs)
        return _detail(listing, actor)


@blp.read("/mine", ListingOutSchema(many=True), 401)
def mine() -> Any:
    """The listings of the caller's organisation, newest first (every state)."""
    return services.listings_of(api_reader(), whole=True)


@blp.read("/submitted", ListingOutSchema(many=True), 401, (403, "Not a reviewer"))
def submitted() -> Any:
    """Listings waiting for the ownership decision, oldest first (reviewers)."""
    return services.ownership_queue(api_reader())


@blp.read("/<int:listing_id>", ListingDetailSchema, 404)
def get(listing_id: int) -> Any:
    """One listing (published ones for everyone; others for the owner and reviewers), with
    its sale (listed sale, public notice, the caller's negotiation, auction) and the
    actions the caller may take now."""
    viewer = api_actor()
    return _detail(services.visible_listing(viewer, listing_id), viewer)


@blp.write("/", 201, ListingOutSchema, 403, 422, args=ListingInputSchema)
def create(data: services.ListingInput) -> Any:
    """Create a draft listing for the caller's organisation (Authorization: Bearer <token>)."""
    actor = api_writer()
    with unit_of_work():
        return services.create_listing(actor, data, now=now())


@blp.write(
    "/<int:listing_id>",
    200,
    ListingOutSchema,
    NOT_OWNER,
    404,
    NOT_DRAFT,
    422,
    args=ListingInputSchema,
    method="PUT",
)
def update(data: services.ListingInput, listing_id: int) -> Any:
    """Replace a draft's content (the whole listing, as the editor saves it)."""
    with unit_of_work():
        return services.update_listing(api_writer(), listing_id, data, now=now())


@blp.read("/<int:listing_id>/evidence", EvidenceOutSchema(many=True), 401, 404)
def evidence(listing_id: int) -> Any:
    """The listing's ownership documents (the owner organisation and reviewers)."""
    return listing_evidence.evidence_of(api_reader(), listing_id)


@blp.write(
    "/<int:listing_id>/evidence",
    201,
    EvidenceOutSchema,
    NOT_OWNER,
    404,
    NOT_DRAFT,
    (413, "Larger than MAX_EVIDENCE_BYTES"),
    (422, "Not a PDF, PNG, JPEG or WebP file; no kind"),
    args=EvidenceFormSchema,
    files=EvidenceFileSchema,
)
def add_evidence(form: dict[str, Any], files: dict[str, Any], listing_id: int) -> Any:
    """Attach an ownership document to a draft (multipart: `kind`, `file`)."""
    with unit_of_work():
        return listing_evidence.add_evidence(
            api_writer(),
            listing_id,
            kind=form["kind"],
            now=now(),
            **document_args(files, area_folder("evidence")),
        )


@blp.download("/<int:listing_id>/evidence/<int:evidence_id>/file", ALLOWED_TYPES, "The document as uploaded (never served as active content)", (404, "No such document, or not one the caller may see (its organisation and reviewers)"))  # fmt: skip
def evidence_file(listing_id: int, evidence_id: int) -> Response:
    """Download an ownership document (the owner organisation and reviewers)."""
    found = listing_evidence.evidence_for_download(api_reader(), evidence_id)
    if found.listing_id != listing_id:
        raise NotFound(N_("No such document."))
    return send_stored(area_folder("evidence"), found)


def removal_from_draft(rule: str, out: SchemaLike) -> Callable[[View], View]:
    """The declaration of a DELETE by which the owner takes a document or a picture off a
    draft; the answer is what was taken (`removed_copy`)."""
    return blp.write(rule, 200, out, NOT_OWNER, 404, NOT_DRAFT, method="DELETE")


def removed_copy(row: object, out: Schema, **computed: Any) -> SimpleNamespace:
    """The plain fields `out` shows of `row`, copied before the row is deleted (its
    Function and Method fields are made from them when dumped, or given as `computed`)."""
    made = (fields.Function, fields.Method)
    plain = [name for name, field in out.fields.items() if not isinstance(field, made)]
    return SimpleNamespace(**{name: getattr(row, name) for name in plain}, **computed)


@removal_from_draft("/<int:listing_id>/evidence/<int:evidence_id>", EvidenceOutSchema)
def remove_evidence(listing_id: int, evidence_id: int) -> Any:
    """Remove a document from a draft; the removed document is returned."""
    actor = api_writer()
    with unit_of_work():
        found = listing_evidence.evidence_for_download(actor, evidence_id)
        if found.listing_id != listing_id:
            raise NotFound(N_("No such document."))
        gone = removed_copy(found, EvidenceOutSchema())
        listing_evidence.remove_evidence(
            actor, evidence_id, folder=area_folder("evidence"), now=now()
        )
    return gone


_OWNER_ACTIONS = {
    "submit": review.submit,
    "publish": review.publish,
    "reopen": review.reopen,
}


@blp.write(
    "/<int:listing_id>/<any(submit, publish, reopen):action>",
    200,
    ListingDetailSchema,
    NOT_OWNER,
    404,
    (
        409,
        "Not possible now (codes transition_not_allowed, organisation_not_verified, "
        "no_ip_assets, no_evidence)",
    ),
)
def act(listing_id: int, action: str) -> Any:
    """The owner submits a draft for review, publishes a confirmed listing, reopens a withdrawn one."""
    return _written(_OWNER_ACTIONS[action], listing_id)


@blp.write(
    "/<int:listing_id>/withdraw",
    200,
    ListingDetailSchema,
    NOT_OWNER,
    404,
    (409, "Not possible now (codes transition_not_allowed, on_sale)"),
    (422, "A reason longer than 2,000 characters"),
    args=DecisionReasonSchema,
)
def withdraw(data: dict[str, Any], listing_id: int) -> Any:
    """The owner takes the listing off the market (not while it is on sale), with a reason."""
    return _written(review.withdraw, listing_id, reason=data["reason"])


@blp.write(
    "/<int:listing_id>/ownership/<any(confirm, reject):decision>",
    200,
    ListingDetailSchema,
    (403, "Not a reviewer"),
    404,
    (409, "Not submitted (code transition_not_allowed)"),
    (422, "A refusal without a reason"),
    args=DecisionReasonSchema,
)
def decide(data: dict[str, Any], listing_id: int, decision: str) -> Any:
    """A reviewer confirms the ownership (确权, with an optional note) or refuses it with a
    reason the owner reads; the listing goes to `confirmed` or back to `draft`."""
    if decision == "confirm":
        return _written(review.confirm_ownership, listing_id, note=data["reason"])
    return _written(review.reject_ownership, listing_id, data["reason"])
