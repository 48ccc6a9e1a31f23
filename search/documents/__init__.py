"""Document kinds: what the search engine needs to know of each kind of thing it indexes.

A kind says where its rows come from (the model, which of them are
searchable, how to load them), how a row becomes a document, which outbox
topic announces its changes and how to reach its index on a backend. The one
indexer (search.indexer) and the CLI work on any kind; listings and needs
register theirs in `search.documents.listings` and `search.documents.needs`.
How a kind is stored and ranked on each backend is part of its definition
(ElasticsearchSpec, EmbeddedSpec): the engines themselves know no kind.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from sqlalchemy.orm.interfaces import LoaderOption
    from sqlalchemy.sql.elements import ColumnElement

    from search.backend import SearchBackend, SearchQuery, SearchResult


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

    `searchable_clause` selects the rows a full reindex writes and
    `is_searchable` says the same of one loaded row (None when it is gone);
    `to_document` turns a loaded row into what the index holds.
    """

    name: str
    label: str  # what the CLI calls these documents ("listings", "technology needs")
    searchable_label: str  # what it calls the searchable rows ("published listings")
    topic: str  # outbox topic whose event keys are the row ids
    model: type[Any]
    facets: tuple[str, ...]  # facet names a query may filter on and counts
    sorts: tuple[str, ...]  # sort names a query may ask for, "relevance" first
    searchable_clause: Callable[[], ColumnElement[bool]]
    is_searchable: Callable[[Any], bool]
    to_document: Callable[[Any], Any]
    index_of: Callable[[SearchBackend], DocumentIndex]
    elasticsearch: ElasticsearchSpec
    embedded: EmbeddedSpec
    load_options: Callable[[], Sequence[LoaderOption]] = tuple
