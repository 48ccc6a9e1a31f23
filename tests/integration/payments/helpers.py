"""Payments test helpers: an auction with bidders, Stripe pointed at stripe-mock, signed webhooks.

stripe-mock (Stripe's own mock server) runs at STRIPE_MOCK_URL (`make test` starts it
with devservices/stripe-mock.sh). Without it the Stripe tests are skipped on a
workstation and fail in CI (CI=true). stripe-mock keeps no state and sends no
webhooks, so the tests build Stripe's events themselves and sign them with the
webhook secret, as Stripe would.
"""

from __future__ import annotations

import io
import json
import os
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import stripe
from flask import Flask
from flask.testing import FlaskClient

from accounts.models import OrganisationKind, User
from auctions import services
from auctions.models import Auction
from core.uow import unit_of_work
from listings.models import Listing
from listings.rules import ListingStatus
from payments import deposits, stripe_channel
from payments.bank_transfer import deposit_reference
from payments.models import Deposit
from tests import factories
from tests.integration.auctions.conftest import announce, announced_at

START = 1_000_000  # ¥10,000.00
INC = 50_000  # ¥500.00
WEBHOOK_SECRET = "whsec_test_marketplace"


def _in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in ("1", "true", "yes")


def stripe_mock_url() -> str:
    """The stripe-mock server to test against; skip (workstation) or fail (CI) without one."""
    url = os.environ.get("STRIPE_MOCK_URL", "").strip()
    if not url:
        message = (
            "STRIPE_MOCK_URL is not set: start stripe-mock with "
            "`devservices/stripe-mock.sh start` (or run `make test`)"
        )
        if _in_ci():
            pytest.fail(f"CI: the Stripe tests need stripe-mock. {message}")
        pytest.skip(message)
    return url


@dataclass
class AuctionMarket:
    """A seller's running auction, a reviewer, and helpers to add bidders."""

    seller: User
    reviewer: User
    listing: Listing
    auction: Auction
    folder: Path
    now: datetime

    def bidder(self, *, name: str | None = None) -> User:
        """A verified enterprise that has joined the auction (deposit required, not paid)."""
        user = factories.seller(
            self.now, reviewer=self.reviewer, kind=OrganisationKind.ENTERPRISE, name=name
        )
        with unit_of_work():
            services.join_auction(user, self.auction.id, now=self.now)
        return user

    def deposit_of(self, user: User) -> Deposit:
        deposit = deposits.deposit_of("auction", self.auction.id, user.acting_org_id)
        assert deposit is not None
        return deposit

    def pay_deposit_by_bank(self, user: User) -> Deposit:
        """Upload a receipt and have the reviewer confirm it (a unit of work each, as the pages)."""
        deposit = self.deposit_of(user)
        with unit_of_work():
            deposits.submit_receipt(
                user,
                deposit.id,
                stream=io.BytesIO(factories.PDF_BYTES),
                filename="回单.pdf",
                bank_reference=deposit_reference(deposit),
                folder=self.folder,
                max_bytes=1_000_000,
                now=self.now,
            )
        with unit_of_work():
            return deposits.confirm_deposit(self.reviewer, deposit.id, now=self.now)


def make_auction(now: datetime, upload_folder: Path, *, hours: float = 48) -> AuctionMarket:
    """A published listing of a university, auctioned now for `hours` (deposit 10 %)."""
    then = announced_at(now)
    reviewer = factories.platform_reviewer(then)
    seller = factories.seller(then, reviewer=reviewer)
    listing = factories.listing(
        seller, then, status=ListingStatus.PUBLISHED, folder=upload_folder, reviewer=reviewer
    )
    auction = announce(
        seller,
        reviewer,
        listing.id,
        services.AuctionInput(
            starting_price_minor=START,
            increment_minor=INC,
            starts_at=now,
            ends_at=now + timedelta(hours=hours),
            reserve_price_minor=None,
            deposit_bps=1000,
        ),
    )
    return AuctionMarket(seller, reviewer, listing, auction, upload_folder.parent / "deposits", now)


@pytest.fixture
def auction_market(db_session: object, clock, upload_folder: Path) -> AuctionMarket:
    """A running 48-hour auction starting at ¥10,000 by ¥500."""
    return make_auction(clock(), upload_folder)


