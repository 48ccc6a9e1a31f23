"""Benchmark of matching: time to compute the matches of one need and of one listing.

    .venv/bin/python bench/matching.py [--listings 100000] [--needs 10000] [--samples 60]
                                       [--es-url URL | --no-es] [--database-url URL]

Builds a market in a database (SQLite in a temporary directory by default;
--database-url names another one, e.g. PostgreSQL, WHICH IS EMPTIED FIRST):
the synthetic listings of bench/corpus.py, technology needs generated here
from the same vocabulary, enterprises with bids, intents to buy and
negotiations, all with bulk inserts. The same documents are indexed into the
embedded backend and into Elasticsearch (the node of --es-url or
ELASTICSEARCH_URL; without one, a node is started with devservices/elasticsearch.sh
and stopped afterwards, as bench/search.py does). Then, on each backend in turn, `matches_for_need` and
`matches_for_listing` (brokers/matching.py: the real service, with its
database queries and access check) run for --samples random needs and
listings, and the script prints p50/p95/max in milliseconds. Target: p95 < 100 ms.

First, relevance (bench/matching_judged.py): on the judged needs of bench/judged/needs.txt,
nDCG@10 of the listings matched to each need, held-out and tuning halves, on each backend
(`--judged-only`: just that; `--verbose`: one line per need).
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Run as a script, this file's folder comes first on sys.path and `search` would be us.
sys.path[:] = [str(ROOT)] + [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]

from sqlalchemy import insert, update

from bench.corpus import IPC_BY_FIELD, REGIONS, CorpusGenerator, ZipfSampler
from listings.need_rules import NeedStatus
from listings.rules import FIELDS, ListingStatus, SaleState, TransferMode, price_band
from search.backend import NeedDocument, SearchDocument

BATCH = 2000
NOW = datetime(2026, 3, 2, 1, 30, tzinfo=UTC)
LISTING_ORGS = 500  # the corpus draws listing organisations from 1..500
NEED_TITLES = (
    "寻求{a}{b}技术",
    "寻求一种{a}的制备工艺",
    "征集{a}与{b}解决方案",
    "寻求基于{a}的{b}系统",
    "{a}{b}关键技术攻关",
)
NEED_PROBLEMS = (
    "我公司现有{a}工艺存在{b}成本高、效率低的问题，",
    "希望引进{a}技术，实现{b}的规模化生产，",
    "需要解决{a}在{b}条件下稳定性差的难题，",
    "拟与高校合作开发{a}{b}，",
    "目标是将{a}性能提升30%以上，并降低{b}能耗。",
)


class NeedGenerator:
    """Deterministic technology needs in the corpus's vocabulary (same seed, same needs)."""

    def __init__(self, corpus: CorpusGenerator, seed: int = 7) -> None:
        self.rng = random.Random(seed)
        self.zh: ZipfSampler = corpus.zh
        self.fields = list(FIELDS)
        self.modes = [m.value for m in TransferMode]

    def _fill(self, template: str) -> str:
        return template.format(a=self.zh(), b=self.zh())

    def need(self, need_id: int, enterprise: str, org_id: int) -> tuple[dict, NeedDocument]:
        """The database row and the index document of one need."""
        rng = self.rng
        field = rng.choice(self.fields)
        ipc = (f"{IPC_BY_FIELD[field]} {rng.randint(1, 99)}/{rng.randint(0, 99):02d}",)
        low = int(rng.lognormvariate(12.5, 1.0)) * 100
        high = low * rng.choice((2, 3, 5))
        deadline = (
            None if rng.random() < 0.3 else date(2026, 3, 2) + timedelta(rng.randint(30, 400))
        )
        modes = tuple(sorted(rng.sample(self.modes, rng.randint(1, 2))))
        created = NOW - timedelta(minutes=rng.randint(0, 365 * 24 * 60))
        title = self._fill(rng.choice(NEED_TITLES))
        problem = "".join(self._fill(t) for t in rng.sample(NEED_PROBLEMS, 3))
        region = rng.choice(REGIONS)
        row = {
            "id": need_id,
            "organisation_id": org_id,
            "created_by_id": org_id,
            "title": title,
            "problem": problem,
            "field": field,
            "ipc_classes": list(ipc),
            "budget_min_minor": low,
            "budget_max_minor": high,
            "currency": "CNY",
            "deadline": deadline,
            "min_trl": rng.choice((None, 3, 5, 7)),
            "transfer_modes": list(modes),
            "region": region,
            "status": NeedStatus.OPEN,
            "created_at": created,
            "updated_at": created,
        }
        document = NeedDocument(
            id=need_id,
            title=title,
            problem=problem,
            ipc_classes=ipc,
            enterprise=enterprise,
            field=field,
            ipc_section=ipc[0][0],
            transfer_modes=modes,
            region=region,
            budget_band=price_band(high),
            budget_max_minor=high,
            deadline=deadline,
            published_at=created,
            organisation_id=org_id,
        )
        return row, document


