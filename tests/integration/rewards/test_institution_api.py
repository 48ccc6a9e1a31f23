"""An institution's reward rules by API alone: its administrator sets the policy (never below
the statutory floor), names a listing's inventors and lists its completed deals with their
rewards as the rewards page does; the others are refused."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from flask.testing import FlaskClient

from core.extensions import db
from core.uow import unit_of_work
from deals.models import Channel, ContractType, Deal, DealStatus, SaleMethod
from tests import factories
from tests.integration.licences.test_open_licence_pages import _sign_in
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


def test_an_institution_lists_its_completed_deals_and_rewards_as_its_page_does(client: FlaskClient, market: dict) -> None:  # noqa: F811  # fmt: skip
    first = market["deal"]
    with unit_of_work():  # a later licence closed off the market (no listing: no inventors named)
        later = Deal(
            listing_id=None, seller_org_id=first.seller_org_id, buyer_org_id=first.buyer_org_id,
            seller_name=first.seller_name, buyer_name="江城储能有限公司", title="高镍正极材料（许可）",
            method=SaleMethod.NEGOTIATED, channel=Channel.OFFLINE, contract_type=ContractType.LICENCE,
            price_minor=200_000_00, status=DealStatus.COMPLETED, created_at=market["now"],
            completed_at=datetime(2026, 2, 20, tzinfo=UTC),
        )  # fmt: skip
        db.session.add(later)
    admin = _auth(market["admin"], market["now"])
    url = "/api/v1/rewards/deals"
    waiting = client.get(url, headers=admin).get_json()["items"]
    assert [(d["deal_id"], d["reward"], d["allowed_actions"]) for d in waiting] == [(later.id, None, []), (first.id, None, [])]  # no inventors yet  # fmt: skip
    named = {"inventors": [{"name": "王伟", "share_bp": 6_000}, {"name": "李娜", "share_bp": 4_000}]}  # fmt: skip
    client.put(f"/api/v1/rewards/listings/{market['listing'].id}/inventors", json=named, headers=admin)  # fmt: skip
    assert [d["allowed_actions"] for d in client.get(url, headers=admin).get_json()["items"]] == [[], ["award"]]  # fmt: skip
    assert client.post(f"/api/v1/rewards/deals/{first.id}", json={}, headers=admin).status_code == 201  # fmt: skip

    page_one = client.get(f"{url}?limit=1", headers=admin).get_json()
    assert [d["deal_id"] for d in page_one["items"]] == [later.id]
    page_two = client.get(f"{url}?limit=1&cursor={page_one['next_cursor']}", headers=admin).get_json()  # fmt: skip
    assert page_two["next_cursor"] is None
    [rewarded] = page_two["items"]
    assert (rewarded["deal_id"], rewarded["allowed_actions"], rewarded["buyer_name"]) == (first.id, [], "江城电池有限公司")  # fmt: skip
    assert (rewarded["reward"]["pool_minor"], [line["name"] for line in rewarded["reward"]["lines"]]) == (500_000_01, ["王伟", "李娜"])  # fmt: skip

    _sign_in(client, market["admin"])  # the page lists the same deals in the same order
    page = client.get("/rewards", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert re.findall(r'id="deal-(\d+)"', page) == [str(later.id), str(first.id)]
    assert "Set the reward" in page and "500,000.01" in page
    client.post("/signout")

    refused = client.get(url, headers=_auth(market["buyer"], market["now"]))
    assert refused.status_code == 403 and set(refused.get_json()) == {"code", "message", "errors"}
    assert client.get(url).status_code == 401
    wrong = client.get(f"{url}?cursor=bm90LW9uZS1vZi1vdXJzOjE", headers=admin)
    assert wrong.status_code == 422 and list(wrong.get_json()["errors"]) == ["cursor"]
