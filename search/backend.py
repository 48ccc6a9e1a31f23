"""The one search interface every backend implements, and its value types."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Protocol

# Facets every backend counts; the values are the document's keyword fields.
# `advancement` is the grade of the latest evaluation (科技成果评价), none when unevaluated.
FACETS: tuple[str, ...] = (
    "field", "ipc_section", "transfer_mode", "trl", "region", "price_band", "advancement",
)  # fmt: skip
SORTS: tuple[str, ...] = ("relevance", "newest", "price_asc", "price_desc", "trl_desc")


@dataclass(frozen=True)
class SearchDocument:
    """What the index knows of one published listing."""

    id: int
    title_zh: str
    title_en: str
    summary_zh: str
    summary_en: str
    body: str  # problem, advantage, economics: searched, not shown
    ipc_classes: tuple[str, ...]
    inventors: tuple[str, ...]
    holder: str
    field: str
    ipc_section: str | None
    transfer_modes: tuple[str, ...]
    trl: int
    region: str
    price_band: str
    asking_price_minor: int | None
    published_at: datetime
    organisation_id: int
    keywords: tuple[str, ...] = ()  # 关键词: searched as the title is
    advancement: str = ""  # the latest evaluation's grade (科技成果评价); "" when none


@dataclass(frozen=True)
class NeedDocument:
    """What the index knows of one open need."""

    id: int
    title: str
    problem: str
    ipc_classes: tuple[str, ...]
    enterprise: str  # the posting enterprise's names: searchable
    field: str
    ipc_section: str | None
    transfer_modes: tuple[str, ...]
    region: str
    budget_band: str
    budget_max_minor: int | None
    deadline: date | None
    published_at: datetime
    organisation_id: int
    keywords: tuple[str, ...] = ()  # 关键词: searched as the title is


@dataclass(frozen=True)
class SearchQuery:
    """A query: free text, facet filters (OR within a facet, AND across), sort, page."""

    text: str = ""
    filters: dict[str, tuple[str, ...]] = field(default_factory=dict)
    sort: str = "relevance"
    page: int = 1
    per_page: int = 20
    with_facets: bool = True


@dataclass(frozen=True)
class SearchHit:
    """One result: the listing id, its score and HTML-safe highlighted snippets.

    `highlights` maps 'title' and 'summary' to text where matched terms are
    wrapped in <mark>…</mark> and everything else is HTML-escaped.
    """

    id: int
    score: float
    highlights: dict[str, str]


@dataclass(frozen=True)
class SearchResult:
    """A page of hits, the total number of matches and the facet counts of all matches.

    A query matching fewer than a page with every word is widened: documents with
    a minimum share of its words count, those with more words ranked first.
    """

    hits: Sequence[SearchHit]
    total: int
    facets: dict[str, dict[str, int]]
    widened: bool = False  # the query matched too little with every word: some may be missing
    suggestion: str | None = None  # "did you mean": the query with its typos corrected


class SearchUnavailable(Exception):
    """The backend cannot be reached or refused the request; callers fall back or retry."""


class NeedIndex(Protocol):
    """The needs of one backend: the same operations as listings, with need facets."""

    def index(self, documents: Iterable[NeedDocument]) -> int:
        """Add or replace documents; return how many were written."""
        ...

    def delete(self, ids: Iterable[int]) -> None:
        """Remove documents; unknown ids are ignored."""
        ...

    def search(self, query: SearchQuery) -> SearchResult:
        """Every word required, need facets (OR within, AND across), a sorted page."""
        ...

    def related(self, text: str, limit: int = 50) -> list[tuple[int, float]]:
        """(id, score) of the needs sharing most words with `text`, best first."""
        ...

    def clear(self) -> None:
        """Remove every document (before a full reindex)."""
        ...

    def count(self) -> int:
        """How many documents the index holds."""
        ...


class SearchBackend(Protocol):
    """Embedded (SQLite FTS5) and Elasticsearch backends behave the same to callers."""

    name: str

    @property
    def needs(self) -> NeedIndex:
        """The technology needs of this backend: a second kind of document, indexed apart."""
        ...

    def index(self, documents: Iterable[SearchDocument]) -> int:
        """Add or replace documents; return how many were written."""
        ...

    def delete(self, ids: Iterable[int]) -> None:
        """Remove documents; unknown ids are ignored."""
        ...

    def search(self, query: SearchQuery) -> SearchResult:
        """Run a query."""
        ...

    def clear(self) -> None:
        """Remove every document (before a full reindex)."""
        ...

    def count(self) -> int:
        """How many documents the index holds."""
        ...

    def healthy(self) -> bool:
        """Whether the backend answers queries right now."""
        ...

    def suggest(self, prefix: str, limit: int = 8) -> list[str]:
        """Titles completing what the user is typing (suggestions as you type)."""
        ...

    def similar(self, listing_id: int, limit: int = 4) -> list[int]:
        """Ids of the listings most like this one ("more like this"), best first."""
        ...

    def related(self, text: str, limit: int = 50) -> list[tuple[int, float]]:
        """(id, score) of the listings sharing most words with a long text (matching)."""
        ...
