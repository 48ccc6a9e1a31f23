"""What the authorisation matrix's world adds for open licences and legal status: a published
declaration (with an evaluation report and the buyer's notice awaiting payment), a submitted
one, a published listing of the seller's that has none yet (for the declaration form), and a
pledged patent (for its legal-status page)."""

from __future__ import annotations

import io
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from accounts.models import User
from core.extensions import db
from core.service_kit import Upload
from core.uow import unit_of_work
from licences import declarations, grants, licence_deals, offers
from licences.deal_rules import OfferKind
from licences.rules import FeeKind, FeeTerms, LicenceKind, PaymentMethod
from listings import co_owners, legal_status
from listings.co_owner_rules import HolderBasis
from listings.legal_rules import LegalStatus
from listings.models import IPAsset
from listings.rules import ListingStatus
from tests import factories
from tests.authorisation_bodies import BODIES, PDF

if TYPE_CHECKING:
    from tests.authorisation_world import World

FEE_MINOR = 2_000_000


def _asset(seller: User, reviewer: User, now: datetime, upload_folder: Path, title: str) -> int:
    listing = factories.listing(
        seller, now, status=ListingStatus.PUBLISHED, reviewer=reviewer, folder=upload_folder,
        title_zh=title,
    )  # fmt: skip
    return listing.ip_assets[0].id


def extend(world: World, now: datetime, upload_folder: Path) -> World:
    """The world with `declaration_id`, `licence_id` and `report_id` (committed)."""
    seller, buyer, reviewer = (world.users[r] for r in ("seller", "buyer", "reviewer"))
    assert isinstance(seller, User) and isinstance(buyer, User) and isinstance(reviewer, User)
    storage = declarations.Storage(declarations.report_folder(upload_folder.parent), 1_000_000)

    def declare(asset_id: int, report: Upload | None = None) -> int:
        data = declarations.Declaration(
            asset_id, FeeTerms(FeeKind.LUMP_SUM, lump_sum_minor=FEE_MINOR),
            PaymentMethod.BANK_TRANSFER, 5, report,
        )  # fmt: skip
        with unit_of_work():
            return declarations.declare(seller, data, storage=storage, now=now).id

    report = Upload(io.BytesIO(factories.PDF_BYTES), "评价报告.pdf")
    published = declare(_asset(seller, reviewer, now, upload_folder, "矩阵测试：开放许可"), report)
    submitted = declare(_asset(seller, reviewer, now, upload_folder, "矩阵测试：开放许可待审"))
    free_asset = _asset(seller, reviewer, now, upload_folder, "矩阵测试：可声明开放许可")
    pledged_asset = _asset(seller, reviewer, now, upload_folder, "矩阵测试：已质押专利")
    with unit_of_work():
        pledge = legal_status.NewStatus(LegalStatus.PLEDGED, now.date(), "国家知识产权局专利登记簿", "矩阵测试银行")  # fmt: skip
        legal_status.record_status(reviewer, pledged_asset, pledge, now=now)
    pledged_listing = db.session.get(IPAsset, pledged_asset).listing_id  # type: ignore[union-attr]
    for endpoint in ("listings.legal_status_page", "listings.record_legal_status", "listings.record_pledgee_consent", "listings_api.legal_status_of", "listings_api.record_legal_status", "listings_api.record_pledgee_consent"):  # fmt: skip
        world.by_endpoint[endpoint] = {"listing_id": pledged_listing}
    BODIES["listings_api.record_legal_status:POST"] = {"ip_asset_id": pledged_asset, "status": "lapsed", "effective_on": "2026-02-01", "source": "国家知识产权局专利登记簿"}  # fmt: skip
    BODIES["listings_api.record_pledgee_consent:POST"] = {"ip_asset_id": pledged_asset, "purpose": "licence", "reference": "质权人同意函"}  # fmt: skip
    BODIES["listings.record_legal_status:POST"] = {
        "ip_asset_id": str(pledged_asset), "status": "lapsed", "effective_on": "2026-02-01",
        "source": "国家知识产权局专利登记簿",
    }  # fmt: skip
    BODIES["listings.record_pledgee_consent:POST"] = {
        "ip_asset_id": str(pledged_asset),
        "purpose": "licence",
        "reference": "质权人同意函",
    }
    with unit_of_work():
        declaration = declarations.approve(reviewer, published, now=now)
        licence = grants.give_notice(buyer, published, "我方通知：按公布条件实施。", now=now)
    world.ids.update(
        {
            "declaration_id": published,
            "licence_id": licence.id,
            "report_id": declaration.reports[0].id,
        }
    )
    for endpoint in ("open_licences.approve", "open_licences.refuse", "open_licences_api.approve", "open_licences_api.refuse"):  # fmt: skip
        world.by_endpoint[endpoint] = {"declaration_id": submitted}
    # Bodies that name this world's rows: the seller's free patent, the transfer's reference.
    BODIES["open_licences.declare:POST"] = {
        "ip_asset_id": str(free_asset), "fee_kind": "lump_sum", "lump_sum_yuan": "20000",
        "payment_method": "bank_transfer", "term_years": "5",
    }  # fmt: skip
    BODIES["open_licences.payment:POST"] = {
        "amount_yuan": "20000",
        "bank_reference": grants.transfer_reference(licence.id),
    }
    BODIES["open_licences_api.declare:POST"] = {
        "ip_asset_id": str(free_asset), "fee_kind": "lump_sum", "lump_sum_minor": "2000000",
        "payment_method": "bank_transfer", "term_years": "5", "report": PDF,
    }  # fmt: skip
    BODIES["open_licences_api.record_payment:POST"] = {
        "amount_minor": FEE_MINOR,
        "bank_reference": grants.transfer_reference(licence.id),
    }
    BODIES["open_licences_api.refuse:POST"] = {"reason": "矩阵测试：理由。"}
    BODIES["open_licences.notice:POST"] = {"notice": "我方通知：按公布条件实施该专利。"}
    BODIES["open_licences_api.notice:POST"] = {"notice": "我方通知：按公布条件实施该专利。"}
    BODIES["open_licences.refuse:POST"] = {"reason": "矩阵测试：理由。"}
    return _licensing(world, seller, buyer, reviewer, now, upload_folder)


