"""What every API endpoint does for free: one error shape, idempotency keys, ETags."""

from __future__ import annotations

from datetime import timedelta

import pytest
from flask.testing import FlaskClient
from sqlalchemy import func, select

from core import idempotency
from core.extensions import db
from core.idempotency import IdempotencyKey, purge
from tests import factories
from tests.integration.sales.trading import market
from trading.models import Negotiation

EN = {"Accept-Language": "en"}


def _tokens(m, clock) -> tuple[dict[str, str], dict[str, str]]:
    seller = {"Authorization": f"Bearer {factories.api_token(m.seller, 'ci', now=clock())}"}
    buyer = {"Authorization": f"Bearer {factories.api_token(m.buyer, 'ci', now=clock())}"}
    return seller, buyer


def _open(client: FlaskClient, m, buyer, **headers: str):
    return client.post(
        "/api/v1/sales/negotiations",
        json={"listing_id": m.listing.id, "amount_minor": 40_000_000, "message": "hi"},
        headers={**buyer, **headers},
    )


# --- errors ---------------------------------------------------------------------------


def test_a_rule_error_names_the_field_as_the_body_named_it(client, clock, upload_folder):
    m = market(clock(), upload_folder)
    seller, _ = _tokens(m, clock)
    refused = client.post(
        "/api/v1/sales/",
        json={"listing_id": m.listing.id, "asking_price_minor": 50_000_000, "deposit_minor": 1},
        headers={**seller, **EN},
    )
    body = refused.get_json()
    assert refused.status_code == 422 and body["code"] == "invalid"
    assert list(body["errors"]) == ["deposit_minor"]  # the rule calls it "deposit"
    assert body["errors"]["deposit_minor"] == [body["message"]]
    assert "between 5% and 20%" in body["message"]


def test_a_validation_error_is_flat_and_keyed_by_the_sent_name(client, clock, upload_folder):
    m = market(clock(), upload_folder)
    _, buyer = _tokens(m, clock)
    refused = client.post(
        "/api/v1/sales/negotiations",
        json={"listing_id": "x", "amount_minor": 1},
        headers={**buyer, **EN},
    )
    body = refused.get_json()
    assert refused.status_code == 422 and body["code"] == "invalid"
    assert set(body) == {"code", "message", "errors"}
    assert "listing_id" in body["errors"] and "json" not in body["errors"]


def test_unreadable_json_is_a_400_in_our_shape_and_language(client, clock, upload_folder):
    m = market(clock(), upload_folder)
    _, buyer = _tokens(m, clock)
    for headers, text in ((EN, "The body is not valid JSON."), ({}, "不是有效的 JSON")):
        answer = client.post(
            "/api/v1/sales/negotiations",
            data='{"listing_id": 1,',
            content_type="application/json",
            headers={**buyer, **headers},
        )
        assert answer.status_code == 400 and answer.is_json
        assert answer.get_json()["code"] == "invalid_json"
        assert text in answer.get_json()["message"]


def test_unknown_addresses_and_methods_answer_in_the_same_shape(client, db_session):
    missing = client.get("/api/v1/no-such-thing", headers=EN)
    assert missing.status_code == 404 and missing.get_json() == {
        "code": "not_found",
        "message": "There is nothing at this address.",
        "errors": {},
    }
    wrong = client.delete("/api/v1/sales/", headers=EN)
    assert wrong.status_code == 405 and wrong.get_json()["code"] == "method_not_allowed"
    assert "不接受" in client.delete("/api/v1/sales/").get_json()["message"]


# --- idempotency keys ----------------------------------------------------------------


def _negotiations() -> int:
    return db.session.scalar(select(func.count(Negotiation.id))) or 0


def test_a_retried_create_with_its_key_replays_the_first_answer(client, clock, upload_folder):
    m = market(clock(), upload_folder)
    _, buyer = _tokens(m, clock)
    first = _open(client, m, buyer, **{"Idempotency-Key": "open-1"})
    again = _open(client, m, buyer, **{"Idempotency-Key": "open-1"})
    assert first.status_code == again.status_code == 201
    assert again.get_json() == first.get_json()
    assert again.headers["Idempotent-Replayed"] == "true"
    assert "Idempotent-Replayed" not in first.headers
    assert _negotiations() == 1


