"""Listings by API: the owner's draft, evidence, submission, publication and withdrawal, the
reviewer's ownership decision, and a listing's sale state and allowed actions."""

from __future__ import annotations

import io
from pathlib import Path

from flask.testing import FlaskClient

from core.extensions import db
from core.uow import unit_of_work
from core.workdays import WorkCalendar
from listings.models import Evidence, Listing
from listings.rules import ListingStatus
from tests import factories
from tests.conftest import FrozenClock
from tests.integration.auctions.conftest import make_market
from trading import listed_sales, negotiations

EN = {"Accept-Language": "en"}
DRAFT = {
    "title_zh": "一种钠离子电池负极材料",
    "field": "energy",
    "trl": 6,
    "holder": "测试大学",
    "region": "上海市",
    "transfer_modes": ["assignment"],
    "asking_price_minor": 80_000_000,
    "ip_assets": [{"kind": "cn_application", "number": "201510123456.1"}],
}


def _bearer(secret: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {secret}", **EN}


def _upload(client: FlaskClient, listing_id: int, token: str, content: bytes, name: str):
    return client.post(
        f"/api/v1/listings/{listing_id}/evidence",
        data={"kind": "certificate", "file": (io.BytesIO(content), name)},
        content_type="multipart/form-data",
        headers=_bearer(token),
    )


# --- the draft ---------------------------------------------------------------------------


def test_the_owner_replaces_a_draft_and_a_stranger_may_not(
    client: FlaskClient, clock: FrozenClock
) -> None:
    seller, stranger = factories.seller(clock()), factories.seller(clock())
    draft = factories.listing(seller, clock())
    token = factories.api_token(seller, "seller", now=clock())
    saved = client.put(f"/api/v1/listings/{draft.id}", json=DRAFT, headers=_bearer(token))
    assert saved.status_code == 200, saved.get_json()
    assert saved.get_json()["title_zh"] == "一种钠离子电池负极材料"
    assert saved.get_json()["ip_assets"][0]["number"] == "201510123456.1"
    theirs = factories.api_token(stranger, "stranger", now=clock())
    refused = client.put(
        f"/api/v1/listings/{draft.id}", json={**DRAFT, "title_zh": "改名"}, headers=_bearer(theirs)
    )
    assert refused.status_code == 403 and refused.get_json()["code"] == "forbidden"
    assert db.session.get(Listing, draft.id).title_zh == "一种钠离子电池负极材料"  # type: ignore[union-attr]


def test_a_listing_past_draft_cannot_be_edited(
    client: FlaskClient, clock: FrozenClock, upload_folder: Path
) -> None:
    seller = factories.seller(clock())
    submitted = factories.listing(
        seller, clock(), status=ListingStatus.SUBMITTED, folder=upload_folder
    )
    token = factories.api_token(seller, "seller", now=clock())
    refused = client.put(f"/api/v1/listings/{submitted.id}", json=DRAFT, headers=_bearer(token))
    assert refused.status_code == 409 and refused.get_json()["code"] == "not_editable"


# --- evidence ----------------------------------------------------------------------------


def test_the_owner_uploads_lists_and_removes_evidence_of_a_draft(
    client: FlaskClient, clock: FrozenClock
) -> None:
    seller = factories.seller(clock())
    draft = factories.listing(seller, clock())
    token = factories.api_token(seller, "seller", now=clock())
    added = _upload(client, draft.id, token, factories.PDF_BYTES, "证书.pdf")
    assert added.status_code == 201, added.get_json()
    body = added.get_json()
    assert (body["kind"], body["content_type"], body["original_name"]) == (
        "certificate",
        "application/pdf",
        "证书.pdf",
    )
    listed = client.get(f"/api/v1/listings/{draft.id}/evidence", headers=_bearer(token))
    assert [e["id"] for e in listed.get_json()] == [body["id"]]
    file = client.get(
        f"/api/v1/listings/{draft.id}/evidence/{body['id']}/file", headers=_bearer(token)
    )
    assert file.status_code == 200 and file.data == factories.PDF_BYTES
    assert file.headers["Content-Type"] == "application/pdf"
    assert file.headers["X-Content-Type-Options"] == "nosniff"
    gone = client.delete(
        f"/api/v1/listings/{draft.id}/evidence/{body['id']}", headers=_bearer(token)
    )
    assert gone.status_code == 200 and gone.get_json()["id"] == body["id"]
    assert db.session.get(Evidence, body["id"]) is None


def test_evidence_that_is_not_a_document_is_refused_as_in_the_browser(
    client: FlaskClient, clock: FrozenClock
) -> None:
    seller = factories.seller(clock())
    draft = factories.listing(seller, clock())
    token = factories.api_token(seller, "seller", now=clock())
    refused = _upload(client, draft.id, token, b"<html><script>x</script></html>", "x.pdf")
    assert refused.status_code == 422 and "file" in refused.get_json()["errors"]
    assert db.session.query(Evidence).count() == 0


def test_strangers_neither_upload_nor_see_nor_remove_evidence(
    client: FlaskClient, clock: FrozenClock, upload_folder: Path
) -> None:
    seller, stranger = factories.seller(clock()), factories.seller(clock())
    published = factories.listing(
        seller, clock(), status=ListingStatus.PUBLISHED, folder=upload_folder
    )
    draft = factories.listing(seller, clock())
    theirs = factories.api_token(stranger, "stranger", now=clock())
    assert _upload(client, draft.id, theirs, factories.PDF_BYTES, "a.pdf").status_code == 403
    seen = client.get(f"/api/v1/listings/{published.id}/evidence", headers=_bearer(theirs))
    assert seen.status_code == 404
    evidence_id = published.evidence[0].id
    file = client.get(
        f"/api/v1/listings/{published.id}/evidence/{evidence_id}/file", headers=_bearer(theirs)
    )
    assert file.status_code == 404 and file.get_json()["code"] == "not_found"
    refused = client.delete(
        f"/api/v1/listings/{published.id}/evidence/{evidence_id}", headers=_bearer(theirs)
    )
    assert refused.status_code == 404
    mine = factories.api_token(seller, "seller", now=clock())
    wrong_listing = client.delete(
        f"/api/v1/listings/{draft.id}/evidence/{evidence_id}", headers=_bearer(mine)
    )
    assert wrong_listing.status_code == 404
    frozen = client.delete(
        f"/api/v1/listings/{published.id}/evidence/{evidence_id}", headers=_bearer(mine)
    )
    assert frozen.status_code == 409 and frozen.get_json()["code"] == "not_editable"


# --- submission, review, publication, withdrawal -----------------------------------------


def test_submitting_without_evidence_says_what_is_missing(
    client: FlaskClient, clock: FrozenClock
) -> None:
    seller = factories.seller(clock())
    draft = factories.listing(seller, clock())
    token = factories.api_token(seller, "seller", now=clock())
    refused = client.post(f"/api/v1/listings/{draft.id}/submit", headers=_bearer(token))
    assert refused.status_code == 409 and refused.get_json()["code"] == "no_evidence"
    assert db.session.get(Listing, draft.id).status == ListingStatus.DRAFT  # type: ignore[union-attr]


def test_the_reviewer_refuses_ownership_with_a_reason_the_owner_reads(
    client: FlaskClient, clock: FrozenClock, upload_folder: Path
) -> None:
    seller = factories.seller(clock())
    submitted = factories.listing(
        seller, clock(), status=ListingStatus.SUBMITTED, folder=upload_folder
    )
    reviewer = factories.api_token(factories.platform_reviewer(clock()), "r", now=clock())
    url = f"/api/v1/listings/{submitted.id}/ownership/reject"
    bare = client.post(url, json={}, headers=_bearer(reviewer))
    assert bare.status_code == 422 and "reason" in bare.get_json()["errors"]
    queue = client.get("/api/v1/listings/submitted", headers=_bearer(reviewer)).get_json()
    assert [item["id"] for item in queue] == [submitted.id]
    refused = client.post(
        url, json={"reason": "证书权利人与持有人不符。"}, headers=_bearer(reviewer)
    )
    assert refused.status_code == 200
    assert refused.get_json()["status"] == "draft"
    owner = factories.api_token(seller, "seller", now=clock())
    seen = client.get(f"/api/v1/listings/{submitted.id}", headers=_bearer(owner)).get_json()
    assert seen["rejection_reason"] == "证书权利人与持有人不符。"
    assert {"update", "add_evidence", "submit"} <= set(seen["allowed_actions"])


def test_the_owner_may_not_decide_its_own_ownership(
    client: FlaskClient, clock: FrozenClock, upload_folder: Path
) -> None:
    seller = factories.seller(clock())
    submitted = factories.listing(
        seller, clock(), status=ListingStatus.SUBMITTED, folder=upload_folder
    )
    token = factories.api_token(seller, "seller", now=clock())
    refused = client.post(
        f"/api/v1/listings/{submitted.id}/ownership/confirm", json={}, headers=_bearer(token)
    )
    assert refused.status_code == 403
    assert client.get("/api/v1/listings/submitted", headers=_bearer(token)).status_code == 403
    assert db.session.get(Listing, submitted.id).status == ListingStatus.SUBMITTED  # type: ignore[union-attr]


def test_publish_withdraw_and_reopen_move_the_listing_and_its_allowed_actions(
    client: FlaskClient, clock: FrozenClock, upload_folder: Path
) -> None:
    seller = factories.seller(clock())
    confirmed = factories.listing(
        seller, clock(), status=ListingStatus.CONFIRMED, folder=upload_folder
    )
    token = factories.api_token(seller, "seller", now=clock())
    before = client.get(f"/api/v1/listings/{confirmed.id}", headers=_bearer(token)).get_json()
    assert before["allowed_actions"] == ["publish", "withdraw"]
    published = client.post(f"/api/v1/listings/{confirmed.id}/publish", headers=_bearer(token))
    assert published.status_code == 200 and published.get_json()["status"] == "published"
    assert published.get_json()["allowed_actions"] == ["withdraw"]
    assert published.get_json()["sale"]["allowed_actions"] == ["start_listed_sale"]
    again = client.post(f"/api/v1/listings/{confirmed.id}/publish", headers=_bearer(token))
    assert again.status_code == 409 and again.get_json()["code"] == "transition_not_allowed"
    withdrawn = client.post(
        f"/api/v1/listings/{confirmed.id}/withdraw",
        json={"reason": "已许可他人。"},
        headers=_bearer(token),
    )
    assert withdrawn.status_code == 200 and withdrawn.get_json()["allowed_actions"] == ["reopen"]
    reopened = client.post(f"/api/v1/listings/{confirmed.id}/reopen", headers=_bearer(token))
    assert reopened.get_json()["status"] == "draft"
    assert client.get("/api/v1/listings/mine", headers=_bearer(token)).get_json()[0]["id"] == (
        confirmed.id
    )


# --- the sale state ----------------------------------------------------------------------


def test_a_listed_sale_shows_its_price_deadline_and_what_a_buyer_may_do(
    client: FlaskClient, clock: FrozenClock, upload_folder: Path
) -> None:
    seller = factories.seller(clock())
    listing = factories.listing(
        seller, clock(), status=ListingStatus.PUBLISHED, folder=upload_folder
    )
    with unit_of_work():
        sale = listed_sales.start_listed_sale(
            seller,
            listing.id,
            asking_price_minor=60_000_000,
            working_days=20,
            now=clock(),
            calendar=WorkCalendar(),
        )
    buyer = factories.api_token(factories.enterprise(clock()), "buyer", now=clock())
    body = client.get(f"/api/v1/listings/{listing.id}", headers=_bearer(buyer)).get_json()
    assert body["sale"]["state"] == "listed_sale"
    [channel] = body["sale"]["channels"]
    assert (channel["channel"], channel["id"], channel["state"]) == ("listed_sale", sale.id, "open")
    assert channel["price_minor"] == 60_000_000 and channel["deadline"]
    assert channel["allowed_actions"] == ["register_intent"]
    assert body["allowed_actions"] == []  # a buyer does nothing to the listing itself
    anonymous = client.get(f"/api/v1/listings/{listing.id}").get_json()
    assert anonymous["sale"]["channels"][0]["allowed_actions"] == []
    assert anonymous["allowed_actions"] == []
    owner = factories.api_token(seller, "seller", now=clock())
    refused = client.post(
        f"/api/v1/listings/{listing.id}/withdraw", json={}, headers=_bearer(owner)
    )
    assert refused.status_code == 409 and refused.get_json()["code"] == "on_sale"


def test_an_auction_shows_its_state_current_price_and_end(
    client: FlaskClient, clock: FrozenClock, upload_folder: Path
) -> None:
    market = make_market(clock(), upload_folder)
    body = client.get(f"/api/v1/listings/{market.listing.id}").get_json()
    assert body["sale"]["state"] == "in_auction"
    [channel] = body["sale"]["channels"]
    assert (channel["channel"], channel["id"]) == ("auction", market.auction.id)
    assert channel["state"] == "running" and channel["price_minor"] == 1_000_000
    assert channel["deadline"].startswith(market.auction.ends_at.strftime("%Y-%m-%dT%H:%M"))


def test_a_negotiation_shows_to_its_buyer_only(
    client: FlaskClient, clock: FrozenClock, upload_folder: Path
) -> None:
    seller = factories.seller(clock())
    listing = factories.listing(
        seller, clock(), status=ListingStatus.PUBLISHED, folder=upload_folder
    )
    buyer, rival = factories.enterprise(clock()), factories.enterprise(clock())
    with unit_of_work():
        negotiation = negotiations.open_negotiation(
            buyer, listing.id, amount_minor=30_000_000, message="可否议价？", now=clock()
        )
    mine = client.get(
        f"/api/v1/listings/{listing.id}",
        headers=_bearer(factories.api_token(buyer, "b", now=clock())),
    ).get_json()
    [channel] = mine["sale"]["channels"]
    assert (channel["channel"], channel["id"], channel["price_minor"]) == (
        "negotiation",
        negotiation.id,
        30_000_000,
    )
    assert mine["sale"]["allowed_actions"] == []  # it negotiates already
    theirs = client.get(
        f"/api/v1/listings/{listing.id}",
        headers=_bearer(factories.api_token(rival, "r", now=clock())),
    ).get_json()
    assert theirs["sale"]["channels"] == [] and theirs["sale"]["allowed_actions"] == ["negotiate"]
