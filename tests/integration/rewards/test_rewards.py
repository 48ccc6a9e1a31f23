"""Inventors' rewards on a real database: the institution names the inventors, sets its policy
(never below the statutory floor), sets a completed deal's reward once; the pool is posted on
the deal's ledger; each inventor's statement (page, CSV, API) is theirs and the admins'."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select

from core.audit_models import AuditEntry
from core.domain import PermissionDenied, ValidationFailed
from core.extensions import db
from core.uow import unit_of_work
from deals.models import Channel, ContractType, Deal, DealStatus, SaleMethod
from listings.rules import ListingStatus
from payments import ledger
from payments.rules import Account, EntryKind
from rewards import services
from rewards.rules import CostCategory, RewardRefused
from tests import factories
from tests.conftest import FrozenClock
from tests.integration.licences.test_open_licence_pages import _sign_in, quick_passwords  # noqa: F401

EN = {"Accept-Language": "en"}


@pytest.fixture
def market(db_session: object, clock: FrozenClock, upload_folder: Path, quick_passwords: None) -> dict:  # noqa: F811  # fmt: skip
    now = clock.current
    reviewer = factories.platform_reviewer(now)
    admin = factories.seller(now, reviewer=reviewer, name="江城大学")  # registered it: its admin
    buyer = factories.enterprise(now, name="江城电池有限公司")
    listing = factories.listing(admin, now, status=ListingStatus.PUBLISHED, reviewer=reviewer, folder=upload_folder)  # fmt: skip
    inventor = factories.enterprise(now)  # an inventor with an account (any organisation)
    with unit_of_work():
        deal = Deal(
            listing_id=listing.id, seller_org_id=admin.organisation_id, buyer_org_id=buyer.organisation_id,
            seller_name="江城大学", buyer_name="江城电池有限公司", title="高镍正极材料", method=SaleMethod.NEGOTIATED,
            channel=Channel.OFFLINE, contract_type=ContractType.TRANSFER, price_minor=1_000_000_01,
            status=DealStatus.COMPLETED, created_at=now, completed_at=datetime(2026, 2, 1, tzinfo=UTC),
        )  # fmt: skip
        db.session.add(deal)
        db.session.flush()
    return {"now": now, "admin": admin, "buyer": buyer, "listing": listing, "deal": deal, "inventor": inventor}  # fmt: skip


def _inventors(market: dict) -> list:
    named = [
        services.NewInventor("王伟", 3334, market["inventor"].email),
        services.NewInventor("李娜", 3333),
        services.NewInventor("张强", 3333),
    ]
    with unit_of_work():
        return services.set_inventors(
            market["admin"], market["listing"].id, named, now=market["now"]
        )


def test_a_policy_below_the_floor_is_refused_and_only_admins_set_one(market: dict) -> None:
    with pytest.raises(RewardRefused) as refused, unit_of_work():
        services.set_policy(market["admin"], 4_999, frozenset(CostCategory), now=market["now"])
    assert refused.value.code == "below_floor"
    with pytest.raises(PermissionDenied), unit_of_work():
        services.set_policy(
            market["inventor"], 6_000, frozenset(), now=market["now"]
        )  # an enterprise
    assert services.policy_of(market["admin"].organisation_id) is None


def test_a_deal_reward_is_split_exactly_posted_once_and_audited(market: dict) -> None:
    rows = _inventors(market)
    with unit_of_work():
        services.set_policy(market["admin"], 7_000, frozenset({CostCategory.FEES, CostCategory.MAINTENANCE}), now=market["now"])  # fmt: skip
    costs = {CostCategory.FEES: 50_000_00, CostCategory.MAINTENANCE: 20_000_01, CostCategory.VALUATION: 30_000_00}  # fmt: skip
    with unit_of_work():
        reward = services.award(market["admin"], market["deal"].id, costs, now=market["now"])
    # 1 000 000.01 − 50 000 − 20 000.01 (valuation not allowed) = 930 000.00; 70% = 651 000.00
    assert (reward.net_minor, reward.pool_minor) == (930_000_00, 651_000_00)
    amounts = [line.amount_minor for line in reward.lines]
    assert sum(amounts) == reward.pool_minor and amounts == [217_043_40, 216_978_30, 216_978_30]
    posting = ledger.find(f"inventor_reward:{market['deal'].id}")
    assert posting is not None and posting.kind == EntryKind.INVENTOR_REWARD
    assert {(leg.account, leg.amount_minor) for leg in posting.legs} == {(Account.REWARD_POOL, 651_000_00), (Account.INVENTOR_REWARDS, -651_000_00)}  # fmt: skip
    with pytest.raises(RewardRefused) as again, unit_of_work():
        services.award(market["admin"], market["deal"].id, {}, now=market["now"])
    assert again.value.code == "already_awarded"
    with pytest.raises(RewardRefused) as frozen, unit_of_work():
        services.set_inventors(market["admin"], market["listing"].id, [services.NewInventor("王伟", 10_000)], now=market["now"])  # fmt: skip
    assert frozen.value.code == "inventors_rewarded"
    actions = set(db.session.scalars(select(AuditEntry.action)))
    assert {"listing.inventors_set", "reward_policy.set", "deal_reward.award"} <= actions
    assert rows[0].user_id == market["inventor"].id


def test_without_a_policy_the_statutory_floor_applies(market: dict) -> None:
    _inventors(market)
    with unit_of_work():
        reward = services.award(market["admin"], market["deal"].id, {CostCategory.VALUATION: 1}, now=market["now"])  # fmt: skip
    assert (
        reward.share_bp == 5_000
        and reward.net_minor == 1_000_000_00
        and reward.pool_minor == 500_000_00
    )


def test_shares_must_add_up_and_unfinished_deals_get_no_reward(market: dict) -> None:
    with pytest.raises(ValidationFailed), unit_of_work():
        services.set_inventors(market["admin"], market["listing"].id, [services.NewInventor("王伟", 6_000)], now=market["now"])  # fmt: skip
    with pytest.raises(RewardRefused) as none, unit_of_work():
        services.award(market["admin"], market["deal"].id, {}, now=market["now"])
    assert none.value.code == "no_inventors"
    _inventors(market)
    with unit_of_work():
        market["deal"].status = DealStatus.PAID
    with pytest.raises(RewardRefused) as unfinished, unit_of_work():
        services.award(market["admin"], market["deal"].id, {}, now=market["now"])
    assert unfinished.value.code == "not_rewardable"


def test_pages_csv_and_api_of_the_statement(client: FlaskClient, market: dict) -> None:
    _sign_in(client, market["admin"])
    saved = client.post(f"/listings/{market['listing'].id}/inventors", data={"inventors": f"王伟, 60, {market['inventor'].email}\n李娜，40"})  # fmt: skip
    assert saved.status_code == 302
    page = client.get("/rewards", headers=EN).data.decode()
    assert "高镍正极材料" in page and "Set the reward" in page
    assert (
        client.post("/rewards/policy", data={"share": "40", "allow_fees": "1"}).status_code == 302
    )
    assert services.policy_of(market["admin"].organisation_id) is None  # refused: below 50%
    client.post(f"/rewards/deals/{market['deal'].id}", data={"cost_fees": "1,000.01"})
    statement_id = services.inventors_of(market["listing"].id)[1].id
    page = client.get(f"/rewards/inventors/{statement_id}", headers=EN).data.decode()
    assert "李娜" in page and "199,800.00" in page  # 40% of 50% of (1,000,000.01 − 1,000.01)
    csv = client.get(f"/rewards/inventors/{statement_id}.csv").data.decode("utf-8-sig")
    assert csv.splitlines()[0].startswith("inventor,deal") and "199800.00" in csv
    first = services.inventors_of(market["listing"].id)[0].id
    _sign_in(client, market["inventor"])
    inbox = client.get("/inbox", headers=EN).data.decode()  # told of their share, with a link
    told = re.search(r"reward for “[^”]+” is set: ¥299,700\.00\.</div>\s*</div>\s*<form method=\"post\" action=\"(/inbox/\d+/open)\"", inbox)  # fmt: skip
    assert told is not None, "the inventor is told their share"
    assert client.post(told[1]).headers["Location"] == f"/rewards/inventors/{first}"
    assert client.get(f"/rewards/inventors/{statement_id}").status_code == 404  # not theirs
    assert client.get(f"/rewards/inventors/{first}").status_code == 200
    token = factories.api_token(market["inventor"], "mine", now=market["now"])
    body = client.get(f"/api/v1/rewards/inventors/{first}", headers={"Authorization": f"Bearer {token}"}).get_json()  # fmt: skip
    assert body["total_minor"] == 299_700_00
    assert body["items"][0]["deal_id"] == market["deal"].id
    auth = {"Authorization": f"Bearer {token}"}
    mine = client.get("/api/v1/rewards/inventors", headers=auth).get_json()["items"]
    assert [(i["inventor_id"], i["listing_id"]) for i in mine] == [(first, market["listing"].id)]
    csv_file = client.get(f"/api/v1/rewards/inventors/{first}.csv", headers=auth)
    assert csv_file.status_code == 200 and csv_file.mimetype == "text/csv"
    assert csv_file.headers["Content-Disposition"] == f'attachment; filename="reward-statement-{first}.csv"'  # fmt: skip
    rows = csv_file.data.decode("utf-8-sig").splitlines()
    assert rows[0].startswith("inventor,deal") and "299700.00" in csv_file.data.decode()
    not_theirs = client.get(f"/api/v1/rewards/inventors/{statement_id}.csv", headers=auth)
    assert not_theirs.status_code == 404 and not_theirs.get_json()["code"] == "not_found"
    client.post("/signout")
    assert client.get(f"/api/v1/rewards/inventors/{first}.csv").status_code == 401
