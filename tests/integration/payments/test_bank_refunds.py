"""Deposits paid by bank and released wait in the reviewers' queue until their refund is made.

A card deposit goes back through Stripe by itself; a bank deposit needs a person to make
the transfer. It stays in the queue (review page) until a reviewer records the refund's
bank reference, which is audited.
"""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient

from auctions import bidding, closing
from core.audit import history
from core.domain import DomainError, PermissionDenied, ValidationFailed
from core.uow import unit_of_work
from payments import bank_refunds
from payments.models import DepositStatus
from tests import factories
from tests.integration.payments.helpers import START, AuctionMarket

EN = {"Accept-Language": "en"}


def _closed_with_a_loser(m: AuctionMarket, clock):
    winner, loser = m.bidder(name="赢家公司"), m.bidder(name="退款测试输家公司")
    for bidder in (winner, loser):
        m.pay_deposit_by_bank(bidder)
    bidding.place_bid(loser, m.auction.id, START, now=clock())
    bidding.place_bid(winner, m.auction.id, START + 50_000, now=clock())
    with unit_of_work(writer=True):
        assert closing.close_auction(m.auction.id, now=clock.advance(hours=49))
    deposit = m.deposit_of(loser)
    assert deposit.status == DepositStatus.RELEASED
    return winner, loser, deposit


def _sign_in(client: FlaskClient, user) -> None:
    response = client.post("/signin", data={"email": user.email, "password": factories.PASSWORD})
    assert response.status_code == 302


def test_a_released_bank_deposit_waits_until_a_reviewer_records_its_refund(
    auction_market, clock, client
) -> None:
    m = auction_market
    winner, loser, deposit = _closed_with_a_loser(m, clock)
    assert [d.id for d in bank_refunds.refunds_owed(m.reviewer)] == [deposit.id]
    with pytest.raises(PermissionDenied):
        bank_refunds.refunds_owed(winner)

    _sign_in(client, m.reviewer)
    page = client.get("/review/", headers=EN).get_data(as_text=True)
    assert "Bank refunds owed" in page and "退款测试输家公司" in page and "¥1,000.00" in page
    # Without the refund's bank reference nothing is recorded.
    empty = client.post(f"/review/refunds/{deposit.id}/made", data={"bank_reference": " "})
    assert empty.status_code == 302
    assert bank_refunds.refunds_owed(m.reviewer) != []
    made = client.post(
        f"/review/refunds/{deposit.id}/made", data={"bank_reference": "ICBC-REFUND-77"}
    )
    assert made.status_code == 302
    assert bank_refunds.refunds_owed(m.reviewer) == []
    deposit = m.deposit_of(loser)
    assert deposit.refund_reference == "ICBC-REFUND-77"
    assert deposit.refunded_at is not None and deposit.refund_confirmed_by_id == m.reviewer.id
    entry = history("deposit", deposit.id)[-1]
    assert entry.action == "deposit.refund_made" and entry.actor_id == m.reviewer.id
    assert entry.after["refund_reference"] == "ICBC-REFUND-77"
    page = client.get("/review/", headers=EN).get_data(as_text=True)
    assert "退款测试输家公司" not in page


def test_a_refund_is_recorded_once_by_a_reviewer_only(auction_market, clock) -> None:
    m = auction_market
    winner, _loser, deposit = _closed_with_a_loser(m, clock)
    with pytest.raises(PermissionDenied), unit_of_work():
        bank_refunds.record_refund(winner, deposit.id, "X-1", now=clock())
    with pytest.raises(ValidationFailed), unit_of_work():
        bank_refunds.record_refund(m.reviewer, deposit.id, "", now=clock())
    with unit_of_work():
        bank_refunds.record_refund(m.reviewer, deposit.id, "R-1", now=clock())
    with pytest.raises(DomainError) as again, unit_of_work():
        bank_refunds.record_refund(m.reviewer, deposit.id, "R-2", now=clock())
    assert again.value.code == "refund_not_owed"
    # The winner's deposit was applied to the price: no refund is owed on it.
    with pytest.raises(DomainError), unit_of_work():
        bank_refunds.record_refund(m.reviewer, m.deposit_of(winner).id, "R-3", now=clock())


def test_by_api_a_reviewer_lists_the_refunds_owed_and_records_one_once(
    auction_market, clock, client
) -> None:
    m = auction_market
    winner, loser, deposit = _closed_with_a_loser(m, clock)
    reviewer = {"Authorization": f"Bearer {factories.api_token(m.reviewer, 'ci', now=clock())}"}
    bidder = {"Authorization": f"Bearer {factories.api_token(winner, 'ci', now=clock())}"}
    owed = client.get("/api/v1/deposits/refunds", headers=reviewer).get_json()["items"]
    assert [(d["id"], d["allowed_actions"]) for d in owed] == [(deposit.id, ["record_refund"])]
    assert client.get("/api/v1/deposits/refunds", headers=bidder).status_code == 403
    refused = client.post(
        f"/api/v1/deposits/{deposit.id}/refund", json={"bank_reference": "X"}, headers=bidder
    )
    assert refused.status_code == 403 and refused.get_json()["code"]
    made = client.post(
        f"/api/v1/deposits/{deposit.id}/refund",
        json={"bank_reference": "ICBC-REFUND-78"},
        headers=reviewer,
    )
    assert made.status_code == 200, made.get_json()
    assert made.get_json()["refunded_at"] and made.get_json()["allowed_actions"] == []
    again = client.post(
        f"/api/v1/deposits/{deposit.id}/refund",
        json={"bank_reference": "ICBC-REFUND-79"},
        headers={**reviewer, **EN},
    )
    assert again.status_code == 409 and again.get_json()["code"] == "refund_not_owed"
    assert client.get("/api/v1/deposits/refunds", headers=reviewer).get_json()["items"] == []
    assert m.deposit_of(loser).refund_reference == "ICBC-REFUND-78"
