"""Helpers of the sales and publicity tests: parties, a listing on the market, held deposits."""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from flask.testing import FlaskClient

from accounts.models import OrganisationKind, User
from core.uow import unit_of_work
from core.workdays import WorkCalendar
from listings.models import Listing
from listings.rules import ListingStatus
from payments import deposits
from payments.bank_transfer import deposit_reference
from tests import factories
from trading import listed_sales, negotiations
from trading.models import ListedSale, Negotiation, PublicityNotice

CALENDAR = WorkCalendar()


@dataclass
class Market:
    """A seller with a published listing, two enterprise buyers and a reviewer."""

    seller: User
    buyer: User
    other_buyer: User
    reviewer: User
    listing: Listing
    folder: Path


def market(now: datetime, folder: Path, **listing_overrides: object) -> Market:
    """A fresh market with one published listing."""
    reviewer = factories.platform_reviewer(now)
    seller = factories.seller(now, reviewer=reviewer)
    buyer = factories.seller(now, reviewer=reviewer, kind=OrganisationKind.ENTERPRISE)
    other = factories.seller(now, reviewer=reviewer, kind=OrganisationKind.ENTERPRISE)
    listing = factories.listing(
        seller,
        now,
        status=ListingStatus.PUBLISHED,
        reviewer=reviewer,
        folder=folder,
        **listing_overrides,
    )
    return Market(seller, buyer, other, reviewer, listing, folder)


def enterprise(now: datetime, reviewer: User) -> User:
    """Another verified enterprise."""
    return factories.seller(now, reviewer=reviewer, kind=OrganisationKind.ENTERPRISE)


def listed_sale(m: Market, now: datetime, **terms: object) -> ListedSale:
    """The seller starts a listed sale of the market's listing at ¥500,000 (deposit 10 %)."""
    values: dict[str, object] = {"asking_price_minor": 50_000_000, "working_days": 20}
    values.update(terms)
    with unit_of_work():
        return listed_sales.start_listed_sale(
            m.seller,
            m.listing.id,
            now=now,
            calendar=CALENDAR,
            **values,  # type: ignore[arg-type]
        )


def hold_deposit(buyer: User, sale: ListedSale, m: Market, now: datetime) -> None:
    """The buyer registers intent, uploads a receipt and a reviewer confirms it (committed)."""
    with unit_of_work():
        listed_sales.register_intent(buyer, sale.id, now=now)
        deposit = deposits.deposit_of("listed_sale", sale.id, buyer.acting_org_id)
        assert deposit is not None
        deposits.submit_receipt(
            buyer,
            deposit.id,
            stream=io.BytesIO(factories.PDF_BYTES),
            filename="回单.pdf",
            bank_reference=deposit_reference(deposit),
            folder=deposits.receipt_folder(m.folder.parent),
            max_bytes=1_000_000,
            now=now,
        )
        deposits.confirm_deposit(m.reviewer, deposit.id, now=now)


def agreed(m: Market, now: datetime, *, days: int = 15) -> tuple[Negotiation, PublicityNotice]:
    """Buyer offers ¥400,000, seller counters ¥450,000, buyer accepts: a notice runs (committed)."""
    with unit_of_work():
        negotiation = negotiations.open_negotiation(
            m.buyer, m.listing.id, amount_minor=40_000_000, message="我们有意受让。", now=now
        )
        negotiations.make_offer(m.seller, negotiation.id, 45_000_000, now=now)
        notice = negotiations.accept(m.buyer, negotiation.id, now=now, publicity_days=days)
    return negotiation, notice


def sign_in(client: FlaskClient, user: User) -> None:
    """Sign in through the form."""
    response = client.post("/signin", data={"email": user.email, "password": factories.PASSWORD})
    assert response.status_code == 302


def sign_out(client: FlaskClient) -> None:
    client.post("/signout")
