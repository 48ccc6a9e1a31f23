"""The reference rates set by API: administrators only, a rate typed as decimal text, a
file imported whole or not at all; everyone reads the rate in force."""

from __future__ import annotations

import io

from flask.testing import FlaskClient

from tests import factories
from tests.conftest import FrozenClock


def _auth(user: object, clock: FrozenClock) -> dict[str, str]:
    return {"Authorization": f"Bearer {factories.api_token(user, '汇率', now=clock())}", "Accept-Language": "en"}  # type: ignore[arg-type]  # fmt: skip


def test_an_administrator_sets_and_imports_rates_by_api(client: FlaskClient, clock: FrozenClock) -> None:  # fmt: skip
    admin, reviewer = _auth(factories.platform_admin(clock()), clock), _auth(factories.platform_reviewer(clock()), clock)  # fmt: skip
    rate = {"currency": "USD", "yuan": "7.1234", "on": "2026-02-27"}
    assert client.post("/api/v1/rates/", json=rate, headers=reviewer).status_code == 403
    comma = client.post("/api/v1/rates/", json={**rate, "yuan": "7,12"}, headers=admin)
    assert comma.status_code == 422 and list(comma.get_json()["errors"]) == ["yuan"]
    kept = client.post("/api/v1/rates/", json=rate, headers=admin)
    assert kept.status_code == 200 and kept.get_json() == rate
    assert client.get("/api/v1/rates/").get_json()["items"] == [rate]

    def upload(text: str, who: dict[str, str]):  # type: ignore[no-untyped-def]
        return client.post("/api/v1/rates/import", data={"file": (io.BytesIO(text.encode()), "rates.csv")}, headers=who)  # fmt: skip

    good = "date,currency,yuan\n2026-03-01,EUR,7.7012\n2026-03-01,USD,7.20\n"
    assert upload(good, reviewer).status_code == 403
    bad = upload("date,currency,yuan\n2026-03-01,EUR,7.70\n2026-03-01,XYZ,1\n", admin)
    assert bad.status_code == 422
    assert client.get("/api/v1/rates/?on=2026-03-01").get_json()["items"] == [rate]  # nothing kept
    imported = upload(good, admin)
    assert imported.status_code == 200 and imported.get_json() == {"count": 2}
    found = client.get("/api/v1/rates/?on=2026-03-01").get_json()["items"]
    assert {(r["currency"], r["yuan"]) for r in found} == {("EUR", "7.7012"), ("USD", "7.2000")}
