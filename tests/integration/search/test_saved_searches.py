"""Saved searches: saved from the search page, told once when a matching result is published."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from xml.etree import ElementTree

from flask.testing import FlaskClient
from sqlalchemy import select

from core.extensions import db
from core.uow import unit_of_work
from listings import review
from listings.rules import ListingStatus
from notifications.models import Notification
from notifications.rules import EmailState
from search import alerts
from search.models import SavedSearch
from tests import factories

EN = {"Accept-Language": "en"}


def alerts_of(user_id: int) -> list[Notification]:
    return list(
        db.session.scalars(
            select(Notification).where(
                Notification.user_id == user_id, Notification.event == "search.alert"
            )
        )
    )


def publish(clock: Any, upload_folder: Path, **overrides: object) -> int:
    """A university's result, confirmed then published (each step committed)."""
    owner = factories.seller(clock())
    listing = factories.listing(
        owner, clock(), status=ListingStatus.CONFIRMED, folder=upload_folder, **overrides
    )
    with unit_of_work():
        review.publish(owner, listing.id, now=clock())
    return listing.id


def test_an_enterprise_saves_a_search_and_hears_once_of_each_matching_new_result(
    client: FlaskClient, clock: Any, upload_folder: Path
) -> None:
    buyer = factories.enterprise(clock())
    client.post("/signin", data={"email": buyer.email, "password": factories.PASSWORD})
    page = client.get("/search?q=电解质&field=energy", headers=EN).get_data(as_text=True)
    assert "Save this search" in page
    saved = client.post(
        "/search/save",
        data={"q": "电解质", "field": "energy", "name": "固态电池", "frequency": "instant"},
        headers=EN,
    )
    assert saved.status_code == 302 and "q=" in saved.location
    with unit_of_work():  # a second search that the same listing matches: told once
        alerts.save_search(
            buyer, name="电池", text="电池", filters={}, frequency="daily", now=clock()
        )
    assert "固态电池" in client.get("/searches", headers=EN).get_data(as_text=True)

    matching = publish(
        clock, upload_folder, title_zh="一种固态锂电池电解质的制备方法", field="energy"
    )
    publish(clock, upload_folder, title_zh="一种光伏组件清洗机器人", field="energy")

    [told] = alerts_of(buyer.id)
    assert told.link == f"/listings/{matching}" and told.params["name"] == "固态电池"
    assert told.email_state in (EmailState.PENDING, EmailState.SENT)  # at once, by email
    inbox = client.get("/inbox", headers=EN).get_data(as_text=True)
    assert "New on the market for your search “固态电池”" in inbox


def test_saved_searches_are_the_owners_to_change_and_delete(
    client: FlaskClient, clock: Any
) -> None:
    owner, stranger = factories.enterprise(clock()), factories.enterprise(clock())
    with unit_of_work():
        saved = alerts.save_search(
            owner, name="基因", text="基因", filters={}, frequency="instant", now=clock()
        )
    client.post("/signin", data={"email": stranger.email, "password": factories.PASSWORD})
    client.post("/searches", data={"id": saved.id, "action": "delete"})
    assert db.session.get(SavedSearch, saved.id) is not None, "not the stranger's to delete"
    client.post("/signout")
    client.post("/signin", data={"email": owner.email, "password": factories.PASSWORD})
    client.post("/searches", data={"id": saved.id, "frequency": "off"})
    assert db.session.get(SavedSearch, saved.id).frequency == "off"
    client.post("/searches", data={"id": saved.id, "frequency": "hourly"})
    assert db.session.get(SavedSearch, saved.id).frequency == "off", "unknown choice refused"
    client.post("/searches", data={"id": saved.id, "action": "delete"})
    assert db.session.get(SavedSearch, saved.id) is None


def test_every_search_has_an_atom_feed_of_its_newest_results(
    client: FlaskClient, clock: Any, upload_folder: Path
) -> None:
    matching = publish(clock, upload_folder, title_zh="一种钠离子电池负极材料", field="energy")
    publish(clock, upload_folder, title_zh="一种基因编辑方法", field="biomed")
    page = client.get("/search?field=energy", headers=EN).get_data(as_text=True)
    assert 'type="application/atom+xml"' in page and "/search/feed.atom?field=energy" in page

    response = client.get("/search/feed.atom?field=energy", headers=EN)
    assert response.status_code == 200 and response.mimetype == "application/atom+xml"
    atom = "{http://www.w3.org/2005/Atom}"
    feed = ElementTree.fromstring(response.data)
    entries = feed.findall(f"{atom}entry")
    links = [e.find(f"{atom}link").get("href") for e in entries]
    assert any(link.endswith(f"/listings/{matching}") for link in links)
    assert all("基因" not in e.find(f"{atom}title").text for e in entries)
