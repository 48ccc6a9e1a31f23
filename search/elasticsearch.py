"""The Elasticsearch search backend: the same behaviour as the embedded one, on a cluster.

Text analysis happens in the app (search.text.analyse): Chinese cut by jieba,
English lowercased, folded and Porter-stemmed, so the index only needs the
built-in `whitespace` analyzer and works on any cluster, without plugins
(the bare server has no stemmer, no Chinese analysis, no `_reindex`, no
painless). The original titles and summaries are kept as stored, unindexed
fields, and snippets are highlighted in Python exactly as the embedded backend
does, so both show the same text without segmentation spaces.

Queries mirror the embedded backend: every query term must match (in any
field), ranked by bm25 with the same field weights, facet filters OR within a
facet and AND across facets, and facet counts over all matches where a facet's
own selection does not narrow its counts (a `post_filter` with one filtered
aggregation per facet). When the words as typed match nothing, the query runs
again with English terms matching with typos (fuzziness AUTO, exact matches
ranked higher); Chinese words never do. Fuzzy terms cost a walk of the terms
dictionary per field: only queries that need them pay it (measured: 'method'
took 8 ms with fuzziness on every query, 2 ms without).

Indices are versioned behind an alias (`<alias>-v<UTC timestamp>`): a full
rebuild writes a new index (`new_index`, `index_into`) and swaps the alias
atomically (`switch_alias`), so search never goes dark; single writes go
through the alias. Every transport failure and every 5xx becomes
SearchUnavailable, so callers can fall back to the embedded index.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from functools import cached_property
from typing import TYPE_CHECKING, Any

from elastic_transport import TransportError
from elasticsearch import ApiError, Elasticsearch, NotFoundError, UnsupportedProductError
from elasticsearch.helpers import BulkIndexError, streaming_bulk

from search.backend import (
    FACETS,
    SORTS,
    SearchDocument,
    SearchHit,
    SearchQuery,
    SearchResult,
    SearchUnavailable,
)
from search.needs import related_terms
from search.text import (
    STOPWORDS,
    Clause,
    analyse,
    auto_fuzziness,
    clause_words,
    fuzzy_words,
    highlight,
    index_token,
    is_latin,
    is_single_han,
    marks_nothing,
    normalise,
    query_clauses,
    query_terms,
    suggestion_keys,
    suggestion_prefix,
    suggestion_weight,
)

if TYPE_CHECKING:
    from search.elasticsearch_needs import ElasticsearchNeedIndex

log = logging.getLogger(__name__)

DEFAULT_ALIAS = "marketplace-listings"
# bm25 field weights, as the embedded backend's column weights (title > summary > the rest).
FIELD_WEIGHTS: dict[str, float] = {
    "title": 10.0,
    "summary": 4.0,
    "body": 1.0,
    "inventors": 1.0,
    "holder": 1.0,
}
FUZZY_BOOST = 0.2  # a typo match counts for less than the word itself
FUZZY_MAX_TERMS = 8  # longer queries match exactly (keeps the query small)
FUZZY_MAX_CHARS = 30
FUZZY_PREFIX = 1  # the first letter must be right: fewer, better expansions
FUZZY_EXPANSIONS = 20
FACET_SIZE = 500  # more than any facet has values: counts are complete
SUMMARY_CHARS = 160  # as the embedded backend
RESULT_WINDOW = 10_000  # index.max_result_window: deeper pages return no hits
HEALTH_TIMEOUT = 2.0
BULK_TIMEOUT = 120.0
_SOURCE = ["title_zh", "title_en", "summary_zh", "summary_en"]
_EPOCH_2000 = datetime(2000, 1, 1, tzinfo=UTC)

# Facet fields load their global ordinals at refresh, not on the first search after it.
_KEYWORD = {"type": "keyword", "eager_global_ordinals": True}
_ANALYSED = {"type": "text", "analyzer": "whitespace"}
_STORED = {"type": "text", "index": False}
MAPPINGS: dict[str, Any] = {
    "dynamic": "strict",
    "properties": {
        "id": {"type": "long"},
        # Tokens made by search.text.analyse: the whitespace analyzer only splits them.
        "title": _ANALYSED,
        "summary": _ANALYSED,
        "body": _ANALYSED,
        "inventors": _ANALYSED,
        "holder": _ANALYSED,
        # The originals, for snippets: kept, never searched.
        "title_zh": _STORED,
        "title_en": _STORED,
        "summary_zh": _STORED,
        "summary_en": _STORED,
        # Facets (keyword: terms aggregations keyed by the same strings as the embedded backend).
        "field": _KEYWORD,
        "ipc_section": _KEYWORD,
        "transfer_mode": _KEYWORD,
        "trl": _KEYWORD,
        "region": _KEYWORD,
        "price_band": _KEYWORD,
        # Sort keys.
        "trl_level": {"type": "integer"},
        "asking_price_minor": {"type": "long"},
        "published_at": {"type": "date"},
        "organisation_id": {"type": "long"},
        # Suggestions as you type: normalised titles and their later words (suggestion_keys).
        "suggest": {
            "type": "completion",
            "analyzer": "keyword",
            "preserve_separators": True,
            "preserve_position_increments": True,
            "max_input_length": 60,
        },
    },
}
DEFAULT_SETTINGS: dict[str, Any] = {
    "number_of_shards": 1,
    "number_of_replicas": 0,
    "max_result_window": RESULT_WINDOW,
}


def make_client(
    urls: Sequence[str],
    *,
    api_key: str | None = None,
    basic_auth: tuple[str, str] | None = None,
    ca_certs: str | None = None,
    request_timeout: float = 5.0,
    max_retries: int = 1,
) -> Elasticsearch:
    """A client for one or several nodes (ELASTICSEARCH_URL), with API key or basic auth.

    Retries once on another node by default: a dead node costs one timeout, then the
    caller falls back (SearchUnavailable) rather than waiting on retries.
    """
    options: dict[str, Any] = {
        "request_timeout": request_timeout,
        "max_retries": max_retries,
        "retry_on_timeout": max_retries > 0,
    }
    if api_key:
        options["api_key"] = api_key
    if basic_auth:
        options["basic_auth"] = basic_auth
    if ca_certs:
        options["ca_certs"] = ca_certs
    return Elasticsearch(list(urls), **options)


@contextmanager
def unavailable_on_failure(action: str) -> Iterator[None]:
    """Turn transport failures, 5xx, 429 and bulk failures into SearchUnavailable."""
    try:
        yield
    except SearchUnavailable:
        raise
    except (TransportError, UnsupportedProductError) as error:
        raise SearchUnavailable(f"Elasticsearch {action}: {error}") from error
    except BulkIndexError as error:
        raise SearchUnavailable(
            f"Elasticsearch {action}: {len(error.errors)} documents failed: {error.errors[:3]}"
        ) from error
    except ApiError as error:
        if error.status_code >= 500 or error.status_code in (408, 429):
            raise SearchUnavailable(f"Elasticsearch {action}: {error}") from error
        raise


def _days_since_2000(moment: datetime) -> int:
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return (moment - _EPOCH_2000).days


def to_source(doc: SearchDocument) -> dict[str, Any]:
    """The indexed form of a document: analysed tokens, facet keywords, sort keys, originals."""
    published = doc.published_at
    if published.tzinfo is None:
        published = published.replace(tzinfo=UTC)
    days = _days_since_2000(published)
    suggest = [
        {"input": key, "weight": suggestion_weight(position == 0, days)}
        for title in (doc.title_zh, doc.title_en)
        for position, key in enumerate(suggestion_keys(title or ""))
    ]
    return {
        "id": int(doc.id),
        "title": analyse(f"{doc.title_zh or ''}\n{doc.title_en or ''}"),
        "summary": analyse(f"{doc.summary_zh or ''}\n{doc.summary_en or ''}"),
        "body": analyse(f"{doc.body or ''}\n{' '.join(doc.ipc_classes)}"),
        "inventors": analyse(" ".join(doc.inventors)),
        "holder": analyse(doc.holder or ""),
        "title_zh": doc.title_zh or "",
        "title_en": doc.title_en or "",
        "summary_zh": doc.summary_zh or "",
        "summary_en": doc.summary_en or "",
        "field": doc.field,
        "ipc_section": doc.ipc_section,
        "transfer_mode": list(doc.transfer_modes),
        "trl": str(doc.trl),
        "trl_level": int(doc.trl),
        "region": doc.region,
        "price_band": doc.price_band,
        "asking_price_minor": doc.asking_price_minor,
        "published_at": published.isoformat(),
        "organisation_id": doc.organisation_id,
        "suggest": suggest,
    }


def _term_clause(term: str, fuzzy: bool) -> dict[str, Any]:
    """One query term, required in some field: exact, as a prefix (lone 汉字) or with typos."""
    fields = [f"{name}^{weight:g}" for name, weight in FIELD_WEIGHTS.items()]
    if is_single_han(term):
        return {
            "bool": {
                "should": [
                    {"prefix": {name: {"value": term, "boost": weight}}}
                    for name, weight in FIELD_WEIGHTS.items()
                ],
                "minimum_should_match": 1,
            }
        }
    token = index_token(term)
    exact = {
        "multi_match": {"query": token, "fields": fields, "type": "most_fields", "operator": "and"}
    }
    if not (fuzzy and is_latin(term) and auto_fuzziness(token) and len(token) <= FUZZY_MAX_CHARS):
        return exact
    typo = {
        "multi_match": {
            "query": token,
            "fields": fields,
            "type": "best_fields",
            "fuzziness": "AUTO",
            "prefix_length": FUZZY_PREFIX,
            "max_expansions": FUZZY_EXPANSIONS,
            "boost": FUZZY_BOOST,
        }
    }
    return {"bool": {"should": [exact, typo], "minimum_should_match": 1}}


def _typed_words(terms: Sequence[Clause | str]) -> list[str]:
    """The words as typed: of each clause, its first alternative (no stand-ins)."""
    words: list[str] = []
    for term in terms:
        words += [term] if isinstance(term, str) else term.alternatives[0].words
    return words


def fuzzy_applies(terms: Sequence[Clause | str]) -> bool:
    """Whether a query has English terms that may match with typos (and is short enough)."""
    words = _typed_words(terms)
    return len(words) <= FUZZY_MAX_TERMS and any(
        is_latin(term) and auto_fuzziness(index_token(term)) and len(term) <= FUZZY_MAX_CHARS
        for term in words
    )


def _clause(clause: Clause | str, fuzzy: bool) -> dict[str, Any]:
    """One required clause: any alternative (all of its words), translations boosted down.

    Scores add up over the alternatives that match, as bm25 over the embedded
    backend's ("w" OR ("a" AND "b")) groups does. Only the words as typed (the
    first alternative) may match with typos.
    """
    if isinstance(clause, str):
        return _term_clause(clause, fuzzy)
    options: list[dict[str, Any]] = []
    for index, alternative in enumerate(clause.alternatives):
        typos = fuzzy and index == 0
        parts = [_term_clause(word, typos) for word in alternative.words]
        option = parts[0] if len(parts) == 1 else {"bool": {"must": parts}}
        if alternative.weight != 1.0:
            option = {"bool": {"must": [option], "boost": alternative.weight}}
        options.append(option)
    if len(options) == 1:
        return options[0]
    return {"bool": {"should": options, "minimum_should_match": 1}}


def text_query(terms: Sequence[Clause | str], fuzzy: bool = False) -> dict[str, Any]:
    """Every term or clause required (AND), each in any field; everything without terms."""
    if not terms:
        return {"match_all": {}}
    return {"bool": {"must": [_clause(term, fuzzy) for term in terms]}}


def _filter_clauses(filters: Mapping[str, Sequence[str]]) -> dict[str, dict[str, Any]]:
    """Per filtered facet, a `terms` clause (OR of its values); unknown facets ignored."""
    clauses: dict[str, dict[str, Any]] = {}
    for facet, values in (filters or {}).items():
        if facet not in FACETS or not values:
            continue
        if isinstance(values, str):
            values = (values,)
        clauses[facet] = {"terms": {facet: [str(value) for value in values]}}
    return clauses


def _sort(sort: str, has_terms: bool) -> list[dict[str, Any]]:
    """The sort of the embedded backend: ties broken by id, negotiable prices last."""
    if sort not in SORTS:
        sort = "relevance"
    if sort == "relevance" and not has_terms:
        sort = "newest"  # nothing to rank by: the newest listings first
    if sort == "relevance":
        return [{"_score": "desc"}, {"id": "desc"}]
    if sort == "price_asc":
        return [{"asking_price_minor": {"order": "asc", "missing": "_last"}}, {"id": "asc"}]
    if sort == "price_desc":
        return [{"asking_price_minor": {"order": "desc", "missing": "_last"}}, {"id": "desc"}]
    if sort == "trl_desc":
        return [{"trl_level": "desc"}, {"published_at": "desc"}, {"id": "desc"}]
    return [{"published_at": "desc"}, {"id": "desc"}]


def search_bodies(
    query: SearchQuery, terms: Sequence[Clause | str], fuzzy: bool = False
) -> list[dict[str, Any]]:
    """The requests of a query, sent together in one `_msearch`: the page, then the counts.

    The page request has the filters in filter context and does not count
    every match, so the top hits are found without scoring all of them
    (block-max WAND). The counts request scores nothing (size 0): it counts
    the matches and the facets, with the filters in `post_filter` so each
    facet's aggregation applies every filter but its own (disjunctive
    faceting, as the embedded backend counts); as a size-0 request it is also
    served from the shard request cache until the index next changes.
    Without facets the page request counts the matches itself.
    """
    per_page = max(1, min(int(query.per_page), 100))
    offset = (max(1, int(query.page)) - 1) * per_page
    filters = _filter_clauses(query.filters)
    matched = text_query(terms, fuzzy)
    page_query = (
        {"bool": {"must": matched, "filter": list(filters.values())}} if filters else matched
    )
    page: dict[str, Any] = {
        "query": page_query,
        "sort": _sort(query.sort, bool(terms)),
        "from": min(offset, RESULT_WINDOW),
        "size": per_page if offset + per_page <= RESULT_WINDOW else 0,
        "track_total_hits": not query.with_facets,
        "_source": _SOURCE,
    }
    if not query.with_facets:
        return [page]
    aggs: dict[str, Any] = {}
    for facet in FACETS:
        terms_agg = {"terms": {"field": facet, "size": FACET_SIZE}}
        others = [clause for other, clause in filters.items() if other != facet]
        if others:
            aggs[facet] = {"filter": {"bool": {"filter": others}}, "aggs": {"values": terms_agg}}
        else:
            aggs[facet] = terms_agg
    counts: dict[str, Any] = {
        "query": matched,
        "size": 0,
        "track_total_hits": True,
        "aggs": aggs,
    }
    if filters:
        counts["post_filter"] = {"bool": {"filter": list(filters.values())}}
    return [page, counts]


def _facet_counts(aggregations: Mapping[str, Any]) -> dict[str, dict[str, int]]:
    """Facet counts keyed as the embedded backend keys them, most frequent first."""
    facets: dict[str, dict[str, int]] = {}
    for facet in FACETS:
        agg = aggregations.get(facet, {})
        buckets = agg.get("values", agg).get("buckets", [])
        counts = {str(b["key"]): int(b["doc_count"]) for b in buckets if b["doc_count"]}
        facets[facet] = dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))
    return facets


def _best(zh: str, en: str) -> str:
    """The snippet that shows a match, Chinese first; else whichever is not empty (as embedded)."""
    if "<mark>" in zh or ("<mark>" not in en and zh):
        return zh
    return en


def highlights_for(
    source: Mapping[str, Any], terms: Sequence[Clause | str], fuzzy: bool
) -> dict[str, str]:
    """The embedded backend's snippets, plus words that matched only with typos."""
    texts = {key: str(source.get(key) or "") for key in _SOURCE}
    typed, every = clause_words(terms, translated=False), clause_words(terms)
    if fuzzy:
        typos = fuzzy_words(" ".join(texts.values()), _typed_words(terms), FUZZY_PREFIX)
        typed, every = typed + typos, every + typos
    for marked in (typed, every):
        result = {
            "title_zh": highlight(texts["title_zh"], marked),
            "title_en": highlight(texts["title_en"], marked),
            "summary_zh": highlight(texts["summary_zh"], marked, SUMMARY_CHARS),
            "summary_en": highlight(texts["summary_en"], marked, SUMMARY_CHARS),
        }
        if len(every) == len(typed) or not marks_nothing(result.values()):
            break  # translations are marked only where nothing else is (as embedded)
    result["title"] = _best(result["title_zh"], result["title_en"])
    result["summary"] = _best(result["summary_zh"], result["summary_en"])
    return result