def _licensing(world: World, seller: User, buyer: User, reviewer: User, now: datetime, upload_folder: Path) -> World:  # fmt: skip
    """A listing offering ordinary licences, one granted to the buyer (a licence deal)."""
    listing = factories.listing(seller, now, status=ListingStatus.PUBLISHED, reviewer=reviewer, folder=upload_folder, title_zh="矩阵测试：许可交易")  # fmt: skip
    offer = offers.OfferInput(OfferKind.ORDINARY, term_years=5, rate_bp=300, period_months=3)
    terms = licence_deals.LicenceInput(buyer.acting_org_id or 0, LicenceKind.ORDINARY, date(2026, 1, 1), 5, 1_000_000, 300, 0, 1)  # fmt: skip
    with unit_of_work():
        offers.set_offers(seller, listing.id, [offer], now=now)
        licence = licence_deals.grant(seller, listing.id, terms, now=now)
    for endpoint in ("listing_offers", "set_listing_offers", "grant_licence"):
        world.by_endpoint[f"licensing_api.{endpoint}"] = {"listing_id": listing.id}
    for endpoint in ("licensing_api.licence", "licensing_api.report_royalty", "open_licences.report_royalty"):  # fmt: skip
        world.by_endpoint[endpoint] = {"deal_id": licence.deal_id}
    BODIES["licensing_api.set_listing_offers:PUT"] = {"offers": [{"kind": "ordinary", "term_years": 5, "rate_bp": 300, "period_months": 3}]}  # fmt: skip
    BODIES["licensing_api.grant_licence:POST"] = {"licensee_org_id": buyer.acting_org_id, "kind": "ordinary", "starts_on": "2026-01-01", "term_years": 1, "price_minor": 100_000, "rate_bp": 300, "period_months": 3}  # fmt: skip
    BODIES["licensing_api.report_royalty:POST"] = {"period": 0, "net_sales_minor": 1_000_000}
    BODIES["open_licences.report_royalty:POST"] = {"period": "0", "net_sales_yuan": "100"}
    return _co_owned(world, seller, buyer, reviewer, now, upload_folder)


def _co_owned(world: World, seller: User, buyer: User, reviewer: User, now: datetime, upload_folder: Path) -> World:  # fmt: skip
    """A listing the seller holds 70 % of and the buyer's organisation 30 %, its agreement attached."""
    listing = factories.listing(seller, now, status=ListingStatus.PUBLISHED, reviewer=reviewer, folder=upload_folder, title_zh="矩阵测试：共有成果")  # fmt: skip
    holders = [
        co_owners.HolderInput(7_000, HolderBasis.OWNERSHIP, org_id=seller.acting_org_id),
        co_owners.HolderInput(3_000, HolderBasis.OWNERSHIP, org_id=buyer.acting_org_id),
    ]
    folder = co_owners.agreement_folder(upload_folder.parent)
    with unit_of_work():
        rows = co_owners.set_holders(seller, listing.id, holders, now=now)
        co_owners.attach_agreement(seller, listing.id, Upload(io.BytesIO(factories.PDF_BYTES), "赋权协议.pdf"), folder=folder, max_bytes=1_000_000, now=now)  # fmt: skip
    for endpoint in ("rights", "set_holders", "attach_agreement", "sign_off", "consent"):
        world.by_endpoint[f"rights_api.{endpoint}"] = {"listing_id": listing.id}
    BODIES["rights_api.set_holders:PUT"] = {"holders": [{"org_id": seller.acting_org_id, "share_bp": 7_000, "basis": "ownership"}, {"org_id": buyer.acting_org_id, "share_bp": 3_000, "basis": "ownership"}]}  # fmt: skip
    BODIES["rights_api.attach_agreement:POST"] = {"file": PDF}
    BODIES["rights_api.consent:POST"] = {"holder_id": rows[1].id, "purpose": "licence", "reference": "矩阵测试：同意书"}  # fmt: skip
    return world
