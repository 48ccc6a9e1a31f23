"""The inbox by API: pages by cursor, unread count, mark read, preferences, watches."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from flask.testing import FlaskClient

from core.uow import unit_of_work
from notifications import services
from tests import factories

EN = {"Accept-Language": "en"}


def tell(user: Any, now: Any, count: int) -> list[int]:
    """`count` outbid notifications for `user`, oldest first (committed)."""
    ids = []
    with unit_of_work():
        for n in range(count):
            [row] = services.notify(
                [user.id],
                "auction.outbid",
                params={"title": f"成果{n}", "title_en": f"Result {n}", "price_minor": 100_000 + n},
                link=f"/auctions/{n + 1}",
                now=now + timedelta(seconds=n),
            )
            ids.append(row.id)
    return ids


def token_of(user: Any, now: Any) -> dict[str, str]:
    return {"Authorization": "Bearer " + factories.api_token(user, "inbox", now=now), **EN}


def test_inbox_pages_by_cursor_and_new_notifications_never_shift_the_pages(
    client: FlaskClient, db_session, clock
) -> None:
    user = factories.enterprise(clock())
    ids = tell(user, clock(), 5)
    token = token_of(user, clock())
    first = client.get("/api/v1/notifications/?limit=2", headers=token).json
    assert [n["id"] for n in first["items"]] == [ids[4], ids[3]]
    assert first["items"][0]["message"].startswith("You have been outbid on “Result 4”")
    assert first["unread"] >= 5
    tell(user, clock(), 3)  # arrive while the client pages
    seen, after = [], first["next_cursor"]
    while after:
        page = client.get(f"/api/v1/notifications/?limit=2&cursor={after}", headers=token).json
        assert len(page["items"]) <= 2
        seen += [n["id"] for n in page["items"]]
        after = page["next_cursor"]
    assert seen[:3] == [ids[2], ids[1], ids[0]], "no repeat, no gap, none of the new ones"
    assert all(older < ids[0] for older in seen[3:])  # what the sign-up told the user


def test_inbox_refuses_a_forged_cursor_and_a_limit_out_of_bounds(
    client: FlaskClient, db_session, clock
) -> None:
    user = factories.enterprise(clock())
    token = token_of(user, clock())
    forged = client.get("/api/v1/notifications/?cursor=bm90LWEtY3Vyc29y", headers=token)
    assert forged.status_code == 422 and "cursor" in forged.json["errors"]
    huge = client.get("/api/v1/notifications/?limit=101", headers=token)
    assert huge.status_code == 422 and "limit" in huge.json["errors"]
    assert client.get("/api/v1/notifications/").status_code == 401


def test_mark_one_and_all_read_lowers_the_unread_count(
    client: FlaskClient, db_session, clock
) -> None:
    user, stranger = factories.enterprise(clock()), factories.enterprise(clock())
    ids = tell(user, clock(), 3)
    token = token_of(user, clock())
    before = client.get("/api/v1/notifications/unread", headers=token).json["unread"]
    read = client.post(f"/api/v1/notifications/{ids[0]}/read", headers=token)
    assert read.status_code == 200 and read.json["read_at"] is not None
    assert client.get("/api/v1/notifications/unread", headers=token).json["unread"] == before - 1
    theirs = client.post(
        f"/api/v1/notifications/{ids[1]}/read", headers=token_of(stranger, clock())
    )
    assert theirs.status_code == 404 and theirs.json["code"] == "not_found"
    marked = client.post("/api/v1/notifications/read-all", headers=token).json["marked"]
    assert marked == before - 1
    assert client.get("/api/v1/notifications/unread", headers=token).json["unread"] == 0


def test_preferences_are_read_and_changed_one_event_at_a_time(
    client: FlaskClient, db_session, clock
) -> None:
    user = factories.enterprise(clock())
    token = token_of(user, clock())
    url = "/api/v1/notifications/preferences"
    choices = {p["event"]: p for p in client.get(url, headers=token).json["items"]}
    assert choices["auction.outbid"]["in_app"] is True
    changed = client.put(
        url,
        json={
            "items": [{"event": "auction.outbid", "in_app": False, "email": "daily"}],
            "language": "en",
        },
        headers=token,
    )
    assert changed.status_code == 200, changed.json
    after = {p["event"]: p for p in changed.json["items"]}
    assert (after["auction.outbid"]["in_app"], after["auction.outbid"]["email"]) == (False, "daily")
    assert changed.json["language"] == "en"
    others = [e for e in choices if e != "auction.outbid"]
    assert all(after[e] == choices[e] for e in others), "events not named stay as they were"
    assert client.get(url, headers=token).json == changed.json
    wrong = client.put(
        url,
        json={"items": [{"event": "no.such", "in_app": True, "email": "hourly"}]},
        headers=token,
    )
    assert wrong.status_code == 422
    assert set(wrong.json["errors"]) == {"items.0.event", "items.0.email"}


def test_watch_list_and_unwatch(client: FlaskClient, db_session, clock) -> None:
    user = factories.enterprise(clock())
    token = token_of(user, clock())
    url = "/api/v1/notifications/watches"
    made = client.post(url, json={"object_type": "auction", "object_id": 7}, headers=token)
    assert made.status_code == 201 and made.json["link"] == "/auctions/7"
    again = client.post(url, json={"object_type": "auction", "object_id": 7}, headers=token)
    assert again.status_code == 201, "watching twice is watching once"
    client.post(url, json={"object_type": "listing", "object_id": 3}, headers=token)
    listed = client.get(url, headers=token).json["items"]
    assert [(w["object_type"], w["object_id"]) for w in listed] == [("listing", 3), ("auction", 7)]
    left = client.delete(f"{url}/auction/7", headers=token)
    assert left.status_code == 200 and [w["object_id"] for w in left.json["items"]] == [3]
    need = client.post(url, json={"object_type": "need", "object_id": 5}, headers=token)
    assert need.status_code == 201 and need.json["link"] == "/needs/5"
    broker = client.post(url, json={"object_type": "broker", "object_id": 2}, headers=token)
    assert broker.status_code == 201 and broker.json["link"] == "/brokers/2"
    bad = client.post(url, json={"object_type": "deal", "object_id": 1}, headers=token)
    assert bad.status_code == 422 and "object_type" in bad.json["errors"]
    assert client.post(url, json={"object_type": "auction", "object_id": 7}).status_code == 401
