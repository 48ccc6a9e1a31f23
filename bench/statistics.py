"""Benchmark of the city statistics: every query of the statistics page over 100,000 deals.

    .venv/bin/python bench/statistics.py [--deals 100000] [--samples 40] [--database-url URL]

Builds, by bulk inserts, a market of --deals deals (SQLite in a temporary directory by
default; --database-url names another database, e.g. PostgreSQL, WHICH IS EMPTIED FIRST:
never point it at the test database), 1.3 listings per deal, 300 organisations in 14
regions (two abroad), 10 % as many needs, 20 % as many deposits, 60 brokers with
introductions and commissions, 4 % of the deals priced in USD or EUR (a reference rate a
day). Then it times the whole page (`report.full_report`, the administrators' version,
and `report.public_report`) for three periods (a month, a year, three years) and prints
p50 / p95 / max in milliseconds. Goal: p95 < 500 ms on PostgreSQL.

Figures: see docs/architecture.md ("City statistics").
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path[:] = [str(ROOT)] + [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]

from flask_migrate import upgrade
from sqlalchemy import insert, text

from accounts.models import Organisation, User
from brokers.models import Broker, DealCommission, Introduction, Mandate
from core.extensions import db
from core.rates import ReferenceRate
from deals.models import Deal
from listings.models import Listing, TechNeed
from marketplace.statistics import report
from marketplace.statistics.rules import Period
from payments.models import Deposit

START = datetime(2024, 1, 1, tzinfo=UTC)
DAYS = 3 * 365
BATCH = 5000
REGIONS = (
    "湖北省武汉市", "上海市", "浙江省杭州市", "浙江省宁波市", "广东省广州市", "广东省深圳市",
    "北京市", "四川省成都市", "江苏省南京市", "江苏省苏州市", "山东省济南市", "陕西省西安市",
    "德国慕尼黑", "香港特别行政区",
)  # fmt: skip
KINDS = ("university", "institute", "enterprise", "enterprise")
FIELDS = ("ict", "biomed", "materials", "energy", "equipment", "agri", "environment")
# Two deals in fifty are priced abroad (converted at the day's rate: statistics/currency.py).
ABROAD = {7: "USD", 33: "EUR"}
IPC = ("A61K 9/00", "B01D 53/00", "C08L 1/00", "G06F 17/00", "H01M 10/05", "F16H 1/00", "E04B 1/00")


def _bulk(model: Any, rows: list[dict[str, Any]]) -> None:
    for i in range(0, len(rows), BATCH):
        db.session.execute(insert(model), rows[i : i + BATCH])


def _moment(rng: random.Random) -> datetime:
    return START + timedelta(seconds=rng.randrange(DAYS * 86400))


def build(deals: int, rng: random.Random) -> None:
    """The synthetic market, by bulk inserts."""
    orgs = 300
    _bulk(Organisation, [
        {"id": i, "name": f"org{i}", "kind": KINDS[i % 4], "credit_code": f"{i:018d}",
         "region": REGIONS[i % len(REGIONS)], "status": "verified", "created_at": START}
        for i in range(1, orgs + 1)
    ])  # fmt: skip
    _bulk(User, [
        {"id": i, "email": f"u{i}@bench.example", "name": f"u{i}", "password_hash": "x",
         "created_at": START, "organisation_id": i if i <= orgs else None,
         "is_reviewer": i > orgs, "locale": "zh_CN"}
        for i in range(1, orgs + 2)
    ])  # fmt: skip
    listings = deals * 13 // 10
    listing_rows, deal_rows = [], []
    for i in range(1, listings + 1):
        published = _moment(rng)
        org = rng.randrange(1, orgs + 1, 2)
        listing_rows.append(
            {"id": i, "organisation_id": org, "created_by_id": org, "status": "published",
             "field": FIELDS[i % len(FIELDS)], "ipc_classes": [IPC[i % len(IPC)]], "trl": 5,
             "holder": "h", "region": REGIONS[org % len(REGIONS)], "created_at": published,
             "updated_at": published, "published_at": published}
        )  # fmt: skip
        if i <= deals:
            buyer = rng.randrange(2, orgs + 1, 2)
            created = published + timedelta(days=rng.randrange(1, 200))
            deal_rows.append(
                {"id": i, "listing_id": i, "seller_org_id": org, "buyer_org_id": buyer,
                 "seller_name": "s", "buyer_name": "b", "title": f"deal {i}",
                 "method": ("listed", "negotiated", "auction")[i % 3],
                 "channel": "offline" if i % 5 == 0 else "online", "contract_type": "transfer",
                 "price_minor": rng.randrange(10_000_00, 5_000_000_00),
                 "currency": ABROAD.get(i % 50, "CNY"),
                 "status": "cancelled" if i % 20 == 0 else "signed", "created_at": created,
                 "field": FIELDS[i % len(FIELDS)], "ipc_section": IPC[i % len(IPC)][0],
                 "listed_at": published}
            )  # fmt: skip
    _bulk(Listing, listing_rows)
    _bulk(Deal, deal_rows)
    _bulk(TechNeed, [
        {"organisation_id": 2 + 2 * (i % 150), "created_by_id": 2, "title": "n", "problem": "p",
         "field": FIELDS[i % 7], "region": "上海市", "status": "open",
         "created_at": (m := _moment(rng)), "updated_at": m}
        for i in range(deals // 10)
    ])  # fmt: skip
    _bulk(Deposit, [
        {"context_type": "auction", "context_id": i, "org_id": 2 + 2 * (i % 150), "user_id": 2,
         "amount_minor": 50_000_00, "status": ("held", "released", "applied")[i % 3],
         "created_at": _moment(rng)}
        for i in range(deals // 5)
    ])  # fmt: skip
    _brokers(deals, rng)
    _bulk(ReferenceRate, [
        {"currency": c, "effective_on": (START + timedelta(days=d)).date(), "source": "import",
         "yuan_e10": base * 10**6 + rng.randrange(-50_000, 50_000) * 10**2, "set_at": START}
        for d in range(-10, DAYS + 300) for c, base in (("USD", 71_000), ("EUR", 77_000))
    ])  # fmt: skip
    db.session.commit()


def _brokers(deals: int, rng: random.Random) -> None:
    brokers = 60
    _bulk(Broker, [
        {"id": b, "user_id": b, "organisation_id": b, "level": "senior", "certificate_number": f"c{b}",
         "issuing_body": "x", "expires_on": date(2030, 1, 1), "status": "accredited",
         "region": "上海市", "applied_at": START}
        for b in range(1, brokers + 1)
    ])  # fmt: skip
    _bulk(Mandate, [
        {"id": b, "broker_id": b, "principal_org_id": 1, "side": "seller", "starts_at": START,
         "ends_at": START + timedelta(days=DAYS), "commission_kind": "percentage", "payer": "seller",
         "status": "active", "proposed_by_id": b, "created_at": START}
        for b in range(1, brokers + 1)
    ])  # fmt: skip
    intros, commissions = [], []
    for i in range(1, deals // 10 + 1):
        b = rng.randint(1, brokers)
        intros.append(
            {"id": i, "mandate_id": b, "broker_id": b, "kind": "buyer_to_listing", "listing_id": i,
             "seller_org_id": 1, "buyer_org_id": 2, "status": "accepted",
             "created_at": _moment(rng), "created_by_id": b}
        )  # fmt: skip
        if i % 2 == 0:
            commissions.append(
                {"deal_id": i, "mandate_id": b, "introduction_id": i, "broker_id": b,
                 "broker_user_id": b, "broker_org_id": b, "payer": "seller", "basis_minor": 1,
                 "amount_minor": rng.randrange(1000_00, 50_000_00), "currency": "CNY",
                 "created_at": START}
            )  # fmt: skip
    _bulk(Introduction, intros)
    _bulk(DealCommission, commissions)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--deals", type=int, default=100_000)
    parser.add_argument("--samples", type=int, default=40)
    parser.add_argument("--database-url")
    parser.add_argument(
        "--reuse", action="store_true", help="time a market built by a previous run"
    )
    args = parser.parse_args()

    from marketplace import create_app

    work = Path(tempfile.mkdtemp(prefix="bench-statistics-"))
    url = args.database_url or f"sqlite:///{work / 'bench.db'}"
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SEARCH_INDEX_PATH": str(work / "s.db")})
    tz = ZoneInfo("Asia/Shanghai")
    periods = {
        "month": Period(date(2025, 6, 1), date(2025, 7, 1)),
        "year": Period(date(2025, 1, 1), date(2026, 1, 1)),
        "3 years": Period(date(2024, 1, 1), date(2027, 1, 1)),
    }
    with app.app_context():
        if args.reuse:
            upgrade()
        else:
            _build_fresh(url, args.deals)
        _time(periods, args.samples, tz)


def _build_fresh(url: str, deals: int) -> None:
    if url.startswith("postgresql"):
        with db.engine.begin() as connection:
            connection.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
    upgrade()
    started = time.perf_counter()
    build(deals, random.Random(7))
    if url.startswith("postgresql"):
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as c:
            c.execute(text("VACUUM ANALYZE"))
    else:
        db.session.execute(text("ANALYZE"))
        db.session.commit()
    print(f"{deals} deals built in {time.perf_counter() - started:.1f} s ({url.split(':')[0]})")


def _time(periods: dict[str, Period], samples: int, tz: ZoneInfo) -> None:
    """p50 / p95 / max of the whole page (every query and the rules), per period and version."""
    reviewer = db.session.get(User, 301)
    for name, span in periods.items():
        for version in ("full", "public"):
            timings = []
            for _ in range(samples):
                started = time.perf_counter()
                if version == "full":
                    result = report.full_report(reviewer, span, tz)
                else:
                    result = report.public_report(span, tz)
                timings.append((time.perf_counter() - started) * 1000)
                db.session.rollback()
            timings.sort()
            p50 = timings[len(timings) // 2]
            p95 = timings[int(0.95 * (len(timings) - 1))]
            print(
                f"{name:8} {version:6} deals {result.totals.deals:6}: p50 {p50:6.1f} ms, "
                f"p95 {p95:6.1f} ms, max {timings[-1]:6.1f} ms"
            )
    print(f"load average {os.getloadavg()[0]:.1f} (2 cores)")


if __name__ == "__main__":
    main()
