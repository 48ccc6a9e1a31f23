"""Listing input (API JSON and the HTML editor) and output shapes."""

from __future__ import annotations

import re
from typing import Any

from flask import url_for
from marshmallow import Schema, fields, post_load, validate
from werkzeug.datastructures import MultiDict

from core.currencies import EXPONENTS
from core.domain import N_, ValidationFailed
from core.i18n import current_locale
from core.marshmallow_messages import REQUIRED
from core.money import Money
from core.schema_kit import InputSchema, optional
from core.schema_out import out_fields
from listings.rules import FIELDS, MAX_KEYWORD_CHARS, MAX_KEYWORDS, IPKind, TransferMode
from listings.services import TEXTS, IPAssetInput, ListingInput

_LIST_SPLIT = re.compile(r"[;,，；、\n]+")


class IPAssetSchema(Schema):
    """One IP number."""

    kind = fields.Enum(IPKind, by_value=True, required=True, error_messages=REQUIRED)
    number = fields.String(required=True, validate=validate.Length(1, 60), error_messages=REQUIRED)
    title = optional(fields.String, validate=validate.Length(max=300))
    legal_status = fields.String(dump_only=True, allow_none=True)


def _detail() -> fields.String:
    """A detail of a listing (the problem, application, advantage, economics), one language."""
    return optional(fields.String, validate=validate.Length(max=5000))


class TechnologyTermsSchema(InputSchema):
    """What a listing and a need both say of their technology: its field, region, IPC classes,
    keywords and the transfer modes wanted."""

    field = fields.String(
        required=True,
        validate=validate.OneOf(list(FIELDS), error=N_("Choose a technology field.")),
        error_messages=REQUIRED,
    )
    region = fields.String(required=True, validate=validate.Length(1, 64), error_messages=REQUIRED)
    ipc_classes = fields.List(fields.String(validate=validate.Length(max=20)), load_default=list)
    keywords = fields.List(
        fields.String(validate=validate.Length(max=MAX_KEYWORD_CHARS)),
        load_default=list,
        validate=validate.Length(max=MAX_KEYWORDS),
        metadata={"description": "Keywords (关键词) searched with weight, at most 20."},
    )
    transfer_modes = fields.List(
        fields.String(validate=validate.OneOf([m.value for m in TransferMode])),
        required=True,
        validate=validate.Length(min=1, error=N_("Choose at least one transfer mode.")),
        error_messages={"required": N_("Choose at least one transfer mode.")},
    )


class ListingInputSchema(TechnologyTermsSchema):
    """A listing as the API and the editor send it."""

    title_zh = optional(fields.String, validate=validate.Length(max=300))
    title_en = optional(fields.String, validate=validate.Length(max=300))
    summary_zh = optional(fields.String, validate=validate.Length(max=5000))
    summary_en = optional(fields.String, validate=validate.Length(max=5000))
    problem = _detail()
    advantage = _detail()
    application = _detail()
    economics = _detail()
    problem_en = _detail()
    advantage_en = _detail()
    application_en = _detail()
    economics_en = _detail()
    trl = fields.Integer(
        required=True,
        validate=validate.Range(1, 9, error=N_("Maturity (TRL) must be between 1 and 9.")),
        error_messages={**REQUIRED, "invalid": N_("Maturity (TRL) must be between 1 and 9.")},
    )
    holder = fields.String(required=True, validate=validate.Length(1, 200), error_messages=REQUIRED)
    inventors = fields.List(fields.String(validate=validate.Length(max=100)), load_default=list)
    asking_price_minor = optional(
        fields.Integer,
        validate=validate.Range(min=1),
        metadata={"description": "Asking price in minor units (分); null for negotiable."},
    )
    currency = fields.String(
        load_default="CNY",
        validate=validate.OneOf(
            list(EXPONENTS), error=N_("Prices are in CNY, USD, EUR, JPY, KRW, GBP or HKD.")
        ),
        metadata={
            "description": "ISO 4217 code of the price: its minor units are those of the "
            "currency (JPY and KRW have none)."
        },
    )
    ip_assets = fields.List(fields.Nested(IPAssetSchema), load_default=list)

    @post_load
    def _to_input(self, data: dict[str, Any], **_: Any) -> ListingInput:
        assets = tuple(IPAssetInput(**asset) for asset in data.pop("ip_assets"))
        for name in ("ipc_classes", "inventors", "transfer_modes", "keywords"):
            data[name] = tuple(data[name])
        return ListingInput(ip_assets=assets, **data)


