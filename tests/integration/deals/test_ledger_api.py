"""The ledger's registration records by API: a reviewer downloads the very CSV the ledger page
gives, filtered the same way; anyone else is refused in the one error shape."""

from __future__ import annotations

import csv
import io

from flask.testing import FlaskClient

from tests import factories

RECORDS = "/api/v1/deals/registrations.csv"


def _auth(user: object, clock) -> dict[str, str]:  # type: ignore[no-untyped-def]
    return {"Authorization": f"Bearer {factories.api_token(user, 'ledger', now=clock())}", "Accept-Language": "en"}  # type: ignore[arg-type]  # fmt: skip


def test_a_reviewer_gets_the_ledger_pages_own_registrations_csv(client: FlaskClient, market, sell, sign_in, clock) -> None:  # type: ignore[no-untyped-def]  # fmt: skip
    online = sell(price_minor=50_000_001)
    from_api = client.get(RECORDS, headers=_auth(market.reviewer, clock))
    assert from_api.status_code == 200 and from_api.mimetype == "text/csv"
    assert "deal-registrations-" in from_api.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(from_api.get_data().decode("utf-8-sig"))))
    header, (row,) = rows[0], rows[1:]
    assert header[0] == "Deal number" and "Contract amount (yuan)" in header
    record = dict(zip(header, row, strict=True))
    assert (record["Deal number"], record["Contract amount (yuan)"]) == (str(online.id), "500000.01")  # fmt: skip
    none = client.get(f"{RECORDS}?channel=offline", headers=_auth(market.reviewer, clock))
    assert none.get_data().decode("utf-8-sig").strip().splitlines() == [",".join(header)]
    sign_in(market.reviewer)
    assert client.get("/review/deals/registrations.csv", headers={"Accept-Language": "en"}).get_data() == from_api.get_data()  # fmt: skip


def test_the_records_are_refused_to_others_and_a_bad_filter_is_named(client: FlaskClient, market, sell, clock) -> None:  # type: ignore[no-untyped-def]  # fmt: skip
    sell()
    for person in (market.seller, market.buyer):
        refused = client.get(RECORDS, headers=_auth(person, clock))
        assert refused.status_code == 403 and refused.mimetype == "application/json"
        assert set(refused.get_json()) == {"code", "message", "errors"}
    assert client.get(RECORDS).status_code == 401
    bad = client.get(f"{RECORDS}?channel=moon", headers=_auth(market.reviewer, clock))
    assert bad.status_code == 422 and list(bad.get_json()["errors"]) == ["channel"]
