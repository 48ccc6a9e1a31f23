"""Patents' legal status by API: a reviewer records a pledge and the pledgee's consent, reads
them back; others are refused; refusals in the one error shape."""

from __future__ import annotations

from flask.testing import FlaskClient

from listings.rules import ListingStatus
from tests import factories
from tests.conftest import FrozenClock
from tests.integration.licences.test_legal_status import market  # noqa: F401
from tests.integration.licences.test_open_licences import quick_passwords  # noqa: F401

SOURCE = "国家知识产权局专利登记簿"


def _auth(user: object, clock: FrozenClock) -> dict[str, str]:
    return {"Authorization": f"Bearer {factories.api_token(user, '法律状态', now=clock.current)}"}  # type: ignore[arg-type]


def test_a_reviewer_records_a_pledge_and_the_pledgees_consent_by_api(client: FlaskClient, market: dict, clock: FrozenClock) -> None:  # noqa: F811  # fmt: skip
    listing = factories.listing(market["seller"], market["now"], status=ListingStatus.PUBLISHED, reviewer=market["reviewer"], folder=market["folder"])  # fmt: skip
    other = factories.listing(market["seller"], market["now"], status=ListingStatus.PUBLISHED, reviewer=market["reviewer"], folder=market["folder"])  # fmt: skip
    asset = listing.ip_assets[0].id
    url = f"/api/v1/listings/{listing.id}"
    reviewer, seller = _auth(market["reviewer"], clock), _auth(market["seller"], clock)
    pledge = {"ip_asset_id": asset, "status": "pledged", "effective_on": "2026-02-01", "source": SOURCE}  # fmt: skip
    assert client.post(f"{url}/legal-status", json={**pledge, "pledgee": "上海银行"}, headers=seller).status_code == 403  # fmt: skip
    nameless = client.post(f"{url}/legal-status", json=pledge, headers=reviewer)
    assert nameless.status_code == 422 and list(nameless.get_json()["errors"]) == ["pledgee"]
    elsewhere = client.post(f"/api/v1/listings/{other.id}/legal-status", json={**pledge, "pledgee": "上海银行"}, headers=reviewer)  # fmt: skip
    assert elsewhere.status_code == 404
    consent = {"ip_asset_id": asset, "purpose": "licence", "reference": "质权人同意函 2026-017"}
    unpledged = client.post(f"{url}/pledgee-consents", json=consent, headers=reviewer)
    assert unpledged.status_code == 409 and unpledged.get_json()["code"] == "not_pledged"
    recorded = client.post(f"{url}/legal-status", json={**pledge, "pledgee": "上海银行"}, headers=reviewer)  # fmt: skip
    assert recorded.status_code == 201 and recorded.get_json()["pledgee"] == "上海银行"
    agreed = client.post(f"{url}/pledgee-consents", json=consent, headers=reviewer)
    assert agreed.status_code == 201 and agreed.get_json()["pledgee"] == "上海银行"
    shown = client.get(f"{url}/legal-status", headers=reviewer).get_json()
    patent = shown["patents"][0]
    assert (patent["ip_asset_id"], patent["status"]) == (asset, "pledged")
    assert [c["purpose"] for c in patent["consents"]] == ["licence"]
    assert client.get(f"{url}/legal-status", headers=seller).status_code == 403