def listing_row(doc: SearchDocument) -> dict:
    """A published, available listing as the database holds it, from its index document."""
    return {
        "id": doc.id,
        "organisation_id": doc.organisation_id,
        "created_by_id": doc.organisation_id,
        "status": ListingStatus.PUBLISHED,
        "title_zh": doc.title_zh or None,
        "title_en": doc.title_en or None,
        "summary_zh": doc.summary_zh or None,
        "summary_en": doc.summary_en or None,
        "problem": doc.body,
        "field": doc.field,
        "ipc_classes": list(doc.ipc_classes),
        "trl": doc.trl,
        "inventors": list(doc.inventors),
        "holder": doc.holder,
        "transfer_modes": list(doc.transfer_modes),
        "region": doc.region,
        "asking_price_minor": doc.asking_price_minor,
        "currency": "CNY",
        "featured": False,
        "sale_state": SaleState.AVAILABLE,
        "created_at": doc.published_at,
        "updated_at": doc.published_at,
        "published_at": doc.published_at,
    }


def percentile(samples: Sequence[float], p: float) -> float:
    """The p-th percentile (nearest rank) of the samples."""
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered)) - 1))]


def timed(call: Callable[[], object]) -> float:
    """Milliseconds the call took."""
    start = time.perf_counter()
    call()
    return (time.perf_counter() - start) * 1000


def _bulk(table: object, rows: list[dict]) -> None:
    from core.extensions import db

    for start in range(0, len(rows), BATCH):
        db.session.execute(insert(table), rows[start : start + BATCH])  # type: ignore[arg-type]
    db.session.commit()


