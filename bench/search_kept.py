"""The search benchmarks' indices of the generated corpus, kept between runs, and what a
never-seen query must not reuse (bench/search.py, bench/search_phases.py).

`kept_backends(size, keep, es_url)` opens the embedded index `<keep>/phases-<size>.db`
and the Elasticsearch index behind the alias `phases-<size>` (or `es_alias`), loading
the corpus of `size` listings (bench/corpus.py, seed `size`) into whichever is missing or
incomplete; without `keep` both are temporary. `forget(backend)` drops, before a query,
what only a repeated query reuses, so its time is a never-seen query's.
"""

from __future__ import annotations

import os
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from bench.corpus import CorpusGenerator
from search.backend import SearchBackend, SearchQuery
from search.elasticsearch import ElasticsearchBackend, make_client
from search.embedded import EmbeddedSearchBackend
from search.text import clauses, highlighting

BATCH = 2000


def load_avg() -> str:
    """The load average (1, 5, 15 minutes), to print beside every figure."""
    return " ".join(f"{v:.2f}" for v in os.getloadavg())


def load(backend: SearchBackend, size: int) -> float:
    """Index the corpus of `size` listings in batches, then merge (optimize / force-merge);
    the seconds spent writing (the app-side analysis included, the corpus's making not)."""
    docs = CorpusGenerator(seed=size).documents(size)
    done = 0
    seconds = 0.0
    es = backend if isinstance(backend, ElasticsearchBackend) else None
    name = es.new_index() if es is not None else ""
    while done < size:
        batch = [next(docs) for _ in range(min(BATCH, size - done))]
        start = time.perf_counter()
        if es is not None:
            es.index_into(name, batch, chunk_size=1000)
        else:
            backend.index(batch)
        seconds += time.perf_counter() - start
        done += len(batch)
    start = time.perf_counter()
    if es is not None:
        es.client.options(request_timeout=600).indices.forcemerge(index=name, max_num_segments=1)
        es.switch_alias(name)
    else:
        assert isinstance(backend, EmbeddedSearchBackend)
        backend.optimize()
    return seconds + time.perf_counter() - start


@contextmanager
def kept_backends(
    size: int,
    keep: str,
    es_url: str | None,
    es_alias: str = "",
    load_seconds: dict[str, float] | None = None,
    embedded_too: bool = True,
) -> Iterator[list[SearchBackend]]:
    """The embedded backend (unless not `embedded_too`), and Elasticsearch when `es_url` is
    given, holding the corpus; `load_seconds` gets the seconds each backend loaded took
    (none when it was kept)."""
    loaded = load_seconds if load_seconds is not None else {}
    with tempfile.TemporaryDirectory(prefix="search-kept-") as tmp:
        folder = Path(keep) if keep else Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        found: list[SearchBackend] = []
        embedded: EmbeddedSearchBackend | None = None
        if embedded_too:
            path = folder / f"phases-{size}.db"
            fresh = not path.exists()
            embedded = EmbeddedSearchBackend(path)
            if fresh:
                loaded[embedded.name] = load(embedded, size)
            found.append(embedded)
        client = None
        es: ElasticsearchBackend | None = None
        if es_url:
            client = make_client(es_url.split(","), request_timeout=30)
            # Not kept: a name of its own (dropping it must not drop a kept index).
            alias = es_alias or f"phases-{size}" + ("" if keep else f"-{uuid.uuid4().hex[:8]}")
            es = ElasticsearchBackend(client, alias=alias)
            if not keep or es.count() != size:
                loaded[es.name] = load(es, size)
            found.append(es)
        try:
            yield found
        finally:
            if embedded is not None:
                embedded.close()
            if es is not None and not keep:
                es.drop()
            if client is not None:
                client.close()


def forget(backend: SearchBackend) -> None:
    """Forget what repeated queries reuse: analysed queries, the embedded backend's results,
    Elasticsearch's request cache; what any query warms (bitmaps, stems, vocabulary) stays."""
    for name in ("_query_clauses", "_required_terms"):
        cached = getattr(clauses, name, None)
        if cached is not None:
            cached.cache_clear()
    prepared = getattr(highlighting, "_prepared", None)
    if prepared is not None:
        prepared.cache_clear()
    results = getattr(backend, "_results", None)
    if results is not None:
        results.size = 0
    if isinstance(backend, ElasticsearchBackend):
        backend.client.indices.clear_cache(index=backend.alias, request=True)


class NodeTook:
    """Adds up the `took` of every search of the `_msearch` requests an Elasticsearch index
    sends (the node's own time, searches run side by side counted each)."""

    def __init__(self, backend: SearchBackend) -> None:
        self.ms = 0.0
        self.trips = 0
        if isinstance(backend, ElasticsearchBackend):
            original = backend._msearch

            def counted(bodies: Any) -> Any:
                responses = original(bodies)
                self.trips += 1
                self.ms += sum(float(r.get("took", 0)) for r in responses or [])
                return responses

            backend._msearch = counted  # type: ignore[method-assign]

    def reset(self) -> None:
        self.ms = 0.0
        self.trips = 0


def timed_search(
    backend: SearchBackend, query: SearchQuery, took: NodeTook
) -> tuple[float, float, Any]:
    """(wall ms, CPU ms, result) of one search; CPU: this process's, plus the node's `took`."""
    took.reset()
    wall, cpu = time.perf_counter(), time.process_time()
    result = backend.search(query)
    cpu_ms = (time.process_time() - cpu) * 1000 + took.ms
    return (time.perf_counter() - wall) * 1000, cpu_ms, result
