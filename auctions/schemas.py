"""Auction input (API JSON and the HTML forms) and output shapes.

The HTML forms take yuan as people type them ("1,234.56"); the API takes minor units (分).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from marshmallow import Schema, ValidationError, fields, post_load, pre_load, validate

from core.bounds import in_year_window
from core.domain import N_, ValidationFailed
from core.marshmallow_messages import REQUIRED
from core.money import MAX_YUAN_DIGITS, Money
from core.schema_kit import InputSchema, optional
from core.schema_out import out_fields, page_of
from payments.rules import MAX_DEPOSIT_BPS, MIN_DEPOSIT_BPS

_whole = {**REQUIRED, "invalid": N_("Give a whole number of fen (minor units).")}
# No bid beyond what a price column holds (and far beyond any starting price allowed).
MAX_BID_MINOR = 10**MAX_YUAN_DIGITS * 100 - 1
_AMOUNT_RANGE = N_("Give an amount of at least 1 fen and fewer than 16 digits of yuan.")


# --- API ---------------------------------------------------------------------------------


class BidInSchema(InputSchema):
    """A bid: the amount, and optionally the maximum the system may bid up to (proxy)."""

    amount_minor = fields.Integer(
        required=True,
        strict=True,
        validate=validate.Range(min=1, max=MAX_BID_MINOR, error=_AMOUNT_RANGE),
        error_messages=_whole,
        metadata={"description": "The bid in minor units (分), e.g. 1050000 for ¥10,500.00."},
    )
    max_minor = optional(
        fields.Integer,
        strict=True,
        validate=validate.Range(min=1, max=MAX_BID_MINOR, error=_AMOUNT_RANGE),
        error_messages=_whole,
        metadata={"description": "Optional maximum (proxy bid) in minor units."},
    )

    def plain_load(self, body: object) -> dict[str, Any] | None:
        """`load` of a well-formed bid, for the hot path: a JSON object whose amounts are
        JSON integers every validator of their field accepts (other keys ignored, as by
        `load`). None for anything else: `load` then refuses it in the one error shape."""
        if not isinstance(body, dict):
            return None
        amount, most = body.get("amount_minor"), body.get("max_minor")
        if not _accepted(self.fields["amount_minor"], amount):
            return None
        if most is not None and not _accepted(self.fields["max_minor"], most):
            return None
        return {"amount_minor": amount, "max_minor": most}


def _accepted(field: fields.Field, value: object) -> bool:
    """Whether `value` is a JSON integer (not a boolean) all of `field`'s validators accept."""
    if type(value) is not int:
        return False
    try:
        return all(check(value) is not False for check in field.validators)
    except ValidationError:
        return False


class AuctionListArgsSchema(InputSchema):
    """Which auctions to list."""

    status = fields.String(
        load_default="running", validate=validate.OneOf(["running", "upcoming", "closed"])
    )


class BidOutSchema(Schema):
    """One bid of the history: the bidder by number (竞买号); its name for reviewers only."""

    amount_minor = fields.Integer()
    bidder_number = fields.Integer(
        allow_none=True, metadata={"description": "The bidder's number (竞买号) in this auction"}
    )
    mine = fields.Boolean(metadata={"description": "The caller's organisation's own bid"})
    bidder_org_id = fields.Integer(
        allow_none=True,
        metadata={"description": "Only for reviewers, and for the seller after the close"},
    )
    bidder_name = fields.String(
        allow_none=True,
        metadata={"description": "Only for reviewers, and for the seller after the close"},
    )
    placed_at = fields.String(metadata={"description": "ISO 8601, UTC"})
    is_proxy = fields.Boolean()


@out_fields(integers="id listing_id starting_price_minor increment_minor current_price_minor? minimum_next_bid_minor deposit_minor bid_count seconds_left winner_number? highest_bidder_org_id?", strings="title currency leader_name? starts_at ends_at server_time winner_name?", booleans="leader_mine reserve_met? extended restricted winner_mine")  # fmt: skip
class AuctionOutSchema(Schema):
    """An auction as the live feed and the API show it (the reserve amount stays hidden)."""

    status = fields.String(
        metadata={
            "description": "upcoming, running, closing (ended, the job runner is closing it), "
            "closed (sold) or failed (no sale)"
        }
    )
    leader_org_id = fields.Integer(
        allow_none=True,
        metadata={"description": "Only for reviewers, and for the seller after the close"},
    )
    leader_number = fields.Integer(allow_none=True, metadata={"description": "竞买号"})
    bids = fields.List(fields.Nested(BidOutSchema))


AuctionPageSchema = page_of(AuctionOutSchema, "A list of auctions.", name="AuctionPageSchema")


@out_fields(integers="id amount_minor", booleans="mine is_proxy")
class PlacedBidOutSchema(Schema):
    """A bid written by one submission: the caller's own, or one placed for another's maximum."""

    bidder_number = fields.Integer(allow_none=True, metadata={"description": "竞买号"})