# --- Stripe ------------------------------------------------------------------------------


class RecordingHTTPClient(stripe.RequestsClient):
    """Stripe's own HTTP client, keeping every request it sends (method, path, key, body)."""

    def __init__(self) -> None:
        super().__init__()
        self.recorded: list[dict[str, Any]] = []

    def request(self, method, url, headers, post_data=None):  # type: ignore[no-untyped-def, override]
        self.recorded.append(
            {
                "method": method,
                "path": url.split("://", 1)[-1].split("/", 1)[-1].split("?")[0],
                "idempotency_key": (headers or {}).get("Idempotency-Key"),
                "body": post_data,
            }
        )
        return super().request(method, url, headers, post_data)

    def sent(self, path_part: str) -> list[dict[str, Any]]:
        """The requests whose path contains `path_part`."""
        return [r for r in self.recorded if path_part in r["path"]]


@dataclass
class StripeTest:
    """The app's Stripe settings for one test, and a way to deliver signed events."""

    http: RecordingHTTPClient
    client: FlaskClient
    delivered: list[str] = field(default_factory=list)

    def event(
        self, type_: str, obj: dict[str, Any], *, event_id: str | None = None, **top: Any
    ) -> bytes:
        """A Stripe event as Stripe sends it (JSON bytes); `top` overrides its own fields."""
        return json.dumps(
            {
                "id": event_id or f"evt_{uuid.uuid4().hex[:24]}",
                "object": "event",
                "api_version": "2024-06-20",
                "created": 1_772_000_000,
                "livemode": False,
                "pending_webhooks": 1,
                "request": {"id": None, "idempotency_key": None},
                "type": type_,
                "data": {"object": obj},
                **top,
            }
        ).encode()

    def deliver(self, payload: bytes, *, secret: str = WEBHOOK_SECRET) -> Any:
        """POST the raw payload with a valid signature header, as Stripe does."""
        header = stripe.WebhookSignature.generate_signature_header(payload.decode(), secret)
        return self.client.post(
            "/payments/stripe/webhook",
            data=payload,
            headers={"Stripe-Signature": header, "Content-Type": "application/json"},
        )


def intent(
    payment_id: int,
    status: str,
    amount: int,
    *,
    intent_id: str = "pi_test_1",
    capture_method: str = "manual",
) -> dict[str, Any]:
    """A PaymentIntent object as a webhook carries it."""
    return {
        "id": intent_id,
        "object": "payment_intent",
        "amount": amount,
        "amount_capturable": amount if status == "requires_capture" else 0,
        "amount_received": amount if status == "succeeded" else 0,
        "currency": "cny",
        "capture_method": capture_method,
        "status": status,
        "metadata": {"payment_id": str(payment_id)},
    }


def session(
    payment_id: int, amount: int, *, intent_id: str, session_id: str = "cs_test_1"
) -> dict[str, Any]:
    """A paid Checkout Session object as a webhook carries it."""
    return {
        "id": session_id,
        "object": "checkout.session",
        "payment_status": "paid",
        "payment_intent": intent_id,
        "amount_total": amount,
        "currency": "cny",
        "client_reference_id": str(payment_id),
        "metadata": {"payment_id": str(payment_id)},
    }


@pytest.fixture
def stripe_on(app: Flask, client: FlaskClient) -> Iterator[StripeTest]:
    """Stripe switched on for this test, pointed at stripe-mock, requests recorded."""
    url = stripe_mock_url()
    saved = {
        name: app.config.get(name)
        for name in (*stripe_channel.REQUIRED_SETTINGS, "STRIPE_API_BASE")
    }
    app.config.update(
        STRIPE_SECRET_KEY="sk_test_123",
        STRIPE_PUBLISHABLE_KEY="pk_test_123",
        STRIPE_WEBHOOK_SECRET=WEBHOOK_SECRET,
        STRIPE_API_BASE=url,
    )
    http = RecordingHTTPClient()
    app.extensions[stripe_channel.HTTP_CLIENT_KEY] = http
    with app.app_context():
        stripe_channel.reset_client()
    try:
        yield StripeTest(http=http, client=client)
    finally:
        app.config.update(saved)
        app.extensions.pop(stripe_channel.HTTP_CLIENT_KEY, None)
        app.extensions.pop(stripe_channel.CLIENT_KEY, None)
