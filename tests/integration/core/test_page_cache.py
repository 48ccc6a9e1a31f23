"""Public pages kept a few seconds for visitors (core/page_cache.py): each answer carries its
own nonce, a write shows at once, and signed-in people and flashes get their own page."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import event
from sqlalchemy.orm import Session

from accounts.models import User
from core import page_cache
from core.audit_models import AuditEntry
from core.extensions import db
from core.uow import unit_of_work
from listings.models import Listing, ListingStatus
from search.indexer import drain
from tests import factories
from tests.conftest import FrozenClock


@pytest.fixture
def cached(app: Flask) -> Iterator[None]:
    """Both caches on (the tests' configuration turns them off)."""
    app.config.update(PAGE_CACHE_SECONDS=60.0, API_READ_CACHE_SECONDS=60.0)
    page_cache.store.forget_all()
    yield
    app.config.update(PAGE_CACHE_SECONDS=0.0, API_READ_CACHE_SECONDS=0.0)
    page_cache.store.forget_all()


@pytest.fixture
def listing(clock: FrozenClock, upload_folder: Path) -> Listing:
    seller = factories.seller(clock())
    return factories.listing(seller, clock(), status=ListingStatus.PUBLISHED, folder=upload_folder, title_en="Sodium battery")  # fmt: skip


def _nonce(response) -> str:  # type: ignore[no-untyped-def]
    [nonce] = re.findall(r"'nonce-([^']+)'", response.headers["Content-Security-Policy"])
    return nonce


def _read(client: FlaskClient, path: str) -> tuple[str, str]:
    response = client.get(path, headers={"Accept-Language": "en"})
    assert response.status_code == 200
    page, nonce = response.get_data(as_text=True), _nonce(response)
    scripts = re.findall(r"<script\b[^>]*>", page)
    assert scripts and all(f'nonce="{nonce}"' in tag for tag in scripts), scripts
    return page.replace(nonce, "NONCE"), nonce


def test_a_visitor_reads_the_kept_page_with_a_nonce_of_its_own(cached: None, client: FlaskClient, listing: Listing) -> None:  # fmt: skip
    first, first_nonce = _read(client, f"/listings/{listing.id}")
    again, again_nonce = _read(client, f"/listings/{listing.id}")
    assert "Sodium battery" in first and again == first
    assert again_nonce != first_nonce
    chinese = client.get(f"/listings/{listing.id}", headers={"Accept-Language": "zh-CN"})
    assert "English" in chinese.get_data(as_text=True)  # the Chinese page links to English


def test_a_write_shows_at_once_and_signed_in_people_get_their_own_page(cached: None, client: FlaskClient, listing: Listing, clock: FrozenClock) -> None:  # fmt: skip
    assert "Sodium battery" in _read(client, f"/listings/{listing.id}")[0]
    with unit_of_work():
        db.session.get(Listing, listing.id).title_en = "Solid-state battery"  # type: ignore[union-attr]
    page = _read(client, f"/listings/{listing.id}")[0]
    assert "Solid-state battery" in page and "Sodium battery" not in page

    with client.session_transaction() as session:  # a visitor with a message to read
        session["_flashes"] = [("info", "Your message was sent.")]
    assert "Your message was sent." in _read(client, f"/listings/{listing.id}")[0]
    assert "Your message was sent." not in _read(client, f"/listings/{listing.id}")[0]

    person = factories.seller(clock())
    client.post("/signin", data={"email": person.email, "password": factories.PASSWORD})
    assert person.name in _read(client, f"/listings/{listing.id}")[0]


def test_a_change_made_by_another_process_shows_on_the_next_request(cached: None, client: FlaskClient, listing: Listing, clock: FrozenClock) -> None:  # fmt: skip
    assert "Sodium battery" in _read(client, f"/listings/{listing.id}")[0]
    # Another worker's commit: this worker's session never hears of it.
    event.remove(Session, "after_commit", page_cache._after_commit)
    try:
        with unit_of_work():
            db.session.get(Listing, listing.id).title_en = "Solid-state battery"  # type: ignore[union-attr]
            db.session.add(AuditEntry(at=clock(), action="listing.edit", object_type="listing", object_id=listing.id))  # fmt: skip
    finally:
        event.listen(Session, "after_commit", page_cache._after_commit)
    page = _read(client, f"/listings/{listing.id}")[0]
    assert "Solid-state battery" in page and "Sodium battery" not in page


def test_an_api_search_is_kept_per_caller_with_its_etag_until_a_write(cached: None, client: FlaskClient, listing: Listing, clock: FrozenClock) -> None:  # fmt: skip
    drain()
    seller = db.session.get(User, listing.created_by_id)
    assert seller is not None
    mine = {"Authorization": f"Bearer {factories.api_token(seller, 'mine', now=clock())}", "Accept-Language": "en"}  # fmt: skip
    first = client.get("/api/v1/listings/?q=sodium", headers=mine)
    again = client.get("/api/v1/listings/?q=sodium", headers=mine)
    assert [i["id"] for i in first.get_json()["items"]] == [listing.id]
    assert again.get_data() == first.get_data() and again.headers["ETag"] == first.headers["ETag"]
    unchanged = client.get("/api/v1/listings/?q=sodium", headers=mine | {"If-None-Match": first.headers["ETag"]})  # fmt: skip
    assert unchanged.status_code == 304

    withdrawn = client.post(f"/api/v1/listings/{listing.id}/withdraw", json={"reason": "Sold elsewhere."}, headers=mine)  # fmt: skip
    assert withdrawn.status_code == 200, withdrawn.get_json()
    drain()
    assert client.get("/api/v1/listings/?q=sodium", headers=mine).get_json()["items"] == []