class ElasticsearchBackend:
    """SearchBackend on an Elasticsearch cluster, behind a versioned-index alias."""

    name = "elasticsearch"

    def __init__(
        self,
        client: Elasticsearch,
        alias: str = DEFAULT_ALIAS,
        *,
        settings: Mapping[str, Any] | None = None,
        refresh_on_write: bool = False,
    ) -> None:
        """`settings` override the index settings (shards, replicas, ...) of new indices.

        `refresh_on_write` makes every write visible before it returns (tests); in
        production the index refreshes once a second.
        """
        self.client = client
        self.alias = alias
        self.settings = {**DEFAULT_SETTINGS, **(settings or {})}
        self.refresh_on_write = refresh_on_write
        self._ready = False  # the alias is known to exist (checked on the first write)

    # -- index management ------------------------------------------------------------------

    def _versioned_name(self) -> str:
        return f"{self.alias}-v{datetime.now(UTC):%Y%m%d%H%M%S%f}"

    def _create(self, name: str, *, aliased: bool, bulk_load: bool = False) -> None:
        settings = dict(self.settings)
        if bulk_load:
            settings["refresh_interval"] = "-1"  # restored by switch_alias
        with unavailable_on_failure("create index"):
            self.client.indices.create(
                index=name,
                settings=settings,
                mappings=MAPPINGS,
                aliases={self.alias: {}} if aliased else None,
            )

    def _aliased_indices(self) -> list[str]:
        """The indices the alias points at now (none when it does not exist)."""
        with unavailable_on_failure("read alias"):
            try:
                return sorted(self.client.indices.get_alias(name=self.alias).body)
            except NotFoundError:
                return []

    def ensure_index(self) -> None:
        """Create a versioned index behind the alias unless the alias exists."""
        if self._ready:
            return
        if not self._aliased_indices():
            self._create(self._versioned_name(), aliased=True)
            # Two processes starting together may each create one: the oldest stays.
            indices = self._aliased_indices()
            for extra in indices[1:]:
                with unavailable_on_failure("drop duplicate index"):
                    self.client.indices.delete(index=extra, ignore_unavailable=True)
        self._ready = True

    def new_index(self) -> str:
        """Create a fresh versioned index (not yet behind the alias) for a bulk load."""
        name = self._versioned_name()
        self._create(name, aliased=False, bulk_load=True)
        return name

    def index_into(
        self, index_name: str, documents: Iterable[SearchDocument], chunk_size: int = 500
    ) -> int:
        """Bulk-write documents into one index; return how many were written."""
        actions = (
            {
                "_op_type": "index",
                "_index": index_name,
                "_id": str(doc.id),
                "_source": to_source(doc),
            }
            for doc in documents
        )
        written = 0
        client = self.client.options(request_timeout=BULK_TIMEOUT)
        with unavailable_on_failure("bulk index"):
            for ok, _ in streaming_bulk(
                client,
                actions,
                chunk_size=chunk_size,
                max_retries=3,
                refresh=self.refresh_on_write,
            ):
                written += int(ok)
        return written

    def switch_alias(self, index_name: str) -> None:
        """Point the alias at `index_name` atomically, then delete the older versions."""
        with unavailable_on_failure("switch alias"):
            self.client.indices.put_settings(
                index=index_name, settings={"index": {"refresh_interval": None}}
            )
            self.client.indices.refresh(index=index_name)
        current = self._aliased_indices()
        actions: list[dict[str, Any]] = [
            {"remove": {"index": name, "alias": self.alias}}
            for name in current
            if name != index_name
        ]
        actions.append({"add": {"index": index_name, "alias": self.alias}})
        with unavailable_on_failure("switch alias"):
            self.client.indices.update_aliases(actions=actions)
            versions = self.client.indices.get(
                index=f"{self.alias}-v*", ignore_unavailable=True, allow_no_indices=True
            ).body
            older = sorted(name for name in versions if name < index_name)
            if older:
                self.client.indices.delete(index=",".join(older), ignore_unavailable=True)
        self._ready = True

    def refresh(self) -> None:
        """Make every write so far visible to searches."""
        with unavailable_on_failure("refresh"):
            self.client.indices.refresh(index=self.alias, ignore_unavailable=True)

    def drop(self) -> None:
        """Delete the alias and every versioned index of it (tests, teardown)."""
        with unavailable_on_failure("drop"):
            versions = self.client.indices.get(
                index=f"{self.alias}-v*", ignore_unavailable=True, allow_no_indices=True
            ).body
            if versions:
                self.client.indices.delete(index=",".join(versions), ignore_unavailable=True)
        self._ready = False

    # -- writes ----------------------------------------------------------------------------

    def index(self, documents: Iterable[SearchDocument]) -> int:
        """Add or replace documents (through the alias); return how many were written."""
        self.ensure_index()
        return self.index_into(self.alias, documents)

    def delete(self, ids: Iterable[int]) -> None:
        """Remove documents; unknown ids are ignored."""
        actions = [{"_op_type": "delete", "_index": self.alias, "_id": str(int(i))} for i in ids]
        if not actions:
            return
        self.ensure_index()
        with unavailable_on_failure("bulk delete"):
            for ok, item in streaming_bulk(
                self.client,
                actions,
                raise_on_error=False,
                max_retries=3,
                refresh=self.refresh_on_write,
            ):
                status = item.get("delete", {}).get("status", 0)
                if not ok and status != 404:
                    raise SearchUnavailable(f"Elasticsearch delete failed: {item}")

    def clear(self) -> None:
        """Remove every document: an empty new index behind the alias (no delete_by_query)."""
        self.switch_alias(self.new_index())

    # -- reads -----------------------------------------------------------------------------

    def count(self) -> int:
        """How many documents the index holds."""
        with unavailable_on_failure("count"):
            try:
                return int(self.client.count(index=self.alias)["count"])
            except NotFoundError:
                return 0

    def healthy(self) -> bool:
        """Whether the cluster answers (not red), asked with a short timeout; never raises."""
        try:
            health = self.client.options(
                request_timeout=HEALTH_TIMEOUT, max_retries=0
            ).cluster.health(timeout=f"{HEALTH_TIMEOUT:g}s")
            return health.get("status") in ("green", "yellow")
        except Exception:  # a health probe reports, it does not fail
            log.debug("elasticsearch health check failed", exc_info=True)
            return False

    def _search(self, **body: Any) -> Mapping[str, Any] | None:
        """One search request through the alias; None when the index does not exist yet."""
        with unavailable_on_failure("search"):
            try:
                return self.client.search(index=self.alias, **body).body
            except NotFoundError:
                return None

    def _msearch(self, bodies: Sequence[Mapping[str, Any]]) -> list[Mapping[str, Any]] | None:
        """Several searches in one request; None when the index does not exist yet."""
        searches: list[Mapping[str, Any]] = []
        for body in bodies:
            searches += [{}, body]
        with unavailable_on_failure("search"):
            responses = self.client.msearch(index=self.alias, searches=searches)["responses"]
        for response in responses:
            if "error" not in response:
                continue
            status = int(response.get("status", 500))
            if status == 404:
                return None
            if status >= 500 or status == 429:
                raise SearchUnavailable(f"Elasticsearch search: {response['error']}")
            raise RuntimeError(f"Elasticsearch refused the search: {response['error']}")
        return list(responses)

    def search(self, query: SearchQuery) -> SearchResult:
        """Full-text match, filters, facet counts of all matches, one sorted page of hits."""
        terms = query_clauses(query.text)
        fuzzy = False
        responses = self._msearch(search_bodies(query, terms))
        if responses and not responses[-1]["hits"]["total"]["value"] and fuzzy_applies(terms):
            fuzzy = True  # nothing as typed: allow typos in the English words
            responses = self._msearch(search_bodies(query, terms, fuzzy=True))
        if responses is None:
            empty = {facet: {} for facet in FACETS} if query.with_facets else {}
            return SearchResult(hits=[], total=0, facets=empty)
        page, counts = responses[0], responses[-1]
        hits = [
            SearchHit(
                id=int(hit["_id"]),
                score=float(hit.get("_score") or 0.0),
                highlights=highlights_for(hit.get("_source", {}), terms, fuzzy),
            )
            for hit in page["hits"]["hits"]
        ]
        facets = _facet_counts(counts.get("aggregations", {})) if query.with_facets else {}
        return SearchResult(hits=hits, total=int(counts["hits"]["total"]["value"]), facets=facets)

    def suggest(self, prefix: str, limit: int = 8) -> list[str]:
        """Distinct titles (Chinese or English) that start with, or have a word starting with,
        what the user typed; titles starting with it first, then newest first.

        An English prefix that completes nothing is tried again with a typo allowed.
        """
        typed = suggestion_prefix(prefix)
        if not typed or limit <= 0:
            return []
        titles = self._suggest(typed, limit, fuzzy=False)
        if not titles and len(typed) >= 4 and typed.isascii():
            titles = self._suggest(typed, limit, fuzzy=True)
        return titles

    def _suggest(self, typed: str, limit: int, *, fuzzy: bool) -> list[str]:
        completion: dict[str, Any] = {"field": "suggest", "size": max(limit * 4, 20)}
        if fuzzy:
            completion["fuzzy"] = {"fuzziness": 1, "prefix_length": 1}
        response = self._search(
            suggest={"titles": {"prefix": typed, "completion": completion}},
            source=["title_zh", "title_en"],
            size=0,
        )
        if response is None:
            return []
        titles: list[str] = []
        for entry in response.get("suggest", {}).get("titles", []):
            for option in entry.get("options", []):
                source = option.get("_source", {})
                zh, en = source.get("title_zh", ""), source.get("title_en", "")
                text = option.get("text", "")
                title = zh if text in " ".join(normalise(zh).split()) else en
                if title and title not in titles:
                    titles.append(title)
        return titles[:limit]

    def related(self, text: str, limit: int = 50) -> list[tuple[int, float]]:
        """(id, score) of the listings sharing most words with `text`, by bm25 (matching).

        Any word counts (a search needs all of them), in titles and summaries, as
        the embedded backend's `related`.
        """
        tokens = [index_token(term) for term in related_terms(text)]
        if not tokens:
            return []
        response = self._search(
            query={
                "multi_match": {
                    "query": " ".join(tokens),
                    "fields": [
                        f"title^{FIELD_WEIGHTS['title']:g}",
                        f"summary^{FIELD_WEIGHTS['summary']:g}",
                    ],
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

    @cached_property
    def needs(self) -> ElasticsearchNeedIndex:
        """The technology needs: their own versioned index behind `<alias>-needs`."""
        from search.elasticsearch_needs import ElasticsearchNeedIndex

        return ElasticsearchNeedIndex(
            self.client,
            f"{self.alias}-needs",
            settings=self.settings,
            refresh_on_write=self.refresh_on_write,
        )

    def similar(self, listing_id: int, limit: int = 4) -> list[int]:
        """Listings sharing title words with this one (more_like_this on titles and summaries),
        those of the same field first; topped up with the newest of the same field."""
        with unavailable_on_failure("get"):
            try:
                source = self.client.get(
                    index=self.alias,
                    id=str(int(listing_id)),
                    source=["title_zh", "title_en", "field"],
                )["_source"]
            except NotFoundError:
                return []
        field = source.get("field")
        terms = query_terms(f"{source.get('title_zh', '')} {source.get('title_en', '')}")
        like = " ".join(index_token(term) for term in terms if not is_single_han(term))
        scored: list[tuple[int, float, bool]] = []
        if like:
            response = self._search(
                query={
                    "bool": {
                        "must": {
                            "more_like_this": {
                                "fields": ["title", "summary"],
                                "like": like,
                                "min_term_freq": 1,
                                "min_doc_freq": 1,
                                "max_query_terms": 25,
                                "minimum_should_match": 1,
                                "stop_words": sorted(STOPWORDS),
                            }
                        },
                        "must_not": {"ids": {"values": [str(int(listing_id))]}},
                    }
                },
                size=max(limit * 5, 20),
                source=["field"],
                sort=[{"_score": "desc"}, {"id": "desc"}],
            )
            for hit in (response or {}).get("hits", {}).get("hits", []):
                same = hit.get("_source", {}).get("field") == field
                scored.append((int(hit["_id"]), float(hit["_score"] or 0.0), same))
        scored.sort(key=lambda item: (not item[2], -item[1], -item[0]))
        chosen = [doc_id for doc_id, _, _ in scored[:limit]]
        if len(chosen) < limit and field:
            response = self._search(
                query={
                    "bool": {
                        "filter": {"term": {"field": field}},
                        "must_not": {"ids": {"values": [str(i) for i in [listing_id, *chosen]]}},
                    }
                },
                size=limit - len(chosen),
                source=False,
                sort=[{"published_at": "desc"}, {"id": "desc"}],
            )
            chosen += [int(hit["_id"]) for hit in (response or {}).get("hits", {}).get("hits", [])]
        return chosen
