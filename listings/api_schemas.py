"""Shapes of the listing API beyond the listing itself: its detail (sale state, allowed
actions), evidence, and the bodies of the owner's and the reviewer's decisions."""

from __future__ import annotations

from flask import url_for
from flask_smorest.fields import Upload
from marshmallow import Schema, fields, validate

from accounts.models import User
from accounts.services import can_review
from core.api_actions import AllowedActions, Check
from core.domain import N_
from core.i18n import current_locale
from core.marshmallow_messages import REQUIRED
from core.schema_kit import REQUIRED_NOT_NULL
from core.schema_out import out_fields
from listings.image_files import MAX_ALT_CHARS
from listings.models import Listing, ListingImage
from listings.rules import DRAFT_ACTIONS, EVIDENCE_KINDS, ListingAction, listing_actions
from listings.schemas import ListingOutSchema
from listings.services import is_owner


def _may(action: str) -> Check:
    """The check of one action: the listing's transitions for the caller's role."""

    def check(caller: User, listing: Listing, _now: object) -> bool:
        owner, reviewer = is_owner(caller, listing), can_review(caller)
        return action in listing_actions(
            listing.status, listing.sale_state, owner=owner, reviewer=reviewer
        )

    return check


LISTING_ACTIONS: dict[str, Check] = {
    name: _may(name) for name in (*DRAFT_ACTIONS, *(a.value for a in ListingAction))
}


@out_fields(integers="id", strings="state currency")
class SaleChannelSchema(Schema):
    """One way the listing is being sold now: a listed sale, public notice, negotiation, auction."""

    channel = fields.String(
        metadata={"enum": ["listed_sale", "public_notice", "negotiation", "auction"]}
    )
    price_minor = fields.Integer(
        allow_none=True,
        metadata={"description": "asking, agreed or current price, in 分 (minor units)"},
    )
    deadline = fields.DateTime(allow_none=True, metadata={"description": "when it ends (UTC)"})
    allowed_actions = fields.List(fields.String())


class SaleSchema(Schema):
    """The listing's sale: its state, the channels running, what the caller may start."""

    state = fields.String(
        metadata={"enum": ["available", "listed_sale", "under_offer", "in_auction", "sold"]}
    )
    channels = fields.List(fields.Nested(SaleChannelSchema))
    allowed_actions = fields.List(
        fields.String(), metadata={"description": "e.g. start_listed_sale, negotiate"}
    )


@out_fields(integers="id listing_id position size width height", strings="alt_zh? alt_en? content_type")  # fmt: skip
class ImageOutSchema(Schema):
    """A picture of a listing: its description in both languages and where to fetch it."""

    alt = fields.Method("_alt", metadata={"description": "in the caller's language"})
    url = fields.Function(
        lambda image: url_for(
            "listings_api.image_file", listing_id=image.listing_id, image_id=image.id
        )
    )
    thumbnail_url = fields.Function(
        lambda image: url_for(
            "listings_api.image_thumbnail", listing_id=image.listing_id, image_id=image.id
        ),
        metadata={"description": "a WebP of at most 480 × 360 pixels"},
    )

    def _alt(self, image: ListingImage) -> str:
        return image.alt(current_locale())


class ImageFormSchema(Schema):
    """The descriptions of an uploaded picture (multipart form fields); each language the
    listing is written in needs one."""

    alt_zh = fields.String(load_default=None, validate=validate.Length(max=MAX_ALT_CHARS))
    alt_en = fields.String(load_default=None, validate=validate.Length(max=MAX_ALT_CHARS))


class ListingDetailSchema(ListingOutSchema):
    """One listing with its sale and what the caller may do with it now."""

    rejection_reason = fields.String(allow_none=True)
    images = fields.List(fields.Nested(ImageOutSchema))
    sale = fields.Nested(SaleSchema, metadata={"description": "set by the endpoint"})
    allowed_actions = AllowedActions(LISTING_ACTIONS)


@out_fields(integers="id listing_id size", strings="kind original_name content_type sha256", datetimes="uploaded_at")  # fmt: skip
class EvidenceOutSchema(Schema):
    """An ownership document of a listing (its file is served to the owner and reviewers)."""


class EvidenceFormSchema(Schema):
    """The kind of ownership document uploaded (multipart form field)."""

    kind = fields.String(
        required=True,
        validate=validate.OneOf(
            list(EVIDENCE_KINDS), error=N_("Choose what kind of document this is.")
        ),
        error_messages=REQUIRED,
    )


class EvidenceFileSchema(Schema):
    """The uploaded file (multipart): PDF, PNG, JPEG or WebP."""

    file = Upload(required=True, error_messages=REQUIRED_NOT_NULL)


class ImageFileSchema(Schema):
    """The uploaded picture (multipart): PNG, JPEG or WebP."""

    file = Upload(required=True, error_messages=REQUIRED_NOT_NULL)
