"""Shapes of the auctions API beyond the live feed: the seller's auction, the caller's place in
an auction, the paged bid history, the reviewer's decision."""

from __future__ import annotations

from datetime import UTC
from typing import Any

from marshmallow import fields, validate

from auctions import term_rules
from auctions.schemas import _AMOUNT_RANGE, MAX_BID_MINOR, AuctionOutSchema, BidOutSchema, _whole
from core.domain import N_
from core.schema_kit import REQUIRED_NOT_NULL, InputSchema, optional
from core.schema_out import page_of
from payments.rules import MAX_DEPOSIT_BPS, MIN_DEPOSIT_BPS


def _amount(description: str, *, required: bool = True) -> fields.Integer:
    """An amount in 分: required, or optional (None when absent)."""
    optional: dict[str, Any] = {} if required else {"load_default": None, "allow_none": True}
    return fields.Integer(
        required=required,
        strict=True,
        validate=validate.Range(min=1, max=MAX_BID_MINOR, error=_AMOUNT_RANGE),
        error_messages={**_whole, "null": N_("This field is required.")},
        metadata={"description": description},
        **optional,
    )


class AuctionInSchema(InputSchema):
    """The seller's auction form: amounts in minor units (分), moments in ISO 8601.

    The terms are bounded as on the form (`AUCTION_*` settings: prices, increment,
    duration); bidding starts no sooner than the announcement period after now.
    """

    listing_id = fields.Integer(required=True, strict=True, error_messages=REQUIRED_NOT_NULL)
    starting_price_minor = _amount("The starting price in 分")
    increment_minor = _amount("The bid increment in 分")
    reserve_price_minor = _amount("Optional reserve (hidden from bidders)", required=False)
    starts_at = fields.AwareDateTime(
        required=True, default_timezone=UTC, error_messages=REQUIRED_NOT_NULL
    )
    ends_at = fields.AwareDateTime(
        required=True, default_timezone=UTC, error_messages=REQUIRED_NOT_NULL
    )
    deposit_deadline = optional(
        fields.AwareDateTime,
        default_timezone=UTC,
        metadata={"description": "None: deposits are taken until bidding ends"},
    )
    deposit_bps = fields.Integer(
        load_default=term_rules.DEFAULT_DEPOSIT_BPS,
        strict=True,
        validate=validate.Range(
            MIN_DEPOSIT_BPS,
            MAX_DEPOSIT_BPS,
            error=N_("The deposit must be between 5 and 20 percent of the starting price."),
        ),
        metadata={"description": "The deposit in basis points of the starting price (500–2000)"},
    )


class AuctionDetailSchema(AuctionOutSchema):
    """An auction as its caller sees it: the live feed, its own place in it, what it may do now."""

    status = fields.String(
        metadata={
            "description": "pending_review (the announcement awaits a reviewer), refused, "
            "upcoming, running, closing (ended, the job runner is closing it), closed (sold) "
            "or failed (no sale)"
        }
    )
    announced_at = fields.String(
        allow_none=True, metadata={"description": "When a reviewer published the announcement"}
    )
    deposit_deadline = fields.String(allow_none=True)
    refusal_reason = fields.String(
        allow_none=True, metadata={"description": "A refused announcement: to the seller only"}
    )
    my_bidder_number = fields.Integer(
        allow_none=True, metadata={"description": "The caller's bidder number (竞买号)"}
    )
    my_deposit_id = fields.Integer(allow_none=True)
    my_deposit_status = fields.String(allow_none=True)
    my_max_minor = fields.Integer(
        allow_none=True, metadata={"description": "The caller's standing maximum (proxy)"}
    )
    standing = fields.String(
        allow_none=True,
        metadata={"description": "won, leading, outbid, not_bidding; None without organisation"},
    )
    allowed_actions = fields.List(
        fields.String(),
        metadata={
            "description": "What the caller may do now: join, upload_receipt, bid, "
            "approve_announcement, refuse_announcement, watch",
            "example": ["join", "watch"],
        },
    )


class BidRowOutSchema(BidOutSchema):
    """One bid of the history, with the label the auction room shows this caller."""

    id = fields.Integer()
    label = fields.String(
        metadata={"description": "e.g. 'Bidder 4821', 'you (No. 4821)', or a name to reviewers"}
    )


BidPageSchema = page_of(
    BidRowOutSchema,
    "A page of the bid history, newest first; `next_cursor` is None on the last page.",
    name="BidPageSchema",
    cursor=True,
)


class RefusalInSchema(InputSchema):
    """The reason of a refusal, told to the seller."""

    reason = fields.String(
        required=True,
        validate=validate.Length(max=2000),
        error_messages=REQUIRED_NOT_NULL,
    )
