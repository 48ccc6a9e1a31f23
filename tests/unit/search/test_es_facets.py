"""Facet counts from one aggregation over the facet keys (no node needed)."""

from __future__ import annotations

from search.backend import FACETS
from search.es_facets import (
    FACET_KEYS,
    facet_aggregations,
    facet_counts,
    facet_keys,
    mappings_with_facet_keys,
)
from search.listing_documents import MAPPINGS, to_source
from tests.integration.search.test_contract import doc

ENERGY = {"terms": {"field": ["energy"]}}
TRL = {"terms": {"trl": ["7", "8"]}}


def test_a_document_holds_a_key_per_facet_value() -> None:
    source = to_source(doc(1, transfer_modes=("assignment", "equity"), trl=7, region="北京"))
    keys = facet_keys(source, FACETS)
    assert "transfer_mode:assignment" in keys and "transfer_mode:equity" in keys
    assert {"field:ict", "trl:7", "region:北京", "ipc_section:G"} <= set(keys)
    assert not [key for key in keys if key.startswith("advancement:")]  # none evaluated
    mappings = mappings_with_facet_keys(MAPPINGS)
    assert mappings["_meta"]["facet_keys"] is True and FACET_KEYS in mappings["properties"]
    assert FACET_KEYS not in MAPPINGS["properties"]


def test_the_facets_nobody_selected_share_one_aggregation_over_every_filter() -> None:
    aggs = facet_aggregations({"field": ENERGY, "trl": TRL}, FACETS, combined=True)
    assert set(aggs) == {"facet_keys_others", "field", "trl"}
    others = aggs["facet_keys_others"]
    assert others["filter"]["bool"]["filter"] == [ENERGY, TRL]
    assert others["aggs"]["values"]["terms"]["field"] == FACET_KEYS
    assert aggs["field"]["filter"]["bool"]["filter"] == [TRL]  # not narrowed by its own
    assert aggs["trl"]["filter"]["bool"]["filter"] == [ENERGY]
    assert set(facet_aggregations({}, FACETS, combined=True)) == {"facet_keys_others"}
    assert set(facet_aggregations({"field": ENERGY}, FACETS, combined=False)) == set(FACETS)


def test_counts_split_back_per_facet_as_one_aggregation_per_facet_counts_them() -> None:
    combined = {
        "facet_keys_others": {
            "doc_count": 3,
            "values": {
                "buckets": [
                    {"key": "region:北京", "doc_count": 2},
                    {"key": "transfer_mode:equity", "doc_count": 2},
                    {"key": "region:上海", "doc_count": 1},
                    {"key": "trl:7", "doc_count": 2},  # trl is selected: counted on its own
                ]
            },
        },
        "trl": {"doc_count": 4, "values": {"buckets": [{"key": "3", "doc_count": 1}]}},
    }
    counts = facet_counts(combined, FACETS)
    assert counts["region"] == {"北京": 2, "上海": 1}
    assert counts["transfer_mode"] == {"equity": 2}
    assert counts["trl"] == {"3": 1}
    assert counts["advancement"] == {} and list(counts) == list(FACETS)
    per_facet = {
        "region": {"buckets": [{"key": "上海", "doc_count": 1}, {"key": "北京", "doc_count": 2}]}
    }
    assert list(facet_counts(per_facet, FACETS)["region"].items()) == [("北京", 2), ("上海", 1)]
