"""Elasticsearch request bodies of a query, for any kind of document (see ElasticsearchSpec).

Queries mirror the embedded backend: every query term must match (in any
field), ranked by bm25 with the kind's field weights over the fields taken as one
(combined_fields, BM25F: FTS5 also normalises by the length of the whole row, so a
short title does not outrank a fuller listing here alone), facet filters OR within
a facet and AND across facets, and facet counts over all matches where a
facet's own selection does not narrow its counts. Only the words as typed may
match with typos (fuzziness AUTO, exact matches ranked higher), and only in a
second request, when the first matched nothing; Chinese words never do.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from search.backend import SearchQuery
from search.documents import ElasticsearchSpec
from search.es_facets import facet_aggregations
from search.es_words import (
    COVERAGE_SCORE,
    RESCORE_WINDOW,
    any_alternative,
    rescored,
    words_query,
)
from search.needs import related_terms
from search.text.clauses import Clause
from search.text.tokens import index_token, is_latin, is_single_han
from search.text.typos import auto_fuzziness

FUZZY_BOOST = 0.2  # a typo match counts for less than the word itself
FUZZY_MAX_TERMS = 8  # longer queries match exactly (keeps the query small)
FUZZY_MAX_CHARS = 30
FUZZY_PREFIX = 1  # the first letter must be right: fewer, better expansions
FUZZY_EXPANSIONS = 20
RESULT_WINDOW = 10_000  # index.max_result_window: deeper pages return no hits


def _term_clause(term: str, fuzzy: bool, weights: Mapping[str, float]) -> dict[str, Any]:
    """One query term, required in some field: exact, as a prefix (lone 汉字) or with typos."""
    fields = [f"{name}^{weight:g}" for name, weight in weights.items()]
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
    if " " in term:  # lone 汉字 as a phrase (search.text.compounds.lone_phrases)
        return {
            "multi_match": {"query": term, "fields": fields, "type": "phrase", "tie_breaker": 1.0}
        }
    token = index_token(term)
    exact = {"combined_fields": {"query": token, "fields": fields, "operator": "and"}}
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


def typed_words(terms: Sequence[Clause | str]) -> list[str]:
    """The words as typed: of each clause, its first alternative (no stand-ins)."""
    words: list[str] = []
    for term in terms:
        words += [term] if isinstance(term, str) else term.alternatives[0].words
    return words


def fuzzy_applies(terms: Sequence[Clause | str]) -> bool:
    """Whether a query has English terms that may match with typos (and is short enough)."""
    words = typed_words(terms)
    return len(words) <= FUZZY_MAX_TERMS and any(
        is_latin(term) and auto_fuzziness(index_token(term)) and len(term) <= FUZZY_MAX_CHARS
        for term in words
    )


def _clause(clause: Clause | str, fuzzy: bool, weights: Mapping[str, float]) -> dict[str, Any]:
    """One required clause: any alternative (all of its words), translations boosted down.

    Scores add up over the alternatives that match, as bm25 over the embedded
    backend's ("w" OR ("a" AND "b")) groups does. Only the words as typed (the
    first alternative) may match with typos.
    """
    if isinstance(clause, str):
        return _term_clause(clause, fuzzy, weights)
    return any_alternative(
        clause, lambda word, index: _term_clause(word, fuzzy and index == 0, weights)
    )


def text_query(
    terms: Sequence[Clause | str],
    weights: Mapping[str, float],
    fuzzy: bool = False,
    min_match: int | None = None,
) -> dict[str, Any]:
    """Every term or clause required (AND), each in any field; everything without terms.

    With `min_match` (a widened query) at least that many clauses, each named
    c<i> so a hit says which it matched (`coverage`); each matched clause adds
    COVERAGE_SCORE, so Elasticsearch itself ranks by coverage, then bm25 (the
    top hits by bm25 alone could leave out a document matching more clauses).
    The COVERAGE_SCORE is a boosted `match_all` beside the clause (the clause's
    score + COVERAGE_SCORE, as a function_score's sum gives, to the last bit):
    unlike a function_score, it tells Lucene each clause's highest score, so the
    top hits are found without scoring every document that matches one clause
    (block-max WAND: a widened query's matches are most of the index).
    """
    if not terms:
        return {"match_all": {}}
    if min_match is not None:
        named = [
            {
                "bool": {
                    "must": [_clause(term, fuzzy, weights)],
                    "should": [{"match_all": {"boost": COVERAGE_SCORE}}],
                    "_name": f"c{i}",
                }
            }
            for i, term in enumerate(terms)
        ]
        return {"bool": {"should": named, "minimum_should_match": min_match}}
    return {"bool": {"must": [_clause(term, fuzzy, weights) for term in terms]}}


WIDE_WINDOW = 100  # a widened query's hits re-ranked by coverage (deeper pages: by score)


def coverage(hit: Mapping[str, Any]) -> int:
    """How many clauses of a widened query a hit matched."""
    return len(hit.get("matched_queries") or ())


def _filter_clauses(
    filters: Mapping[str, Sequence[str]], facets: Sequence[str]
) -> dict[str, dict[str, Any]]:
    """Per filtered facet, a `terms` clause (OR of its values); unknown facets ignored."""
    clauses: dict[str, dict[str, Any]] = {}
    for facet, values in (filters or {}).items():
        if facet not in facets or not values:
            continue
        if isinstance(values, str):
            values = (values,)
        clauses[facet] = {"terms": {facet: [str(value) for value in values]}}
    return clauses


def sort_clauses(
    sort: str, has_terms: bool, sorts: Mapping[str, list[dict[str, Any]]]
) -> list[dict[str, Any]]:
    """The sort of the embedded backend: ties broken by id, missing values last."""
    if sort not in sorts:
        sort = "relevance"
    if sort == "relevance" and not has_terms:
        sort = "newest"  # nothing to rank by: the newest documents first
    return sorts[sort]


def search_bodies(
    spec: ElasticsearchSpec,
    query: SearchQuery,
    terms: Sequence[Clause | str],
    fuzzy: bool = False,
    min_match: int | None = None,
    *,
    facet_keys: bool = False,
    all_words: bool = False,
) -> list[dict[str, Any]]:
    """The requests of a query, sent together in one `_msearch`: the page, then the counts.

    The page request has the filters in filter context and does not count
    every match, so the top hits are found without scoring all of them
    (block-max WAND). The counts request scores nothing (size 0): it counts
    the matches and the facets, with the filters in `post_filter` so each
    facet's aggregation applies every filter but its own (disjunctive
    faceting, as the embedded backend counts); as a size-0 request it is also
    served from the shard request cache until the index next changes.
    Without facets the page request counts the matches itself. `facet_keys`:
    the index holds search.es_facets.FACET_KEYS (one aggregation counts the
    facets nobody selected). `all_words`: the index holds search.es_words.ALL_WORDS (the
    matches found and counted on it, a page by score rescored with the exact query).
    """
    per_page = max(1, min(int(query.per_page), 100))
    offset = (max(1, int(query.page)) - 1) * per_page
    filters = _filter_clauses(query.filters, spec.facets)
    exact = text_query(terms, spec.field_weights, fuzzy, min_match)
    sort = sort_clauses(query.sort, bool(terms), spec.sorts)
    by_score = sort[0] == {"_score": "desc"}
    cheap = all_words and bool(terms) and not fuzzy
    weights = spec.field_weights
    matched = words_query(terms, weights, _term_clause, min_match, scored=False) if cheap else exact
    if not by_score:
        found = matched
    elif cheap and offset + per_page <= RESCORE_WINDOW:
        found = words_query(terms, weights, _term_clause, min_match)
    else:
        found = exact  # deeper by score: the exact query
    page: dict[str, Any] = {
        "query": {"bool": {"must": found, "filter": list(filters.values())}} if filters else found,
        "sort": sort,
        "from": min(offset, RESULT_WINDOW),
        "size": per_page if offset + per_page <= RESULT_WINDOW else 0,
        "track_total_hits": not query.with_facets,
        "_source": list(spec.stored.values()),
    }
    if found is not exact and by_score:
        del page["sort"]  # a rescored page is by score (ties: search.es_index sorts by id)
        page["rescore"] = rescored(exact)
    if min_match is not None and by_score and offset + per_page <= WIDE_WINDOW:
        page["from"], page["size"] = 0, offset + per_page  # re-ranked by coverage in the app
    if not query.with_facets:
        return [page]
    counts: dict[str, Any] = {
        "query": matched,
        "size": 0,
        "track_total_hits": True,
        "aggs": facet_aggregations(filters, spec.facets, facet_keys),
    }
    if filters:
        counts["post_filter"] = {"bool": {"filter": list(filters.values())}}
    return [page, counts]


def related_body(spec: ElasticsearchSpec, text: str, limit: int) -> dict[str, Any] | None:
    """The search for the documents sharing most words with `text`, by bm25 (matching):
    any word counts, in the kind's related fields; None when `text` has no word."""
    tokens = [index_token(term) for term in related_terms(text)]
    if not tokens:
        return None
    weights = spec.field_weights
    fields = [f"{name}^{weights[name]:g}" for name in spec.related_fields]
    return {
        "query": {
            "multi_match": {
                "query": " ".join(tokens),
                "fields": fields,
                "type": "most_fields",
                "operator": "or",
            }
        },
        "size": int(limit),
        "source": False,
        "sort": [{"_score": "desc"}, {"id": "desc"}],
    }
