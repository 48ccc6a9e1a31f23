"""Stripe frozen behind a relay: the payment page and a bid answer within their budgets,
card payments pause (bank transfer offered) and come back by themselves."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from core.extensions import db
from core.uow import unit_of_work
from payments import card, stripe_channel
from payments.models import Payment
from tests import factories
from tests.faults.conftest import COOLDOWN, SLACK, service_url, timed
from tests.faults.relay import NodeRelay
from tests.integration.payments.helpers import START, WEBHOOK_SECRET, make_auction

BUDGET = 0.3  # STRIPE_TIMEOUT_SECONDS in the fault settings; a page without Stripe: the same


@pytest.fixture
def stripe_relay(app: Flask, fault_settings: object) -> Iterator[NodeRelay]:
    """Stripe on, reached through a relay in front of stripe-mock (the app's own client)."""
    relay = NodeRelay(service_url("STRIPE_MOCK_URL"))
    relay.up()
    names = (*stripe_channel.REQUIRED_SETTINGS, "STRIPE_API_BASE")
    saved = {name: app.config.get(name) for name in names}
    app.config.update(
        STRIPE_SECRET_KEY="sk_test_123",
        STRIPE_PUBLISHABLE_KEY="pk_test_123",
        STRIPE_WEBHOOK_SECRET=WEBHOOK_SECRET,
        STRIPE_API_BASE=relay.url,
    )
    app.extensions.pop(stripe_channel.CLIENT_KEY, None)
    try:
        yield relay
    finally:
        app.config.update(saved)
        app.extensions.pop(stripe_channel.CLIENT_KEY, None)
        relay.heal()
        relay.down()


def _sign_in(client: FlaskClient, user) -> None:  # type: ignore[no-untyped-def]
    response = client.post("/signin", data={"email": user.email, "password": factories.PASSWORD})
    assert response.status_code == 302


def test_stripe_hung_pauses_cards_offers_bank_transfer_and_recovers(
    client: FlaskClient, clock, upload_folder: Path, stripe_relay: NodeRelay
) -> None:
    market = make_auction(clock(), upload_folder)
    payer, rival = market.bidder(), market.bidder()
    market.pay_deposit_by_bank(rival)
    deposit = market.deposit_of(payer)
    page_url = f"/payments/deposits/{deposit.id}"
    _sign_in(client, payer)
    assert f"{page_url}/card" in client.get(page_url).get_data(as_text=True)

    with unit_of_work():  # the payer's pending card payment (its first click's own work)
        card.start_card_deposit(payer, deposit.id, now=clock())
    stripe_channel.client().v1.balance.retrieve()  # warm: the client's first call sets it up

    stripe_relay.hang()
    costs = []
    for _ in range(3):  # two wait for Stripe's timeout and open the breaker; the third not
        answer, took = timed(lambda: client.post(f"{page_url}/card"))
        assert answer.status_code == 302 and answer.headers["Location"].endswith(page_url)
        costs.append(took)
    # What Stripe cost each click: its time less the page's own work (the third click's,
    # which the open breaker spared any wait).
    waited = [took - costs[-1] for took in costs]
    assert all(wait < BUDGET + SLACK for wait in waited), f"card clicks {costs} s, Stripe hung"
    assert costs[-1] < BUDGET, f"with the breaker open a click still took {costs[-1]:.3f} s"
    page, took = timed(lambda: client.get(page_url))
    html = page.get_data(as_text=True)
    assert took < BUDGET + SLACK
    assert 'id="card-paused"' in html and f"{page_url}/card" not in html
    assert f"{page_url}/bank" in html  # bank transfer is offered instead
    assert client.get("/healthz").get_json()["breakers"]["stripe"] == "open"

    # A bid needs no Stripe: it answers at once.
    _sign_in(client, rival)
    bid, took = timed(
        lambda: client.post(
            f"/auctions/{market.auction.id}/bids", data={"amount": f"{START / 100:.2f}"}
        )
    )
    assert bid.status_code == 302 and took < BUDGET + SLACK, f"bid {took:.3f} s"

    # Stripe thaws: after one cool-down the next click is the trial, and it goes through,
    # on the same pending payment (one payment, one Checkout page).
    stripe_relay.heal()
    time.sleep(COOLDOWN)
    _sign_in(client, payer)
    answer = client.post(f"{page_url}/card")
    assert answer.status_code == 303
    payments = db.session.scalars(select(Payment).where(Payment.deposit_id == deposit.id)).all()
    assert len(payments) == 1 and answer.headers["Location"] == payments[0].checkout_url
    assert 'id="card-paused"' not in client.get(page_url).get_data(as_text=True)
    assert client.get("/healthz").get_json()["breakers"]["stripe"] == "closed"
