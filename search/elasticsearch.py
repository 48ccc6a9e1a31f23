"""The Elasticsearch search backend: the same behaviour as the embedded one, on a cluster.

The backend is the index of listings (search.es_index, with the listings'
definition) plus what only listings offer (suggestions as you type, "more
like this"); every other kind of document has its own index behind
`<alias><its alias_suffix>` (`index_for()`; needs: `<alias>-needs`).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from elasticsearch import Elasticsearch, NotFoundError

from core.breaker import remaining
from search.documents import ElasticsearchSpec
from search.es_client import make_client, unavailable_on_failure
from search.es_index import ElasticsearchIndex
from search.listing_documents import ELASTICSEARCH as LISTINGS_SPEC
from search.need_documents import ELASTICSEARCH as NEEDS_SPEC
from search.text.suggestions import suggestion_prefix
from search.text.tokens import STOPWORDS, index_token, is_single_han, normalise, query_terms

__all__ = ["Elasticsearch", "ElasticsearchBackend", "make_client"]
log = logging.getLogger(__name__)

DEFAULT_ALIAS = "marketplace-listings"
HEALTH_TIMEOUT = 2.0


class ElasticsearchBackend(ElasticsearchIndex):
    """SearchBackend on an Elasticsearch cluster: listings behind `alias`, other kinds beside."""

    name = "elasticsearch"

    def __init__(
        self,
        client: Elasticsearch,
        alias: str = DEFAULT_ALIAS,
        *,
        settings: Mapping[str, Any] | None = None,
        refresh_on_write: bool = False,
    ) -> None:
        """The listings' index behind `alias` (`settings`, `refresh_on_write`: see
        ElasticsearchIndex), the indices of other kinds opened beside it on first use."""
        super().__init__(
            client, alias, LISTINGS_SPEC, settings=settings, refresh_on_write=refresh_on_write
        )
        self._kinds: dict[str, ElasticsearchIndex] = {}

    def index_for(self, spec: ElasticsearchSpec) -> ElasticsearchIndex:
        """The index of another kind of document on this cluster (created on first write)."""
        if not spec.alias_suffix:
            return self
        index = self._kinds.get(spec.alias_suffix)
        if index is None:
            index = self._kinds[spec.alias_suffix] = ElasticsearchIndex(
                self.client,
                f"{self.alias}{spec.alias_suffix}",
                spec,
                settings=self.settings,
                refresh_on_write=self.refresh_on_write,
            )
        return index

    def opened_indices(self) -> list[ElasticsearchIndex]:
        """The indices of other kinds this object has opened so far (teardown drops them)."""
        return list(self._kinds.values())

    @property
    def needs(self) -> ElasticsearchIndex:
        """The technology needs: their own versioned index behind `<alias>-needs`."""
        return self.index_for(NEEDS_SPEC)

    def healthy(self) -> bool:
        """Whether the cluster answers (not red), asked with a short timeout; never raises."""
        try:
            left = remaining()
            wait = HEALTH_TIMEOUT if left is None else min(HEALTH_TIMEOUT, left)
            health = self.client.options(
                request_timeout=max(wait, 0.01), max_retries=0
            ).cluster.health(timeout=f"{max(int(wait * 1000), 10)}ms")
            return health.get("status") in ("green", "yellow")
        except Exception:  # a health probe reports, it does not fail
            log.debug("elasticsearch health check failed", exc_info=True)
            return False

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

    def similar(self, listing_id: int, limit: int = 4) -> list[int]:
        """Listings sharing title words with this one (more_like_this on titles and summaries),
        those of the same field first; topped up with the newest of the same field."""
        with unavailable_on_failure("get"):
            try:
                source = self.budgeted().get(
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