def test_a_key_reused_for_another_body_is_a_422(client, clock, upload_folder):
    m = market(clock(), upload_folder)
    _, buyer = _tokens(m, clock)
    assert _open(client, m, buyer, **{"Idempotency-Key": "k"}).status_code == 201
    other = client.post(
        "/api/v1/sales/negotiations",
        json={"listing_id": m.listing.id, "amount_minor": 41_000_000},
        headers={**buyer, **EN, "Idempotency-Key": "k"},
    )
    assert other.status_code == 422
    assert other.get_json()["code"] == "idempotency_key_reused"
    assert _negotiations() == 1


def test_a_bad_key_is_refused_and_keys_are_per_caller(client, clock, upload_folder):
    m = market(clock(), upload_folder)
    seller, buyer = _tokens(m, clock)
    bad = _open(client, m, buyer, **{"Idempotency-Key": "x" * 129})
    assert bad.status_code == 422 and list(bad.get_json()["errors"]) == ["Idempotency-Key"]
    assert _open(client, m, buyer, **{"Idempotency-Key": "same"}).status_code == 201
    # Another caller's same key is its own: the seller's request runs (and is refused).
    theirs = _open(client, m, seller, **{"Idempotency-Key": "same"})
    assert "Idempotent-Replayed" not in theirs.headers and theirs.status_code != 201


def test_a_refused_request_is_not_kept_and_keys_expire(client, clock, upload_folder):
    m = market(clock(), upload_folder)
    _, buyer = _tokens(m, clock)
    refused = client.post(
        "/api/v1/sales/negotiations",
        json={"listing_id": m.listing.id, "amount_minor": 0},
        headers={**buyer, "Idempotency-Key": "retry-me"},
    )
    assert refused.status_code == 422
    assert _open(client, m, buyer, **{"Idempotency-Key": "retry-me"}).status_code == 201
    clock.advance(hours=25)
    assert purge(clock()) == 1
    assert db.session.scalar(select(func.count(IdempotencyKey.id))) == 0


def test_a_duplicate_while_the_first_runs_is_a_409(client, clock, upload_folder):
    m = market(clock(), upload_folder)
    _, buyer = _tokens(m, clock)
    user_id = m.buyer.id
    db.session.add(
        IdempotencyKey(user_id=user_id, key="busy", fingerprint="0" * 64, created_at=clock())
    )
    db.session.commit()
    answer = _open(client, m, buyer, **{"Idempotency-Key": "busy"})
    assert answer.status_code in (409, 422)
    # The same request still running: its fingerprint matches, its answer is not there.
    record = db.session.scalar(select(IdempotencyKey).where(IdempotencyKey.key == "busy"))
    first = _open(client, m, buyer, **{"Idempotency-Key": "fresh"})
    assert first.status_code == 201
    fresh = db.session.scalar(select(IdempotencyKey).where(IdempotencyKey.key == "fresh"))
    record.fingerprint, record.status = fresh.fingerprint, None
    db.session.commit()
    busy = _open(client, m, buyer, **{"Idempotency-Key": "busy"})
    assert busy.status_code == 409
    assert busy.get_json()["code"] == "idempotency_request_in_flight"
    assert clock() - timedelta(hours=1) < record.created_at


class NodeDied(BaseException):
    """The process killed mid-request: no handler of the app catches it."""


def test_a_retry_after_a_crash_between_effect_and_answer_runs_once(
    client, clock, upload_folder, monkeypatch
):
    m = market(clock(), upload_folder)
    _, buyer = _tokens(m, clock)

    def die(*_args: object) -> None:
        raise NodeDied

    # The negotiation is opened (flushed), then the node dies before the answer is kept.
    monkeypatch.setattr(idempotency, "_keep", die)
    with pytest.raises(NodeDied):
        _open(client, m, buyer, **{"Idempotency-Key": "crash"})
    monkeypatch.undo()
    db.session.rollback()
    assert _negotiations() == 0  # the effect went with the answer: neither was kept
    retried = _open(client, m, buyer, **{"Idempotency-Key": "crash"})
    assert retried.status_code == 201, retried.get_json()
    assert "Idempotent-Replayed" not in retried.headers
    again = _open(client, m, buyer, **{"Idempotency-Key": "crash"})
    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.get_json() == retried.get_json()
    assert _negotiations() == 1


# --- conditional requests --------------------------------------------------------------


