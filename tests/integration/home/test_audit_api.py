"""The audit trail by API: a reviewer pages through it by cursor, filtered as the page
filters it, and downloads the page's own CSV; anyone else is refused in the one error shape."""

from __future__ import annotations

import csv
import io

from flask.testing import FlaskClient

from accounts.models import User
from core.audit import record
from core.uow import unit_of_work
from tests import factories
from tests.conftest import FrozenClock

TRAIL = "/api/v1/audit/"


def _auth(user: User, clock: FrozenClock) -> dict[str, str]:
    return {"Authorization": f"Bearer {factories.api_token(user, 'audit', now=clock())}", "Accept-Language": "en"}  # fmt: skip


def _entries(clock: FrozenClock, actor: User, count: int, action: str) -> None:
    with unit_of_work():
        for n in range(count):
            kind = action.partition(".")[0]
            record(actor_id=actor.id, action=action, object_type=kind, object_id=1000 + n, now=clock())  # fmt: skip


def test_a_reviewer_pages_the_filtered_trail_and_gets_the_pages_own_csv(client: FlaskClient, clock: FrozenClock) -> None:  # fmt: skip
    reviewer = factories.platform_reviewer(clock())
    _entries(clock, reviewer, 3, "listing.publish")
    _entries(clock, reviewer, 2, "deal.cancel")
    headers = _auth(reviewer, clock)
    first = client.get(f"{TRAIL}?type=listing&limit=2", headers=headers)
    assert first.status_code == 200, first.get_json()
    page = first.get_json()
    assert [e["object_id"] for e in page["items"]] == [1002, 1001]
    assert {e["actor_name"] for e in page["items"]} == {reviewer.name}
    assert page["items"][0]["action"] == "listing.publish" and page["items"][0]["action_label"]
    rest = client.get(f"{TRAIL}?type=listing&limit=2&cursor={page['next_cursor']}", headers=headers)  # fmt: skip
    assert [e["object_id"] for e in rest.get_json()["items"]] == [1000]
    assert rest.get_json()["next_cursor"] is None
    by_action = client.get(f"{TRAIL}?action=deal.cancel", headers=headers).get_json()["items"]
    assert [e["object_type"] for e in by_action] == ["deal", "deal"]

    from_api = client.get("/api/v1/audit/export.csv?type=listing", headers=headers)
    assert from_api.status_code == 200 and from_api.mimetype == "text/csv"
    rows = [r for r in csv.reader(io.StringIO(from_api.get_data(as_text=True).lstrip("\ufeff"))) if r]  # fmt: skip
    assert rows[0][:4] == ["When", "Who", "Email", "Action code"]
    assert [r[3] for r in rows[1:]] == ["listing.publish"] * 3
    client.post("/signin", data={"email": reviewer.email, "password": factories.PASSWORD})
    assert client.get("/review/audit.csv?type=listing", headers={"Accept-Language": "en"}).get_data() == from_api.get_data()  # fmt: skip


def test_people_who_do_not_review_are_refused_the_trail(client: FlaskClient, clock: FrozenClock) -> None:  # fmt: skip
    seller = _auth(factories.seller(clock()), clock)
    for path in (TRAIL, "/api/v1/audit/export.csv"):
        refused = client.get(path, headers=seller)
        assert refused.status_code == 403 and set(refused.get_json()) == {"code", "message", "errors"}  # fmt: skip
        assert client.get(path).status_code == 401
    reviewer = _auth(factories.platform_reviewer(clock()), clock)
    too_long = client.get(f"{TRAIL}?actor={'x' * 101}", headers=reviewer)
    assert too_long.status_code == 422 and list(too_long.get_json()["errors"]) == ["actor"]
