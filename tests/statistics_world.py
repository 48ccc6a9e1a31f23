"""A fixed small market for the statistics tests, inserted row by row (figures by hand);
`more_deals` adds random ones around it for the browser test's screenshot.

Sellers: a university in 浙江省杭州市 (A) and an institute in 上海市 (B). Buyers: an
enterprise in 江苏省苏州市 (C) and one in 德国慕尼黑 (D, abroad). In 2025:

    deal  listing (field, IPC, published)  seller→buyer  channel  method      price (yuan)  created
    D1    L1 energy H  2025-01-10          A→C           online   auction     100,000       01-20
    D2    L2 energy H  2025-02-01          A→C           online   listed      200,000       02-11
    D3    L3 biomed A  2025-03-01          A→D           online   negotiated  300,000       03-21
    D4    L4 materials C 2025-03-01        B→C           offline  negotiated  400,000       03-31
    D5    L5 materials C 2025-04-01        B→C           online   listed      500,000       CANCELLED
    D6    —                                A→(off-market) offline negotiated  600,000       06-15
    D8    —                                A→C           online   listed       50,000       07-01
    D9    —                                A→C           online   listed       50,000       07-02
    D7    —                                B→C           online   listed      700,000       2024-12-15

L6 (ict G, published 2025-05-01) has no deal. Needs: two in 2025, one in 2024. Deposits: two
held (50,000 + 30,000), one released. A broker: two introductions in 2025, commissions on
D1 (5,000) and D4 (8,000).
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import insert

from accounts.models import Organisation, User
from brokers.models import Broker, DealCommission, Introduction, Mandate
from core.extensions import db
from deals.models import Deal
from deals.services import what_was_sold
from listings.models import Listing, TechNeed
from payments.models import Deposit


def at(month: int, day: int, year: int = 2025) -> datetime:
    return datetime(year, month, day, 4, 0, tzinfo=UTC)


def _add(model: Any, **values: Any) -> int:
    return int(db.session.execute(insert(model).values(**values)).inserted_primary_key[0])


@dataclass
class World:
    orgs: dict[str, int]
    deals: dict[str, int]
    broker_name: str


def _org(name: str, kind: str, region: str, serial: int) -> int:
    return _add(
        Organisation, name=name, kind=kind, credit_code=f"91STAT{serial:012d}", region=region,
        status="verified", created_at=at(1, 1, 2024),
    )  # fmt: skip


def _listing(org: int, user: int, field: str, ipc: str, published: datetime) -> int:
    return _add(
        Listing, organisation_id=org, created_by_id=user, status="published", field=field,
        title_zh=f"统计样本 {ipc}", title_en=f"Statistics sample {ipc}",  # every published listing has one
        ipc_classes=[ipc], trl=5, holder="h", region="r", created_at=published,
        updated_at=published, published_at=published,
    )  # fmt: skip


def _deal(seller: int, buyer: int | None, listing: int | None, channel: str, method: str,
          yuan: int, created: datetime, status: str = "signed") -> int:  # fmt: skip
    sold = what_was_sold(db.session.get_one(Listing, listing)) if listing else {}
    return _add(
        Deal, listing_id=listing, seller_org_id=seller, buyer_org_id=buyer, seller_name="s",
        buyer_name="b", title="t", method=method, channel=channel, contract_type="transfer",
        price_minor=yuan * 100, status=status, created_at=created, **sold,
    )  # fmt: skip


def build_world() -> World:
    """The market of the table above, committed."""
    orgs = {
        "A": _org("杭州测试大学", "university", "浙江省杭州市", 1),
        "B": _org("上海测试研究所", "institute", "上海市", 2),
        "C": _org("苏州测试企业", "enterprise", "江苏省苏州市", 3),
        "D": _org("Munich Test GmbH", "enterprise", "德国慕尼黑", 4),
        "E": _org("测试经纪公司", "broker_agency", "上海市", 5),
    }
    user = _add(User, email="stats-owner@example.com", name="经纪人王", password_hash="x",
                created_at=at(1, 1, 2024), organisation_id=orgs["E"])  # fmt: skip
    a, b, c, d = orgs["A"], orgs["B"], orgs["C"], orgs["D"]
    l1 = _listing(a, user, "energy", "H01M 10/05", at(1, 10))
    l2 = _listing(a, user, "energy", "H01M 4/58", at(2, 1))
    l3 = _listing(a, user, "biomed", "A61K 9/00", at(3, 1))
    l4 = _listing(b, user, "materials", "C08L 1/00", at(3, 1))
    l5 = _listing(b, user, "materials", "C08L 1/00", at(4, 1))
    _listing(b, user, "ict", "G06F 17/00", at(5, 1))
    deals = {
        "D1": _deal(a, c, l1, "online", "auction", 100_000, at(1, 20)),
        "D2": _deal(a, c, l2, "online", "listed", 200_000, at(2, 11)),
        "D3": _deal(a, d, l3, "online", "negotiated", 300_000, at(3, 21)),
        "D4": _deal(b, c, l4, "offline", "negotiated", 400_000, at(3, 31)),
        "D5": _deal(b, c, l5, "online", "listed", 500_000, at(4, 11), status="cancelled"),
        "D6": _deal(a, None, None, "offline", "negotiated", 600_000, at(6, 15)),
        "D8": _deal(a, c, None, "online", "listed", 50_000, at(7, 1)),
        "D9": _deal(a, c, None, "online", "listed", 50_000, at(7, 2)),
        "D7": _deal(b, c, None, "online", "listed", 700_000, at(12, 15, 2024)),
    }
    for created in (at(2, 1), at(8, 1), at(6, 1, 2024)):
        _add(TechNeed, organisation_id=c, created_by_id=user, title="n", problem="p",
             field="energy", region="江苏省苏州市", status="open", created_at=created,
             updated_at=created)  # fmt: skip
    for serial, (amount, status) in enumerate(
        ((50_000, "held"), (30_000, "held"), (90_000, "released"))
    ):
        _add(Deposit, context_type="auction", context_id=serial + 1, org_id=c, user_id=user,
             amount_minor=amount * 100, status=status, created_at=at(1, 5))  # fmt: skip
    broker = _add(Broker, user_id=user, organisation_id=orgs["E"], level="senior",
                  certificate_number="JJR-1", issuing_body="x", expires_on=at(1, 1, 2030).date(),
                  status="accredited", region="上海市", applied_at=at(1, 1, 2024))  # fmt: skip
    mandate = _add(Mandate, broker_id=broker, principal_org_id=a, side="seller",
                   starts_at=at(1, 1), ends_at=at(12, 31), commission_kind="percentage",
                   payer="seller", status="active", proposed_by_id=user, created_at=at(1, 1))  # fmt: skip
    intros = [
        _add(
            Introduction,
            mandate_id=mandate,
            broker_id=broker,
            kind="buyer_to_listing",
            listing_id=listing,
            seller_org_id=a,
            buyer_org_id=c,
            status="accepted",
            created_at=created,
            created_by_id=user,
        )
        for listing, created in ((l1, at(1, 12)), (l4, at(3, 5)))
    ]
    for deal, intro, amount in ((deals["D1"], intros[0], 5_000), (deals["D4"], intros[1], 8_000)):
        _add(DealCommission, deal_id=deal, mandate_id=mandate, introduction_id=intro,
             broker_id=broker, broker_user_id=user, broker_org_id=orgs["E"], payer="seller",
             basis_minor=1, amount_minor=amount * 100, currency="CNY", created_at=at(4, 1))  # fmt: skip
    db.session.commit()
    return World(orgs, deals, "经纪人王")


MORE_REGIONS = (
    "湖北省武汉市",
    "广东省深圳市",
    "北京市",
    "四川省成都市",
    "江苏省南京市",
    "陕西省西安市",
)
MORE_FIELDS = (("energy", "H01M 4/58"), ("biomed", "A61K 9/00"), ("ict", "G06F 17/00"),
               ("materials", "C08L 1/00"), ("equipment", "F16H 1/00"), ("environment", "B01D 53/00"))  # fmt: skip


def more_deals(world: World, n: int, seed: int = 7) -> None:
    """`n` more deals of 2025 between new sellers in other regions and the world's buyers."""
    rng = random.Random(seed)
    user = _add(User, email="stats-more@example.com", name="m", password_hash="x",
                created_at=at(1, 1, 2024))  # fmt: skip
    sellers = [
        _org(f"测试机构{i}", ("university", "institute")[i % 2], region, 100 + i)
        for i, region in enumerate(MORE_REGIONS)
    ]
    for _i in range(n):
        seller = rng.choice(sellers)
        field, ipc = rng.choice(MORE_FIELDS)
        published = at(1, 1) + timedelta(days=rng.randrange(300))
        listing = _listing(seller, user, field, ipc, published)
        created = published + timedelta(days=rng.randrange(5, 60))
        _deal(seller, world.orgs[rng.choice("CCCD")], listing, rng.choice(("online", "online", "offline")),
              rng.choice(("listed", "negotiated", "auction")), rng.randrange(5, 300) * 10_000,
              min(created, at(12, 30)))  # fmt: skip
    db.session.commit()
