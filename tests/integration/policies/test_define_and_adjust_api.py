"""A support policy defined and a line lowered by API alone: administrators only, the
rules' refusals named by the body's own fields; an approved period's lines are final."""

from __future__ import annotations

from flask.testing import FlaskClient

from accounts.models import User
from tests import factories
from tests.conftest import FrozenClock
from tests.integration.policies.test_pages_and_api import people  # noqa: F401

POLICY = {"name_zh": "企业吸纳补贴", "name_en": "Absorption subsidy", "beneficiary": "buyer", "rate_bp": 300, "cap_per_deal_minor": 1_000_000, "valid_from": "2026-01-01"}  # fmt: skip


def _auth(user: User, clock: FrozenClock) -> dict[str, str]:
    token = factories.api_token(user, "补贴", now=clock.current)
    return {"Authorization": f"Bearer {token}", "Accept-Language": "en"}


def test_an_administrator_defines_a_policy_and_lowers_a_line_by_api(client: FlaskClient, people: dict[str, User], clock: FrozenClock) -> None:  # noqa: F811  # fmt: skip
    admin, member = _auth(people["admin"], clock), _auth(people["ent"], clock)
    assert client.post("/api/v1/policies/", json=POLICY, headers=member).status_code == 403
    backwards = client.post("/api/v1/policies/", json={**POLICY, "valid_to": "2025-12-31"}, headers=admin)  # fmt: skip
    assert backwards.status_code == 422 and list(backwards.get_json()["errors"]) == ["valid_to"]
    defined = client.post("/api/v1/policies/", json=POLICY, headers={**admin, "Idempotency-Key": "policy-1"})  # fmt: skip
    assert defined.status_code == 201 and defined.get_json()["cap_per_deal_minor"] == 1_000_000
    policy_id = defined.get_json()["id"]
    assert [p["id"] for p in client.get("/api/v1/policies/", headers=admin).get_json()["items"]] == [policy_id]  # fmt: skip
    run = client.post(f"/api/v1/policies/{policy_id}/runs", json={"period_start": "2026-01-01", "period_end": "2026-03-31"}, headers=admin).get_json()  # fmt: skip
    line = next(x for x in run["lines"] if x["computed_minor"] == 370_370)
    url = f"/api/v1/policies/lines/{line['id']}/adjust"
    body = {"amount_minor": 300_000, "reason": "一份合同未登记。"}
    assert client.post(url, json=body, headers=member).status_code == 403
    higher = client.post(url, json={**body, "amount_minor": 400_000}, headers=admin)
    assert higher.status_code == 422 and list(higher.get_json()["errors"]) == ["amount_minor"]
    lowered = client.post(url, json=body, headers=admin)
    assert lowered.status_code == 200
    assert (lowered.get_json()["amount_minor"], lowered.get_json()["adjust_reason"]) == (300_000, "一份合同未登记。")  # fmt: skip
    client.post(f"/api/v1/policies/runs/{run['id']}/approve", headers=admin)
    final = client.post(url, json={**body, "amount_minor": 100_000}, headers=admin)
    assert final.status_code == 422
    shown = client.get(f"/api/v1/policies/{policy_id}", headers=admin).get_json()
    assert [(r["id"], r["status"]) for r in shown["runs"]] == [(run["id"], "approved")]
    lines = shown["runs"][0]["lines"]
    assert next(x for x in lines if x["id"] == line["id"])["amount_minor"] == 300_000
    assert client.get(f"/api/v1/policies/{policy_id}", headers=member).status_code == 403
