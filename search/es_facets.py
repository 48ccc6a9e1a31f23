"""Facet counts on Elasticsearch: one `terms` aggregation over a field of every facet's keys.

Each document also holds its facet values as keys `<facet>:<value>` in the keyword field
`facet_keys` (written at index time): the facets nobody selected are counted by one
aggregation over it, split back per facet here, instead of one aggregation per facet
(the node reads each match's facet values once, not once per facet). A selected facet
keeps its own aggregation on its own field, without its own filter (disjunctive
faceting: its other values stay countable). The counts are the same either way.

An index made before the field existed (its mapping's `_meta` lacks FACET_KEYS_META) is
counted one aggregation per facet until `flask search reindex` rebuilds it.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

FACET_KEYS = "facet_keys"
FACET_KEYS_META = "facet_keys"  # in the mapping's _meta: every document holds FACET_KEYS
FACET_SIZE = 500  # more than any facet has values: counts are complete
_SEPARATOR = ":"  # after the facet's name, which never holds one
_OTHERS = "facet_keys_others"  # the aggregation of the facets nobody selected
RECHECK_SECONDS = 300.0  # another process's reindex is seen within this time


class FacetKeysProbe:
    """Whether every document behind an alias holds its facet keys (its index was made
    with them): read from the mappings' `_meta`, remembered, and read again a while later.

    Another field filled at index time and marked so (`meta`, `field`) is probed alike.
    """

    def __init__(
        self,
        read_mappings: Callable[[], Mapping[str, Any] | None],
        meta: str = FACET_KEYS_META,
        field: str = FACET_KEYS,
    ) -> None:
        self._read_mappings = read_mappings  # None: no index behind the alias
        self._meta, self._field = meta, field
        self._known: tuple[bool, float] | None = None  # (held, when it was read)

    def held(self) -> bool:
        known = self._known
        if known is not None and time.monotonic() - known[1] < RECHECK_SECONDS:
            return known[0]
        mappings = self._read_mappings() or {}
        held = bool(mappings) and all(
            (index.get("mappings", {}).get("_meta") or {}).get(self._meta)
            and self._field in index.get("mappings", {}).get("properties", {})
            for index in mappings.values()
        )
        self._known = (held, time.monotonic())
        return held

    def forget(self) -> None:
        """Read the mappings again at the next search (the alias moved)."""
        self._known = None


def mappings_with_facet_keys(mappings: Mapping[str, Any]) -> dict[str, Any]:
    """A kind's mappings plus the facet keys field, marked in `_meta` as filled."""
    return {
        **mappings,
        "_meta": {**mappings.get("_meta", {}), FACET_KEYS_META: True},
        "properties": {
            **mappings["properties"],
            FACET_KEYS: {"type": "keyword", "eager_global_ordinals": True},
        },
    }


def _keyword(value: Any) -> str:
    """A value as a keyword field indexes it."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _values(value: Any) -> Iterable[Any]:
    if value is None:
        return ()
    if isinstance(value, list | tuple):
        return [item for item in value if item is not None]
    return (value,)


def facet_keys(source: Mapping[str, Any], facets: Sequence[str]) -> list[str]:
    """The keys of a document's facet values (its indexed source), as FACET_KEYS holds them."""
    keys = {
        f"{facet}{_SEPARATOR}{_keyword(value)}"
        for facet in facets
        for value in _values(source.get(facet))
    }
    return sorted(keys)


def with_facet_keys(source: dict[str, Any], facets: Sequence[str]) -> dict[str, Any]:
    """The indexed source with its facet keys."""
    source[FACET_KEYS] = facet_keys(source, facets)
    return source


def _narrowed(terms_agg: dict[str, Any], clauses: list[dict[str, Any]]) -> dict[str, Any]:
    if not clauses:
        return terms_agg
    return {"filter": {"bool": {"filter": clauses}}, "aggs": {"values": terms_agg}}


def facet_aggregations(
    filters: Mapping[str, dict[str, Any]], facets: Sequence[str], combined: bool
) -> dict[str, Any]:
    """The aggregations counting each facet over the matches narrowed by every filter but
    its own (`filters`: the filter clause of each selected facet).

    `combined`: the facets nobody selected in one aggregation over FACET_KEYS.
    """
    aggs: dict[str, Any] = {}
    others = [facet for facet in facets if facet not in filters]
    if combined and others:
        keys = {"terms": {"field": FACET_KEYS, "size": FACET_SIZE * len(others)}}
        aggs[_OTHERS] = _narrowed(keys, list(filters.values()))
    for facet in facets:
        if combined and facet in others:
            continue
        values = {"terms": {"field": facet, "size": FACET_SIZE}}
        aggs[facet] = _narrowed(values, [c for f, c in filters.items() if f != facet])
    return aggs


def _buckets(agg: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    return list(agg.get("values", agg).get("buckets", []))


def facet_counts(
    aggregations: Mapping[str, Any], facets: Sequence[str]
) -> dict[str, dict[str, int]]:
    """Facet counts keyed as the embedded backend keys them, most frequent first (at most
    FACET_SIZE a facet, as a terms aggregation of that size returns them)."""
    found: dict[str, dict[str, int]] = {facet: {} for facet in facets}
    for bucket in _buckets(aggregations.get(_OTHERS, {})):
        facet, _, value = str(bucket["key"]).partition(_SEPARATOR)
        if facet in found and bucket["doc_count"]:
            found[facet][value] = int(bucket["doc_count"])
    for facet in facets:
        if facet in aggregations:
            found[facet] = {
                str(b["key"]): int(b["doc_count"])
                for b in _buckets(aggregations[facet])
                if b["doc_count"]
            }
    return {
        facet: dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:FACET_SIZE])
        for facet, counts in found.items()
    }