def test_a_read_has_an_etag_and_answers_304_when_it_still_holds(client, clock, upload_folder):
    m = market(clock(), upload_folder)
    _, buyer = _tokens(m, clock)
    negotiation_id = _open(client, m, buyer).get_json()["id"]
    url = f"/api/v1/sales/negotiations/{negotiation_id}"
    first = client.get(url, headers=buyer)
    etag = first.headers["ETag"]
    assert first.status_code == 200 and etag.startswith('"')
    same = client.get(url, headers={**buyer, "If-None-Match": etag})
    assert same.status_code == 304 and same.get_data() == b""
    assert client.get(url, headers={**buyer, "If-None-Match": '"old"'}).status_code == 200


def test_a_write_with_a_stale_if_match_is_a_412(client, clock, upload_folder):
    m = market(clock(), upload_folder)
    seller, buyer = _tokens(m, clock)
    negotiation_id = _open(client, m, buyer).get_json()["id"]
    url = f"/api/v1/sales/negotiations/{negotiation_id}"
    etag = client.get(url, headers=seller).headers["ETag"]
    offer = {"amount_minor": 45_000_000}
    countered = client.post(f"{url}/offers", json=offer, headers={**seller, "If-Match": etag})
    assert countered.status_code == 201
    stale = client.post(f"{url}/accept", headers={**buyer, **EN, "If-Match": etag})
    assert stale.status_code == 412
    assert stale.get_json()["code"] == "precondition_failed"
    fresh = client.get(url, headers=buyer).headers["ETag"]
    accepted = client.post(f"{url}/accept", headers={**buyer, "If-Match": fresh})
    assert accepted.status_code == 201


# --- allowed actions -------------------------------------------------------------------


def test_a_negotiation_names_what_each_party_may_do_now(client, clock, upload_folder):
    m = market(clock(), upload_folder)
    seller, buyer = _tokens(m, clock)
    negotiation_id = _open(client, m, buyer).get_json()["id"]
    url = f"/api/v1/sales/negotiations/{negotiation_id}"
    assert client.get(url, headers=seller).get_json()["allowed_actions"] == [
        "offer",
        "message",
        "accept",
        "withdraw",
    ]
    # The buyer made the offer on the table: only the other side may accept it.
    assert client.get(url, headers=buyer).get_json()["allowed_actions"] == [
        "offer",
        "message",
        "withdraw",
    ]
    assert client.post(f"{url}/withdraw", json={}, headers=buyer).status_code == 200
    assert client.get(url, headers=seller).get_json()["allowed_actions"] == []


def test_a_sale_offers_the_intent_to_a_buyer_and_not_to_its_seller(client, clock, upload_folder):
    m = market(clock(), upload_folder)
    seller, buyer = _tokens(m, clock)
    sale = client.post(
        "/api/v1/sales/",
        json={"listing_id": m.listing.id, "asking_price_minor": 50_000_000},
        headers=seller,
    ).get_json()
    url = f"/api/v1/sales/{sale['id']}"
    assert sale["allowed_actions"] == ["withdraw"], "not register_intent: it is the seller's"
    assert client.get(url).get_json()["allowed_actions"] == []  # anonymous
    assert client.get(url, headers=buyer).get_json()["allowed_actions"] == ["register_intent"]
    assert client.post(f"{url}/intents", headers=buyer).status_code == 201
    assert client.get(url, headers=buyer).get_json()["allowed_actions"] == ["withdraw_intent"]
    assert client.get(url, headers=seller).get_json()["allowed_actions"] == [], "a buyer waits"


def test_the_docs_page_shows_how_to_get_a_token_and_make_a_first_call(client, db_session):
    page = client.get("/api/v1/docs", headers=EN).get_data(as_text=True)
    assert "/account/tokens" in page and "POST /api/v1/tokens/" in page
    assert "curl -X POST" in page and "import uuid, requests" in page
    assert "Idempotency-Key" in page
    assert "If-None-Match" in page and "invalid_json" in page and "Accept-Language: en" in page


def test_a_crash_under_the_api_answers_in_the_error_shape_without_details(app, db_session):
    from werkzeug.exceptions import InternalServerError

    from core import errors

    crash = InternalServerError(original_exception=ValueError("secret detail"))
    with app.test_request_context("/api/v1/sales/1", headers=EN):
        answer = app.make_response(errors._http_error(crash))
    assert answer.status_code == 500
    assert answer.get_json() == {
        "code": "server_error",
        "message": "Something went wrong on our side. Please try again later.",
        "errors": {},
    }
