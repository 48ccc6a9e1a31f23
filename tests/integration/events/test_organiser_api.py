"""An event's organiser by API alone: an accredited broker schedules a roadshow with its
agenda, keeps a document with it and calls it off; an enterprise may do none of it."""

from __future__ import annotations

import io

from flask.testing import FlaskClient

from tests import factories
from tests.integration.events.test_events import market, quick_passwords  # noqa: F401

EVENT = {"title": "储能专场路演", "format": "online", "stream_url": "https://live.example.org/storage", "starts_at": "2026-07-01T02:00:00Z", "ends_at": "2026-07-01T04:00:00Z", "capacity": 80}  # fmt: skip


def _auth(user: object, now: object) -> dict[str, str]:
    return {"Authorization": f"Bearer {factories.api_token(user, '路演', now=now)}", "Accept-Language": "en"}  # type: ignore[arg-type]  # fmt: skip


def test_a_broker_schedules_documents_and_calls_off_an_event_by_api(client: FlaskClient, market: dict) -> None:  # noqa: F811  # fmt: skip
    broker, enterprise = _auth(market["broker"], market["now"]), _auth(market["buyers"][0], market["now"])  # fmt: skip
    body = {**EVENT, "listing_ids": [market["listing"].id]}
    assert client.post("/api/v1/events/", json=body, headers=enterprise).status_code == 403
    no_stream = client.post("/api/v1/events/", json={**body, "stream_url": ""}, headers=broker)
    assert no_stream.status_code == 422 and list(no_stream.get_json()["errors"]) == ["stream_url"]
    unknown = client.post(
        "/api/v1/events/", json={**body, "listing_ids": [999_999]}, headers=broker
    )
    assert unknown.status_code == 422 and list(unknown.get_json()["errors"]) == ["listing_ids"]
    made = client.post("/api/v1/events/", json=body, headers=broker)
    assert made.status_code == 201, made.get_json()
    event = made.get_json()
    assert [a["listing_id"] for a in event["agenda"]] == [market["listing"].id]
    assert event["starts_at"].startswith("2026-07-01T02:00") and {"cancel_event", "add_material"} <= set(event["allowed_actions"])  # fmt: skip
    url = f"/api/v1/events/{event['id']}"
    assert client.get(url, headers=enterprise).get_json()["allowed_actions"] == ["register"]
    pdf = (io.BytesIO(factories.PDF_BYTES), "slides.pdf")
    assert client.post(f"{url}/materials", data={"file": pdf}, headers=enterprise).status_code == 403  # fmt: skip
    pdf = (io.BytesIO(factories.PDF_BYTES), "slides.pdf")
    kept = client.post(f"{url}/materials", data={"title": "路演资料", "file": pdf}, headers=broker)
    assert kept.status_code == 201 and kept.get_json()["title"] == "路演资料"
    assert client.get(f"/events/materials/{kept.get_json()['id']}").data == factories.PDF_BYTES
    [listed] = client.get(url).get_json()["materials"]  # anyone reads it with the event
    assert listed["file_url"] == kept.get_json()["file_url"] == f"/api/v1/events/materials/{listed['id']}"  # fmt: skip
    got = client.get(listed["file_url"])
    assert got.data == factories.PDF_BYTES and got.headers["Content-Type"] == "application/pdf"
    assert got.headers["Content-Disposition"] == "inline; filename=slides.pdf"
    missing = client.get("/api/v1/events/materials/999999")
    assert missing.status_code == 404 and missing.get_json()["code"] == "not_found"
    assert client.post(f"{url}/cancel", headers=enterprise).status_code == 403
    off = client.post(f"{url}/cancel", headers=broker)
    assert off.status_code == 200 and off.get_json()["cancelled_at"] is not None
    again = client.post(f"{url}/cancel", headers=broker)
    assert again.status_code == 409 and again.get_json()["code"] == "not_upcoming"
