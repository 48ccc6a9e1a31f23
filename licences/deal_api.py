"""REST endpoints of licences as deals (`/api/v1/licensing`): a listing's offers, a licence
granted as a deal, its royalty history and the licensee's reports."""

from __future__ import annotations

from typing import Any

from accounts.auth import (
    api_actor,
    api_reader,
    api_writer,
    token_api,
)
from core.clock import now
from core.uow import unit_of_work
from licences import licence_deals, offers, royalties
from licences.deal_api_schemas import (
    LicenceDealInSchema,
    LicenceDealOutSchema,
    OffersInSchema,
    OffersOutSchema,
    RoyaltyReportInSchema,
)
from licences.deal_models import LicenceDeal
from licences.deal_rules import OfferKind
from licences.rules import LicenceKind
from listings import services as listings

blp = token_api(
    "licensing_api",
    __name__,
    "Licences as deals: offers, scopes, royalties (独占 / 排他 / 普通许可)",
)

_OFFERS_EXAMPLE = {"offers": [{"kind": "ordinary", "fields_of_use": ["energy"], "territory": ["山东"], "term_years": 5, "price_minor": 5_000_000, "rate_bp": 300, "minimum_annual_minor": 1_000_000, "period_months": 3}]}  # fmt: skip
_LICENCE_EXAMPLE = {"licensee_org_id": 7, "kind": "ordinary", "fields_of_use": ["energy"], "territory": ["山东"], "starts_on": "2027-01-01", "term_years": 5, "price_minor": 5_000_000, "rate_bp": 300, "minimum_annual_minor": 1_000_000, "period_months": 3}  # fmt: skip


def _offers(listing_id: int) -> dict[str, Any]:
    return {"listing_id": listing_id, "offers": offers.offers_of(listing_id)}


@blp.read("/listings/<int:listing_id>/offers", OffersOutSchema)
def listing_offers(listing_id: int) -> dict[str, Any]:
    """How a listing is offered: transfer and the licences, each with its scope and terms."""
    listings.visible_listing(api_actor(), listing_id)
    return _offers(listing_id)


@blp.write("/listings/<int:listing_id>/offers", 200, OffersOutSchema, 401, 403, 404, 409, 422, args=OffersInSchema, method="PUT", example=_OFFERS_EXAMPLE)  # fmt: skip
def set_listing_offers(data: dict[str, Any], listing_id: int) -> dict[str, Any]:
    """The owner states the listing's offers (the list replaces the ones before)."""
    inputs = [
        offers.OfferInput(
            kind=OfferKind(o["kind"]), fields=tuple(o["fields_of_use"]), territory=tuple(o["territory"]),
            term_years=o["term_years"], price_minor=o["price_minor"], rate_bp=o["rate_bp"],
            minimum_annual_minor=o["minimum_annual_minor"], period_months=o["period_months"], note=o["note"],
        )
        for o in data["offers"]
    ]  # fmt: skip
    with unit_of_work():
        offers.set_offers(api_writer(), listing_id, inputs, now=now())
        return _offers(listing_id)


@blp.write("/listings/<int:listing_id>/licences", 201, LicenceDealOutSchema, 401, 403, 404, 409, 422, args=LicenceDealInSchema, example=_LICENCE_EXAMPLE)  # fmt: skip
def grant_licence(data: dict[str, Any], listing_id: int) -> LicenceDeal:
    """The licensor grants a licence it offers: a deal that both parties then sign."""
    licence = licence_deals.LicenceInput(
        licensee_org_id=data["licensee_org_id"], kind=LicenceKind(data["kind"]),
        starts_on=data["starts_on"], term_years=data["term_years"], price_minor=data["price_minor"],
        rate_bp=data["rate_bp"], minimum_annual_minor=data["minimum_annual_minor"],
        period_months=data["period_months"], fields=tuple(data["fields_of_use"]),
        territory=tuple(data["territory"]),
    )  # fmt: skip
    with unit_of_work():
        return licence_deals.grant(api_writer(), listing_id, licence, now=now())


@blp.read("/licences/<int:deal_id>", LicenceDealOutSchema)
def licence(deal_id: int) -> LicenceDeal:
    """A licence deal and its royalty history, for its parties and reviewers."""
    return licence_deals.visible_licence(api_reader(), deal_id)


@blp.write("/licences/<int:deal_id>/royalty-reports", 201, LicenceDealOutSchema, 401, 403, 404, 409, 422, args=RoyaltyReportInSchema, example={"period": 0, "net_sales_minor": 12_000_000})  # fmt: skip
def report_royalty(data: dict[str, Any], deal_id: int) -> LicenceDeal:
    """The licensee reports a period's net sales: the royalty is computed and posted."""
    with unit_of_work():
        licence_deals.visible_licence(api_writer(), deal_id)
        royalties.report(api_writer(), deal_id, data["period"], data["net_sales_minor"], now=now())
        return licence_deals.visible_licence(api_writer(), deal_id)
