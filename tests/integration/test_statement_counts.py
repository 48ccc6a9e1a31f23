"""Every list page and API list runs as many SQL statements for 50 items as for 5.

A page that loads each item's organisation or IP assets one by one (N+1) runs more
statements as the market grows; this counts them (`before_cursor_execute`) at 5 and
at 50 items of each kind and fails when the count grows. The items are inserted in
bulk (as in tests/statistics_world.py), one set-up for the module: each of them
belongs to an organisation of its own, so a lazy load per item shows.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import event, insert

from accounts.models import Organisation, User
from auctions.models import Auction
from brokers.models import Broker
from core.extensions import db, limiter
from deals.models import Deal
from listings.models import IPAsset, Listing, TechNeed
from notifications.models import Notification
from search.listing_documents import LISTINGS
from search.need_documents import NEEDS
from search.rebuild import reindex
from tests import factories
from tests.conftest import _ConnectionBoundSession

AT = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)

# What a signed-in enterprise member sees as lists (pages) and what its token lists (API).
PAGES = (
    "/search?q=电池",
    "/search",
    "/needs",
    "/needs?q=电池",
    "/brokers",
    "/auctions",
    "/my/listings",
    "/my/deals",
    "/inbox",
)
API_LISTS = (
    "/api/v1/listings/?q=battery&per_page=100",
    "/api/v1/listings/?per_page=100",
    "/api/v1/listings/mine?per_page=100",
    "/api/v1/needs/?per_page=100",
    "/api/v1/brokers/?per_page=100",
    "/api/v1/auctions/?per_page=100",
    "/api/v1/deals/?per_page=100",
    "/api/v1/notifications/?per_page=100",
)


def _add(model: Any, **values: Any) -> int:
    result: Any = db.session.execute(insert(model).values(**values))
    return int(result.inserted_primary_key[0])


def _items(serial: int, viewer: User) -> None:
    """One of each listed thing, each of a new organisation (and its own user)."""
    org = _add(Organisation, name=f"计数大学{serial}", kind="university", status="verified",
               credit_code=f"91COUNT{serial:011d}", region="上海市", created_at=AT)  # fmt: skip
    user = _add(User, email=f"count{serial}@example.edu.cn", name=f"计数{serial}",
                password_hash="x", created_at=AT, organisation_id=org)  # fmt: skip
    for owner in (org, viewer.organisation_id):  # a listing in the market, one of the viewer's
        listing = _add(
            Listing, organisation_id=owner, created_by_id=user, status="published",
            title_zh=f"锂电池正极材料{serial}", title_en=f"Battery cathode {serial}",
            summary_zh="电池", summary_en="battery", field="energy", ipc_classes=["H01M 4/525"],
            trl=5, holder="计数大学", region="上海市", transfer_modes=["assignment"],
            asking_price_minor=50_000_000, created_at=AT, updated_at=AT, published_at=AT,
        )  # fmt: skip
        _add(
            IPAsset, listing_id=listing, kind="cn_application", number=f"ZL2019{serial:07d}.{owner}"
        )
    _add(TechNeed, organisation_id=org, created_by_id=user, title=f"寻求电池技术{serial}",
         problem="电池循环寿命", field="energy", region="上海市", status="open",
         created_at=AT, updated_at=AT)  # fmt: skip
    _add(Broker, user_id=user, organisation_id=org, level="senior", issuing_body="x",
         certificate_number=f"JJR-{serial}", expires_on=date(2030, 1, 1), status="accredited",
         region="上海市", applied_at=AT, decided_at=AT)  # fmt: skip
    _add(Auction, listing_id=listing, seller_org_id=owner, status="running",
         starting_price_minor=1_000_000, increment_minor=100_000, deposit_bps=1000,
         starts_at=AT, ends_at=AT + timedelta(days=3), original_ends_at=AT + timedelta(days=3),
         created_at=AT, announced_at=AT, leader_org_id=viewer.organisation_id,
         current_price_minor=1_000_000, bid_count=1)  # fmt: skip
    _add(Deal, listing_id=listing, seller_org_id=org, buyer_org_id=viewer.organisation_id,
         seller_name="s", buyer_name="b", title=f"交易{serial}", method="listed",
         channel="online", contract_type="transfer", price_minor=100_000, status="signed",
         created_at=AT)  # fmt: skip
    _add(Notification, user_id=viewer.id, event="auction.outbid", link="/auctions",
         params={"title": f"t{serial}", "price_minor": 100}, created_at=AT, email_state="none")  # fmt: skip


def _count(client: FlaskClient, url: str, headers: dict[str, str]) -> tuple[int, str]:
    """The number of statements a GET of `url` runs, and the one it runs most often."""
    statements: list[str] = []

    def note(*args: object) -> None:
        statements.append(str(args[2]))

    engine = db.engine
    event.listen(engine, "before_cursor_execute", note)
    try:
        response = client.get(url, headers=headers)
    finally:
        event.remove(engine, "before_cursor_execute", note)
    assert response.status_code == 200, (url, response.status_code)
    repeated, _ = Counter(statements).most_common(1)[0] if statements else ("", 0)
    return len(statements), repeated


@pytest.fixture(scope="module")
def counts(app: Flask) -> Iterator[dict[str, list[tuple[int, str]]]]:
    """Statements per URL at 5 and at 50 items: one set-up, rolled back at the end."""
    limiter.reset()
    with app.app_context():
        connection = db.engine.connect()
        outer = connection.begin()
        original = db.session
        db.session = db._make_scoped_session(
            {"bind": connection, "join_transaction_mode": "create_savepoint",
             "class_": _ConnectionBoundSession}
        )  # fmt: skip
        app.extensions["clock"] = lambda: AT + timedelta(hours=1)
        try:
            yield _measure(app)
        finally:
            app.extensions.pop("clock", None)
            db.session.remove()
            db.session = original
            outer.rollback()
            connection.close()
            for kind in (LISTINGS, NEEDS):  # forget the module's rows in the search index
                reindex(kind=kind)
            db.session.remove()


def _measure(app: Flask) -> dict[str, list[tuple[int, str]]]:
    viewer = factories.enterprise(AT)
    token = factories.api_token(viewer, "count", now=AT)
    client = app.test_client()
    client.post("/signin", data={"email": viewer.email, "password": factories.PASSWORD})
    bearer = {"Authorization": f"Bearer {token}"}
    found: dict[str, list[tuple[int, str]]] = {}
    for start, stop in ((0, 5), (5, 50)):
        for serial in range(start, stop):
            _items(serial, viewer)
        db.session.commit()
        for kind in (LISTINGS, NEEDS):
            reindex(kind=kind)
        db.session.commit()
        for url in PAGES:
            _count(client, url, {})  # the first request of a URL warms caches
            found.setdefault(url, []).append(_count(client, url, {}))
        for url in API_LISTS:
            _count(client, url, bearer)
            found.setdefault(url, []).append(_count(client, url, bearer))
    return found


@pytest.mark.parametrize("url", PAGES + API_LISTS)
def test_a_list_runs_as_many_statements_for_50_items_as_for_5(
    counts: dict[str, list[tuple[int, str]]], url: str
) -> None:
    (five, _), (fifty, repeated) = counts[url]
    assert fifty <= five, f"{url}: {five} statements for 5 items, {fifty} for 50, e.g. {repeated}"
