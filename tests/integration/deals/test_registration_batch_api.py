"""The registration batch (技术合同认定登记) by API: a reviewer pages through a period's
contracts and downloads the very file the reviewers' page gives; anyone else is refused."""

from __future__ import annotations

import csv
import io

from flask.testing import FlaskClient
from openpyxl import load_workbook

from tests import factories
from tests.integration.deals.test_registration_batch import contracts  # noqa: F401

BATCH = "/api/v1/deals/registration-batch"
FEBRUARY = "from=2026-02-01&to=2026-02-28"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _auth(user: object, clock) -> dict[str, str]:  # type: ignore[no-untyped-def]
    return {"Authorization": f"Bearer {factories.api_token(user, '登记', now=clock())}", "Accept-Language": "en"}  # type: ignore[arg-type]  # fmt: skip


def test_a_reviewer_pages_the_batch_and_gets_the_pages_own_file(client: FlaskClient, sign_in, market, contracts, clock) -> None:  # type: ignore[no-untyped-def]  # noqa: F811  # fmt: skip
    transfer, service = contracts
    reviewer = _auth(market.reviewer, clock)
    first = client.get(f"{BATCH}?{FEBRUARY}&limit=1", headers=reviewer)
    assert first.status_code == 200, first.get_json()
    (newest,) = first.get_json()["items"]
    assert (newest["deal_id"], newest["state"], newest["form"]) == (service.id, "incomplete", None)
    assert newest["record"]["contract_amount_minor"] == 1_234_567
    cursor = first.get_json()["next_cursor"]
    second = client.get(f"{BATCH}?{FEBRUARY}&limit=1&cursor={cursor}", headers=reviewer).get_json()
    (registered,) = second["items"]
    assert (registered["deal_id"], registered["state"]) == (transfer.id, "registered")
    assert registered["form"]["certificate_number"] == "2026310104000123"
    assert registered["form"]["transaction_amount_minor"] == 40_000_000
    assert second["next_cursor"] is None  # March's contract is not in February's batch

    from_api = client.get(f"{BATCH}.csv?{FEBRUARY}", headers=reviewer)
    assert from_api.status_code == 200 and from_api.mimetype == "text/csv"
    assert "technology-contracts-20260201-20260228.csv" in from_api.headers["Content-Disposition"]
    table = list(csv.reader(io.StringIO(from_api.get_data().decode("utf-8-sig"))))
    assert [row[18] for row in table[1:]] == [str(transfer.id), str(service.id)]
    sheet = client.get(f"{BATCH}.xlsx?{FEBRUARY}", headers=reviewer)
    assert sheet.mimetype == XLSX
    assert load_workbook(io.BytesIO(sheet.get_data())).active.max_row == 3
    sign_in(market.reviewer)
    assert client.get(f"/review/deals/registration-batch.csv?{FEBRUARY}").get_data() == from_api.get_data()  # fmt: skip


def test_the_batch_is_refused_to_others_and_a_bad_period_names_its_field(client: FlaskClient, market, contracts, clock) -> None:  # type: ignore[no-untyped-def]  # noqa: F811  # fmt: skip
    seller = _auth(market.seller, clock)
    for path in ("", ".csv", ".xlsx"):
        refused = client.get(f"{BATCH}{path}?{FEBRUARY}", headers=seller)
        assert refused.status_code == 403 and refused.mimetype == "application/json"
        assert set(refused.get_json()) == {"code", "message", "errors"}
        assert client.get(f"{BATCH}{path}?{FEBRUARY}").status_code == 401
    reviewer = _auth(market.reviewer, clock)
    too_long = client.get(f"{BATCH}.csv?from=2026-03-01&to=2027-03-05", headers=reviewer)
    assert too_long.status_code == 422 and list(too_long.get_json()["errors"]) == ["to"]
    missing = client.get(f"{BATCH}?from=2026-03-01", headers=reviewer)
    assert missing.status_code == 422 and list(missing.get_json()["errors"]) == ["to"]
    foreign = client.get(f"{BATCH}?{FEBRUARY}&cursor=aW5ib3g6Mw", headers=reviewer)  # inbox:3
    assert foreign.status_code == 422 and list(foreign.get_json()["errors"]) == ["cursor"]