@out_fields(integers="current_price_minor minimum_next_bid_minor", strings="ends_at", booleans="leading extended raised_max")  # fmt: skip
class BidResultSchema(Schema):
    """What a submission did, and where the auction stands now."""

    bids = fields.List(fields.Nested(PlacedBidOutSchema))
    auction_etag = fields.String(
        allow_none=True,
        metadata={
            "description": "The auction's ETag for the caller as this bid left it: send it as "
            "If-None-Match to GET /api/v1/auctions/<id> to hear of the next change only (304 "
            "until then, and the new state once another bid or change came, even one made "
            "before this answer arrived)"
        },
    )


# --- HTML forms --------------------------------------------------------------------------


def _yuan(field: str, value: str, *, required: bool, currency: str = "CNY") -> int | None:
    """An amount as typed → minor units of `currency` (fen, or whole yen); raises
    ValidationFailed on `field` (views translate it there)."""
    text = (value or "").strip()
    if not text:
        if required:
            raise ValidationFailed(N_("This field is required."), field=field)
        return None
    return Money.from_yuan_text(text, currency, field=field).minor


class BidFormSchema(InputSchema):
    """The bid form of the auction room: yuan in, fen out (a bad amount raises ValidationFailed)."""

    amount = fields.String(required=True, error_messages=REQUIRED)
    max = fields.String(load_default="")

    def __init__(self, *args: Any, currency: str = "CNY", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.currency = currency  # the auction's: yen are typed without decimals

    @post_load
    def _to_minor(self, data: dict[str, Any], **_: Any) -> dict[str, int | None]:
        amount = _yuan("amount", data["amount"], required=True, currency=self.currency)
        maximum = _yuan("max", data.get("max", ""), required=False, currency=self.currency)
        return {"amount_minor": amount, "max_minor": maximum}


class AuctionFormSchema(InputSchema):
    """The seller's auction form: prices in yuan, local times, the deposit in percent."""

    starting_price = fields.String(required=True, error_messages=REQUIRED)
    increment = fields.String(required=True, error_messages=REQUIRED)
    reserve_price = fields.String(load_default="")
    starts_at = fields.String(required=True, error_messages=REQUIRED)
    ends_at = fields.String(required=True, error_messages=REQUIRED)
    deposit_deadline = fields.String(load_default="")
    deposit_percent = fields.Integer(
        required=True,
        validate=validate.Range(
            MIN_DEPOSIT_BPS // 100,
            MAX_DEPOSIT_BPS // 100,
            error=N_("The deposit must be between 5 and 20 percent of the starting price."),
        ),
        error_messages={**REQUIRED, "invalid": N_("Give the deposit as a whole percentage.")},
    )

    def __init__(
        self, *args: Any, timezone: str = "Asia/Shanghai", currency: str = "CNY", **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.timezone = timezone
        self.currency = currency  # the listing's, which the auction keeps

    @pre_load
    def _strip(self, data: Any, **_: Any) -> Any:
        return {k: v.strip() if isinstance(v, str) else v for k, v in dict(data).items()}

    @post_load
    def _to_input(self, data: dict[str, Any], **_: Any) -> dict[str, Any]:
        errors: dict[str, list[str]] = {}
        out: dict[str, Any] = {"deposit_bps": data["deposit_percent"] * 100}
        for name, required in (
            ("starting_price", True),
            ("increment", True),
            ("reserve_price", False),
        ):
            out[f"{name}_minor"] = _yuan(
                name, data.get(name, ""), required=required, currency=self.currency
            )
        for name in ("starts_at", "ends_at", "deposit_deadline"):
            if name == "deposit_deadline" and not data.get(name):
                out[name] = None  # optional: deposits are taken until bidding ends
                continue
            try:
                out[name] = local_to_utc(data[name], self.timezone)
            except (ValueError, OverflowError):  # year 1 in Shanghai is before year 1 in UTC
                errors[name] = [N_("Give a date and time, like 2026-03-02 09:30.")]
        if errors:
            raise ValidationError(errors)
        return out


def local_to_utc(text: str, timezone: str) -> datetime:
    """'2026-03-02T09:30' in the market's time zone → an aware UTC datetime.

    ValueError unless it is a date and time within the years people type (`in_year_window`).
    """
    moment = datetime.fromisoformat(text.replace(" ", "T"))
    if not in_year_window(moment):
        raise ValueError(text)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=ZoneInfo(timezone))
    return moment.astimezone(UTC)


def utc_to_local_input(moment: datetime, timezone: str) -> str:
    """The value of a datetime-local input for a UTC moment."""
    return moment.astimezone(ZoneInfo(timezone)).strftime("%Y-%m-%dT%H:%M")


class ReceiptFormSchema(InputSchema):
    """The bank transfer reference that goes with the uploaded receipt."""

    bank_reference = fields.String(
        required=True,
        validate=validate.Length(1, 100, error=N_("Give the reference of the bank transfer.")),
        error_messages=REQUIRED,
    )


class RejectFormSchema(InputSchema):
    """A reviewer's reason for refusing a receipt."""

    reason = fields.String(
        required=True,
        validate=validate.Length(1, 2000, error=N_("Give the reason for the decision.")),
        error_messages=REQUIRED,
    )
