"""Legal status on a real database: a lapsed patent is neither published nor put on sale; a
pledged one goes on sale or under an open licence only with the pledgee's recorded consent."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import select

from core.audit_models import AuditEntry
from core.domain import PermissionDenied
from core.extensions import db
from core.uow import unit_of_work
from licences import declarations
from licences.rules import FeeKind, FeeTerms, PaymentMethod
from listings import legal_status, review
from listings import services as listings
from listings.legal_rules import LegalStatus, LegalStatusRefused, Purpose
from listings.rules import ListingStatus, SaleState
from tests import factories
from tests.conftest import FrozenClock
from tests.integration.licences.test_open_licences import quick_passwords  # noqa: F401

SOURCE = "国家知识产权局中国及多国专利审查信息查询"


@pytest.fixture
def market(db_session: object, clock: FrozenClock, upload_folder: Path, quick_passwords: None) -> dict:  # noqa: F811  # fmt: skip
    now = clock.current
    reviewer = factories.platform_reviewer(now)
    seller = factories.seller(now, reviewer=reviewer)
    return {"now": now, "reviewer": reviewer, "seller": seller, "folder": upload_folder}


def _status(market: dict, asset_id: int, status: LegalStatus, on: date, pledgee: str | None = None) -> None:  # fmt: skip
    with unit_of_work():
        legal_status.record_status(
            market["reviewer"], asset_id, legal_status.NewStatus(status, on, SOURCE, pledgee), now=market["now"]
        )  # fmt: skip


def test_a_lapsed_patent_is_not_published_and_the_latest_status_counts(market: dict) -> None:
    listing = factories.listing(market["seller"], market["now"], status=ListingStatus.CONFIRMED, reviewer=market["reviewer"], folder=market["folder"])  # fmt: skip
    asset = listing.ip_assets[0].id
    _status(market, asset, LegalStatus.GRANTED, date(2020, 5, 1))
    _status(market, asset, LegalStatus.LAPSED, date(2025, 5, 1))
    with pytest.raises(LegalStatusRefused), unit_of_work():
        review.publish(market["seller"], listing.id, now=market["now"])
    _status(market, asset, LegalStatus.GRANTED, date(2025, 9, 1))  # restored (恢复权利)
    with unit_of_work():
        review.publish(market["seller"], listing.id, now=market["now"])
    assert listing.status == ListingStatus.PUBLISHED


def test_an_invalidated_patent_does_not_go_on_sale(market: dict) -> None:
    listing = factories.listing(market["seller"], market["now"], status=ListingStatus.PUBLISHED, reviewer=market["reviewer"], folder=market["folder"])  # fmt: skip
    _status(market, listing.ip_assets[0].id, LegalStatus.INVALIDATED, date(2026, 1, 5))
    with pytest.raises(LegalStatusRefused), unit_of_work():
        listings.set_sale_state(listing.id, SaleState.LISTED_SALE, now=market["now"], actor_id=None)
    assert listing.sale_state == SaleState.AVAILABLE


def test_a_pledged_patent_is_sold_only_with_the_pledgees_consent(market: dict) -> None:
    listing = factories.listing(market["seller"], market["now"], status=ListingStatus.PUBLISHED, reviewer=market["reviewer"], folder=market["folder"])  # fmt: skip
    asset = listing.ip_assets[0].id
    _status(market, asset, LegalStatus.PLEDGED, date(2026, 1, 5), pledgee="江城银行")
    with pytest.raises(LegalStatusRefused) as refused, unit_of_work():
        listings.set_sale_state(listing.id, SaleState.LISTED_SALE, now=market["now"], actor_id=None)
    assert refused.value.code == "pledged"
    with pytest.raises(PermissionDenied), unit_of_work():
        legal_status.record_consent(market["seller"], asset, Purpose.TRANSFER, "同意函", now=market["now"])  # fmt: skip
    with (
        unit_of_work()
    ):  # a consent to license is not a consent to transfer (the listing offers assignment)
        legal_status.record_consent(market["reviewer"], asset, Purpose.LICENCE, "质权人同意许可函", now=market["now"])  # fmt: skip
    with pytest.raises(LegalStatusRefused), unit_of_work():
        listings.set_sale_state(listing.id, SaleState.LISTED_SALE, now=market["now"], actor_id=None)
    with unit_of_work():
        legal_status.record_consent(market["reviewer"], asset, Purpose.TRANSFER, "质权人同意转让函", now=market["now"])  # fmt: skip
        listings.set_sale_state(listing.id, SaleState.LISTED_SALE, now=market["now"], actor_id=None)
    assert listing.sale_state == SaleState.LISTED_SALE
    actions = set(db.session.scalars(select(AuditEntry.action).where(AuditEntry.action.in_(["patent_status.record", "pledgee_consent.record"]))))  # fmt: skip
    assert actions == {"patent_status.record", "pledgee_consent.record"}


def test_an_open_licence_of_a_pledged_patent_needs_the_pledgees_consent_to_license(app: Flask, market: dict) -> None:  # fmt: skip
    listing = factories.listing(market["seller"], market["now"], status=ListingStatus.PUBLISHED, reviewer=market["reviewer"], folder=market["folder"])  # fmt: skip
    asset = listing.ip_assets[0].id
    _status(market, asset, LegalStatus.PLEDGED, date(2026, 1, 5), pledgee="江城银行")
    data = declarations.Declaration(asset, FeeTerms(FeeKind.ROYALTY, royalty_bp=300), PaymentMethod.BANK_TRANSFER, 3)  # fmt: skip
    storage = declarations.Storage(
        declarations.report_folder(app.config["UPLOAD_FOLDER"]), 1_000_000
    )
    with pytest.raises(LegalStatusRefused), unit_of_work():
        declarations.declare(market["seller"], data, storage=storage, now=market["now"])
    with unit_of_work():
        legal_status.record_consent(market["reviewer"], asset, Purpose.LICENCE, "质权人同意许可函", now=market["now"] + timedelta(hours=1))  # fmt: skip
        declared = declarations.declare(market["seller"], data, storage=storage, now=market["now"])
    assert declared.status == "submitted"


def test_a_reviewer_records_a_pledge_and_the_consent_on_the_page(client, market: dict) -> None:  # type: ignore[no-untyped-def]
    listing = factories.listing(market["seller"], market["now"], status=ListingStatus.PUBLISHED, reviewer=market["reviewer"], folder=market["folder"])  # fmt: skip
    asset = listing.ip_assets[0]
    client.post("/signin", data={"email": market["reviewer"].email, "password": factories.PASSWORD})
    page = f"/review/listings/{listing.id}/legal-status"
    client.post(page, data={"ip_asset_id": asset.id, "status": "pledged", "effective_on": "2026-01-05", "source": SOURCE})  # fmt: skip
    assert legal_status.status_of(asset.number) is None  # a pledge without its pledgee is refused
    client.post(page, data={"ip_asset_id": asset.id, "status": "pledged", "effective_on": "2026-01-05", "source": SOURCE, "pledgee": "江城银行"})  # fmt: skip
    shown = client.get(page).get_data(as_text=True)
    assert "质押" in shown and "江城银行" in shown and "登记质权人同意" in shown
    client.post(f"/review/listings/{listing.id}/pledgee-consent", data={"ip_asset_id": asset.id, "purpose": "transfer", "reference": "质权人同意转让函"})  # fmt: skip
    assert "质权人同意转让函" in client.get(page).get_data(as_text=True)
    with unit_of_work():
        listings.set_sale_state(listing.id, SaleState.LISTED_SALE, now=market["now"], actor_id=None)
