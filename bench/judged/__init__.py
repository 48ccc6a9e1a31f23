"""The judged set of issue 13: 304 listings, 122 graded queries, a tuning and a held-out half.

The data lives beside this module, readable and editable as text:

- listings.txt: listings 101-344, written as technology-transfer offices write them
  (with listings 1-60 of bench/judgements.py they form the judged corpus);
- queries.txt: queries as buyers and brokers type them, one failure class each, graded 0-3;
- needs.txt: technology needs (技术需求) with the listings a broker would match them with,
  graded 0-3 (bench/matching.py); ON_SALE: the judged listings in an active sale there.

The split is computed, not stored: within each class the queries are ordered by a hash of
their text and dealt alternately to the tuning and the held-out half, so both halves hold
every failure class and a query's half does not depend on the order of the file. Tune on
TUNING only; HELD_OUT is for reporting.
"""

from __future__ import annotations

import hashlib
import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import SimpleNamespace

from bench.judgements import LISTINGS as FIRST_LISTINGS
from listings.rules import ipc_section, price_band
from search.backend import SearchDocument

HERE = Path(__file__).resolve().parent
TUNING, HELD_OUT = "tuning", "held-out"
CLASSES = (
    "plain",
    "sentence",
    "crosslang",
    "abbrev",
    "typo",
    "pinyin",
    "broader",
    "patent",
    "traditional",
    "mixed",
)
_START = datetime(2024, 3, 1, tzinfo=UTC)
_REGIONS = ("北京", "上海", "江苏", "浙江", "广东", "湖北", "四川", "陕西", "山东", "天津")
_MODES = (
    ("assignment",),
    ("assignment", "non_exclusive_licence"),
    ("exclusive_licence",),
    ("non_exclusive_licence", "equity"),
)


@dataclass(frozen=True)
class JudgedQuery:
    """One query: its failure class, its text, the grade of every relevant listing, its half."""

    cls: str
    text: str
    grades: dict[int, int]
    split: str


def _rows(name: str) -> Iterable[list[str]]:
    for line in (HERE / name).read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            yield [part.strip() for part in line.split(" | ")]


def _document(columns: list[str]) -> SearchDocument:
    doc_id = int(columns[0])
    field, ipc, holder, title_zh, title_en, summary_zh, summary_en, numbers = columns[1:9]
    price = None if doc_id % 5 == 0 else (30 + (doc_id * 53) % 470) * 10_000_00
    return SearchDocument(
        id=doc_id,
        title_zh=title_zh,
        title_en=title_en,
        summary_zh=summary_zh,
        summary_en=summary_en,
        body=numbers,  # as search.listing_documents puts the IP assets' numbers
        ipc_classes=(ipc,),
        inventors=("王磊", "陈静"),
        holder=holder,
        field=field,
        ipc_section=ipc_section([ipc]),
        transfer_modes=_MODES[doc_id % len(_MODES)],
        trl=3 + doc_id % 6,
        region=_REGIONS[doc_id % len(_REGIONS)],
        price_band=price_band(price),
        asking_price_minor=price,
        published_at=_START + timedelta(days=doc_id % 200),
        organisation_id=1 + doc_id % 11,
    )


def _grades(text: str) -> dict[int, int]:
    pairs = (item.split(":") for item in text.split())
    return {int(doc_id): int(grade) for doc_id, grade in pairs}


def split_queries(queries: Sequence[tuple[str, str, dict[int, int]]]) -> list[JudgedQuery]:
    """Deal each class's queries, in the order of their text's hash, to alternate halves."""
    result: list[JudgedQuery] = []
    for cls in dict.fromkeys(q[0] for q in queries):
        members = sorted(
            (q for q in queries if q[0] == cls),
            key=lambda q: hashlib.sha256(q[1].encode("utf-8")).hexdigest(),
        )
        for i, (_, text, grades) in enumerate(members):
            result.append(JudgedQuery(cls, text, grades, TUNING if i % 2 == 0 else HELD_OUT))
    return result


def load_listings() -> list[SearchDocument]:
    """The judged corpus: listings 1-60 of bench/judgements.py and 101-344 of listings.txt."""
    return [*FIRST_LISTINGS, *(_document(columns) for columns in _rows("listings.txt"))]


