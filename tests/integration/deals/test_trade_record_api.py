"""A cross-border deal's import/export record by API: the party in China completes it, a reviewer
checks it and records the certificate; a restricted technology needs its licence first."""

from __future__ import annotations

import csv
import io

from flask.testing import FlaskClient

from accounts.models import Organisation
from core.extensions import db
from tests import factories
from tests.integration.deals.test_trade_records import TERMS, _abroad, quick_passwords  # noqa: F401


def _auth(user: object, clock) -> dict[str, str]:  # type: ignore[no-untyped-def]
    return {"Authorization": f"Bearer {factories.api_token(user, '进出口', now=clock())}", "Accept-Language": "en"}  # type: ignore[arg-type]  # fmt: skip


def test_an_export_record_is_completed_checked_and_certified_by_api(client: FlaskClient, market, sell, clock) -> None:  # type: ignore[no-untyped-def]  # fmt: skip
    _abroad(market)
    deal = sell(50_000_000)
    url = f"/api/v1/deals/{deal.id}/trade-record"
    seller, buyer = _auth(market.seller, clock), _auth(market.buyer, clock)
    reviewer = _auth(market.reviewer, clock)
    empty = client.get(url, headers=seller).get_json()
    assert (empty["direction"], empty["completed"], empty["allowed_actions"]) == ("export", False, ["save"])  # fmt: skip
    restricted = {"category": "restricted", "catalogue_ref": "053601J", "usd_minor": 7_000_000, "payment_terms": TERMS}  # fmt: skip
    assert client.put(url, json=restricted, headers=buyer).status_code == 403
    negative = client.put(url, json={**restricted, "catalogue_ref": ""}, headers=seller)
    assert negative.status_code == 422 and list(negative.get_json()["errors"]) == ["catalogue_ref"]
    saved = client.put(url, json=restricted, headers=seller)
    assert saved.status_code == 200 and saved.get_json()["category"] == "restricted"
    assert client.post(f"{url}/check", json={}, headers=seller).status_code == 403
    checked = client.post(f"{url}/check", json={"note": "限制类，须许可证。"}, headers=reviewer)
    assert checked.get_json()["check_outcome"] == "licence_required"
    early = client.post(f"{url}/certificate", json={"certificate_number": "2026EXP1"}, headers=reviewer)  # fmt: skip
    assert early.status_code == 409 and early.get_json()["code"] == "not_cleared"
    licensed = client.put(url, json={**restricted, "licence_number": "2026XK0001"}, headers=seller)
    assert licensed.get_json()["check_outcome"] is None  # the check stood for what it checked
    assert client.post(f"{url}/check", json={}, headers=reviewer).get_json()["check_outcome"] == "cleared"  # fmt: skip
    assert client.get(url, headers=reviewer).get_json()["allowed_actions"] == ["save", "check", "certify"]  # fmt: skip
    certified = client.post(f"{url}/certificate", json={"certificate_number": "2026EXP1"}, headers=reviewer)  # fmt: skip
    assert certified.status_code == 200 and certified.get_json()["certificate_number"] == "2026EXP1"
    assert client.get(url, headers=_auth(market.stranger, clock)).status_code == 404


def test_a_domestic_deal_has_no_record_to_complete_by_api(client: FlaskClient, market, sell, clock) -> None:  # type: ignore[no-untyped-def]  # fmt: skip
    deal = sell(50_000_000)
    url = f"/api/v1/deals/{deal.id}/trade-record"
    seller = _auth(market.seller, clock)
    assert client.get(url, headers=seller).get_json()["allowed_actions"] == []
    refused = client.put(url, json={"category": "free", "usd_minor": 1, "payment_terms": TERMS}, headers=seller)  # fmt: skip
    assert refused.status_code == 409 and refused.get_json()["code"] == "domestic"


def test_the_parties_download_the_record_as_csv_by_api_and_others_are_refused(client: FlaskClient, market, sell, clock) -> None:  # type: ignore[no-untyped-def]  # fmt: skip
    _abroad(market)
    deal = sell(50_000_000)
    url = f"/api/v1/deals/{deal.id}/trade-record"
    saved = client.put(url, json={"category": "free", "usd_minor": 7_000_000, "payment_terms": TERMS}, headers=_auth(market.seller, clock))  # fmt: skip
    assert saved.status_code == 200
    answer = client.get(f"{url}.csv", headers=_auth(market.buyer, clock))
    assert answer.status_code == 200 and answer.mimetype == "text/csv"
    assert f"tech-trade-record-{deal.id}.csv" in answer.headers["Content-Disposition"]
    (row,) = csv.DictReader(io.StringIO(answer.get_data(as_text=True)))
    assert (row["direction"], row["buyer_country"], row["category"]) == ("export", "US", "free")
    assert (row["usd_amount"], row["payment_terms"]) == ("70000.00", TERMS)
    stranger = client.get(f"{url}.csv", headers=_auth(market.stranger, clock))
    assert stranger.status_code == 404 and set(stranger.get_json()) == {"code", "message", "errors"}
    assert client.get(f"{url}.csv").status_code == 404  # nobody signed in: no such record


def test_an_import_is_completed_by_the_buyer_in_china_not_the_seller_abroad(client: FlaskClient, market, sell, clock) -> None:  # type: ignore[no-untyped-def]  # fmt: skip
    seller_org = db.session.get(Organisation, market.seller.organisation_id)
    assert seller_org is not None
    seller_org.country = "DE"
    db.session.commit()
    deal = sell(50_000_000)
    url = f"/api/v1/deals/{deal.id}/trade-record"
    seller, buyer = _auth(market.seller, clock), _auth(market.buyer, clock)
    assert client.get(url, headers=seller).get_json()["allowed_actions"] == []
    assert client.get(url, headers=buyer).get_json()["allowed_actions"] == ["save"]
    body = {"category": "free", "usd_minor": 7_000_000, "payment_terms": TERMS}
    assert client.put(url, json=body, headers=seller).status_code == 403
    saved = client.put(url, json=body, headers=buyer)
    assert saved.status_code == 200
    shown = saved.get_json()
    assert (shown["direction"], shown["seller_country"], shown["buyer_country"]) == ("import", "DE", "CN")  # fmt: skip
