"""Paying by bank: every page that asks for a transfer says where to, with which reference.

The market's account (payee, bank, branch, account number, SWIFT) comes from the
settings; the reference names what the transfer pays; a QR code holds them all. A
receipt that states another reference is refused with the one it must quote.
"""

from __future__ import annotations

import io

import pytest
from flask import Flask
from sqlalchemy import select

from auctions import bidding, closing
from core.domain import ValidationFailed
from core.extensions import db
from core.uow import unit_of_work
from deals.models import Deal
from payments import deposits, offline
from payments.models import DepositStatus, Payment
from tests import factories
from tests.integration.payments.helpers import START, AuctionMarket
from tests.integration.sales import trading

EN = {"Accept-Language": "en"}
ACCOUNT = ("威海技术交易市场有限公司", "中国工商银行", "威海分行营业部", "1614 0200 0920 0123 456")


def _sign_in(client, user) -> None:
    response = client.post("/signin", data={"email": user.email, "password": factories.PASSWORD})
    assert response.status_code == 302


def _shows_where_to_pay(html: str, reference: str) -> None:
    for detail in (*ACCOUNT, "ICBKCNBJSDG", reference):
        assert detail in html, detail
    assert "<svg" in html and 'class="segno"' in html  # the QR code, inline


def test_the_deposit_page_shows_the_markets_account_the_reference_and_a_qr_code(
    auction_market, client
) -> None:
    m = auction_market
    bidder = m.bidder()
    deposit = m.deposit_of(bidder)
    _sign_in(client, bidder)
    html = client.get(f"/payments/deposits/{deposit.id}", headers=EN).get_data(as_text=True)
    _shows_where_to_pay(html, f"AUC-{m.auction.id}-{bidder.acting_org_id}")
    assert "¥1,000.00" in html


def test_the_auction_room_shows_where_to_transfer_the_deposit(auction_market, client) -> None:
    m = auction_market
    bidder = m.bidder()
    _sign_in(client, bidder)
    html = client.get(f"/auctions/{m.auction.id}", headers=EN).get_data(as_text=True)
    _shows_where_to_pay(html, f"AUC-{m.auction.id}-{bidder.acting_org_id}")


def test_the_listed_sale_page_shows_where_to_transfer_the_deposit(
    db_session, client, clock, upload_folder
) -> None:
    market = trading.market(clock(), upload_folder)
    sale = trading.listed_sale(market, clock())
    _sign_in(client, market.buyer)
    assert client.post(f"/sales/{sale.id}/intent").status_code in (302, 303)
    html = client.get(f"/sales/{sale.id}", headers=EN).get_data(as_text=True)
    _shows_where_to_pay(html, f"LS-{sale.id}-{market.buyer.acting_org_id}")


def _deal(m: AuctionMarket, clock):
    winner = m.bidder()
    m.pay_deposit_by_bank(winner)
    bidding.place_bid(winner, m.auction.id, START, now=clock())
    with unit_of_work(writer=True):
        assert closing.close_auction(m.auction.id, now=clock.advance(hours=49))
    deal = db.session.scalar(
        select(Deal).where(Deal.source_type == "auction", Deal.source_id == m.auction.id)
    )
    assert deal is not None
    return winner, deal


def test_the_deal_payment_page_shows_where_to_transfer_the_price(
    auction_market, clock, client
) -> None:
    m = auction_market
    buyer, deal = _deal(m, clock)
    _sign_in(client, buyer)
    html = client.get(f"/payments/deals/{deal.id}", headers=EN).get_data(as_text=True)
    _shows_where_to_pay(html, f"DEAL-{deal.id}")


def _upload_deposit_receipt(user, deposit_id: int, reference: str, m: AuctionMarket, clock):
    with unit_of_work():
        return deposits.submit_receipt(
            user,
            deposit_id,
            stream=io.BytesIO(factories.PDF_BYTES),
            filename="回单.pdf",
            bank_reference=reference,
            folder=m.folder,
            max_bytes=1_000_000,
            now=clock(),
        )


def test_a_deposit_receipt_with_another_reference_is_refused_with_the_right_one(
    auction_market, clock, client
) -> None:
    m = auction_market
    bidder = m.bidder()
    deposit = m.deposit_of(bidder)
    expected = f"AUC-{m.auction.id}-{bidder.acting_org_id}"
    with pytest.raises(ValidationFailed) as refused:
        _upload_deposit_receipt(bidder, deposit.id, "AUC-99-1", m, clock)
    assert refused.value.field == "bank_reference" and expected in refused.value.text()
    assert m.deposit_of(bidder).status == DepositStatus.REQUIRED
    assert m.deposit_of(bidder).receipt_stored_name is None

    # On the page: the form again (422) with the message, nothing saved.
    _sign_in(client, bidder)
    response = client.post(
        f"/auctions/{m.auction.id}/deposit",
        data={"bank_reference": "工行 0001", "file": (io.BytesIO(factories.PDF_BYTES), "r.pdf")},
        content_type="multipart/form-data",
        headers=EN,
    )
    assert response.status_code == 422
    assert f"must quote {expected}" in response.get_data(as_text=True)
    assert m.deposit_of(bidder).status == DepositStatus.REQUIRED

    # The right reference, however it is typed, is taken.
    _upload_deposit_receipt(bidder, deposit.id, expected.lower(), m, clock)
    assert m.deposit_of(bidder).status == DepositStatus.RECEIPT_SUBMITTED
    assert m.deposit_of(bidder).bank_reference == expected


def test_a_price_receipt_with_another_reference_is_refused(auction_market, clock, client) -> None:
    m = auction_market
    buyer, deal = _deal(m, clock)
    _sign_in(client, buyer)
    response = client.post(
        f"/payments/deals/{deal.id}/bank",
        data={
            "amount": "9000",
            "bank_reference": f"DEAL-{deal.id + 1}",
            "receipt": (io.BytesIO(factories.PDF_BYTES), "回单.pdf"),
        },
        content_type="multipart/form-data",
        headers=EN,
    )
    assert response.status_code == 422
    assert f"must quote DEAL-{deal.id}" in response.get_data(as_text=True)
    assert db.session.scalars(select(Payment)).all() == []
    with unit_of_work():
        payment = offline.submit_receipt(
            buyer,
            deal.id,
            amount_minor=START - START // 10,
            stream=io.BytesIO(factories.PDF_BYTES),
            filename="回单.pdf",
            bank_reference=f" deal-{deal.id} ",
            folder=offline.receipt_folder(m.folder.parent),
            max_bytes=1_000_000,
            now=clock(),
        )
    assert payment.bank_reference == f"DEAL-{deal.id}"


def test_without_a_configured_account_the_page_says_so_and_asks_for_no_transfer(
    app: Flask, auction_market, client
) -> None:
    m = auction_market
    bidder = m.bidder()
    deposit = m.deposit_of(bidder)
    saved = app.config["MARKET_BANK_ACCOUNT"]
    app.config["MARKET_BANK_ACCOUNT"] = ""
    try:
        _sign_in(client, bidder)
        html = client.get(f"/payments/deposits/{deposit.id}", headers=EN).get_data(as_text=True)
    finally:
        app.config["MARKET_BANK_ACCOUNT"] = saved
    assert "has not published its bank account" in html
    assert f"/payments/deposits/{deposit.id}/bank" not in html
