"""Webhooks by API (`/api/v1/webhooks`) and on the organisation's page: the secret shown once,
the delivery log, "send again" under the same event id, and who may do what."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from flask.testing import FlaskClient

from accounts import services as accounts
from accounts.models import User
from core.uow import unit_of_work
from tests import factories
from tests.conftest import FrozenClock
from tests.integration.webhooks.conftest import confirm_ownership
from tests.integration.webhooks.receiver import Receiver
from webhooks import endpoints, rules

EN = {"Accept-Language": "en"}


def _bearer(user: User, now: object) -> dict[str, str]:
    return {"Authorization": f"Bearer {factories.api_token(user, 'hooks', now=now)}", **EN}


def test_an_integrator_registers_reads_the_log_resends_rotates_and_deletes_by_api(
    client: FlaskClient, clock: FrozenClock, receiver: Receiver, upload_folder: Path
) -> None:
    seller = factories.seller(clock.current)
    auth = _bearer(seller, clock.current)

    created = client.post(
        "/api/v1/webhooks/",
        json={"url": receiver.url("crm"), "events": ["listing.ownership_confirmed"]},
        headers=auth,
    )
    assert created.status_code == 201, created.json
    assert created.headers["Cache-Control"] == "no-store"
    endpoint = created.json
    assert endpoint["secret"].startswith("whsec_")
    receiver.secrets["crm"] = endpoint["secret"]
    listed = client.get("/api/v1/webhooks/", headers=auth).json["items"]
    assert [e["url"] for e in listed] == [receiver.url("crm")]
    assert "secret" not in listed[0], "the secret is shown once"

    confirm_ownership(seller, clock.current, upload_folder)
    (delivery,) = client.get("/api/v1/webhooks/deliveries", headers=auth).json["items"]
    assert delivery["state"] == "delivered"
    assert delivery["event_type"] == "listing.ownership_confirmed"
    (attempt,) = delivery["log"]
    assert attempt["status_code"] == 200 and attempt["duration_ms"] >= 0

    again = client.post(f"/api/v1/webhooks/deliveries/{delivery['id']}/resend", headers=auth)
    assert again.status_code == 200
    assert receiver.ids() == [delivery["event_id"]] * 2
    assert all(r.signed for r in receiver.received)

    rotated = client.post(f"/api/v1/webhooks/{endpoint['id']}/secret", headers=auth).json
    assert rotated["secret"] != endpoint["secret"]
    client.post(f"/api/v1/webhooks/deliveries/{delivery['id']}/resend", headers=auth)
    assert not receiver.received[-1].signed, "the old secret no longer verifies"
    receiver.secrets["crm"] = rotated["secret"]
    client.post(f"/api/v1/webhooks/deliveries/{delivery['id']}/resend", headers=auth)
    assert receiver.received[-1].signed

    assert client.delete(f"/api/v1/webhooks/{endpoint['id']}", headers=auth).status_code == 200
    assert client.get("/api/v1/webhooks/", headers=auth).json["items"] == []


def test_bad_endpoints_are_refused_with_the_field_named(
    client: FlaskClient, clock: FrozenClock
) -> None:
    auth = _bearer(factories.seller(clock.current), clock.current)

    plain = client.post(
        "/api/v1/webhooks/",
        json={"url": "http://crm.example.com/hook", "events": ["deal.created"]},
        headers=auth,
    )
    unknown = client.post(
        "/api/v1/webhooks/",
        json={"url": "https://crm.example.com/hook", "events": ["deal.stolen"]},
        headers=auth,
    )
    private = client.post(
        "/api/v1/webhooks/",
        json={"url": "https://10.0.0.8/hook", "events": ["deal.created"]},
        headers=auth,
    )

    assert plain.status_code == 422 and "https://" in plain.json["errors"]["url"][0]
    assert unknown.status_code == 422 and "events" in str(unknown.json)
    assert private.status_code == 422 and "url" in private.json["errors"]


def test_another_organisation_neither_sees_nor_touches_an_endpoint_and_a_member_only_reads(
    client: FlaskClient, clock: FrozenClock, receiver: Receiver, upload_folder: Path
) -> None:
    seller = factories.seller(clock.current)
    owner = _bearer(seller, clock.current)
    endpoint = client.post(
        "/api/v1/webhooks/",
        json={"url": receiver.url("a"), "events": ["listing.ownership_confirmed"]},
        headers=owner,
    ).json
    receiver.secrets["a"] = endpoint["secret"]
    confirm_ownership(seller, clock.current, upload_folder)
    (delivery,) = client.get("/api/v1/webhooks/deliveries", headers=owner).json["items"]
    stranger = _bearer(factories.enterprise(clock.current), clock.current)
    with unit_of_work():
        member = accounts.sign_up(
            accounts.SignUp(
                email="member@example.edu.cn",
                name="成员",
                password=factories.PASSWORD,
                join_credit_code=seller.organisation.credit_code,  # type: ignore[union-attr]
            ),
            now=clock.current,
        )
        accounts.approve_member(seller, member.id, now=clock.current)
    colleague = _bearer(member, clock.current)

    assert client.get("/api/v1/webhooks/", headers=stranger).json["items"] == []
    assert client.get("/api/v1/webhooks/deliveries", headers=stranger).json["items"] == []
    assert client.delete(f"/api/v1/webhooks/{endpoint['id']}", headers=stranger).status_code == 404
    resend = f"/api/v1/webhooks/deliveries/{delivery['id']}/resend"
    assert client.post(resend, headers=stranger).status_code == 404
    assert len(client.get("/api/v1/webhooks/", headers=colleague).json["items"]) == 1
    assert client.post(resend, headers=colleague).status_code == 403
    assert len(receiver.received) == 1


def test_the_page_shows_a_new_secret_once_and_the_log_with_send_again(
    client: FlaskClient,
    clock: FrozenClock,
    receiver: Receiver,
    upload_folder: Path,
    sign_in: Callable[[User], None],
) -> None:
    seller = factories.seller(clock.current)
    sign_in(seller)

    page = client.post(
        "/organisation/webhooks",
        data={"url": receiver.url("page"), "events": ["listing.ownership_confirmed"]},
        headers=EN,
    )
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    secret = html.split('data-field="secret">', 1)[1].split("<", 1)[0]
    assert secret.startswith("whsec_")
    receiver.secrets["page"] = secret
    confirm_ownership(seller, clock.current, upload_folder)

    again = client.get("/organisation/webhooks", headers=EN).get_data(as_text=True)
    assert secret not in again
    assert receiver.url("page") in again
    assert receiver.received[0].event["id"] in again and "Send again" in again
    assert receiver.received[0].signed


def test_the_page_refuses_a_plain_http_url_with_the_form_again(
    client: FlaskClient, clock: FrozenClock, sign_in: Callable[[User], None]
) -> None:
    sign_in(factories.seller(clock.current))

    page = client.post(
        "/organisation/webhooks",
        data={"url": "http://crm.example.com/", "events": ["deal.created"]},
        headers=EN,
    )

    assert page.status_code == 422
    assert "https://" in page.get_data(as_text=True)


def test_the_openapi_document_describes_every_event_and_its_payload(
    client: FlaskClient, clock: FrozenClock, receiver: Receiver, upload_folder: Path
) -> None:
    document = client.get("/api/v1/openapi.json").json
    assert document["openapi"].startswith("3.1"), "where `webhooks` is a section of its own"
    section = document["webhooks"]
    schema = document["components"]["schemas"]["WebhookEvent"]
    seller = factories.seller(clock.current)
    with unit_of_work():
        issued = endpoints.register(
            seller,
            endpoints.NewEndpoint(receiver.url("doc"), ["listing.ownership_confirmed"]),
            now=clock.current,
            allow_local_http=True,
        )
    receiver.secrets["doc"] = issued.secret
    confirm_ownership(seller, clock.current, upload_folder)

    assert set(section) == set(rules.EVENT_TYPES)
    body = section["deal.created"]["post"]["requestBody"]["content"]["application/json"]
    assert body["schema"] == {"$ref": "#/components/schemas/WebhookEvent"}
    (got,) = receiver.received
    assert set(got.event) == set(schema["properties"])
    assert got.event["type"] in schema["properties"]["type"]["enum"]
