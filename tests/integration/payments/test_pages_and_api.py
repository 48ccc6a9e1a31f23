"""Payment pages and the REST API: money flow, paying by bank and by card, the reviewers' queue."""

from __future__ import annotations

import io
from urllib.parse import quote

from sqlalchemy import select

from auctions import bidding, closing
from core.extensions import db
from core.uow import unit_of_work
from deals.models import Deal
from payments import queries
from payments.models import Payment
from payments.rules import PaymentStatus
from tests import factories
from tests.integration.payments.helpers import START, AuctionMarket


def _sign_in(client, user) -> None:
    response = client.post("/signin", data={"email": user.email, "password": factories.PASSWORD})
    assert response.status_code == 302


def _deal(m: AuctionMarket, clock):
    winner = m.bidder(name="页面测试买方公司")
    m.pay_deposit_by_bank(winner)
    bidding.place_bid(winner, m.auction.id, START, now=clock())
    with unit_of_work(writer=True):  # as the sweep closes it: committed
        assert closing.close_auction(m.auction.id, now=clock.advance(hours=49))
    deal = db.session.scalar(
        select(Deal).where(Deal.source_type == "auction", Deal.source_id == m.auction.id)
    )
    return winner, deal


def test_the_buyer_sees_what_is_due_and_pays_by_bank(auction_market, clock, client) -> None:
    m = auction_market
    buyer, deal = _deal(m, clock)
    due = START - START // 10
    _sign_in(client, buyer)
    page = client.get(f"/payments/deals/{deal.id}")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "<svg" in html and 'id="amount-due"' in html and "¥9,000.00" in html
    assert "/card" not in html  # no card button while Stripe is off
    # A form error keeps what was typed and saves nothing.
    response = client.post(
        f"/payments/deals/{deal.id}/bank",
        data={
            "amount": "9000",
            "bank_reference": "",
            "receipt": (io.BytesIO(factories.PDF_BYTES), "回单.pdf"),
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 422
    assert 'value="9000"' in response.get_data(as_text=True)
    assert db.session.scalars(select(Payment)).all() == []
    response = client.post(
        f"/payments/deals/{deal.id}/bank",
        data={
            "amount": "9,000.00",
            "bank_reference": f"DEAL-{deal.id}",
            # a PDF misnamed by its sender: it is kept, and served, as the PDF it is
            "receipt": (io.BytesIO(factories.PDF_BYTES), "回单.jpg"),
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    payment = db.session.scalar(select(Payment))
    assert (payment.amount_minor, payment.status) == (due, PaymentStatus.RECEIPT_SUBMITTED)
    client.post("/signout")

    _sign_in(client, m.reviewer)
    queue = client.get("/payments/review").get_data(as_text=True)
    assert f"DEAL-{deal.id}" in queue
    receipt = client.get(f"/payments/receipts/{payment.id}")
    assert receipt.status_code == 200 and receipt.data == factories.PDF_BYTES
    assert receipt.headers["Content-Type"] == "application/pdf"
    assert quote("回单.pdf") in receipt.headers["Content-Disposition"]
    client.post(f"/payments/review/{payment.id}/confirm")
    assert queries.money_flow(m.reviewer, deal.id).due == 0
    page = client.get(f"/payments/deals/{deal.id}").get_data(as_text=True)
    assert f'action="/payments/deals/{deal.id}/payouts"' in page  # nothing due: payouts may go


def test_strangers_do_not_see_a_deals_money(auction_market, clock, client) -> None:
    m = auction_market
    _, deal = _deal(m, clock)
    assert client.get(f"/payments/deals/{deal.id}").status_code == 302  # sign in first
    assert client.get("/api/v1/payments/deals").status_code == 401
    stranger = factories.seller(m.now, reviewer=m.reviewer)
    _sign_in(client, stranger)
    assert client.get(f"/payments/deals/{deal.id}").status_code == 404
    assert client.get("/payments/review").status_code == 403
    empty = client.get("/payments/").get_data(as_text=True)
    assert "empty-state" in empty
    assert client.get("/api/v1/payments/deals").get_json() == {"items": []}


def test_the_deal_page_links_to_its_money_flow(auction_market, clock, client) -> None:
    m = auction_market
    _, deal = _deal(m, clock)
    _sign_in(client, m.seller)
    assert f"/payments/deals/{deal.id}" in client.get(f"/deals/{deal.id}").get_data(as_text=True)
    listed = client.get("/api/v1/payments/deals").get_json()["items"]  # as the payments page
    assert [(d["id"], d["price_minor"], d["status"]) for d in listed] == [(deal.id, deal.price_minor, deal.status.value)]  # fmt: skip
    assert f'href="/payments/deals/{deal.id}"' in client.get("/payments/").get_data(as_text=True)
    payouts = client.get("/payments/payouts").get_data(as_text=True)
    assert "empty-state" in payouts


def test_card_buttons_send_the_payer_to_stripes_page(
    auction_market, stripe_on, clock, client
) -> None:
    m = auction_market
    bidder = m.bidder()
    deposit = m.deposit_of(bidder)
    _sign_in(client, bidder)
    page = client.get(f"/payments/deposits/{deposit.id}").get_data(as_text=True)
    assert f"/payments/deposits/{deposit.id}/card" in page
    response = client.post(f"/payments/deposits/{deposit.id}/card")
    assert response.status_code == 303
    payment = db.session.scalar(select(Payment).where(Payment.deposit_id == deposit.id))
    assert response.headers["Location"] == payment.checkout_url
    # A second click reuses the same Checkout page: one payment, one session.
    client.post(f"/payments/deposits/{deposit.id}/card")
    assert len(db.session.scalars(select(Payment)).all()) == 1
    assert len(stripe_on.http.sent("v1/checkout/sessions")) == 1


def test_the_api_shows_the_money_flow_and_takes_a_bank_payment(
    auction_market, clock, client
) -> None:
    m = auction_market
    buyer, deal = _deal(m, clock)
    token = factories.api_token(buyer, "erp", now=clock())
    reviewer_token = factories.api_token(m.reviewer, "ops", now=clock())
    auth = {"Authorization": f"Bearer {token}"}
    body = client.get(f"/api/v1/payments/deals/{deal.id}", headers=auth).get_json()
    assert body["due_minor"] == START - START // 10 and body["balanced"] is True
    assert body["transfer_reference"] == f"DEAL-{deal.id}"
    assert {p["kind"] for p in body["postings"]} == {"deposit_held", "accrual", "deposit_applied"}
    assert client.post(f"/api/v1/payments/deals/{deal.id}/bank").status_code == 401
    response = client.post(
        f"/api/v1/payments/deals/{deal.id}/bank",
        headers=auth,
        data={
            "amount_minor": str(body["due_minor"] + 1),
            "bank_reference": f"DEAL-{deal.id}",
            "receipt": (io.BytesIO(factories.PDF_BYTES), "r.pdf"),
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 422 and "amount_minor" in response.get_json()["errors"]
    response = client.post(
        f"/api/v1/payments/deals/{deal.id}/bank",
        headers=auth,
        data={
            "amount_minor": str(body["due_minor"]),
            "bank_reference": f"deal-{deal.id}",
            "receipt": (io.BytesIO(factories.PDF_BYTES), "r.pdf"),
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 201
    payment_id = response.get_json()["id"]
    receipt_url = response.get_json()["receipt_url"]
    assert receipt_url == f"/api/v1/payments/receipts/{payment_id}"
    for who in (token, reviewer_token):
        got = client.get(receipt_url, headers={"Authorization": f"Bearer {who}"})
        assert got.status_code == 200 and got.data == factories.PDF_BYTES
        assert got.headers["Content-Type"] == "application/pdf"
        assert got.headers["Content-Disposition"] == "inline; filename=r.pdf"
    other = factories.api_token(factories.enterprise(clock()), "erp", now=clock())
    refused = client.get(receipt_url, headers={"Authorization": f"Bearer {other}"})
    assert refused.status_code == 404 and refused.get_json()["code"] == "not_found"
    assert client.get(receipt_url).get_json()["code"] == "unauthorized"
    queue = client.get(
        "/api/v1/payments/review", headers={"Authorization": f"Bearer {reviewer_token}"}
    )
    assert [p["id"] for p in queue.get_json()["receipts"]] == [payment_id]
    confirmed = client.post(
        f"/api/v1/payments/payments/{payment_id}/confirm",
        headers={"Authorization": f"Bearer {reviewer_token}"},
    )
    assert confirmed.get_json()["status"] == "succeeded"
    assert (
        client.get(f"/api/v1/payments/deals/{deal.id}", headers=auth).get_json()["due_minor"] == 0
    )
