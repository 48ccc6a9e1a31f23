"""The Elasticsearch request a SearchQuery becomes (no node needed)."""

from __future__ import annotations

import json

from search.backend import FACETS, SearchQuery
from search.es_query import fuzzy_applies, search_bodies, text_query
from search.listing_documents import ELASTICSEARCH as LISTINGS
from search.listing_documents import FIELD_WEIGHTS, MAPPINGS, to_source
from search.text.tokens import query_terms
from tests.integration.search.test_contract import doc


def test_every_term_is_required_and_analysed_as_the_index() -> None:
    query = text_query(query_terms("Batteries 正极材料"), FIELD_WEIGHTS)
    clauses = query["bool"]["must"]
    assert len(clauses) == len(query_terms("Batteries 正极材料"))
    assert clauses[0]["combined_fields"]["query"] == "batteri"
    assert clauses[0]["combined_fields"]["fields"][0] == "title^10"


def test_typos_are_allowed_only_in_english_terms_when_asked() -> None:
    assert "fuzziness" not in json.dumps(text_query(["battery"], FIELD_WEIGHTS))
    fuzzy = json.dumps(
        text_query(["battery", "电池"], FIELD_WEIGHTS, fuzzy=True), ensure_ascii=False
    )
    assert fuzzy.count('"fuzziness"') == 1
    assert fuzzy_applies(["battery"]) and not fuzzy_applies(["电池", "ab"])


def test_a_lone_chinese_character_is_a_prefix() -> None:
    assert "prefix" in json.dumps(text_query(["锂"], FIELD_WEIGHTS))


def test_the_page_filters_and_the_counts_let_each_facet_ignore_its_own_selection() -> None:
    page, body = search_bodies(
        LISTINGS, SearchQuery(filters={"field": ("energy",), "trl": ("7", "8")}), []
    )
    assert page["query"]["bool"]["filter"] == body["post_filter"]["bool"]["filter"]
    assert page["track_total_hits"] is False and page["size"] == 20
    assert body["query"] == {"match_all": {}} and body["size"] == 0
    assert len(body["post_filter"]["bool"]["filter"]) == 2
    assert body["aggs"]["field"]["filter"]["bool"]["filter"] == [{"terms": {"trl": ["7", "8"]}}]
    assert body["aggs"]["region"]["filter"]["bool"]["filter"] == [
        {"terms": {"field": ["energy"]}},
        {"terms": {"trl": ["7", "8"]}},
    ]
    assert set(body["aggs"]) == set(FACETS)
    assert body["track_total_hits"] is True


def test_without_facets_the_page_counts_the_matches() -> None:
    (page,) = search_bodies(LISTINGS, SearchQuery(with_facets=False), [])
    assert page["track_total_hits"] is True and "aggs" not in page


def test_sorts_break_ties_by_id_and_put_negotiable_prices_last() -> None:
    assert search_bodies(LISTINGS, SearchQuery(sort="price_asc"), [])[0]["sort"] == [
        {"asking_price_minor": {"order": "asc", "missing": "_last"}},
        {"id": "asc"},
    ]
    assert search_bodies(LISTINGS, SearchQuery(), [])[0]["sort"][0] == {
        "published_at": "desc"
    }  # browse
    assert search_bodies(LISTINGS, SearchQuery(text="x"), ["x"])[0]["sort"][0] == {"_score": "desc"}


def test_pages_beyond_the_result_window_return_no_hits() -> None:
    page, _ = search_bodies(LISTINGS, SearchQuery(page=600, per_page=20), [])
    assert page["size"] == 0


def test_documents_fit_the_strict_mapping() -> None:
    source = to_source(doc(1, title_en="Solid-state battery"))
    assert set(source) <= set(MAPPINGS["properties"])
    assert source["trl"] == "5" and source["trl_level"] == 5
    assert source["title"].split()[-3:] == ["solid", "state", "batteri"]
    assert source["suggest"][0]["input"] == "一种测试装置1"


def test_compound_words_and_translations_are_alternatives_translations_boosted_down() -> None:
    from search.text.clauses import TRANSLATION_WEIGHT, query_clauses

    (clause,) = text_query(query_clauses("图像识别"), FIELD_WEIGHTS)["bool"]["must"]
    options = clause["bool"]["should"]
    assert clause["bool"]["minimum_should_match"] == 1
    assert options[0]["combined_fields"]["query"] == "图像识别"
    assert [o["combined_fields"]["query"] for o in options[1]["bool"]["must"]] == ["图像", "识别"]
    assert options[2]["bool"]["boost"] == TRANSLATION_WEIGHT
