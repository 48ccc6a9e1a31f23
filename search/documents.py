"""Document kinds: what the search engine needs to know of each kind of thing it indexes.

A kind says where its rows come from (the model, which of them are
searchable, how to load them), how a row becomes a document, which outbox
topic announces its changes and how to reach its index on a backend. The one
indexer (search.indexer) and the CLI work on any kind; listings and needs
register theirs in `search.listing_documents` and `search.need_documents`.
How a kind is stored and ranked on each backend is part of its definition
(ElasticsearchSpec, EmbeddedSpec): the engines themselves know no kind.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

from sqlalchemy.orm import selectinload

from core.clock import as_utc

if TYPE_CHECKING:
    from sqlalchemy.orm.interfaces import LoaderOption
    from sqlalchemy.sql.elements import ColumnElement

    from search.backend import (
        NeedDocument,
        SearchBackend,
        SearchDocument,
        SearchQuery,
        SearchResult,
    )


class DocumentIndex(Protocol):
    """The index of one kind of document on one backend (a backend's listings, its needs, ...)."""

    def index(self, documents: Any) -> int:
        """Add or replace documents; return how many were written."""
        ...

    def delete(self, ids: Any) -> None:
        """Remove documents; unknown ids are ignored."""
        ...

    def search(self, query: SearchQuery) -> SearchResult:
        """Run a query."""
        ...

    def related(self, text: str, limit: int = 50) -> list[tuple[int, float]]:
        """(id, score) of the documents sharing most words with a long text."""
        ...

    def clear(self) -> None:
        """Remove every document (before a full reindex)."""
        ...

    def count(self) -> int:
        """How many documents the index holds."""
        ...


# Mapping types every kind's Elasticsearch index uses. Facet fields load their global
# ordinals at refresh, not on the first search after it; analysed fields hold tokens made by
# search.text.tokens.analyse (the whitespace analyzer only splits them); stored ones are
# originals for snippets, kept but never searched.
KEYWORD: dict[str, Any] = {"type": "keyword", "eager_global_ordinals": True}
ANALYSED: dict[str, Any] = {"type": "text", "analyzer": "whitespace"}
STORED: dict[str, Any] = {"type": "text", "index": False}


def strict_mappings(properties: dict[str, Any]) -> dict[str, Any]:
    """A kind's Elasticsearch mappings: `properties` and the fields every kind has.

    Those are the id, the facets of the shared vocabulary and the sort keys of
    when and by whom a document was published.
    """
    return {
        "dynamic": "strict",
        "properties": {
            "id": {"type": "long"},
            **properties,
            "field": KEYWORD,
            "ipc_section": KEYWORD,
            "transfer_mode": KEYWORD,
            "region": KEYWORD,
            "published_at": {"type": "date"},
            "organisation_id": {"type": "long"},
        },
    }


def common_source(doc: SearchDocument | NeedDocument) -> dict[str, Any]:
    """The indexed form of the fields `strict_mappings` gives every kind."""
    return {
        "id": int(doc.id),
        "field": doc.field,
        "ipc_section": doc.ipc_section,
        "transfer_mode": list(dict.fromkeys(doc.transfer_modes)),
        "region": doc.region,
        "published_at": as_utc(doc.published_at).isoformat(),
        "organisation_id": doc.organisation_id,
    }


# The Elasticsearch sorts every kind has: by score, and newest first.
COMMON_SORTS: dict[str, list[dict[str, Any]]] = {
    "relevance": [{"_score": "desc"}, {"id": "desc"}],
    "newest": [{"published_at": "desc"}, {"id": "desc"}],
}


@dataclass(frozen=True)
class ElasticsearchSpec:
    """How a kind lives on Elasticsearch: its own versioned index behind `<alias><alias_suffix>`.

    `field_weights` are the bm25 weights of the analysed fields (every query
    word is required in one of them); `related_fields` those that `related()`
    matches on; `sorts` the request's sort of each sort name ("relevance" by
    score, "newest" also when there is nothing to rank by); `stored` the
    source fields of the original texts under the names `highlights` knows;
    `fuzzy` whether a query matching nothing is tried again with typos.
    """

    alias_suffix: str
    mappings: dict[str, Any]
    to_source: Callable[[Any], dict[str, Any]]
    field_weights: dict[str, float]
    related_fields: tuple[str, ...]
    facets: tuple[str, ...]
    sorts: dict[str, list[dict[str, Any]]]
    stored: dict[str, str]
    highlights: Callable[[Mapping[str, str], Sequence[Any], Sequence[str]], dict[str, str]]
    fuzzy: bool = False


@dataclass(frozen=True)
class SideTable:
    """A table of rows per document beside `docs` (`doc_id` among its columns), replaced with it.

    `columns` are the column definitions; `rows` gives a document's rows in that order.
    """

    name: str
    columns: tuple[str, ...]
    primary_key: tuple[str, ...]
    rows: Callable[[Any], Iterable[tuple[object, ...]]]


@dataclass(frozen=True)
class FacetColumns:
    """Facet values kept in `docs` columns named as the facets; `entries` reads one row of them.

    The row is (id, *the facet columns); a column may hold several values.
    """

    entries: Callable[[Sequence[Any]], Iterable[tuple[str, str]]]


@dataclass(frozen=True)
class FacetTable:
    """Facet values kept as (facet, value, doc_id) rows of a table of their own."""

    name: str
    values: Callable[[Any], Iterable[tuple[str, str]]]


@dataclass(frozen=True)
class EmbeddedSpec:
    """How a kind lives in the embedded index file (SQLite FTS5) and how it is ranked there.

    Tables are `<prefix>docs` (`docs_columns` after `id`: what results, filters
    and sorts need; `docs_row` gives a document's row, id first), `<prefix>fts`
    (`fts_columns` with their bm25 weights; `fts_texts` gives their text before
    segmentation) and `<prefix>fts_vocab`, plus `side_tables` and the facet table
    if `facets_in` is one. `order_by` is the SQL order of each sort but
    relevance; `texts` the `docs` columns `highlights` marks.

    `change_log`: writes bump the file's generation and log their ids, so each
    process keeps its facet and term bitmaps across searches (else they are built
    per search: fine for thousands of documents). `rank_in_tiers`: relevance is
    ranked within tiers of the newest candidates when many match.
    `scale_translations`: words matched through translations score less.
    `related_columns` restrict `related()` (empty: every column), which drops
    words in more than `related_max_share` of a large index, their counts
    remembered for `doc_freq_ttl` seconds (0: counted each time).
    """

    prefix: str
    docs_columns: tuple[str, ...]
    docs_row: Callable[[Any], tuple[object, ...]]
    fts_columns: dict[str, float]
    fts_texts: Callable[[Any], tuple[str, ...]]
    facets: tuple[str, ...]
    facets_in: FacetColumns | FacetTable
    order_by: dict[str, str]
    texts: tuple[str, ...]
    highlights: Callable[[Mapping[str, str], Sequence[Any]], dict[str, str]]
    related_max_share: float
    related_columns: tuple[str, ...] = ()
    docs_indexes: dict[str, str] = field(default_factory=dict)
    side_tables: tuple[SideTable, ...] = ()
    change_log: bool = False
    rank_in_tiers: bool = False
    scale_translations: bool = False
    doc_freq_ttl: float = 0.0


@dataclass(frozen=True)
class DocumentKind:
    """The definition of one kind of search document (see the module docstring).

    The rows whose `status` is `searchable_status` are searchable: a full
    reindex writes them (`searchable_clause`), one loaded row is checked with
    `is_searchable` (None when it is gone); `preload` names the relationships
    loaded with the rows; `to_document` turns a loaded row into what the index
    holds.
    """

    name: str
    label: str  # what the CLI calls these documents ("listings", "technology needs")
    searchable_label: str  # what it calls the searchable rows ("published listings")
    topic: str  # outbox topic whose event keys are the row ids
    model: type[Any]
    facets: tuple[str, ...]  # facet names a query may filter on and counts
    sorts: tuple[str, ...]  # sort names a query may ask for, "relevance" first
    searchable_status: str
    to_document: Callable[[Any], Any]
    index_of: Callable[[SearchBackend], DocumentIndex]
    elasticsearch: ElasticsearchSpec
    embedded: EmbeddedSpec
    preload: tuple[str, ...] = ()

    def searchable_clause(self) -> ColumnElement[bool]:
        """The rows a full reindex writes."""
        clause: ColumnElement[bool] = self.model.status == self.searchable_status
        return clause

    def is_searchable(self, row: Any) -> bool:
        """Whether one loaded row (None when it is gone) belongs in the index."""
        return row is not None and bool(row.status == self.searchable_status)

    def load_options(self) -> Sequence[LoaderOption]:
        """What loads the `preload` relationships with the rows."""
        return tuple(selectinload(getattr(self.model, name)) for name in self.preload)