def load_queries() -> list[JudgedQuery]:
    """The judged queries with their half, checked against the corpus."""
    raw = [(cls, text, _grades(grades)) for cls, text, grades in _rows("queries.txt")]
    ids = {doc.id for doc in LISTINGS}
    for cls, text, grades in raw:
        unknown = set(grades) - ids
        if cls not in CLASSES or unknown or 3 not in grades.values():
            raise ValueError(f"bad judged query {text!r}: class {cls}, unknown ids {unknown}")
    return split_queries(raw)


def demo_distractors(
    count: int = 320, seed: int = 2026, first_id: int = 100_001
) -> list[SearchDocument]:
    """Listings as the demo market generates them (marketplace.demo), to crowd the judged ones.

    None is relevant to any judged query: they are the noise a real market adds.
    """
    from listings.rules import FIELDS
    from marketplace.demo.loader import _listing_input

    rng = random.Random(seed)
    seller = SimpleNamespace(organisation=SimpleNamespace(name="示范大学", region="江苏"))
    docs = []
    for i in range(count):
        data = _listing_input(rng, rng.choice(list(FIELDS)), seller, rng.random() < 0.15)  # type: ignore[arg-type]
        numbers = " ".join(asset.number for asset in data.ip_assets)
        docs.append(
            SearchDocument(
                id=first_id + i,
                title_zh=data.title_zh or "",
                title_en=data.title_en or "",
                summary_zh=data.summary_zh or "",
                summary_en=data.summary_en or "",
                body=numbers,
                ipc_classes=tuple(data.ipc_classes),
                inventors=tuple(data.inventors),
                holder=data.holder,
                field=data.field,
                ipc_section=ipc_section(list(data.ipc_classes)),
                transfer_modes=tuple(sorted(set(data.transfer_modes))),
                trl=data.trl,
                region=data.region,
                price_band=price_band(data.asking_price_minor),
                asking_price_minor=data.asking_price_minor,
                published_at=_START + timedelta(days=i % 300),
                organisation_id=50 + i % 9,
            )
        )
    return docs


@dataclass(frozen=True)
class JudgedNeed:
    """One technology need as an enterprise posts it, the grade of every matching listing, its half."""

    id: int
    field: str
    ipc: str
    budget_min_minor: int | None
    budget_max_minor: int | None
    min_trl: int | None
    region: str
    title: str
    problem: str
    grades: dict[int, int]
    split: str


def _wan(text: str) -> int | None:
    return None if text == "-" else int(text) * 10_000_00


def load_needs() -> list[JudgedNeed]:
    """The judged needs with their half (dealt as the queries are, by a hash of the title)."""
    rows = list(_rows("needs.txt"))
    halves = {q.text: q.split for q in split_queries([("need", r[6], {}) for r in rows])}
    ids = {doc.id for doc in LISTINGS}
    needs = []
    for need_id, field, ipc, budget, min_trl, region, title, problem, grades in rows:
        low, _, high = budget.partition("-") if budget != "-" else ("-", "", "-")
        need = JudgedNeed(int(need_id), field, ipc, _wan(low), _wan(high),
                          None if min_trl == "-" else int(min_trl), region, title, problem,
                          _grades(grades), halves[title])  # fmt: skip
        if set(need.grades) - ids or 3 not in need.grades.values():
            raise ValueError(f"bad judged need {need.id}")
        needs.append(need)
    return needs


# Judged listings in an active sale when the matching bench runs: a listed sale (挂牌), a
# negotiated price in public notice (公示), an auction announced or bidding. Matching must show
# them (with the sale and its deadline); before issue 13 it left them out.
ON_SALE: dict[int, str] = {
    **dict.fromkeys((101, 110, 125, 147, 213, 233, 327), "listed_sale"),
    **dict.fromkeys((120, 258), "public_notice"),
    **dict.fromkeys((115, 193, 244), "auction_scheduled"),
    **dict.fromkeys((136, 171, 252, 298), "auction_running"),
}

LISTINGS: list[SearchDocument] = load_listings()
QUERIES: list[JudgedQuery] = load_queries()
NEEDS: list[JudgedNeed] = load_needs()
