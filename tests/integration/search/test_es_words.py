"""The all_words first pass on a real node: the same pages as the exact query alone, and an
index made before the field (no `_meta.all_words`) still answered with the exact query."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

import pytest

from search.backend import SearchDocument, SearchQuery, SearchResult
from search.elasticsearch import Elasticsearch, ElasticsearchBackend
from search.es_facets import mappings_with_facet_keys, with_facet_keys
from search.listing_documents import ELASTICSEARCH as LISTINGS_SPEC
from tests.integration.search.test_contract import doc

QUERIES = [
    SearchQuery(text="电池"),
    SearchQuery(text="锂离子电池", per_page=3),
    SearchQuery(text="锂离子电池", page=2, per_page=3),
    SearchQuery(text="电池 隔膜", filters={"field": ("energy",)}),
    SearchQuery(text="锂"),  # a lone 汉字: a prefix
    SearchQuery(text="battery separator"),
    SearchQuery(text="batery"),  # nothing matches: typos allowed, the exact query
    SearchQuery(text="电池 石墨烯 涂层"),
    SearchQuery(text="隔膜 量子计算"),  # no listing has both: widened
    SearchQuery(text="电池", sort="newest"),
    SearchQuery(text="电池", sort="price_asc", with_facets=False),
    SearchQuery(text="方法", page=30, per_page=10),  # past the rescore window
]


def _corpus() -> list[SearchDocument]:
    titles = ["锂离子电池隔膜", "一种电池管理方法", "石墨烯涂层材料", "固态电池电解质"]
    return [
        doc(
            i,
            title_zh=titles[i % 4],
            title_en="battery separator" if i % 5 == 0 else "",
            summary_zh="电池的制备方法" if i % 3 == 0 else "一种材料的制备方法",
            field="energy" if i % 2 else "materials",
            asking_price_minor=1_000 * (i % 7) or None,
        )
        for i in range(1, 400)
    ]


def _shown(result: SearchResult) -> tuple[object, ...]:
    facets = [(facet, sorted(counts.items())) for facet, counts in result.facets.items()]
    return [hit.id for hit in result.hits], result.total, facets, result.widened


def _index_made_before_all_words(backend: ElasticsearchBackend, docs: list[SearchDocument]) -> None:
    """The alias on an index made by an earlier version: facet keys, no all_words."""
    name = f"{backend.alias}-v00000000000000000000"
    backend.client.indices.create(
        index=name,
        settings=backend.settings,
        mappings=mappings_with_facet_keys(LISTINGS_SPEC.mappings),
        aliases={backend.alias: {}},
    )
    for document in docs:
        source = with_facet_keys(LISTINGS_SPEC.to_source(document), LISTINGS_SPEC.facets)
        backend.client.index(index=name, id=str(document.id), document=source)
    backend.client.indices.refresh(index=name)


class _Recorded:
    """The bodies a backend sends to `_msearch`."""

    def __init__(self, backend: ElasticsearchBackend) -> None:
        self.bodies: list[Mapping[str, Any]] = []
        send = backend._msearch

        def recording(bodies: Sequence[Mapping[str, Any]]) -> Any:
            self.bodies += bodies
            return send(bodies)

        backend._msearch = recording  # type: ignore[method-assign]

    def mention(self, word: str) -> bool:
        return any(word in json.dumps(body) for body in self.bodies)


@pytest.fixture
def old_backend(es_client: Elasticsearch, es_backend: ElasticsearchBackend):  # type: ignore[no-untyped-def]
    backend = ElasticsearchBackend(
        es_client, alias=f"{es_backend.alias}-old", refresh_on_write=True
    )
    yield backend
    backend.drop()


def test_an_old_index_answers_with_the_exact_query_and_the_same_pages(
    es_backend: ElasticsearchBackend, old_backend: ElasticsearchBackend
) -> None:
    docs = _corpus()
    es_backend.index(docs)
    # One segment, so the index's sort (id desc) orders the first pass's ties, as the exact
    # query's sort does: this corpus ties hundreds of documents, and which of them enter the
    # top RESCORE_WINDOW would otherwise follow the segments' order (es_words says so).
    es_backend.client.indices.forcemerge(index=es_backend.alias, max_num_segments=1)
    es_backend.client.indices.refresh(index=es_backend.alias)
    _index_made_before_all_words(old_backend, docs)
    new, old = _Recorded(es_backend), _Recorded(old_backend)
    widened = False
    for query in QUERIES:
        shown = _shown(es_backend.search(query))
        assert _shown(old_backend.search(query)) == shown, query
        widened |= bool(shown[3])
    assert widened
    assert new.mention("all_words") and new.mention("rescore")
    assert not old.mention("all_words") and not old.mention("rescore")


def test_writes_to_an_old_index_keep_the_exact_query_until_a_reindex(
    es_backend: ElasticsearchBackend, old_backend: ElasticsearchBackend
) -> None:
    _index_made_before_all_words(old_backend, _corpus()[:20])
    old_backend.index([doc(500, title_zh="锂离子电池隔膜")])  # adds the field to the mapping
    fresh = ElasticsearchBackend(old_backend.client, alias=old_backend.alias, refresh_on_write=True)
    recorded = _Recorded(fresh)
    assert 500 in [hit.id for hit in fresh.search(SearchQuery(text="隔膜")).hits]
    assert not recorded.mention("all_words")  # older documents lack it
    fresh.switch_alias(fresh.new_index())  # what `flask search reindex` does
    fresh.index([doc(500, title_zh="锂离子电池隔膜")])
    assert [hit.id for hit in fresh.search(SearchQuery(text="隔膜")).hits] == [500]
    assert recorded.mention("all_words")


def test_all_words_stays_out_of_the_source(es_backend: ElasticsearchBackend) -> None:
    es_backend.index([doc(1, title_zh="锂离子电池隔膜")])
    source = es_backend.client.get(index=es_backend.alias, id="1")["_source"]
    assert "all_words" not in source and source["title_zh"] == "锂离子电池隔膜"
