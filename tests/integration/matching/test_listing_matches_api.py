"""A listing's matches by API: the enterprises its page suggests, with their needs and why,
for the listing's organisation; anyone else is refused in the one error shape."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask.testing import FlaskClient

from listings.rules import ListingStatus
from tests import factories

pytestmark = pytest.mark.usefixtures("fresh_search")


def _auth(user: object, clock) -> dict[str, str]:  # type: ignore[no-untyped-def]
    return {"Authorization": f"Bearer {factories.api_token(user, 'match', now=clock())}", "Accept-Language": "en"}  # type: ignore[arg-type]  # fmt: skip


def test_the_listings_organisation_reads_its_matches_by_api(client: FlaskClient, clock, upload_folder: Path) -> None:  # type: ignore[no-untyped-def]  # fmt: skip
    now = clock()
    university = factories.seller(now)
    listing = factories.listing(university, now, status=ListingStatus.PUBLISHED, folder=upload_folder,
                                title_zh="一种高镍三元正极材料的包覆改性方法", ipc_classes=("H01M 4/525",))  # fmt: skip
    needy = factories.enterprise(now, name="示范电池有限公司")
    need = factories.need(needy, now)
    url = f"/api/v1/listings/{listing.id}/matches"
    found = client.get(url, headers=_auth(university, clock))
    assert found.status_code == 200, found.get_json()
    best = found.get_json()[0]
    assert (best["organisation_id"], best["organisation"]) == (needy.organisation_id, "示范电池有限公司")  # fmt: skip
    assert [n["need_id"] for n in best["needs"]] == [need.id]
    assert "IPC H01M shared" in [r["text"] for r in best["reasons"]]
    refused = client.get(url, headers=_auth(needy, clock))
    assert refused.status_code == 403 and set(refused.get_json()) == {"code", "message", "errors"}
    missing = client.get("/api/v1/listings/999999/matches", headers=_auth(university, clock))
    assert missing.status_code == 404 and missing.get_json()["code"] == "not_found"
