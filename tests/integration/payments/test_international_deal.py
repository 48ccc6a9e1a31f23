"""An international sale end to end: a foreign university signs up and is verified, lists
in US dollars, and sells at auction to a Chinese enterprise. For the market (in China) the
deal is a technology import: the buyer, the party in China, completes the import/export contract record
(技术进出口合同登记), a reviewer checks it and records the certificate number once issued,
and the record prints and exports. The deposit and the price paid by card (Stripe charges
dollars) leave the ledger balanced in USD, and the deal and its money flow show the
reference value in yuan with the rate's day."""

from __future__ import annotations

import csv
import io
from datetime import timedelta
from decimal import Decimal
from pathlib import Path
from urllib.parse import parse_qs

from flask.testing import FlaskClient
from sqlalchemy import select

from accounts.models import Organisation, OrganisationKind, User
from accounts.signup_checks import TERMS_VERSION
from auctions import bidding, closing, services
from core import rates
from core.currencies import Rate
from core.extensions import db
from core.uow import unit_of_work
from deals.models import Deal
from deals.trade_models import TradeRecord
from deals.trade_rules import CheckOutcome, TechCategory, TradeDirection
from listings.rules import IPKind, ListingStatus
from payments import card, deposits, ledger, queries
from payments.bank_transfer import deposit_reference
from payments.rules import totals_by_currency
from tests import factories
from tests.conftest import FrozenClock
from tests.integration.auctions.conftest import announce, announced_at
from tests.integration.payments.helpers import StripeTest, session

START = 10_000_00  # US$10,000.00
INC = 500_00
URLS = {"success_url": "https://market.example/ok", "cancel_url": "https://market.example/no"}
EIN = "12-3456789"
TERMS = "In one sum in US dollars through the market within 10 days of signing"
CERTIFICATE = "2026310000000417"


def _sign_up_abroad(client: FlaskClient, reviewer: User) -> User:
    """Through the pages: the form in English, then the reviewer's queue."""
    form = {
        "name": "Jane Doe", "email": "tlo@example.edu", "password": factories.PASSWORD,
        "organisation_mode": "create", "country": "US", "org_name": "Lakeside University",
        "org_name_en": "Lakeside University", "kind": "university",
        "registration_number": EIN, "region": "Boston, MA", "consent": TERMS_VERSION,
        "licence": (io.BytesIO(factories.PDF_BYTES), "articles.pdf"),
    }  # fmt: skip
    assert client.post("/signup", data=form).status_code == 302
    client.post("/signout")
    client.post("/signin", data={"email": reviewer.email, "password": factories.PASSWORD})
    org = db.session.scalar(select(Organisation).where(Organisation.country == "US"))
    assert org is not None and org.registration_number == "123456789"
    assert client.post(f"/review/organisations/{org.id}/verify").status_code == 302
    client.post("/signout")
    user = db.session.scalar(select(User).where(User.email == "tlo@example.edu"))
    assert user is not None and user.locale == "en" and user.organisation.is_verified
    return user