def build_market(
    n_listings: int, n_needs: int, rng: random.Random
) -> tuple[list[SearchDocument], list[NeedDocument], dict[int, int]]:
    """Fill the database with bulk inserts; return the documents to index and org → user."""
    from accounts.models import Organisation, OrganisationKind, User, VerificationStatus
    from auctions.models import Auction, AuctionStatus, Bid
    from listings.models import Listing, TechNeed
    from trading.models import (
        ListedSale,
        ListedSaleStatus,
        Negotiation,
        NegotiationStatus,
        SaleIntent,
    )

    n_enterprises = max(100, n_needs // 5)
    orgs, users = [], []
    for org_id in range(1, LISTING_ORGS + n_enterprises + 1):
        enterprise = org_id > LISTING_ORGS
        orgs.append(
            {
                "id": org_id,
                "name": f"{'示范企业' if enterprise else '示范大学'}{org_id}",
                "kind": OrganisationKind.ENTERPRISE if enterprise else OrganisationKind.UNIVERSITY,
                "credit_code": f"9131{org_id:014d}",
                "region": rng.choice(REGIONS),
                "status": VerificationStatus.VERIFIED,
                "created_at": NOW,
                "verified_at": NOW,
            }
        )
        users.append(
            {
                "id": org_id,
                "email": f"user{org_id}@bench.example",
                "name": f"用户{org_id}",
                "password_hash": "-",
                "organisation_id": org_id,
                "membership_approved": True,
                "is_reviewer": False,
                "is_admin": False,
                "active": True,
                "created_at": NOW,
            }
        )
    _bulk(Organisation.__table__, orgs)
    _bulk(User.__table__, users)

    start = time.perf_counter()
    corpus = CorpusGenerator(seed=n_listings)
    listing_docs: list[SearchDocument] = []
    for doc in corpus.documents(n_listings):
        listing_docs.append(doc)
    for chunk in range(0, n_listings, BATCH * 5):
        _bulk(Listing.__table__, [listing_row(d) for d in listing_docs[chunk : chunk + BATCH * 5]])
    print(
        f"  {n_listings:,} listings generated and inserted in {time.perf_counter() - start:.1f} s"
    )

    start = time.perf_counter()
    generator = NeedGenerator(corpus)
    need_rows, need_docs = [], []
    for need_id in range(1, n_needs + 1):
        org_id = LISTING_ORGS + 1 + (need_id - 1) % n_enterprises
        row, doc = generator.need(need_id, f"示范企业{org_id}", org_id)
        need_rows.append(row)
        need_docs.append(doc)
    _bulk(TechNeed.__table__, need_rows)
    print(f"  {n_needs:,} needs generated and inserted in {time.perf_counter() - start:.1f} s")

    # Interest: negotiations, listed sales with intents, auctions with bids (enterprises).
    start = time.perf_counter()

    def buyer() -> int:
        return rng.randint(LISTING_ORGS + 1, LISTING_ORGS + n_enterprises)

    picked = rng.sample(listing_docs, min(len(listing_docs), 3000))
    negotiations = [
        {
            "listing_id": d.id,
            "seller_org_id": d.organisation_id,
            "buyer_org_id": buyer(),
            "status": NegotiationStatus.OPEN,
            "open_offer_minor": d.asking_price_minor,
            "currency": "CNY",
            "created_at": NOW,
            "updated_at": NOW,
        }
        for d in picked[:1500]
    ]
    sales = [
        {
            "id": i + 1,
            "listing_id": d.id,
            "seller_org_id": d.organisation_id,
            "asking_price_minor": d.asking_price_minor or 1_000_000,
            "currency": "CNY",
            "deposit_minor": 100_000,
            "working_days": 20,
            "starts_at": NOW,
            "ends_at": NOW + timedelta(days=30),
            "status": ListedSaleStatus.OPEN,
            "created_at": NOW,
        }
        for i, d in enumerate(picked[1500:2250])
    ]
    intents = [
        {"sale_id": sale["id"], "buyer_org_id": org, "user_id": org, "created_at": NOW}
        for sale in sales
        for org in {buyer(), buyer()}
    ]
    auctions = [
        {
            "id": i + 1,
            "listing_id": d.id,
            "seller_org_id": d.organisation_id,
            "status": AuctionStatus.CLOSED,
            "currency": "CNY",
            "starting_price_minor": 1_000_000,
            "increment_minor": 10_000,
            "deposit_bps": 1000,
            "starts_at": NOW,
            "ends_at": NOW,
            "original_ends_at": NOW,
            "bid_count": 3,
            "created_at": NOW,
        }
        for i, d in enumerate(picked[2250:3000])
    ]
    bids = [
        {
            "auction_id": auction["id"],
            "bidder_org_id": buyer(),
            "user_id": None,
            "amount_minor": 1_000_000 + 10_000 * k,
            "placed_at": NOW,
            "is_proxy": False,
        }
        for auction in auctions
        for k in range(3)
    ]
    _bulk(Negotiation.__table__, negotiations)
    _bulk(ListedSale.__table__, sales)
    # Their listings are in the listed sale: matching looks their sales up (brokers.active_sales).
    from core.extensions import db

    db.session.execute(
        update(Listing)
        .where(Listing.id.in_([sale["listing_id"] for sale in sales]))
        .values(sale_state=SaleState.LISTED_SALE)
    )
    db.session.commit()
    _bulk(SaleIntent.__table__, intents)
    _bulk(Auction.__table__, auctions)
    _bulk(Bid.__table__, bids)
    print(
        f"  {len(negotiations)} negotiations, {len(intents)} intents, {len(bids)} bids "
        f"inserted in {time.perf_counter() - start:.1f} s"
    )
    return listing_docs, need_docs, {org["id"]: org["id"] for org in orgs}


def index_embedded(backend: object, listings: list, needs: list) -> float:
    """Index everything into an embedded backend; seconds taken."""
    start = time.perf_counter()
    for i in range(0, len(listings), BATCH):
        backend.index(listings[i : i + BATCH])  # type: ignore[attr-defined]
    backend.optimize()  # type: ignore[attr-defined]
    for i in range(0, len(needs), BATCH):
        backend.needs.index(needs[i : i + BATCH])  # type: ignore[attr-defined]
    return time.perf_counter() - start


def index_elasticsearch(backend: object, listings: list, needs: list) -> float:
    """Bulk-load new indices for listings and needs, then switch the aliases; seconds taken."""
    start = time.perf_counter()
    for target, documents in ((backend, listings), (backend.needs, needs)):  # type: ignore[attr-defined]
        name = target.new_index()
        for i in range(0, len(documents), BATCH):
            target.index_into(name, documents[i : i + BATCH], chunk_size=1000)
        target.client.options(request_timeout=600).indices.forcemerge(
            index=name, max_num_segments=1
        )
        target.switch_alias(name)
    return time.perf_counter() - start


def _timed_count(service: Callable[..., list], actor: object, object_id: int) -> tuple[float, int]:
    """Milliseconds one matching call took, and how many matches it returned."""
    start = time.perf_counter()
    result = service(actor, object_id, now=NOW)
    return (time.perf_counter() - start) * 1000, len(result)


def run_backend(
    app: object, backend: object, need_ids: list[int], listing_docs: list[SearchDocument],
    need_orgs: dict[int, int], rounds: int,
) -> dict[str, list[float]]:  # fmt: skip
    """Time matches_for_need and matches_for_listing on one backend (it answers searches)."""
    from accounts.models import User
    from brokers.matching import matches_for_listing, matches_for_need
    from core.extensions import db
    from search import EXTENSION_KEY, FALLBACK_KEY

    app.extensions[EXTENSION_KEY] = backend  # type: ignore[attr-defined]
    app.extensions[FALLBACK_KEY] = None  # type: ignore[attr-defined]
    users = {u.id: u for u in db.session.query(User)}
    times: dict[str, list[float]] = {"need": [], "listing": []}
    found = {"need": 0, "listing": 0}
    for warm in need_ids[:5]:  # caches, connections, jieba
        matches_for_need(users[need_orgs[warm]], warm, now=NOW)
    for _ in range(rounds):
        for need_id in need_ids:
            ms, count = _timed_count(matches_for_need, users[need_orgs[need_id]], need_id)
            times["need"].append(ms)
            found["need"] += count
            db.session.rollback()
        for doc in listing_docs:
            ms, count = _timed_count(matches_for_listing, users[doc.organisation_id], doc.id)
            times["listing"].append(ms)
            found["listing"] += count
            db.session.rollback()
    n = max(1, rounds)
    print(
        f"  {backend.name}: on average {found['need'] / n / len(need_ids):.1f} listings per need, "  # type: ignore[attr-defined]
        f"{found['listing'] / n / len(listing_docs):.1f} enterprises per listing"
    )
    return times


def report(label: str, samples: Sequence[float]) -> str:
    """One line of the results table."""
    return (
        f"  {label:<44} p50 {percentile(samples, 50):7.1f} ms   p95 {percentile(samples, 95):7.1f} ms"
        f"   max {max(samples):7.1f} ms   (n={len(samples)})"
    )


@__import__("contextlib").contextmanager
def bench_app(database_url: str, workdir: Path) -> Iterator[object]:
    """An app on an empty database with the schema of the models."""
    from core.extensions import db
    from marketplace import create_app

    app = create_app(
        {
            "SECRET_KEY": "bench",
            "SQLALCHEMY_DATABASE_URI": database_url,
            "SEARCH_INDEX_PATH": str(workdir / "unused-search.db"),
            "UPLOAD_FOLDER": str(workdir / "uploads"),
        }
    )
    with app.app_context():
        db.drop_all()
        db.create_all()
        try:
            yield app
        finally:
            db.session.remove()


def main(argv: Sequence[str] | None = None) -> None:
    """Build the market, index it on each backend, time matching, print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--listings", type=int, default=100_000)
    parser.add_argument("--needs", type=int, default=10_000)
    parser.add_argument("--samples", type=int, default=60, help="needs and listings timed")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--es-url", default=os.environ.get("ELASTICSEARCH_URL"))
    parser.add_argument("--no-es", action="store_true", help="embedded backend only")
    parser.add_argument("--database-url", default=None, help="emptied first! default: SQLite")
    parser.add_argument("--judged-only", action="store_true", help="relevance on judged needs")
    parser.add_argument("--verbose", action="store_true", help="one line per judged need")
    args = parser.parse_args(argv)
    from bench.matching_judged import run_judged

    if args.no_es:
        run_judged(None, args.verbose)
        if not args.judged_only:
            run(args, None)
        return
    from bench.search import elasticsearch_node

    with elasticsearch_node(args.es_url) as node:  # without a URL: started for the run
        run_judged(node, args.verbose)
        if not args.judged_only:
            run(args, node)


def run(args: argparse.Namespace, es_url: str | None) -> None:
    """The benchmark on the embedded backend and, with `es_url`, on Elasticsearch."""
    rng = random.Random(11)
    with tempfile.TemporaryDirectory(prefix="matching-bench-") as tmp:
        workdir = Path(tmp)
        url = args.database_url or f"sqlite:///{workdir / 'market.db'}"
        print(f"== matching benchmark: {args.listings:,} listings, {args.needs:,} needs")
        print(f"  database: {url.split('@')[-1]}")
        with bench_app(url, workdir) as app:
            listing_docs, need_docs, _ = build_market(args.listings, args.needs, rng)
            need_orgs = {d.id: d.organisation_id for d in need_docs}
            sample_needs = [d.id for d in rng.sample(need_docs, args.samples)]
            sample_listings = rng.sample(listing_docs, args.samples)
            backends: list[tuple[object, Callable[[], None]]] = []

            from search.embedded import EmbeddedSearchBackend

            embedded = EmbeddedSearchBackend(workdir / "search.db")
            seconds = index_embedded(embedded, listing_docs, need_docs)
            print(f"  embedded: indexed listings and needs in {seconds:.1f} s")
            backends.append((embedded, lambda: None))
            if es_url:
                from search.elasticsearch import ElasticsearchBackend, make_client

                client = make_client(es_url.split(","), request_timeout=30)
                es = ElasticsearchBackend(client, alias=f"bench-matching-{uuid.uuid4().hex[:8]}")
                seconds = index_elasticsearch(es, listing_docs, need_docs)
                print(f"  elasticsearch: indexed listings and needs in {seconds:.1f} s")

                def drop(es: ElasticsearchBackend = es) -> None:
                    es.drop()
                    es.needs.drop()
                    client.close()

                backends.append((es, drop))
            lines = []
            try:
                for backend, _ in backends:
                    times = run_backend(app, backend, sample_needs, sample_listings, need_orgs,
                                        args.rounds)  # fmt: skip
                    name = backend.name  # type: ignore[attr-defined]
                    lines.append(report(f"{name}: matches for one need", times["need"]))
                    lines.append(report(f"{name}: matches for one listing", times["listing"]))
            finally:
                for _, drop in backends:
                    drop()
        print(
            f"\n== matching at {args.listings:,} listings and {args.needs:,} needs (target p95 < 100 ms)"
        )
        print("\n".join(lines))


if __name__ == "__main__":
    main()
