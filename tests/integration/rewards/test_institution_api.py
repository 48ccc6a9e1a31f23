"""An institution's reward rules by API alone: its administrator sets the policy (never below
the statutory floor) and names a listing's inventors; the others are refused."""

from __future__ import annotations

from flask.testing import FlaskClient

from tests import factories
from tests.integration.rewards.test_rewards import market, quick_passwords  # noqa: F401


def _auth(user: object, now: object) -> dict[str, str]:
    return {"Authorization": f"Bearer {factories.api_token(user, '奖励', now=now)}", "Accept-Language": "en"}  # type: ignore[arg-type]  # fmt: skip


def test_an_institution_sets_its_policy_and_names_the_inventors_by_api(client: FlaskClient, market: dict) -> None:  # noqa: F811  # fmt: skip
    admin, buyer = _auth(market["admin"], market["now"]), _auth(market["buyer"], market["now"])
    statutory = client.get("/api/v1/rewards/policy", headers=admin).get_json()
    assert (statutory["share_bp"], statutory["own"]) == (5_000, False)
    low = client.put("/api/v1/rewards/policy", json={"share_bp": 4_000}, headers=admin)
    assert low.status_code == 409 and low.get_json()["code"] == "below_floor"
    assert list(low.get_json()["errors"]) == ["share_bp"]
    assert client.put("/api/v1/rewards/policy", json={"share_bp": 7_000}, headers=buyer).status_code == 403  # fmt: skip
    set_ = client.put("/api/v1/rewards/policy", json={"share_bp": 7_000, "allowed_costs": ["fees"]}, headers=admin)  # fmt: skip
    assert set_.status_code == 200 and set_.get_json() == {"share_bp": 7_000, "allowed_costs": ["fees"], "own": True}  # fmt: skip

    url = f"/api/v1/rewards/listings/{market['listing'].id}/inventors"
    named = {"inventors": [{"name": "王伟", "share_bp": 6_000, "email": market["inventor"].email}, {"name": "李娜", "share_bp": 4_000}]}  # fmt: skip
    short = client.put(
        url, json={"inventors": [{"name": "王伟", "share_bp": 6_000}]}, headers=admin
    )
    assert short.status_code == 422 and list(short.get_json()["errors"]) == ["inventors"]
    assert client.put(url, json=named, headers=buyer).status_code == 403
    saved = client.put(url, json=named, headers=admin)
    assert saved.status_code == 200
    rows = saved.get_json()["inventors"]
    assert [(r["name"], r["share_bp"], r["user_id"]) for r in rows] == [("王伟", 6_000, market["inventor"].id), ("李娜", 4_000, None)]  # fmt: skip
    assert client.get(url, headers=admin).get_json()["inventors"] == rows
    assert client.get(url, headers=buyer).status_code == 403
