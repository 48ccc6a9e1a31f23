"""The Elasticsearch backend's own machinery: versioned indices behind an alias, failures."""

from __future__ import annotations

import socket

import pytest

from search.backend import SearchDocument, SearchQuery, SearchResult, SearchUnavailable
from search.elasticsearch import Elasticsearch, ElasticsearchBackend, make_client
from search.listing_documents import ELASTICSEARCH as LISTINGS_SPEC
from tests.integration.search.test_contract import _facet_corpus, doc


def ids(backend: ElasticsearchBackend, text: str) -> list[int]:
    return [hit.id for hit in backend.search(SearchQuery(text=text)).hits]


def test_alias_swap_keeps_search_working_while_a_new_index_is_built(
    es_backend: ElasticsearchBackend,
) -> None:
    es_backend.index([doc(1, title_zh="石墨烯涂层"), doc(2, title_zh="碳纤维材料")])
    (old_index,) = es_backend.client.indices.get_alias(name=es_backend.alias).body

    new_index = es_backend.new_index()
    assert new_index != old_index and new_index.startswith(f"{es_backend.alias}-v")
    es_backend.index_into(new_index, [doc(2, title_zh="碳纤维材料"), doc(3, title_zh="石墨烯薄膜")])
    # while it is built, search answers from the old index
    assert ids(es_backend, "石墨烯") == [1]
    assert es_backend.count() == 2

    es_backend.switch_alias(new_index)
    assert ids(es_backend, "石墨烯") == [3]  # visible at once: switch_alias refreshes
    assert list(es_backend.client.indices.get_alias(name=es_backend.alias).body) == [new_index]
    assert not es_backend.client.indices.exists(index=old_index)
    es_backend.index([doc(4, title_zh="石墨烯散热膜")])  # writes go through the alias
    assert sorted(ids(es_backend, "石墨烯")) == [3, 4]


def test_ensure_index_is_idempotent_and_clear_swaps_in_an_empty_index(
    es_backend: ElasticsearchBackend,
) -> None:
    es_backend.index([doc(1), doc(2)])
    fresh = ElasticsearchBackend(es_backend.client, alias=es_backend.alias)
    fresh.ensure_index()
    assert len(es_backend.client.indices.get_alias(name=es_backend.alias).body) == 1
    assert fresh.count() == 2
    es_backend.clear()
    assert es_backend.count() == 0
    assert len(es_backend.client.indices.get(index=f"{es_backend.alias}-v*").body) == 1


def _index_made_before_facet_keys(
    backend: ElasticsearchBackend, docs: list[SearchDocument]
) -> None:
    """The alias on an index made by an earlier version: no facet keys, no `_meta`."""
    name = f"{backend.alias}-v00000000000000000000"
    backend.client.indices.create(
        index=name,
        settings=backend.settings,
        mappings=LISTINGS_SPEC.mappings,
        aliases={backend.alias: {}},
    )
    for document in docs:
        backend.client.index(
            index=name, id=str(document.id), document=LISTINGS_SPEC.to_source(document)
        )
    backend.client.indices.refresh(index=name)


def _shown(result: SearchResult) -> tuple[object, ...]:
    """What a page shows of a result, the facets' order too."""
    facets = [(facet, list(counts.items())) for facet, counts in result.facets.items()]
    return result.hits, result.total, facets


FACET_QUERIES = [
    SearchQuery(),
    SearchQuery(text="装置", filters={"field": ("energy", "biomed")}),
    SearchQuery(filters={"trl": ("7",), "region": ("北京",), "transfer_mode": ("equity",)}),
]


def test_an_index_made_before_facet_keys_counts_the_same_facets(
    es_backend: ElasticsearchBackend, es_client: Elasticsearch
) -> None:
    docs = _facet_corpus() + [doc(i) for i in range(10, 16)]
    es_backend.index(docs)
    assert es_backend.holds_facet_keys()
    old = ElasticsearchBackend(es_client, alias=f"{es_backend.alias}-old", refresh_on_write=True)
    try:
        _index_made_before_facet_keys(old, docs)
        assert not old.holds_facet_keys()
        for query in FACET_QUERIES:
            assert _shown(old.search(query)) == _shown(es_backend.search(query))
        old.index([doc(20, field="energy")])  # writes add the field to the old mapping ...
        es_backend.index([doc(20, field="energy")])
        reopened = ElasticsearchBackend(es_client, alias=old.alias)
        assert not reopened.holds_facet_keys()  # ... but older documents lack it: as before
        assert _shown(old.search(FACET_QUERIES[1])) == _shown(es_backend.search(FACET_QUERIES[1]))
        old.switch_alias(old.new_index())  # a reindex makes an index with the keys
        assert old.holds_facet_keys()
    finally:
        old.drop()


def test_a_missing_alias_reads_as_an_empty_index(es_client) -> None:  # type: ignore[no-untyped-def]
    backend = ElasticsearchBackend(es_client, alias="test-never-created")
    assert backend.count() == 0
    assert backend.search(SearchQuery(text="电池")).total == 0
    assert backend.suggest("电池") == []
    assert backend.similar(1) == []
    assert backend.healthy()


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_an_unreachable_node_raises_search_unavailable_and_reports_unhealthy() -> None:
    client = make_client([f"http://127.0.0.1:{_closed_port()}"], request_timeout=1, max_retries=0)
    backend = ElasticsearchBackend(client, alias="nowhere")
    assert not backend.healthy()
    with pytest.raises(SearchUnavailable):
        backend.search(SearchQuery(text="电池"))
    with pytest.raises(SearchUnavailable):
        backend.index([doc(1)])
    with pytest.raises(SearchUnavailable):
        backend.delete([1])
    with pytest.raises(SearchUnavailable):
        backend.count()
    with pytest.raises(SearchUnavailable):
        backend.suggest("电池")


def test_a_query_likely_to_widen_sends_its_widened_pass_with_the_first(
    es_backend: ElasticsearchBackend, monkeypatch: pytest.MonkeyPatch
) -> None:
    es_backend.index(
        [
            doc(4, title_zh="", title_en="Battery management system with active balancing"),
            doc(7, title_zh="", title_en="Ceramic separator for batteries"),
        ]
    )
    sent: list[int] = []
    msearch = es_backend._msearch

    def counted(bodies):  # type: ignore[no-untyped-def]
        sent.append(len(bodies))
        return msearch(bodies)

    monkeypatch.setattr(es_backend, "_msearch", counted)
    result = es_backend.search(SearchQuery(text="batery"))  # misspelt: both passes at once
    assert {hit.id for hit in result.hits} >= {4, 7}
    assert result.suggestion in ("battery", "batteries")
    assert sent == [4]  # the page and the counts of each pass, in one request
    sent.clear()
    assert ids(es_backend, "ceramic separator") == [7]  # not likely to widen: asked for after
    assert sent == [2, 2]
