"""The SearchResult of a pass's Elasticsearch responses (search.es_index): the page's hits
in their order, their snippets, the total and the facet counts."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from search.backend import SearchHit, SearchQuery, SearchResult
from search.documents import ElasticsearchSpec
from search.es_facets import facet_counts
from search.es_query import FUZZY_PREFIX, WIDE_WINDOW, coverage, typed_words
from search.es_words import COVERAGE_SCORE, page_order
from search.text.clauses import Clause
from search.text.typos import fuzzy_words


def search_result(
    spec: ElasticsearchSpec,
    query: SearchQuery,
    terms: Sequence[Clause],
    responses: Sequence[Mapping[str, Any]] | None,
    wide: int | None,
    fuzzy: bool,
) -> SearchResult:
    """The result of the page and counts responses (None: no index yet); `wide`: the
    widened pass's minimum of clauses; `fuzzy`: words matched with typos are marked."""
    if responses is None:
        empty: dict[str, dict[str, int]] = (
            {facet: {} for facet in spec.facets} if query.with_facets else {}
        )
        return SearchResult(hits=[], total=0, facets=empty)
    page, counts = responses[0], responses[-1]
    found = list(page["hits"]["hits"])
    per_page = max(1, min(int(query.per_page), 100))
    offset = (max(1, int(query.page)) - 1) * per_page
    by_score = query.sort == "relevance" or query.sort not in spec.sorts
    if terms and by_score:  # by coverage (widened), score, then id, rescored or not
        found.sort(key=lambda hit: page_order(hit, wide is not None))
    if wide is not None and by_score and offset + per_page <= WIDE_WINDOW:
        found = found[offset : offset + per_page]
    hits = []
    typed = typed_words(terms) if fuzzy else []
    for hit in found:
        source = hit.get("_source", {})
        texts = {name: str(source.get(field) or "") for name, field in spec.stored.items()}
        typos = fuzzy_words(" ".join(texts.values()), typed, FUZZY_PREFIX) if typed else []
        hits.append(
            SearchHit(
                id=int(hit["_id"]),
                score=float(hit.get("_score") or 0.0)
                - (coverage(hit) * COVERAGE_SCORE if wide is not None else 0.0),
                highlights=spec.highlights(texts, terms, typos),
            )
        )
    facets = facet_counts(counts.get("aggregations", {}), spec.facets) if query.with_facets else {}
    partial = wide is not None and any(coverage(hit) < len(terms) for hit in found)
    total = int(counts["hits"]["total"]["value"])
    return SearchResult(hits=hits, total=total, facets=facets, widened=partial)
