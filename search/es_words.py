"""One field of every searched word: a cheap first pass over all matches, then exact ranking.

Each document also holds `all_words` (written at index time): the analysed words of
every field the kind searches (ElasticsearchSpec.field_weights), each repeated as
often as its field's weight (a title word ten times, a body word once), so a word's
frequency there is the BM25F frequency the `combined_fields` query computes over the
fields. Indexed without positions (`index_options: freqs`), kept out of `_source`.

A query on it alone matches the very documents the exact query matches (every field's
words are there; a phrase of lone 汉字 keeps its exact clause, it needs positions) at
the cost of one field instead of one per field: the search page finds and counts the
matches (total, facets) with it, and `rescore`s the top RESCORE_WINDOW with the exact
query; pages sorted by anything but the score need no rescoring, pages past the window
keep the exact query. The first page ranks as the exact query ranks it unless a hit of
the exact top lies outside the first pass's top RESCORE_WINDOW: the first pass's bm25
is the exact one's but for the document frequency (of any field here, of the field
holding the word most there), so near ties may fall either side (bench/es_words_compare.py
counts the pages that differ). A lone 汉字 is scored by its exact clause (the weights of
the fields holding it). An index made before the field existed (its mapping's `_meta`
lacks ALL_WORDS_META) is searched with the exact query alone until `flask search
reindex` rebuilds it. Excluded from `_source`, the field leaves Elasticsearch a
`_recovery_source` of the new documents until later merges drop it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from search.text.clauses import Clause
from search.text.tokens import index_token, is_single_han

ALL_WORDS = "all_words"
ALL_WORDS_META = "all_words"  # in the mapping's _meta: every document holds ALL_WORDS
RESCORE_WINDOW = 200  # the top hits of the first pass that the exact query ranks
COVERAGE_SCORE = 1000.0  # above any clause's bm25: a widened query's coverage ranks first
# The exact clause of one word (search.es_query._term_clause): word, fuzzy, field weights.
ExactTerm = Callable[[str, bool, Mapping[str, float]], dict[str, Any]]
ALL_WORDS_MAPPING: dict[str, Any] = {
    "type": "text",
    "analyzer": "whitespace",
    "index_options": "freqs",
}


def repeats(weight: float) -> int:
    """How many times a word of a field of this weight is written (at least once)."""
    return max(1, round(weight))


def all_words(source: Mapping[str, Any], weights: Mapping[str, float]) -> str:
    """Every word of the weighted fields of an indexed document, repeated by field weight."""
    parts: list[str] = []
    for field, weight in weights.items():
        words = str(source.get(field) or "").split()
        if words:
            parts += [" ".join(words)] * repeats(weight)
    return " ".join(parts)


def with_all_words(source: dict[str, Any], weights: Mapping[str, float]) -> dict[str, Any]:
    """An indexed document plus its ALL_WORDS."""
    return {**source, ALL_WORDS: all_words(source, weights)}


def mappings_with_all_words(mappings: Mapping[str, Any]) -> dict[str, Any]:
    """A kind's mappings plus ALL_WORDS (not in `_source`), marked in `_meta` as filled."""
    source = dict(mappings.get("_source", {}))
    source["excludes"] = [*source.get("excludes", []), ALL_WORDS]
    return {
        **mappings,
        "_meta": {**mappings.get("_meta", {}), ALL_WORDS_META: True},
        "_source": source,
        "properties": {**mappings["properties"], ALL_WORDS: ALL_WORDS_MAPPING},
    }


def _word_query(word: str, exact: dict[str, Any], scored: bool) -> dict[str, Any]:
    """One word required in ALL_WORDS, as the exact clause `exact` requires it in some field.

    A lone 汉字 (a prefix) is scored by the exact clause itself, a constant per field
    holding it: cheap to score, and the ranking of the top hits stays the exact one's;
    where nothing is scored (counts, pages by other sorts), one prefix on ALL_WORDS.
    """
    if is_single_han(word):
        return exact if scored else {"prefix": {ALL_WORDS: {"value": word}}}
    if " " in word:  # a phrase of lone 汉字: positions needed, the exact clause kept
        return exact
    return {"match": {ALL_WORDS: {"query": index_token(word), "operator": "and"}}}


def any_alternative(
    clause: Clause, word_query: Callable[[str, int], dict[str, Any]]
) -> dict[str, Any]:
    """A clause as a query: any alternative (all of its words), each weighted.

    `word_query(word, index)` is one word's query; `index` is its alternative's place
    (0: the words as typed). Scores add up over the alternatives that match.
    """
    options: list[dict[str, Any]] = []
    for index, alternative in enumerate(clause.alternatives):
        parts = [word_query(word, index) for word in alternative.words]
        option = parts[0] if len(parts) == 1 else {"bool": {"must": parts}}
        if alternative.weight != 1.0:
            option = {"bool": {"must": [option], "boost": alternative.weight}}
        options.append(option)
    if len(options) == 1:
        return options[0]
    return {"bool": {"should": options, "minimum_should_match": 1}}


def _clause_query(
    clause: Clause | str, exact_term: ExactTerm, weights: Mapping[str, float], scored: bool
) -> dict[str, Any]:
    """One required clause on ALL_WORDS: any alternative, all of its words, as es_query's."""
    if isinstance(clause, str):
        return _word_query(clause, exact_term(clause, False, weights), scored)
    return any_alternative(
        clause, lambda word, _index: _word_query(word, exact_term(word, False, weights), scored)
    )


def words_query(
    terms: Sequence[Clause | str],
    weights: Mapping[str, float],
    exact_term: ExactTerm,
    min_match: int | None = None,
    *,
    scored: bool = True,
) -> dict[str, Any]:
    """The first pass of search.es_query.text_query (not fuzzy): the same matches, on
    ALL_WORDS; with `min_match`, the same named clauses c<i>, so `coverage` holds.
    Not `scored`: for counting and pages by other sorts (the same matches, scores unused).
    """
    if not terms:
        return {"match_all": {}}
    clauses = [_clause_query(term, exact_term, weights, scored) for term in terms]
    if min_match is None:
        return {"bool": {"must": clauses}}
    named = [
        {
            "bool": {
                "must": [clause],
                "should": [{"match_all": {"boost": COVERAGE_SCORE}}],
                "_name": f"c{i}",
            }
        }
        for i, clause in enumerate(clauses)
    ]
    return {"bool": {"should": named, "minimum_should_match": min_match}}


def rescored(exact: Mapping[str, Any]) -> dict[str, Any]:
    """The rescoring of the first pass's top hits: the exact query's score alone."""
    return {
        "window_size": RESCORE_WINDOW,
        "query": {
            "rescore_query": dict(exact),
            "query_weight": 0.0,
            "rescore_query_weight": 1.0,
        },
    }


def page_order(hit: Mapping[str, Any], widened: bool) -> tuple[int, float, int]:
    """A hit's place on a page by score: clauses matched (widened), score, then newest id.

    A rescored page comes by score alone (`rescore` allows no other sort), its ties in
    the index's order, by id too (search.es_index sorts the index by id).
    """
    matched = len(hit.get("matched_queries") or ()) if widened else 0
    return (-matched, -float(hit.get("_score") or 0.0), -int(hit["_id"]))