def test_a_foreign_university_sells_in_dollars_to_a_chinese_enterprise(
    client: FlaskClient, stripe_on: StripeTest, clock: FrozenClock, upload_folder: Path
) -> None:
    now = clock()
    then = announced_at(now)
    reviewer = factories.platform_reviewer(then)
    with unit_of_work():
        rates.keep(Rate("USD", Decimal("7.1"), then.date()), by=None, now=then, source="import")
    seller = _sign_up_abroad(client, reviewer)
    listing = factories.listing(
        seller, then, status=ListingStatus.PUBLISHED, folder=upload_folder, reviewer=reviewer,
        currency="USD", asking_price_minor=START, holder="Lakeside University",
        ip_assets=(factories.listings.IPAssetInput(IPKind.US, "US 10,123,456 B2"),),
    )  # fmt: skip
    page = client.get(f"/listings/{listing.id}", headers={"Accept-Language": "zh-CN"})
    text = page.get_data(as_text=True)
    assert "US$10,000.00" in text and "约合 ¥71,000.00" in text

    auction = announce(
        seller, reviewer, listing.id,
        services.AuctionInput(
            starting_price_minor=START, increment_minor=INC, starts_at=now,
            ends_at=now + timedelta(hours=48), reserve_price_minor=None, deposit_bps=1000,
        ),
    )  # fmt: skip
    assert auction.currency == "USD"
    buyer = factories.seller(now, reviewer=reviewer, kind=OrganisationKind.ENTERPRISE)
    with unit_of_work():
        deposit = services.join_auction(buyer, auction.id, now=now)
        assert (deposit.amount_minor, deposit.currency) == (START // 10, "USD")
        deposits.submit_receipt(
            buyer, deposit.id, stream=io.BytesIO(factories.PDF_BYTES), filename="receipt.pdf",
            bank_reference=deposit_reference(deposit), folder=upload_folder.parent / "deposits",
            max_bytes=1_000_000, now=now,
        )  # fmt: skip
        deposits.confirm_deposit(reviewer, deposit.id, now=now)
    with unit_of_work():
        bidding.place_bid(buyer, auction.id, START + INC, now=now)
    with unit_of_work(writer=True):
        assert closing.close_auction(auction.id, now=clock.advance(hours=49))
    deal = db.session.scalar(select(Deal).where(Deal.source_id == auction.id))
    assert deal is not None and (deal.currency, deal.price_minor) == ("USD", START + INC)
    _the_import_is_recorded_and_registered(client, (seller, buyer, reviewer), deal)

    due = START + INC - START // 10
    with unit_of_work():
        payment = card.start_card_payment(buyer, deal.id, now=clock())
    with unit_of_work():
        payment = card.open_checkout(buyer, payment.id, **URLS)
    sent = parse_qs(stripe_on.http.sent("v1/checkout/sessions")[-1]["body"])
    assert sent["line_items[0][price_data][currency]"] == ["usd"]
    assert sent["line_items[0][price_data][unit_amount]"] == [str(due)]
    paid = session(payment.id, due, intent_id="pi_usd", session_id="cs_usd") | {"currency": "usd"}
    assert stripe_on.deliver(stripe_on.event("checkout.session.completed", paid)).status_code == 200

    flow = queries.money_flow(reviewer, deal.id)
    assert flow.due == 0
    assert {leg.currency for leg in flow.legs} == {"USD"}
    assert totals_by_currency(flow.legs) == {"USD": 0}
    assert ledger.check_all() == []

    client.post("/signin", data={"email": buyer.email, "password": factories.PASSWORD})
    # The buyer reads English but chose yuan for converted figures (else US dollars).
    client.get("/currency/CNY")
    text = client.get(f"/deals/{deal.id}", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "US$10,500.00" in text
    assert f"≈ ¥74,550.00 (reference rate of {then.day} Feb 2026)" in text
    flow_page = client.get(f"/payments/deals/{deal.id}", headers={"Accept-Language": "en"})
    text = flow_page.get_data(as_text=True)  # the ledger's page: dollars, the yuan beside
    assert "US$10,500.00" in text and "≈ ¥74,550.00" in text and "does not balance" not in text


def _the_import_is_recorded_and_registered(client: FlaskClient, people: tuple[User, User, User], deal: Deal) -> None:  # fmt: skip
    """The buyer, the party in China, completes the record (the seller abroad reads who does and
    cannot); a reviewer checks it and records the certificate number once issued; the record
    prints and exports with every field."""
    seller, buyer, reviewer = people
    english = {"Accept-Language": "en"}
    page = f"/deals/{deal.id}/trade-record"
    form = {"category": "free", "catalogue_ref": "", "payment_terms": TERMS}
    client.post("/signin", data={"email": seller.email, "password": factories.PASSWORD})
    assert page in client.get(f"/deals/{deal.id}", headers=english).get_data(as_text=True)
    seen = client.get(page, headers=english).get_data(as_text=True)
    assert "The party in China registers" in seen and 'id="f-category"' not in seen
    client.post(page, data=form)
    client.post("/signout")
    assert db.session.get(TradeRecord, deal.id) is None  # the seller abroad may not fill it

    client.post("/signin", data={"email": buyer.email, "password": factories.PASSWORD})
    assert 'id="f-category"' in client.get(page, headers=english).get_data(as_text=True)
    assert client.post(page, data=form).status_code == 302
    client.post("/signout")
    record = db.session.get(TradeRecord, deal.id)
    assert record is not None and record.direction == TradeDirection.IMPORT
    assert (record.seller_country, record.buyer_country) == ("US", "CN")
    assert (record.category, record.payment_terms) == (TechCategory.FREE, TERMS)
    assert (record.amount_minor, record.currency, record.usd_minor) == (START + INC, "USD", START + INC)  # fmt: skip
    assert record.certificate_number is None

    client.post("/signin", data={"email": reviewer.email, "password": factories.PASSWORD})
    review = f"/review/deals/{deal.id}/trade-record"
    assert client.post(f"{review}/check", data={"note": "Not in the import catalogue"}).status_code == 302  # fmt: skip
    assert client.post(f"{review}/certificate", data={"certificate_number": CERTIFICATE}).status_code == 302  # fmt: skip
    db.session.expire(record)
    issued = db.session.get(TradeRecord, deal.id)
    assert issued is not None
    assert (issued.check_outcome, issued.certificate_number) == (CheckOutcome.CLEARED, CERTIFICATE)
    page = client.get(f"/deals/{deal.id}/trade-record", headers=english).get_data(as_text=True)
    assert "Technology import" in page and "Lakeside University (US)" in page and "(CN)" in page
    assert CERTIFICATE in page and TERMS in page and "US$10,500.00" in page
    assert "@media print" in page and "data-print" in page
    assert "Save the record" not in page  # registered: no longer changed
    exported = client.get(f"/deals/{deal.id}/trade-record.csv")
    assert exported.mimetype == "text/csv"
    row = next(csv.DictReader(io.StringIO(exported.get_data(as_text=True))))
    assert (row["direction"], row["seller_country"], row["buyer_country"]) == ("import", "US", "CN")
    assert (row["amount"], row["currency"], row["usd_amount"]) == ("10500.00", "USD", "10500.00")
    assert (row["category"], row["payment_terms"], row["certificate_number"]) == ("free", TERMS, CERTIFICATE)  # fmt: skip
    client.post("/signout")
