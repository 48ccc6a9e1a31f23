"""Webhook delivery over real HTTP: signed, written with the change, retried with back-off
after an outage, never delivered twice under one event id, never to another organisation.

The receiver is a real HTTP server on 127.0.0.1 (tests/integration/webhooks/receiver.py);
the clock is the test's, moved by hand through the back-off.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from flask.testing import FlaskClient
from sqlalchemy import func, select

from accounts.models import User
from core.audit_models import AuditEntry
from core.extensions import db
from core.uow import unit_of_work
from listings import review
from listings.models import ListingStatus
from tests import factories
from tests.conftest import FrozenClock
from tests.integration.webhooks.conftest import confirm_ownership, register
from tests.integration.webhooks.receiver import Receiver
from webhooks import delivery, endpoints, jobs, rules
from webhooks.models import DeliveryState, WebhookAttempt, WebhookDelivery, WebhookEvent


def _delivery() -> WebhookDelivery:
    (only,) = db.session.scalars(select(WebhookDelivery)).all()
    db.session.refresh(only)
    return only


def _attempts(delivery_id: int) -> list[WebhookAttempt]:
    return list(
        db.session.scalars(
            select(WebhookAttempt)
            .where(WebhookAttempt.delivery_id == delivery_id)
            .order_by(WebhookAttempt.id)
        )
    )


def test_an_event_reaches_the_endpoint_signed_and_only_once(
    db_session: object, clock: FrozenClock, receiver: Receiver, upload_folder: Path
) -> None:
    seller = factories.seller(clock.current)
    register(seller, receiver, "seller", clock.current)

    listing_id = confirm_ownership(seller, clock.current, upload_folder)

    (got,) = receiver.received
    assert got.signed, "the receiver verifies the signature with the endpoint's secret"
    assert got.event["type"] == "listing.ownership_confirmed"
    assert got.event["data"]["object"] == {"type": "listing", "id": listing_id}
    assert got.event["data"]["organisation_id"] == seller.organisation_id
    assert got.event["created_at"] == "2026-03-02T01:30:00Z"
    assert _delivery().state == DeliveryState.DELIVERED
    assert jobs.deliver() == 0 and jobs.deliver() == 0  # the job and its sweep again
    assert len(receiver.received) == 1


def test_a_refused_change_sends_nothing(
    db_session: object, clock: FrozenClock, receiver: Receiver, upload_folder: Path
) -> None:
    seller = factories.seller(clock.current)
    register(seller, receiver, "seller", clock.current)
    listing = factories.listing(
        seller, clock.current, status=ListingStatus.SUBMITTED, folder=upload_folder
    )
    reviewer = factories.platform_reviewer(clock.current)

    with pytest.raises(RuntimeError), unit_of_work():
        review.confirm_ownership(reviewer, listing.id, now=clock.current)
        raise RuntimeError("the use case fails after telling")

    assert db.session.scalar(select(func.count()).select_from(WebhookEvent)) == 0
    assert receiver.received == []


def test_an_outage_is_retried_with_back_off_then_delivered(
    db_session: object, clock: FrozenClock, receiver: Receiver, upload_folder: Path
) -> None:
    seller = factories.seller(clock.current)
    register(seller, receiver, "seller", clock.current)
    receiver.stop()  # connection refused

    confirm_ownership(seller, clock.current, upload_folder)
    refused = _delivery()
    assert refused.state == DeliveryState.PENDING
    assert refused.next_at == clock.current + rules.BACKOFF[0]
    (first,) = _attempts(refused.id)
    assert first.status_code is None and "refused" in (first.error or "").lower()

    receiver.start()
    receiver.statuses = [500]
    clock.advance(seconds=30)
    assert jobs.deliver() == 0 and receiver.received == []  # not due yet
    clock.advance(seconds=30)
    assert jobs.deliver() == 0  # due: the receiver answers 500
    assert _delivery().next_at == clock.current + rules.BACKOFF[1]
    clock.advance(minutes=5)
    assert jobs.deliver() == 1

    assert [a.status_code for a in _attempts(refused.id)] == [None, 500, 200]
    assert _delivery().state == DeliveryState.DELIVERED
    assert all(r.signed for r in receiver.received)
    assert len(set(receiver.ids(status=500) + receiver.ids())) == 1  # one event id throughout
    clock.advance(days=2)
    assert jobs.deliver() == 0 and len(receiver.received) == 2


def test_it_gives_up_after_the_last_attempt_and_send_again_redelivers_the_same_event(
    client: FlaskClient,
    clock: FrozenClock,
    receiver: Receiver,
    upload_folder: Path,
    sign_in: Callable[[User], None],
) -> None:
    seller = factories.seller(clock.current)
    register(seller, receiver, "seller", clock.current)
    receiver.statuses = [503] * rules.MAX_ATTEMPTS

    confirm_ownership(seller, clock.current, upload_folder)
    for pause in rules.BACKOFF:
        clock.advance(seconds=pause.total_seconds())
        jobs.deliver()
    failed = _delivery()
    assert failed.state == DeliveryState.FAILED and failed.attempts == rules.MAX_ATTEMPTS
    elapsed = sum(p.total_seconds() for p in rules.BACKOFF) / 3600
    assert 20 < elapsed < 30, "8 attempts over about a day"
    clock.advance(days=3)
    assert jobs.deliver() == 0 and len(receiver.received) == rules.MAX_ATTEMPTS

    sign_in(seller)
    page = client.post(f"/organisation/webhooks/deliveries/{failed.id}/resend")
    assert page.status_code == 302

    assert _delivery().state == DeliveryState.DELIVERED
    assert receiver.ids() == [failed.event.uid], "sent again under the same event id"
    assert set(receiver.ids(status=503)) == {failed.event.uid}
    actions = set(db.session.scalars(select(AuditEntry.action)))
    assert {"webhook_delivery.failed", "webhook_delivery.send_again"} <= actions


def test_two_workers_at_once_deliver_once(
    db_session: object,
    clock: FrozenClock,
    receiver: Receiver,
    upload_folder: Path,
    queued_jobs: object,
) -> None:
    seller = factories.seller(clock.current)
    register(seller, receiver, "seller", clock.current)
    confirm_ownership(seller, clock.current, upload_folder)  # the job waits in the queue
    now = clock.current

    with unit_of_work(writer=True):  # worker A claims the delivery...
        (claimed,) = delivery.claim_due(now=now, lease_until=now + delivery.LEASE)
    assert jobs.deliver() == 0  # ...worker B (or the sweep) finds it leased
    outcome = delivery.post(claimed, timestamp=int(now.timestamp()))
    with unit_of_work(writer=True):
        delivery.record(claimed.delivery_id, outcome, now=now)
    clock.advance(hours=1)
    assert jobs.deliver() == 0

    assert receiver.ids() == [claimed.event_uid]


def test_a_worker_that_died_mid_send_leaves_the_delivery_to_a_later_run(
    db_session: object,
    clock: FrozenClock,
    receiver: Receiver,
    upload_folder: Path,
    queued_jobs: object,
) -> None:
    seller = factories.seller(clock.current)
    register(seller, receiver, "seller", clock.current)
    confirm_ownership(seller, clock.current, upload_folder)
    now = clock.current
    with unit_of_work(writer=True):  # claimed, then the worker is killed
        (claimed,) = delivery.claim_due(now=now, lease_until=now + delivery.LEASE)

    assert jobs.deliver() == 0
    clock.advance(seconds=delivery.LEASE.total_seconds())
    assert jobs.deliver() == 1
    assert receiver.ids() == [claimed.event_uid]


def test_an_event_of_one_organisation_never_reaches_another(
    db_session: object, clock: FrozenClock, receiver: Receiver, upload_folder: Path
) -> None:
    seller_a = factories.seller(clock.current)
    seller_b = factories.seller(clock.current)
    register(seller_a, receiver, "a", clock.current)
    register(seller_b, receiver, "b", clock.current)

    confirm_ownership(seller_a, clock.current, upload_folder)

    assert [r.path for r in receiver.received] == ["a"]
    b_deliveries = db.session.scalars(
        select(WebhookDelivery)
        .join(WebhookEvent)
        .where(WebhookEvent.org_id != seller_a.organisation_id)
    ).all()
    assert b_deliveries == []


def test_an_endpoint_gets_only_the_event_types_it_chose_and_nothing_once_deleted(
    db_session: object, clock: FrozenClock, receiver: Receiver, upload_folder: Path
) -> None:
    seller = factories.seller(clock.current)
    register(seller, receiver, "published", clock.current, events=["listing.published"])
    listing_id = confirm_ownership(seller, clock.current, upload_folder)
    assert receiver.received == []

    with unit_of_work():
        review.publish(seller, listing_id, now=clock.current)
    assert [r.event["type"] for r in receiver.received] == ["listing.published"]

    with unit_of_work():
        (endpoint,) = endpoints.endpoints_of(seller)
        endpoints.delete(seller, endpoint.id, now=clock.current)
    confirm_ownership(seller, clock.current, upload_folder)
    assert len(receiver.received) == 1
