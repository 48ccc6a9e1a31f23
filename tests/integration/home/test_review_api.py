"""The reviewers' queues by API: the counts the review page shows, from the page's own
builder, each queue listed at its `items_url`; anyone else is refused in the one error shape."""

from __future__ import annotations

import re
from pathlib import Path

from flask.testing import FlaskClient

from accounts.models import User
from listings.rules import ListingStatus
from tests import factories
from tests.conftest import FrozenClock

QUEUES = "/api/v1/review/"
EN = {"Accept-Language": "en"}
# A heading of the page and its count: <h2 class="h5">Ownership to confirm <span class="badge …">1</span>
BADGE = re.compile(r'<h2 class="h5">([^<]+?) <span class="badge text-bg-warning">(\d+)</span>')


def _auth(user: User, clock: FrozenClock) -> dict[str, str]:
    return {"Authorization": f"Bearer {factories.api_token(user, 'review', now=clock())}", **EN}  # fmt: skip


def test_a_reviewer_reads_the_counts_the_review_page_shows(client: FlaskClient, clock: FrozenClock, upload_folder: Path) -> None:  # fmt: skip
    reviewer = factories.platform_reviewer(clock())
    factories.seller(clock(), verified=False)  # an organisation to verify
    owner = factories.seller(clock(), reviewer=reviewer)
    factories.listing(owner, clock(), status=ListingStatus.SUBMITTED, folder=upload_folder)
    headers = _auth(reviewer, clock)
    answer = client.get(QUEUES, headers=headers)
    assert answer.status_code == 200, answer.get_json()
    queues = answer.get_json()["queues"]
    counts = {q["queue"]: q["count"] for q in queues}
    assert counts == {"ownership": 1, "bank_refunds": 0, "announcements": 0, "organisations": 1}
    for queue in queues:  # each queue's rows are where it says, as many as it counts
        rows = client.get(queue["items_url"], headers=headers).get_json()
        assert len(rows["items"] if isinstance(rows, dict) else rows) == queue["count"], queue
    client.post("/signin", data={"email": reviewer.email, "password": factories.PASSWORD})
    page = client.get("/review/", headers=EN).get_data(as_text=True)
    assert BADGE.findall(page) == [(q["title"], str(q["count"])) for q in queues]


def test_people_who_do_not_review_are_refused_the_queues(client: FlaskClient, clock: FrozenClock) -> None:  # fmt: skip
    refused = client.get(QUEUES, headers=_auth(factories.seller(clock()), clock))
    assert refused.status_code == 403 and set(refused.get_json()) == {"code", "message", "errors"}
    anonymous = client.get(QUEUES)
    assert anonymous.status_code == 401 and set(anonymous.get_json()) == {"code", "message", "errors"}  # fmt: skip
