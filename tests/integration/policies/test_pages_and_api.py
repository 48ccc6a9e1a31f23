"""Support policies through the pages and the API: an administrator defines, computes,
adjusts, approves and exports; an organisation sees only its own eligibility."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from flask.testing import FlaskClient

from accounts import services as accounts
from accounts.models import User
from core.extensions import db
from core.uow import unit_of_work
from deals.models import Channel, ContractType, Deal, DealStatus, SaleMethod
from tests import factories
from tests.conftest import FrozenClock

EN = {"Accept-Language": "en"}


def _sign_in(client: FlaskClient, user: User) -> None:
    client.post("/signout")
    client.post("/signin", data={"email": user.email, "password": factories.PASSWORD})


def _completed(seller: User, buyer: User, price: int, on: datetime) -> None:
    db.session.add(
        Deal(
            seller_org_id=seller.organisation_id, buyer_org_id=buyer.organisation_id,
            seller_name="卖方", buyer_name="买方", title="成果", method=SaleMethod.LISTED,
            channel=Channel.ONLINE, contract_type=ContractType.LICENCE, price_minor=price,
            status=DealStatus.COMPLETED, created_at=on, completed_at=on,
        )
    )  # fmt: skip


@pytest.fixture
def people(db_session: object, clock: FrozenClock) -> dict[str, User]:
    now = clock.current
    uni, ent, other = factories.seller(now), factories.enterprise(now), factories.enterprise(now)
    with unit_of_work():
        admin = accounts.create_platform_user(
            "policy-admin@market.example", "管理员", factories.PASSWORD, now=now, admin=True
        )
        _completed(uni, ent, 12_345_678, datetime(2026, 1, 10, 3, tzinfo=UTC))
        _completed(uni, other, 50_000_000, datetime(2026, 2, 10, 3, tzinfo=UTC))
    return {"admin": admin, "uni": uni, "ent": ent, "other": other}


def _define(client: FlaskClient) -> None:
    page = client.post(
        "/policies/",
        data={
            "name_zh": "企业吸纳补贴", "name_en": "Absorption subsidy", "beneficiary": "buyer",
            "rate_percent": "3", "cap_per_deal_yuan": "10,000", "valid_from": "2026-01-01",
            "evidence": "技术合同登记证明",
        },
        headers=EN,
    )  # fmt: skip
    assert page.status_code == 200, page.text
    assert "Absorption subsidy" in page.text


def test_an_administrator_defines_computes_adjusts_approves_and_exports_on_the_pages(
    client: FlaskClient, people: dict[str, User]
) -> None:
    """3 % of 123 456.78 yuan is 3 703.70 yuan (rounded down); 3 % of 500 000 is 15 000,
    capped at 10 000."""
    _sign_in(client, people["admin"])
    _define(client)
    from policies.models import Policy

    policy_id = db.session.query(Policy.id).scalar()
    computed = client.post(
        f"/policies/{policy_id}",
        data={"period_start": "2026-01-01", "period_end": "2026-03-31"},
        headers=EN,
    )
    assert computed.status_code == 302
    run_page = client.get(computed.headers["Location"], headers=EN)
    assert "3,703.70" in run_page.text and "10,000.00" in run_page.text
    run_id = int(computed.headers["Location"].rsplit("/", 1)[1])

    refused = client.post(
        "/policies/lines/999999/adjust", data={"amount_yuan": "1", "reason": "x"}, headers=EN
    )
    assert refused.status_code == 404
    from policies.models import EligibilityLine

    line = db.session.query(EligibilityLine).filter_by(org_id=people["other"].organisation_id).one()
    client.post(
        f"/policies/lines/{line.id}/adjust",
        data={"amount_yuan": "8000", "reason": "付款凭证不全"},
        headers=EN,
    )
    assert client.post(f"/policies/runs/{run_id}/approve", headers=EN).status_code == 302
    csv_text = client.get(f"/policies/runs/{run_id}.csv").get_data(as_text=True)
    assert "10000.00,8000.00,付款凭证不全" in csv_text
    assert "3703.70,3703.70" in csv_text


def test_an_organisation_sees_its_own_eligibility_only_by_page_and_api(
    client: FlaskClient, people: dict[str, User], clock: FrozenClock
) -> None:
    _sign_in(client, people["admin"])
    _define(client)
    from policies.models import Policy

    policy_id = db.session.query(Policy.id).scalar()
    token = factories.api_token(people["admin"], "policies", now=clock.current)
    auth = {"Authorization": f"Bearer {token}", **EN}
    run = client.post(
        f"/api/v1/policies/{policy_id}/runs",
        json={"period_start": "2026-01-01", "period_end": "2026-03-31"},
        headers=auth,
    )
    assert run.status_code == 201, run.json
    assert run.json["total_minor"] == 370_370 + 1_000_000
    assert run.json["allowed_actions"] == ["approve"]
    approved = client.post(f"/api/v1/policies/runs/{run.json['id']}/approve", headers=auth)
    assert approved.json["status"] == "approved" and approved.json["allowed_actions"] == []

    _sign_in(client, people["ent"])
    page = client.get("/organisation/eligibility", headers=EN)
    assert "3,703.70" in page.text and "10,000.00" not in page.text
    assert "技术合同登记证明" in page.text
    mine = client.get("/api/v1/policies/eligibility", headers=EN).json["items"]
    assert [(x["amount_minor"], x["status"]) for x in mine] == [(370_370, "approved")]
    assert client.get("/api/v1/policies/", headers=EN).status_code == 403
    assert client.get(f"/policies/runs/{run.json['id']}", headers=EN).status_code == 403

    _sign_in(client, people["uni"])
    assert client.get("/api/v1/policies/eligibility", headers=EN).json["items"] == []


def test_administrators_list_the_policies_by_api(
    client: FlaskClient, people: dict[str, User], clock: FrozenClock
) -> None:
    _sign_in(client, people["admin"])
    _define(client)
    (policy,) = client.get("/api/v1/policies/", headers=EN).json["items"]
    assert policy["beneficiary"] == "buyer" and policy["rate_bp"] == 300
    assert policy["cap_per_deal_minor"] == 1_000_000 and policy["valid_from"] == "2026-01-01"


def test_an_administrator_pages_a_periods_lines_and_downloads_its_csv_by_api(
    client: FlaskClient, people: dict[str, User], clock: FrozenClock
) -> None:
    _sign_in(client, people["admin"])
    _define(client)
    client.post("/signout")
    from policies.models import Policy

    policy_id = db.session.query(Policy.id).scalar()
    admin = {"Authorization": f"Bearer {factories.api_token(people['admin'], 'p', now=clock.current)}", **EN}  # fmt: skip
    run = client.post(f"/api/v1/policies/{policy_id}/runs", json={"period_start": "2026-01-01", "period_end": "2026-03-31"}, headers=admin).json  # fmt: skip
    lines = f"/api/v1/policies/runs/{run['id']}/lines"
    first = client.get(f"{lines}?limit=1", headers=admin).json
    second = client.get(f"{lines}?limit=1&cursor={first['next_cursor']}", headers=admin).json
    assert second["next_cursor"] is None
    paged = sorted(x["amount_minor"] for x in first["items"] + second["items"])
    assert paged == sorted(x["amount_minor"] for x in run["lines"]) == [370_370, 1_000_000]
    answer = client.get(f"/api/v1/policies/runs/{run['id']}.csv", headers=admin)
    assert answer.status_code == 200 and answer.mimetype == "text/csv"
    assert f"policy-{policy_id}-2026-01-01-2026-03-31.csv" in answer.headers["Content-Disposition"]
    assert "3703.70,3703.70" in answer.get_data(as_text=True)
    _sign_in(client, people["admin"])
    assert client.get(f"/policies/runs/{run['id']}.csv").get_data() == answer.get_data()

    member = {"Authorization": f"Bearer {factories.api_token(people['ent'], 'p', now=clock.current)}", **EN}  # fmt: skip
    for url in (lines, f"/api/v1/policies/runs/{run['id']}.csv"):
        refused = client.get(url, headers=member)
        assert refused.status_code == 403 and set(refused.json) == {"code", "message", "errors"}
    assert client.get("/api/v1/policies/runs/999999.csv", headers=admin).status_code == 404
    assert client.get("/api/v1/policies/runs/999999/lines", headers=admin).status_code == 404
