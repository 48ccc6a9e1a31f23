"""One Elasticsearch index of one kind of document, behind a versioned-index alias.

Text is analysed in the app (search.text.tokens.analyse), so the index needs only the
built-in `whitespace` analyzer and works on any cluster without plugins; original texts
are stored unindexed and highlighted in Python as the embedded backend does. A full
rebuild writes a new index `<alias>-v<UTC timestamp>` and swaps the alias atomically;
single writes go through the alias. Transport failures and 5xx become SearchUnavailable,
so callers can fall back to the embedded index.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from elasticsearch import Elasticsearch, NotFoundError
from elasticsearch.helpers import streaming_bulk

from search.backend import SearchQuery, SearchResult, SearchUnavailable
from search.documents import ElasticsearchSpec
from search.es_client import budgeted, unavailable_on_failure
from search.es_facets import (
    FacetKeysProbe,
    mappings_with_facet_keys,
    with_facet_keys,
)
from search.es_query import (
    RESULT_WINDOW,
    fuzzy_applies,
    related_body,
    search_bodies,
)
from search.es_results import search_result
from search.es_words import (
    ALL_WORDS,
    ALL_WORDS_META,
    mappings_with_all_words,
    with_all_words,
)
from search.text.clauses import Clause
from search.text.spelling import SpellerCache
from search.widening import Pass, likely_widened, min_matches, search_widening

BULK_TIMEOUT = 120.0
VOCABULARY_SIZE = 50_000
DEFAULT_SETTINGS: dict[str, Any] = {
    "number_of_shards": 1,
    "number_of_replicas": 0,
    "max_result_window": RESULT_WINDOW,
    # Ties of a page rescored by score come out by id (search.es_words), as they sort here.
    "sort.field": ["id"],
    "sort.order": ["desc"],
}


class ElasticsearchIndex:
    """The documents of one kind (`spec`) on a cluster, behind the alias `alias`."""

    def __init__(
        self,
        client: Elasticsearch,
        alias: str,
        spec: ElasticsearchSpec,
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
        self.spec = spec
        self.settings = {**DEFAULT_SETTINGS, **(settings or {})}
        self.refresh_on_write = refresh_on_write
        self._ready = False  # the alias is known to exist (checked on the first write)
        self._speller = SpellerCache(self._vocabulary)
        self._facet_keys = FacetKeysProbe(self._mappings)
        self._all_words = FacetKeysProbe(self._mappings, ALL_WORDS_META, ALL_WORDS)

    # -- index management ------------------------------------------------------------------

    def _versioned_name(self) -> str:
        return f"{self.alias}-v{datetime.now(UTC):%Y%m%d%H%M%S%f}"

    def _mappings_made(self) -> dict[str, Any]:
        """The mappings of a new index: the kind's, the facet keys and all words."""
        return mappings_with_all_words(mappings_with_facet_keys(self.spec.mappings))

    def _create(self, name: str, *, aliased: bool, bulk_load: bool = False) -> None:
        settings = dict(self.settings)
        if bulk_load:
            settings["refresh_interval"] = "-1"  # restored by switch_alias
        with unavailable_on_failure("create index"):
            self.client.indices.create(
                index=name,
                settings=settings,
                mappings=self._mappings_made(),
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
        if self._aliased_indices():
            # Fields added since the index was made (e.g. `words`): new fields may be added to
            # a live mapping; their values appear as documents are written again (reindex).
            with unavailable_on_failure("update mapping"):
                self.client.indices.put_mapping(
                    index=self.alias,
                    properties=self._mappings_made()["properties"],
                )
        else:
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

    def index_into(self, index_name: str, documents: Iterable[Any], chunk_size: int = 500) -> int:
        """Bulk-write documents into one index; return how many were written."""
        actions = (
            {
                "_op_type": "index",
                "_index": index_name,
                "_id": str(doc.id),
                "_source": with_all_words(
                    with_facet_keys(self.spec.to_source(doc), self.spec.facets),
                    self.spec.field_weights,
                ),
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
            self._delete_versions(before=index_name)
        self._changed(ready=True)

    def refresh(self) -> None:
        """Make every write so far visible to searches."""
        with unavailable_on_failure("refresh"):
            self.client.indices.refresh(index=self.alias, ignore_unavailable=True)

    def drop(self) -> None:
        """Delete the alias and every versioned index of it (tests, teardown)."""
        with unavailable_on_failure("drop"):
            self._delete_versions()
        self._changed(ready=False)

    def _delete_versions(self, before: str | None = None) -> None:
        """Delete the alias's versioned indices: those older than `before`, or every one."""
        versions = self.client.indices.get(
            index=f"{self.alias}-v*", ignore_unavailable=True, allow_no_indices=True
        ).body
        doomed = sorted(name for name in versions if before is None or name < before)
        if doomed:
            self.client.indices.delete(index=",".join(doomed), ignore_unavailable=True)

    def _changed(self, *, ready: bool) -> None:
        """The index behind the alias changed: whether the alias exists now, and the facet
        keys and words read from the old index's mappings forgotten."""
        self._ready = ready
        self._facet_keys.forget()
        self._all_words.forget()

    # -- writes ----------------------------------------------------------------------------

    def index(self, documents: Iterable[Any]) -> int:
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
        self._speller.forget()

    # -- reads -----------------------------------------------------------------------------

    def count(self) -> int:
        """How many documents the index holds."""
        with unavailable_on_failure("count"):
            try:
                return int(self.budgeted().count(index=self.alias)["count"])
            except NotFoundError:
                return 0

    def budgeted(self) -> Elasticsearch:
        """The client for a query, bounded by the request's budget (search.es_client)."""
        return budgeted(self.client)

    def _search(self, **body: Any) -> Mapping[str, Any] | None:
        """One search request through the alias; None when the index does not exist yet."""
        with unavailable_on_failure("search"):
            try:
                return self.budgeted().search(index=self.alias, **body).body
            except NotFoundError:
                return None

    def holds_facet_keys(self) -> bool:
        """Whether every document behind the alias holds its facet keys (search.es_facets)."""
        return self._facet_keys.held()

    def holds_all_words(self) -> bool:
        """Whether every document behind the alias holds ALL_WORDS (search.es_words)."""
        return self._all_words.held()

    def _mappings(self) -> Mapping[str, Any] | None:
        with unavailable_on_failure("read mapping"):
            try:
                return self.budgeted().indices.get_mapping(index=self.alias).body
            except NotFoundError:
                return None

    def _msearch(self, bodies: Sequence[Mapping[str, Any]]) -> list[Mapping[str, Any]] | None:
        """Several searches in one request; None when the index does not exist yet.

        Each through the shard request cache, pages too (by default it keeps size-0
        requests only): a repeated query is answered from it until the index next changes.
        """
        searches: list[Mapping[str, Any]] = []
        for body in bodies:
            searches += [{"request_cache": True}, body]
        with unavailable_on_failure("search"):
            responses = self.budgeted().msearch(index=self.alias, searches=searches)["responses"]
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
        """Full-text match, filters, facet counts of all matches, one sorted page of hits.

        A query likely to be widened (a misspelt word, search.widening.likely_widened)
        sends its widened pass with the first, in one `_msearch`: one round trip, not two.
        """
        ahead: dict[tuple[Clause, ...], list[Mapping[str, Any]]] = {}
        return search_widening(
            query.text,
            lambda clauses, widen: Pass.done(self._search_once(query, clauses, widen, ahead)),
            self._speller.get,
        )

    def _first_responses(
        self,
        query: SearchQuery,
        terms: Sequence[Clause],
        widen: bool,
        ahead: dict[tuple[Clause, ...], list[Mapping[str, Any]]],
    ) -> list[Mapping[str, Any]] | None:
        """A pass's responses: sent ahead with the first pass, or asked for now (the first
        pass of a query likely to widen sends the widened pass's requests with its own)."""
        if widen:
            sent = ahead.pop(tuple(terms), None)
            if sent is not None:
                return sent
            return self._msearch(self._bodies(query, terms, min_match=min_matches(terms)))
        bodies = self._bodies(query, terms)
        wide = likely_widened(query.text, terms, self._speller.get) if terms else []
        if not wide:
            return self._msearch(bodies)
        extra = self._bodies(query, wide, min_match=min_matches(wide))
        responses = self._msearch([*bodies, *extra])
        if responses is None:
            return None
        ahead[tuple(wide)] = responses[len(bodies) :]
        return responses[: len(bodies)]

    def _bodies(
        self,
        query: SearchQuery,
        terms: Sequence[Clause],
        fuzzy: bool = False,
        min_match: int | None = None,
    ) -> list[dict[str, Any]]:
        """A pass's requests, with what the index behind the alias holds."""
        return search_bodies(
            self.spec,
            query,
            terms,
            fuzzy,
            min_match,
            facet_keys=query.with_facets and self.holds_facet_keys(),
            all_words=bool(terms) and self.holds_all_words(),
        )

    def _vocabulary(self) -> dict[str, int]:
        """The index's English tokens and their document counts (spelling corrections)."""
        if "words" not in self.spec.mappings["properties"]:
            return {}
        aggs = {"words": {"terms": {"field": "words", "size": VOCABULARY_SIZE}}}
        response = self._search(size=0, aggs=aggs) or {}
        buckets = response.get("aggregations", {}).get("words", {}).get("buckets", [])
        return {str(b["key"]): int(b["doc_count"]) for b in buckets}

    def _search_once(
        self,
        query: SearchQuery,
        terms: Sequence[Clause],
        widen: bool,
        ahead: dict[tuple[Clause, ...], list[Mapping[str, Any]]],
    ) -> SearchResult:
        spec = self.spec
        fuzzy = False
        wide = min_matches(terms) if widen and terms else None
        responses = self._first_responses(query, terms, widen, ahead)
        if (
            spec.fuzzy
            and widen
            and responses
            and not responses[-1]["hits"]["total"]["value"]
            and fuzzy_applies(terms)
        ):
            fuzzy = True  # nothing even widened: allow typos in the English words
            responses = self._msearch(self._bodies(query, terms, True, wide))
        return search_result(spec, query, terms, responses, wide, fuzzy)

    def related(self, text: str, limit: int = 50) -> list[tuple[int, float]]:
        """(id, score) of the documents sharing most words with `text`, by bm25 (matching):
        any word counts, in the kind's related fields, as the embedded backend's `related`."""
        body = related_body(self.spec, text, limit)
        response = self._search(**body) if body else None
        return [
            (int(hit["_id"]), float(hit.get("_score") or 0.0))
            for hit in (response or {}).get("hits", {}).get("hits", [])
        ]
