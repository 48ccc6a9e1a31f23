"""An open licence's fee paid by card, against stripe-mock: the licensee's Checkout page, then
Stripe's signed report of the money; the licence is granted once, however often Stripe tells."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient

from core.domain import NotFound
from core.uow import unit_of_work
from licences import card as licence_card
from licences import grants
from licences.rules import LicenceStatus, OpenLicenceError
from payments import card
from payments.rules import PaymentStatus
from tests import factories
from tests.conftest import FrozenClock
from tests.integration.licences.test_open_licence_pages import _sign_in
from tests.integration.licences.test_open_licences import _published, people, quick_passwords  # noqa: F401
from tests.integration.payments.helpers import StripeTest, session, stripe_on  # noqa: F401

URLS = {"success_url": "https://market.example/ok", "cancel_url": "https://market.example/no"}


def test_the_fee_paid_by_card_grants_the_licence_once(app: Flask, people: dict, clock: FrozenClock, stripe_on: StripeTest) -> None:  # noqa: F811  # fmt: skip
    now = clock.current
    declaration = _published(app, people, now)
    with unit_of_work():
        licence = grants.give_notice(people["enterprise"], declaration.id, "我方通知：按公布条件实施。", now=now)  # fmt: skip
    with pytest.raises(NotFound), unit_of_work():  # the patentee never pays its own licence
        licence_card.start_card_payment(people["patentee"], licence.id, now=now)
    with unit_of_work():
        payment = licence_card.start_card_payment(people["enterprise"], licence.id, now=now)
    with unit_of_work():
        opened = card.open_checkout(people["enterprise"], payment.id, **URLS)
    assert opened.checkout_url and opened.amount_minor == 2_000_000
    assert stripe_on.http.sent("v1/checkout/sessions")
    paid = stripe_on.event("checkout.session.completed", session(payment.id, 2_000_000, intent_id="pi_ol_1"))  # fmt: skip
    for _ in range(2):  # Stripe may tell twice
        assert stripe_on.deliver(paid).status_code == 200
    assert payment.status == PaymentStatus.SUCCEEDED
    assert licence.status == LicenceStatus.GRANTED and licence.number
    with pytest.raises(OpenLicenceError), unit_of_work():
        licence_card.start_card_payment(people["enterprise"], licence.id, now=now)


def test_the_licence_page_and_api_offer_the_card(app: Flask, client: FlaskClient, people: dict, clock: FrozenClock, stripe_on: StripeTest) -> None:  # noqa: F811  # fmt: skip
    now = clock.current
    declaration = _published(app, people, now)
    with unit_of_work():
        licence = grants.give_notice(people["enterprise"], declaration.id, "我方通知。", now=now)
    _sign_in(client, people["enterprise"])
    page = client.get(f"/open-licences/licences/{licence.id}", headers={"Accept-Language": "en"})
    assert b"by card" in page.data
    sent = client.post(f"/open-licences/licences/{licence.id}/card")
    assert (
        sent.status_code == 302 and "/open-licences/" not in sent.headers["Location"]
    )  # Stripe's page
    token = factories.api_token(people["enterprise"], "card", now=now)
    again = client.post(f"/api/v1/open-licences/licences/{licence.id}/card", headers={"Authorization": f"Bearer {token}"}, json=URLS)  # fmt: skip
    assert again.status_code == 201 and again.get_json()["checkout_url"]
