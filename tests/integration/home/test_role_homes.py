"""Each role's home after sign-in: what it shows, what it keeps from others, what it costs."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy import event

from accounts import services as accounts
from accounts.models import OrganisationKind, User
from core.extensions import db
from core.uow import unit_of_work
from listings.rules import ListingStatus
from tests import factories
from tests.conftest import FrozenClock


@pytest.fixture
def sign_in(client: FlaskClient) -> Callable[[User], Any]:
    def _sign_in(user: User) -> Any:
        client.post("/signout")
        return client.post("/signin", data={"email": user.email, "password": factories.PASSWORD})

    return _sign_in


@contextmanager
def selects() -> Iterator[list[str]]:
    """The SELECT statements run inside the block."""
    statements: list[str] = []

    def count(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        if statement.lstrip().split(None, 1)[0].upper() == "SELECT":
            statements.append(statement)

    connection = db.session.connection()
    event.listen(connection, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(connection, "before_cursor_execute", count)


def home(client: FlaskClient) -> str:
    response = client.get("/home")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_sign_in_lands_on_the_home(
    client: FlaskClient, clock: FrozenClock, sign_in: Callable[[User], Any]
) -> None:
    seller = factories.seller(clock())
    response = sign_in(seller)
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/home")
    # a `next` the person came from still wins
    client.post("/signout")
    response = client.post(
        "/signin?next=/my/deals", data={"email": seller.email, "password": factories.PASSWORD}
    )
    assert response.headers["Location"].endswith("/my/deals")


def test_the_home_needs_a_signed_in_person(client: FlaskClient) -> None:
    assert client.get("/home").status_code == 302
    refused = client.get("/api/v1/home/")
    assert refused.status_code == 401 and set(refused.get_json()) == {"code", "message", "errors"}


def test_a_seller_sees_its_results_by_state_and_no_buyer_or_reviewer_panel(
    client: FlaskClient,
    clock: FrozenClock,
    sign_in: Callable[[User], Any],
    upload_folder: Path,
) -> None:
    seller = factories.seller(clock())
    factories.listing(seller, clock())
    factories.listing(seller, clock())
    factories.listing(seller, clock(), status=ListingStatus.PUBLISHED, folder=upload_folder)
    other = factories.seller(clock())
    factories.listing(other, clock())  # another seller's draft does not count
    sign_in(seller)
    page = home(client)
    assert 'id="panel-listings"' in page
    listings_panel = page.split('id="panel-listings"')[1].split("</section>")[0]
    assert "Draft" in listings_panel or "草稿" in listings_panel
    assert ">2<" in listings_panel  # two drafts, not three
    assert 'id="panel-trading_seller"' in page
    assert 'id="panel-valuation"' in page
    for foreign in (
        "panel-needs",
        "panel-deposits",
        "panel-auctions_buyer",
        "panel-review_organisations",
        "panel-broker",
        "panel-statistics",
    ):
        assert foreign not in page


def test_an_enterprise_sees_its_needs_deposits_and_bids_with_ways_forward(
    client: FlaskClient, clock: FrozenClock, sign_in: Callable[[User], Any]
) -> None:
    buyer = factories.enterprise(clock())
    factories.need(buyer, clock(), title="寻求固态电解质量产工艺")
    sign_in(buyer)
    page = home(client)
    for panel in (
        "panel-needs",
        "panel-watching",
        "panel-trading_buyer",
        "panel-auctions_buyer",
        "panel-deposits",
        "panel-deals",
    ):
        assert panel in page
    assert "寻求固态电解质量产工艺" in page
    assert 'href="/auctions"' in page  # the empty bids panel says where to go
    for foreign in ("panel-listings", "panel-auctions_seller", "panel-review_", "panel-broker"):
        assert foreign not in page


def test_a_broker_sees_mandates_matches_commissions_and_accreditation(
    client: FlaskClient, clock: FrozenClock, sign_in: Callable[[User], Any]
) -> None:
    broker = factories.broker(clock(), expires_in_days=30)
    sign_in(broker)
    page = home(client)
    assert 'id="panel-broker"' in page
    panel = page.split('id="panel-broker"')[1].split("</section>")[0]
    assert "/brokers/statement" in panel
    assert "30" in panel  # days left on the accreditation, inside the warning window
    assert "list-group-item-warning" in panel
    assert "panel-review_" not in page and "panel-listings" not in page
    api = client.get("/api/v1/home/", query_string={"since": clock().isoformat()}).get_json()
    assert "broker" in api["roles"] and [p["key"] for p in api["panels"]] == re.findall(r'id="panel-(\w+)"', page)  # fmt: skip


def test_a_reviewer_sees_the_queues_with_counts_and_ages(
    client: FlaskClient, clock: FrozenClock, sign_in: Callable[[User], Any]
) -> None:
    reviewer = factories.platform_reviewer(clock())
    factories.seller(clock(), verified=False)
    clock.advance(hours=72)
    sign_in(reviewer)
    page = home(client)
    organisations = page.split('id="panel-review_organisations"')[1].split("</section>")[0]
    assert ">1<" in organisations
    assert "/review/#organisations" in organisations
    for queue in (
        "panel-review_listings",
        "panel-review_brokers",
        "panel-review_payments",
        "panel-review_objections",
        "panel-review_deals",
        "panel-review_auctions",
    ):
        assert queue in page
    assert "panel-statistics" not in page  # an administrator's, not a reviewer's
    assert "panel-listings" not in page and "panel-deposits" not in page
    api = client.get("/api/v1/home/").get_json()  # the same panels, in the page's order
    assert [p["key"] for p in api["panels"]] == re.findall(r'id="panel-(\w+)"', page)
    assert api["roles"] == ["reviewer"] and api["waiting"] >= 1
    [waiting] = next(p for p in api["panels"] if p["key"] == "review_organisations")["items"]
    assert (waiting["count"], waiting["urgent"], waiting["url"]) == (1, True, "/review/#organisations")  # fmt: skip
    assert waiting["oldest"] is not None
    assert client.get("/api/v1/home/?since=yesterday").status_code == 422


def test_an_administrator_is_pointed_to_the_statistics(
    client: FlaskClient, clock: FrozenClock, sign_in: Callable[[User], Any]
) -> None:
    with unit_of_work():
        admin = accounts.create_platform_user(
            "admin-home@market.example", "管理员", factories.PASSWORD, now=clock(), admin=True
        )
    sign_in(admin)
    page = home(client)
    assert 'id="panel-statistics"' in page and 'href="/statistics"' in page


@pytest.mark.parametrize("kind", ["seller", "buyer", "reviewer"])
def test_the_home_costs_the_same_few_queries_however_much_there_is(
    client: FlaskClient,
    clock: FrozenClock,
    sign_in: Callable[[User], Any],
    kind: str,
) -> None:
    if kind == "seller":
        user = factories.seller(clock())
        grow: Callable[[], Any] = lambda: factories.listing(user, clock())  # noqa: E731
    elif kind == "buyer":
        user = factories.enterprise(clock())
        grow = lambda: factories.need(user, clock())  # noqa: E731
    else:
        user = factories.platform_reviewer(clock())
        grow = lambda: factories.seller(  # noqa: E731
            clock(), verified=False, kind=OrganisationKind.INSTITUTE
        )
    sign_in(user)
    grow()
    home(client)
    db.session.expire_all()  # both requests load the person afresh, as a new request would
    with selects() as few:
        home(client)
    for _ in range(4):
        grow()
    db.session.expire_all()
    with selects() as more:
        home(client)
    assert len(more) == len(few), "no query per row"
    assert len(few) <= 25
    print(f"\nSELECTs of the {kind}'s home: {len(few)} (1 row), {len(more)} (5 rows)")


def test_a_person_of_an_unverified_organisation_is_told_why_the_home_is_empty(
    client: FlaskClient, clock: FrozenClock, sign_in: Callable[[User], Any]
) -> None:
    waiting = factories.seller(clock(), verified=False)
    sign_in(waiting)
    page = client.get("/home", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "awaiting verification" in page
    assert 'id="panel-' not in page
