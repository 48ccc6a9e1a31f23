"""The judged set's split into a tuning and a held-out half: deterministic, disjoint, stratified."""

from __future__ import annotations

import random
from collections import Counter

from bench.judged import CLASSES, HELD_OUT, LISTINGS, QUERIES, TUNING, load_queries, split_queries


def _raw() -> list[tuple[str, str, dict[int, int]]]:
    return [(q.cls, q.text, q.grades) for q in QUERIES]


def test_the_split_is_the_same_on_every_load_and_in_any_order_of_the_file() -> None:
    first = {q.text: q.split for q in load_queries()}
    shuffled = _raw()
    random.Random(7).shuffle(shuffled)
    again = {q.text: q.split for q in split_queries(shuffled)}
    assert again == first


def test_the_halves_are_disjoint_and_cover_every_query() -> None:
    tuning = {q.text for q in QUERIES if q.split == TUNING}
    held_out = {q.text for q in QUERIES if q.split == HELD_OUT}
    assert not tuning & held_out
    assert tuning | held_out == {q.text for q in QUERIES}
    assert len(QUERIES) == len({q.text for q in QUERIES}) >= 120


def test_every_failure_class_is_in_both_halves_in_equal_shares() -> None:
    counts = Counter((q.cls, q.split) for q in QUERIES)
    for cls in CLASSES:
        assert counts[(cls, TUNING)] >= 2 and counts[(cls, HELD_OUT)] >= 2
        assert abs(counts[(cls, TUNING)] - counts[(cls, HELD_OUT)]) <= 1


def test_the_corpus_is_large_and_every_judgement_names_a_listing_of_it() -> None:
    ids = {doc.id for doc in LISTINGS}
    assert len(ids) == len(LISTINGS) >= 300
    assert all(set(q.grades) <= ids and 3 in q.grades.values() for q in QUERIES)
