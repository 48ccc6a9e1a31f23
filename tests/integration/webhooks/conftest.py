"""Fixtures of the webhook tests: a receiver on 127.0.0.1, organisations with endpoints."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path

import pytest
from flask.testing import FlaskClient

from accounts.models import User
from core.uow import unit_of_work
from listings import review
from listings.models import ListingStatus
from tests import factories
from tests.conftest import FrozenClock
from tests.integration.webhooks.receiver import Receiver
from webhooks import endpoints

EVENTS = ["listing.ownership_confirmed", "listing.published"]


@pytest.fixture
def receiver(clock: FrozenClock) -> Iterator[Receiver]:
    """A receiver that is up; `stop()` takes it down (connections refused)."""
    found = Receiver(clock=clock)
    found.start()
    try:
        yield found
    finally:
        found.stop()


@pytest.fixture
def sign_in(client: FlaskClient) -> Callable[[User], None]:
    """Sign the test client in as a user."""

    def _sign_in(user: User) -> None:
        client.post("/signout")
        response = client.post(
            "/signin", data={"email": user.email, "password": factories.PASSWORD}
        )
        assert response.status_code == 302

    return _sign_in


def register(
    admin: User, receiver: Receiver, name: str, now: datetime, events: list[str] = EVENTS
) -> int:
    """An endpoint of the admin's organisation at the receiver's `/name`; the receiver
    learns its secret (as an integrator copies it from the page)."""
    with unit_of_work():
        issued = endpoints.register(
            admin,
            endpoints.NewEndpoint(receiver.url(name), events),
            now=now,
            allow_local_http=True,
        )
    receiver.secrets[name] = issued.secret
    return issued.endpoint.id


def confirm_ownership(seller: User, now: datetime, folder: Path) -> int:
    """A listing of the seller's organisation whose ownership a reviewer confirms: the
    organisation is told (`listing.ownership_confirmed`)."""
    listing = factories.listing(seller, now, status=ListingStatus.SUBMITTED, folder=folder)
    reviewer = factories.platform_reviewer(now)
    with unit_of_work():
        review.confirm_ownership(reviewer, listing.id, now=now)
    return listing.id
