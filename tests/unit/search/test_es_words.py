"""all_words: the field of every searched word, and the first pass on it (no node needed)."""

from __future__ import annotations

import json

from search.backend import SearchQuery
from search.es_query import _term_clause, search_bodies
from search.es_words import (
    ALL_WORDS,
    RESCORE_WINDOW,
    all_words,
    mappings_with_all_words,
    page_order,
    repeats,
    words_query,
)
from search.listing_documents import ELASTICSEARCH as LISTINGS
from search.listing_documents import FIELD_WEIGHTS, MAPPINGS
from search.text.clauses import Alternative, Clause
from search.text.tokens import query_terms


def test_each_word_is_repeated_by_its_field_weight() -> None:
    source = {"title": "锂 电池", "summary": "电池", "body": "", "holder": "大学"}
    words = all_words(source, {"title": 3.0, "summary": 2.0, "body": 1.0, "holder": 0.4})
    assert sorted(words.split()) == sorted(["锂", "电池"] * 3 + ["电池"] * 2 + ["大学"])
    assert [repeats(w) for w in (10.0, 4.0, 1.0, 0.2)] == [10, 4, 1, 1]


def test_the_mappings_mark_the_field_and_keep_it_out_of_the_source() -> None:
    mappings = mappings_with_all_words(MAPPINGS)
    assert mappings["_meta"]["all_words"] is True
    assert mappings["_source"]["excludes"] == [ALL_WORDS]
    assert mappings["properties"][ALL_WORDS]["index_options"] == "freqs"
    assert mappings["properties"]["title"] == MAPPINGS["properties"]["title"]


def test_the_first_pass_requires_every_word_in_all_words() -> None:
    query = words_query(query_terms("Batteries 正极材料"), FIELD_WEIGHTS, _term_clause)
    (first, *rest) = query["bool"]["must"]
    assert first == {"match": {ALL_WORDS: {"query": "batteri", "operator": "and"}}}
    assert len(rest) == len(query_terms("Batteries 正极材料")) - 1
    assert words_query([], FIELD_WEIGHTS, _term_clause) == {"match_all": {}}


def test_a_lone_chinese_character_is_a_prefix_and_a_phrase_keeps_its_exact_clause() -> None:
    exact = _term_clause("锂", False, FIELD_WEIGHTS)  # scored as the exact clause scores it
    assert words_query(["锂"], FIELD_WEIGHTS, _term_clause)["bool"]["must"] == [exact]
    counted = words_query(["锂"], FIELD_WEIGHTS, _term_clause, scored=False)
    assert counted["bool"]["must"] == [{"prefix": {ALL_WORDS: {"value": "锂"}}}]
    (phrase,) = words_query(["锂 钠"], FIELD_WEIGHTS, _term_clause)["bool"]["must"]
    assert phrase == _term_clause("锂 钠", False, FIELD_WEIGHTS)


def test_alternatives_and_their_weights_are_kept() -> None:
    clause = Clause((Alternative(("电池",)), Alternative(("battery", "pack"), 0.5)))
    (query,) = words_query([clause], FIELD_WEIGHTS, _term_clause)["bool"]["must"]
    typed, translated = query["bool"]["should"]
    assert typed["match"][ALL_WORDS]["query"] == "电池"
    assert translated["bool"]["boost"] == 0.5
    assert len(translated["bool"]["must"][0]["bool"]["must"]) == 2


def test_a_widened_first_pass_names_its_clauses_and_counts_coverage_first() -> None:
    query = words_query(["电池", "隔膜"], FIELD_WEIGHTS, _term_clause, min_match=1)
    named = query["bool"]["should"]
    assert [clause["bool"]["_name"] for clause in named] == ["c0", "c1"]
    assert query["bool"]["minimum_should_match"] == 1


def test_a_page_by_score_is_rescored_with_the_exact_query() -> None:
    page, counts = search_bodies(
        LISTINGS, SearchQuery(text="电池", filters={"field": ("energy",)}), ["电池"], all_words=True
    )
    assert "sort" not in page and page["rescore"]["window_size"] == RESCORE_WINDOW
    exact = page["rescore"]["query"]["rescore_query"]
    assert "combined_fields" in json.dumps(exact) and ALL_WORDS not in json.dumps(exact)
    assert page["rescore"]["query"]["query_weight"] == 0.0
    assert ALL_WORDS in json.dumps(page["query"]) and ALL_WORDS in json.dumps(counts["query"])
    (_, han_counts) = search_bodies(LISTINGS, SearchQuery(text="锂"), ["锂"], all_words=True)
    assert "title" not in json.dumps(han_counts["query"])  # counted on all_words alone


def test_other_sorts_need_no_rescore_and_deep_or_fuzzy_pages_keep_the_exact_query() -> None:
    (newest, _) = search_bodies(LISTINGS, SearchQuery(sort="newest"), ["电池"], all_words=True)
    assert "rescore" not in newest and ALL_WORDS in json.dumps(newest["query"])
    deep = SearchQuery(page=RESCORE_WINDOW // 20 + 1, per_page=20)
    (page, counts) = search_bodies(LISTINGS, deep, ["电池"], all_words=True)
    assert "rescore" not in page and ALL_WORDS not in json.dumps(page["query"])
    assert ALL_WORDS in json.dumps(counts["query"])  # counted cheaply all the same
    fuzzy = search_bodies(LISTINGS, SearchQuery(), ["batery"], True, all_words=True)
    assert ALL_WORDS not in json.dumps(fuzzy)
    assert ALL_WORDS not in json.dumps(search_bodies(LISTINGS, SearchQuery(), ["电池"]))


def test_a_page_orders_by_coverage_then_score_then_newest_id() -> None:
    hits = [
        {"_id": "1", "_score": 2.0, "matched_queries": ["c0", "c1"]},
        {"_id": "3", "_score": 5.0, "matched_queries": ["c0"]},
        {"_id": "2", "_score": 5.0, "matched_queries": ["c1"]},
    ]
    assert [h["_id"] for h in sorted(hits, key=lambda h: page_order(h, True))] == ["1", "3", "2"]
    assert [h["_id"] for h in sorted(hits, key=lambda h: page_order(h, False))] == ["3", "2", "1"]
