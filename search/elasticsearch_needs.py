"""Needs on Elasticsearch: their own versioned index behind the alias `<listings alias>-needs`.

The index management of the listings backend (versioned indices, atomic alias
switch, outage handling) is reused as is; the mapping, the documents and the
queries are the needs'. Text is analysed in the app (search.text.analyse) as
for listings, so a need is found on Elasticsearch exactly as in the embedded index.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC
from typing import Any

from elasticsearch import Elasticsearch
from elasticsearch.helpers import streaming_bulk

from search.backend import SearchHit, SearchQuery, SearchResult
from search.elasticsearch import BULK_TIMEOUT, ElasticsearchBackend, unavailable_on_failure
from search.needs import NEED_FACETS, NEED_SORTS, NeedDocument, related_terms
from search.text import (
    Clause,
    analyse,
    clause_words,
    highlight,
    index_token,
    is_single_han,
    query_clauses,
)

FIELD_WEIGHTS: dict[str, float] = {"title": 10.0, "problem": 3.0, "extra": 1.0}
FACET_SIZE = 500
SNIPPET_CHARS = 160
RESULT_WINDOW = 10_000
_KEYWORD = {"type": "keyword", "eager_global_ordinals": True}
_ANALYSED = {"type": "text", "analyzer": "whitespace"}
_STORED = {"type": "text", "index": False}
NEED_MAPPINGS: dict[str, Any] = {
    "dynamic": "strict",
    "properties": {
        "id": {"type": "long"},
        "title": _ANALYSED,
        "problem": _ANALYSED,
        "extra": _ANALYSED,
        "title_text": _STORED,
        "problem_text": _STORED,
        "field": _KEYWORD,
        "ipc_section": _KEYWORD,
        "transfer_mode": _KEYWORD,
        "region": _KEYWORD,
        "budget_band": _KEYWORD,
        "budget_max_minor": {"type": "long"},
        "deadline": {"type": "date"},
        "published_at": {"type": "date"},
        "organisation_id": {"type": "long"},
    },
}


def need_source(doc: NeedDocument) -> dict[str, Any]:
    """The indexed form of a need: analysed tokens, facet keywords, sort keys, originals."""
    published = (
        doc.published_at if doc.published_at.tzinfo else doc.published_at.replace(tzinfo=UTC)
    )
    return {
        "id": int(doc.id),
        "title": analyse(doc.title),
        "problem": analyse(doc.problem),
        "extra": analyse(f"{' '.join(doc.ipc_classes)}\n{doc.enterprise}"),
        "title_text": doc.title,
        "problem_text": doc.problem,
        "field": doc.field,
        "ipc_section": doc.ipc_section,
        "transfer_mode": list(dict.fromkeys(doc.transfer_modes)),
        "region": doc.region,
        "budget_band": doc.budget_band,
        "budget_max_minor": doc.budget_max_minor,
        "deadline": doc.deadline.isoformat() if doc.deadline else None,
        "published_at": published.isoformat(),
        "organisation_id": doc.organisation_id,
    }


def _word(term: str, weights: Mapping[str, float]) -> dict[str, Any]:
    """One word required in some field (a lone 汉字 as a prefix, like the embedded index)."""
    if is_single_han(term):
        return {
            "bool": {
                "should": [
                    {"prefix": {name: {"value": term, "boost": weight}}}
                    for name, weight in weights.items()
                ],
                "minimum_should_match": 1,
            }
        }
    fields = [f"{name}^{weight:g}" for name, weight in weights.items()]
    return {
        "multi_match": {
            "query": index_token(term),
            "fields": fields,
            "type": "most_fields",
            "operator": "and",
        }
    }


def need_text_query(clauses: Sequence[Clause | str]) -> dict[str, Any]:
    """Every clause required; a clause matches by any alternative (all of its words)."""
    if not clauses:
        return {"match_all": {}}
    must = []
    for clause in clauses:
        if isinstance(clause, str):
            must.append(_word(clause, FIELD_WEIGHTS))
            continue
        options = []
        for alternative in clause.alternatives:
            parts = [_word(w, FIELD_WEIGHTS) for w in alternative.words]
            option = parts[0] if len(parts) == 1 else {"bool": {"must": parts}}
            if alternative.weight != 1.0:
                option = {"bool": {"must": [option], "boost": alternative.weight}}
            options.append(option)
        must.append(
            options[0]
            if len(options) == 1
            else {"bool": {"should": options, "minimum_should_match": 1}}
        )
    return {"bool": {"must": must}}


def _sort(sort: str, has_terms: bool) -> list[dict[str, Any]]:
    if sort not in NEED_SORTS or (sort == "relevance" and not has_terms):
        sort = "newest" if sort == "relevance" or sort not in NEED_SORTS else sort
    if sort == "relevance":
        return [{"_score": "desc"}, {"id": "desc"}]
    if sort == "deadline":
        return [{"deadline": {"order": "asc", "missing": "_last"}}, {"id": "desc"}]
    if sort == "budget_desc":
        return [{"budget_max_minor": {"order": "desc", "missing": "_last"}}, {"id": "desc"}]
    return [{"published_at": "desc"}, {"id": "desc"}]


def need_search_body(query: SearchQuery, clauses: Sequence[Clause | str]) -> dict[str, Any]:
    """One request: the page (filters in post_filter) and per-facet counts of all matches."""
    per_page = max(1, min(int(query.per_page), 100))
    offset = (max(1, int(query.page)) - 1) * per_page
    filters: dict[str, dict[str, Any]] = {}
    for facet, values in (query.filters or {}).items():
        if facet in NEED_FACETS and values:
            values = (values,) if isinstance(values, str) else values
            filters[facet] = {"terms": {facet: [str(v) for v in values]}}
    body: dict[str, Any] = {
        "query": need_text_query(clauses),
        "sort": _sort(query.sort, bool(clauses)),
        "from": min(offset, RESULT_WINDOW),
        "size": per_page if offset + per_page <= RESULT_WINDOW else 0,
        "track_total_hits": True,
        "_source": ["title_text", "problem_text"],
    }
    if filters:
        body["post_filter"] = {"bool": {"filter": list(filters.values())}}
    if query.with_facets:
        aggs: dict[str, Any] = {}
        for facet in NEED_FACETS:
            terms_agg = {"terms": {"field": facet, "size": FACET_SIZE}}
            others = [clause for other, clause in filters.items() if other != facet]
            aggs[facet] = (
                {"filter": {"bool": {"filter": others}}, "aggs": {"values": terms_agg}}
                if others
                else terms_agg
            )
        body["aggs"] = aggs
    return body


class ElasticsearchNeedIndex(ElasticsearchBackend):
    """NeedIndex on Elasticsearch: the listings backend's index management, the needs' data."""

    def __init__(
        self,
        client: Elasticsearch,
        alias: str,
        *,
        settings: Mapping[str, Any] | None = None,
        refresh_on_write: bool = False,
    ) -> None:
        super().__init__(client, alias, settings=settings, refresh_on_write=refresh_on_write)

    def _create(self, name: str, *, aliased: bool, bulk_load: bool = False) -> None:
        settings = dict(self.settings)
        if bulk_load:
            settings["refresh_interval"] = "-1"  # restored by switch_alias
        with unavailable_on_failure("create index"):
            self.client.indices.create(
                index=name,
                settings=settings,
                mappings=NEED_MAPPINGS,
                aliases={self.alias: {}} if aliased else None,
            )

    def index_into(  # type: ignore[override]
        self, index_name: str, documents: Iterable[NeedDocument], chunk_size: int = 500
    ) -> int:
        """Bulk-write needs into one index; return how many were written."""
        actions = (
            {"_op_type": "index", "_index": index_name, "_id": str(d.id), "_source": need_source(d)}
            for d in documents
        )
        written = 0
        client = self.client.options(request_timeout=BULK_TIMEOUT)
        with unavailable_on_failure("bulk index"):
            for ok, _ in streaming_bulk(
                client, actions, chunk_size=chunk_size, max_retries=3, refresh=self.refresh_on_write
            ):
                written += int(ok)
        return written

    def index(self, documents: Iterable[NeedDocument]) -> int:  # type: ignore[override]
        """Add or replace needs (through the alias); return how many were written."""
        self.ensure_index()
        return self.index_into(self.alias, documents)

    def search(self, query: SearchQuery) -> SearchResult:
        """Every word required, facet filters and counts of all matches, one sorted page."""
        clauses = query_clauses(query.text)
        response = self._search(**need_search_body(query, clauses))
        if response is None:
            empty = {facet: {} for facet in NEED_FACETS} if query.with_facets else {}
            return SearchResult(hits=[], total=0, facets=empty)
        words = clause_words(clauses)
        hits = [
            SearchHit(
                id=int(hit["_id"]),
                score=float(hit.get("_score") or 0.0),
                highlights={
                    "title": highlight(hit["_source"].get("title_text", ""), words),
                    "problem": highlight(
                        hit["_source"].get("problem_text", ""), words, SNIPPET_CHARS
                    ),
                },
            )
            for hit in response["hits"]["hits"]
        ]
        facets: dict[str, dict[str, int]] = {}
        if query.with_facets:
            for facet in NEED_FACETS:
                agg = response.get("aggregations", {}).get(facet, {})
                buckets = agg.get("values", agg).get("buckets", [])
                counts = {str(b["key"]): int(b["doc_count"]) for b in buckets if b["doc_count"]}
                facets[facet] = dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))
        return SearchResult(hits=hits, total=int(response["hits"]["total"]["value"]), facets=facets)

    def related(self, text: str, limit: int = 50) -> list[tuple[int, float]]:
        """Needs sharing any word with `text`, by bm25 (title words weigh most)."""
        tokens = [index_token(t) for t in related_terms(text)]
        if not tokens:
            return []
        response = self._search(
            query={
                "multi_match": {
                    "query": " ".join(tokens),
                    "fields": [f"{name}^{weight:g}" for name, weight in FIELD_WEIGHTS.items()],
                    "type": "most_fields",
                    "operator": "or",
                }
            },
            size=int(limit),
            source=False,
            sort=[{"_score": "desc"}, {"id": "desc"}],
        )
        return [
            (int(hit["_id"]), float(hit.get("_score") or 0.0))
            for hit in (response or {}).get("hits", {}).get("hits", [])
        ]

    def suggest(self, prefix: str, limit: int = 8) -> list[str]:
        """Needs offer no suggestions as you type."""
        return []

    def similar(self, listing_id: int, limit: int = 4) -> list[int]:
        """Not a need operation."""
        return []
