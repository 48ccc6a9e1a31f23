"""Results remembered per index generation: never served once the index has changed."""

from search.backend import SearchHit, SearchQuery, SearchResult
from search.embedded_results import ResultCache


def _result() -> SearchResult:
    hit = SearchHit(id=1, score=1.0, highlights={"title": "<mark>电池</mark>"})
    return SearchResult(hits=[hit], total=1, facets={"field": {"energy": 1}})


def test_a_repeated_query_is_answered_until_the_index_changes() -> None:
    cache = ResultCache()
    query = SearchQuery(text="电池", filters={"field": ("energy",)})
    cache.put(7, query, _result())
    assert cache.get(7, SearchQuery(text="电池", filters={"field": ("energy",)})) == _result()
    assert cache.get(7, SearchQuery(text="电池", page=2)) is None
    assert cache.get(8, query) is None  # a write bumped the generation


def test_what_a_caller_changes_does_not_change_the_remembered_result() -> None:
    cache = ResultCache()
    query = SearchQuery(text="电池")
    cache.put(1, query, _result())
    served = cache.get(1, query)
    assert served is not None
    served.facets["field"]["energy"] = 99
    served.hits[0].highlights["title"] = "changed"
    assert cache.get(1, query) == _result()