def editor_form_to_input(form: MultiDict) -> dict[str, Any]:
    """The HTML editor's flat form as the API's JSON shape (lists split, price in 分).

    A price that cannot be read raises ValidationFailed on the `asking_price` field.
    """
    rows = zip(
        form.getlist("ip_kind"), form.getlist("ip_number"), form.getlist("ip_title"), strict=False
    )
    price_text = form.get("asking_price", "").strip()
    currency = form.get("currency", "CNY")
    currency = currency if currency in EXPONENTS else "CNY"  # the select offers no other
    price = (
        Money.from_yuan_text(price_text, currency, field="asking_price").minor
        if price_text
        else None
    )
    data: dict[str, Any] = {key: form.get(key, "").strip() or None for key in TEXTS}
    data.update(
        field=form.get("field", ""),
        trl=form.get("trl", ""),
        holder=form.get("holder", "").strip(),
        region=form.get("region", "").strip(),
        ipc_classes=split_list(form.get("ipc_classes", "")),
        inventors=split_list(form.get("inventors", "")),
        keywords=split_list(form.get("keywords", "")),
        transfer_modes=form.getlist("transfer_modes"),
        asking_price_minor=price,
        currency=currency,
        ip_assets=[
            {"kind": kind, "number": number, "title": title or None}
            for kind, number, title in rows
            if number.strip()
        ],
    )
    return data


def split_list(text: str) -> list[str]:
    """'张三，李四; Wang Wu' → ['张三', '李四', 'Wang Wu']."""
    return [part.strip() for part in _LIST_SPLIT.split(text) if part.strip()]


def price_error_field(error: ValidationFailed) -> str:
    """The editor's field name for an error the API reports on `asking_price_minor`."""
    return "asking_price" if error.field == "asking_price_minor" else (error.field or "_form")


@out_fields(integers="id", strings="name name_en?")
class OrganisationRefSchema(Schema):
    """The holder organisation, as a reference."""

    verified = fields.Boolean(attribute="is_verified")


@out_fields(integers="id trl asking_price_minor?", strings="title_zh? title_en? summary_zh? summary_en? problem? advantage? application? economics? problem_en? advantage_en? application_en? economics_en? field holder region currency", datetimes="published_at?")  # fmt: skip
class ListingOutSchema(Schema):
    """A listing as the API returns it."""

    status = fields.String(attribute="status.value")
    title = fields.Method("_title")
    summary = fields.Method("_summary")
    ipc_classes = fields.List(fields.String())
    inventors = fields.List(fields.String())
    keywords = fields.List(fields.String())
    organisation = fields.Nested(OrganisationRefSchema)
    transfer_modes = fields.List(fields.String())
    ip_assets = fields.List(fields.Nested(IPAssetSchema))
    thumbnail_url = fields.Method(
        "_thumbnail_url",
        allow_none=True,
        metadata={"description": "the first image, small (its `images` on the listing itself)"},
    )
    highlights = fields.Method("_highlights")

    def _title(self, listing: Any) -> str:
        return listing.title(self.context_locale())

    def _summary(self, listing: Any) -> str:
        return listing.summary(self.context_locale())

    def _thumbnail_url(self, listing: Any) -> str | None:
        cover = listing.cover
        if cover is None:
            return None
        return url_for("listings_api.image_thumbnail", listing_id=listing.id, image_id=cover.id)

    def _highlights(self, listing: Any) -> dict[str, str]:
        return getattr(listing, "highlights", {})

    def context_locale(self) -> str:
        return current_locale()


def facet() -> fields.List:
    """A facet filter of a search: any number of its values (?field=a&field=b)."""
    return fields.List(fields.String(), load_default=list)


class SearchQuerySchema(InputSchema):
    """The query string of a search: text, order, page, and the facets every search has."""

    q = fields.String(load_default="")
    # Each search narrows `sort` to its own orders; declared here to keep its place.
    sort = fields.String(load_default="relevance")
    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=1000))
    per_page = fields.Integer(load_default=20, validate=validate.Range(min=1, max=100))
    field = facet()
    ipc_section = facet()
    transfer_mode = facet()


class SearchArgsSchema(SearchQuerySchema):
    """Query string of GET /api/v1/listings."""

    sort = fields.String(
        load_default="relevance",
        validate=validate.OneOf(["relevance", "newest", "price_asc", "price_desc", "trl_desc"]),
    )
    trl = facet()
    region = facet()
    price_band = facet()
    advancement = facet()


@out_fields(integers="total page per_page")
class ResultPageSchema(Schema):
    """A page of a search besides its `items` (each search names its kind): total, page, facets."""

    facets = fields.Dict(
        keys=fields.String(), values=fields.Dict(keys=fields.String(), values=fields.Integer())
    )


class SearchPageSchema(ResultPageSchema):
    """A page of search results with the facet counts of all matches."""

    items = fields.List(fields.Nested(ListingOutSchema))
