"""Results of the embedded index remembered per index generation (as Elasticsearch's shard
request cache remembers a query's response until the index next changes).

A query's result depends only on the index's contents, which the generation names (it
changes with every logged write, search.embedded_file), and on tables that never change
in a process (glossary, dictionaries); the spelling vocabulary is read from the same
contents. So a repeated query of the same generation gets the result computed before:
ranking the newest candidates by bm25 costs 10-40 ms of SQLite, a copy well under one.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Hashable, Mapping
from dataclasses import replace

from search.backend import SearchQuery, SearchResult

RESULTS_KEPT = 512  # results of the current generation (a few hundred kB at most)


def query_key(query: SearchQuery) -> Hashable:
    """The query's parameters as a key (filters in a stable order, a bare value as one)."""
    given: Mapping[str, tuple[str, ...] | str] = query.filters or {}
    filters = tuple(
        sorted(
            (facet, (values,) if isinstance(values, str) else tuple(values))
            for facet, values in given.items()
        )
    )
    return (query.text, filters, query.sort, query.page, query.per_page, query.with_facets)


def _copy(result: SearchResult) -> SearchResult:
    """A copy whose dicts and lists the caller may change without changing the cache."""
    return replace(
        result,
        hits=[replace(hit, highlights=dict(hit.highlights)) for hit in result.hits],
        facets={facet: dict(counts) for facet, counts in result.facets.items()},
    )


class ResultCache:
    """The latest results of one generation, least recently used dropped first; thread-safe."""

    def __init__(self, size: int = RESULTS_KEPT) -> None:
        self.size = size
        self._generation: int | None = None
        self._results: OrderedDict[Hashable, SearchResult] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, generation: int | None, query: SearchQuery) -> SearchResult | None:
        """The result of `query` at `generation`, if remembered (None: compute it)."""
        if generation is None or self.size <= 0:
            return None
        key = query_key(query)
        with self._lock:
            if generation != self._generation:
                return None
            result = self._results.get(key)
            if result is None:
                return None
            self._results.move_to_end(key)
        return _copy(result)

    def put(self, generation: int | None, query: SearchQuery, result: SearchResult) -> None:
        """Remember a result computed at `generation` (a newer generation forgets the rest)."""
        if generation is None or self.size <= 0:
            return
        kept = _copy(result)
        with self._lock:
            if generation != self._generation:  # the index changed: forget the others
                self._generation = generation
                self._results.clear()
            self._results[query_key(query)] = kept
            self._results.move_to_end(query_key(query))
            while len(self._results) > self.size:
                self._results.popitem(last=False)
