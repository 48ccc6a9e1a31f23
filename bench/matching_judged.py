"""Judged matching: nDCG@10 of `matches_for_need` on the judged needs (bench/judged/needs.txt).

Run by bench/matching.py (before its timings; `--judged-only` runs just this). A market of
the judged corpus (304 listings, some in an active sale: bench.judged.ON_SALE) and 34
technology needs is written to the bench database and indexed on each backend; then the
real service ranks listings for every need, and the first ten are scored against the
grades. Reported: held-out and tuning nDCG@10, and how many of the judged listings on sale
were shown. Tune the ranking on the tuning half only.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from bench.judged import HELD_OUT, LISTINGS, NEEDS, ON_SALE, TUNING, JudgedNeed
from listings.need_rules import NeedStatus
from listings.rules import SaleState, price_band
from search.backend import NeedDocument

NOW = datetime(2026, 3, 2, 1, 30, tzinfo=UTC)
NEED_ORG_BASE = 1000  # need n is posted by organisation 1000 + n
_SALE_STATES = {
    "listed_sale": SaleState.LISTED_SALE,
    "public_notice": SaleState.UNDER_OFFER,
    "auction_scheduled": SaleState.IN_AUCTION,
    "auction_running": SaleState.IN_AUCTION,
}


def _need_row(need: JudgedNeed) -> dict[str, Any]:
    org_id = NEED_ORG_BASE + need.id
    return {
        "id": need.id,
        "organisation_id": org_id,
        "created_by_id": org_id,
        "title": need.title,
        "problem": need.problem,
        "field": need.field,
        "ipc_classes": [need.ipc],
        "budget_min_minor": need.budget_min_minor,
        "budget_max_minor": need.budget_max_minor,
        "currency": "CNY",
        "deadline": None,
        "min_trl": need.min_trl,
        "transfer_modes": ["assignment", "exclusive_licence"],
        "region": need.region,
        "status": NeedStatus.OPEN,
        "created_at": NOW - timedelta(days=need.id),
        "updated_at": NOW - timedelta(days=need.id),
    }


def need_document(need: JudgedNeed) -> NeedDocument:
    """The index document of a judged need."""
    return NeedDocument(
        id=need.id,
        title=need.title,
        problem=need.problem,
        ipc_classes=(need.ipc,),
        enterprise=f"示范企业{need.id}",
        field=need.field,
        ipc_section=need.ipc[0],
        transfer_modes=("assignment", "exclusive_licence"),
        region=need.region,
        budget_band=price_band(need.budget_max_minor),
        budget_max_minor=need.budget_max_minor,
        deadline=None,
        published_at=NOW - timedelta(days=need.id),
        organisation_id=NEED_ORG_BASE + need.id,
    )


def _sale_rows(doc_id: int, org_id: int, kind: str, serial: int) -> dict[str, list[dict]]:
    """The rows of one active sale: a listed sale, a negotiation in notice, or an auction."""
    price = 2_000_000_00
    if kind == "listed_sale":
        return {"sales": [{
            "id": serial, "listing_id": doc_id, "seller_org_id": org_id,
            "asking_price_minor": price, "currency": "CNY", "deposit_minor": 100_000_00,
            "working_days": 20, "starts_at": NOW - timedelta(days=5),
            "ends_at": NOW + timedelta(days=12), "status": "open", "created_at": NOW,
        }]}  # fmt: skip
    if kind == "public_notice":
        buyer = NEED_ORG_BASE + 900
        return {
            "negotiations": [{
                "id": serial, "listing_id": doc_id, "seller_org_id": org_id,
                "buyer_org_id": buyer, "status": "agreed", "agreed_price_minor": price,
                "currency": "CNY", "created_at": NOW, "updated_at": NOW,
            }],
            "notices": [{
                "id": serial, "negotiation_id": serial, "listing_id": doc_id,
                "result_name": "成果", "summary": "", "inventors": "", "seller_name": "示范大学",
                "buyer_name": "示范企业", "price_minor": price, "currency": "CNY",
                "price_formation": "协议定价", "status": "running",
                "starts_at": NOW - timedelta(days=2), "ends_at": NOW + timedelta(days=13),
            }],
        }  # fmt: skip
    running = kind == "auction_running"
    starts = NOW - timedelta(days=1) if running else NOW + timedelta(days=8)
    return {"auctions": [{
        "id": serial, "listing_id": doc_id, "seller_org_id": org_id,
        "status": "running" if running else "scheduled", "currency": "CNY",
        "starting_price_minor": price, "increment_minor": 50_000_00, "deposit_bps": 1000,
        "starts_at": starts, "ends_at": starts + timedelta(days=3),
        "original_ends_at": starts + timedelta(days=3), "bid_count": 0,
        "announced_at": NOW - timedelta(days=6), "deposit_deadline": starts - timedelta(days=1),
        "created_at": NOW - timedelta(days=7),
    }]}  # fmt: skip


def build_judged_market() -> dict[int, int]:
    """Write the judged listings, their sales and the judged needs; return need id → user id."""
    from accounts.models import Organisation, OrganisationKind, User, VerificationStatus
    from auctions.models import Auction
    from bench.matching import _bulk, listing_row
    from listings.models import Listing, TechNeed
    from trading.models import ListedSale, Negotiation, PublicityNotice

    listing_orgs = sorted({doc.organisation_id for doc in LISTINGS})
    need_orgs = [NEED_ORG_BASE + n.id for n in NEEDS] + [NEED_ORG_BASE + 900]
    orgs, users = [], []
    for org_id in [*listing_orgs, *need_orgs]:
        enterprise = org_id >= NEED_ORG_BASE
        orgs.append({
            "id": org_id, "name": f"{'示范企业' if enterprise else '示范大学'}{org_id}",
            "kind": OrganisationKind.ENTERPRISE if enterprise else OrganisationKind.UNIVERSITY,
            "credit_code": f"9132{org_id:014d}", "region": "上海",
            "status": VerificationStatus.VERIFIED, "created_at": NOW, "verified_at": NOW,
        })  # fmt: skip
        users.append({
            "id": org_id, "email": f"judged{org_id}@bench.example", "name": f"用户{org_id}",
            "password_hash": "-", "organisation_id": org_id, "membership_approved": True,
            "is_reviewer": False, "is_admin": False, "active": True, "created_at": NOW,
        })  # fmt: skip
    _bulk(Organisation.__table__, orgs)
    _bulk(User.__table__, users)
    rows = []
    for doc in LISTINGS:
        row = listing_row(doc)
        if doc.id in ON_SALE:
            row["sale_state"] = _SALE_STATES[ON_SALE[doc.id]]
        rows.append(row)
    _bulk(Listing.__table__, rows)
    tables: dict[str, list[dict]] = {"sales": [], "negotiations": [], "notices": [], "auctions": []}
    by_id = {doc.id: doc for doc in LISTINGS}
    for serial, (doc_id, kind) in enumerate(sorted(ON_SALE.items()), start=1):
        for table, new in _sale_rows(doc_id, by_id[doc_id].organisation_id, kind, serial).items():
            tables[table] += new
    for table, model in (("sales", ListedSale), ("negotiations", Negotiation),
                         ("notices", PublicityNotice), ("auctions", Auction)):  # fmt: skip
        if tables[table]:
            _bulk(model.__table__, tables[table])
    _bulk(TechNeed.__table__, [_need_row(n) for n in NEEDS])
    return {n.id: NEED_ORG_BASE + n.id for n in NEEDS}


def evaluate(app: Any, backend: Any, need_users: dict[int, int]) -> dict[str, Any]:
    """nDCG@10 of every judged need on `backend`, and the judged listings on sale it showed."""
    from accounts.models import User
    from bench.search import ndcg_at
    from brokers.matching import matches_for_need
    from core.extensions import db
    from search import EXTENSION_KEY, FALLBACK_KEY

    app.extensions[EXTENSION_KEY] = backend
    app.extensions[FALLBACK_KEY] = None
    users = {u.id: u for u in db.session.query(User)}
    scores: dict[int, float] = {}
    shown_on_sale, wanted_on_sale = 0, 0
    for need in NEEDS:
        found = matches_for_need(users[need_users[need.id]], need.id, now=NOW, limit=10)
        ids = [m.listing.id for m in found]
        scores[need.id] = ndcg_at(ids, need.grades)
        wanted = {i for i, g in need.grades.items() if g >= 2 and i in ON_SALE}
        wanted_on_sale += len(wanted)
        shown_on_sale += len(wanted & set(ids))
        db.session.rollback()
    return {"scores": scores, "shown_on_sale": shown_on_sale, "wanted_on_sale": wanted_on_sale}


def report(results: Sequence[tuple[str, dict[str, Any]]], verbose: bool = False) -> None:
    """Held-out and tuning nDCG@10 per backend."""

    def mean(scores: dict[int, float], split: str) -> float:
        values = [scores[n.id] for n in NEEDS if n.split == split]
        return sum(values) / len(values)

    halves = {s: sum(1 for n in NEEDS if n.split == s) for s in (TUNING, HELD_OUT)}
    print(
        f"\n== judged matching: {len(NEEDS)} needs ({halves[TUNING]} tuning, "
        f"{halves[HELD_OUT]} held-out) over {len(LISTINGS)} listings, {len(ON_SALE)} on sale"
    )
    for name, r in results:
        print(
            f"  {name:<13} nDCG@10 held-out {mean(r['scores'], HELD_OUT):.3f}   "
            f"tuning {mean(r['scores'], TUNING):.3f}   judged listings on sale shown "
            f"{r['shown_on_sale']} of {r['wanted_on_sale']}"
        )
    if verbose:
        for need in NEEDS:
            cells = " ".join(f"{r['scores'][need.id]:>8.3f}" for _, r in results)
            print(f"  {need.split:<8} {need.id:>3} {need.title[:30]:<30} {cells}")


def run_judged(es_url: str | None, verbose: bool = False) -> None:
    """The judged market on a fresh SQLite database, on the embedded backend and Elasticsearch."""
    import tempfile
    import uuid
    from pathlib import Path

    from bench.matching import bench_app, index_elasticsearch, index_embedded
    from search.embedded import EmbeddedSearchBackend

    needs = [need_document(n) for n in NEEDS]
    with tempfile.TemporaryDirectory(prefix="matching-judged-") as tmp:
        workdir = Path(tmp)
        with bench_app(f"sqlite:///{workdir / 'judged.db'}", workdir) as app:
            need_users = build_judged_market()
            results = []
            embedded = EmbeddedSearchBackend(workdir / "judged-search.db")
            index_embedded(embedded, list(LISTINGS), needs)
            results.append(("embedded", evaluate(app, embedded, need_users)))
            if es_url:
                from search.elasticsearch import ElasticsearchBackend, make_client

                client = make_client(es_url.split(","), request_timeout=30)
                es = ElasticsearchBackend(client, alias=f"bench-judged-{uuid.uuid4().hex[:8]}")
                try:
                    index_elasticsearch(es, list(LISTINGS), needs)
                    results.append(("elasticsearch", evaluate(app, es, need_users)))
                finally:
                    es.drop()
                    es.needs.drop()
                    client.close()
    report(results, verbose)
