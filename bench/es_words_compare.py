"""The all_words first pass against the exact query alone, on the bench query mix.

    .venv/bin/python bench/es_words_compare.py --size 100000 --new-alias NAME
                                               [--old-alias NAME] [--pages 3] [--verbose]

Runs every query of bench/search.py's mix (the corpus of `--size` listings, whose rare
words it holds) on pages 1..`--pages` (and the mix's own deep page) twice: on the index
behind `--new-alias` as the backend searches it (an index with all_words: found and
counted on it, the top hits rescored), and on `--old-alias` (default: the same index)
with the exact query alone, as before all_words (the marker ignored). It prints, per
page, whether the totals and the facet counts are identical, and how many of the page's
hits are the same and in the same order; then the summary. `--took N`: then each
first page's node `took` (summed over its searches), median of N never-seen runs (the
request cache cleared before each), exact query vs all_words, alternating. Nothing is
written.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Run as a script, this file's folder comes first on sys.path (bench/http.py would be `http`).
sys.path[:] = [str(ROOT)] + [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]

from bench.corpus import CorpusGenerator
from bench.search import BenchQuery, percentile, query_mix
from bench.search_kept import NodeTook, forget, load_avg
from search.backend import SearchResult
from search.elasticsearch import ElasticsearchBackend, make_client
from search.text.tokens import segment_for_index


def pages_of(mix: Sequence[BenchQuery], pages: int) -> list[BenchQuery]:
    """Each query of the mix on pages 1..`pages` (the mix's deeper pages as they are)."""
    found: list[BenchQuery] = []
    for query in mix:
        if query.page != 1 or not query.text:
            found.append(query)
            continue
        found += [replace(query, page=page) for page in range(1, pages + 1)]
    return found


class ExactOnly(ElasticsearchBackend):
    """The backend searching as before all_words: its index read as one made without it."""

    def holds_all_words(self) -> bool:
        return False


def compare(old: SearchResult, new: SearchResult) -> tuple[bool, bool, int, bool, int]:
    """(same total, same facets, how many of the page's hits are in both, same order, how
    many hits the exact query's page has)."""
    old_ids, new_ids = [hit.id for hit in old.hits], [hit.id for hit in new.hits]
    return (
        old.total == new.total,
        old.facets == new.facets,
        len(set(old_ids) & set(new_ids)),
        old_ids == new_ids,
        len(old_ids),
    )


def median_took(backend: ElasticsearchBackend, query: BenchQuery, took: NodeTook) -> float:
    """The node's `took` of one never-seen search (ms, its searches summed)."""
    forget(backend)
    took.reset()
    backend.search(query.search_query())
    return took.ms


def print_took(old: ElasticsearchBackend, new: ElasticsearchBackend,
               mix: Sequence[BenchQuery], rounds: int) -> None:  # fmt: skip
    """Per first page: the median node `took` of the exact query and of all_words."""
    print(f"\nnode took, median of {rounds} never-seen runs (ms), load {load_avg()}:")
    old_took, new_took = NodeTook(old), NodeTook(new)
    sums = [0.0, 0.0]
    for query in mix:
        runs: list[list[float]] = [[], []]
        for _ in range(rounds):
            runs[0].append(median_took(old, query, old_took))
            runs[1].append(median_took(new, query, new_took))
        medians = [percentile(samples, 50) for samples in runs]
        sums = [total + median for total, median in zip(sums, medians, strict=True)]
        print(f"  {query.label:<20} {query.text[:24]:<24} p{query.page} "
              f"{medians[0]:>6.1f} -> {medians[1]:>6.1f}")  # fmt: skip
    print(f"  sum of medians {sums[0]:.1f} -> {sums[1]:.1f} ms; load {load_avg()}")


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--size", type=int, default=100_000, help="the corpus of the index")
    parser.add_argument("--new-alias", required=True, help="an index made with all_words")
    parser.add_argument("--old-alias", default="", help="searched with the exact query alone")
    parser.add_argument("--pages", type=int, default=3, help="pages of each query compared")
    parser.add_argument("--es-url", default=os.environ.get("ELASTICSEARCH_URL"), help="node")
    parser.add_argument("--verbose", action="store_true", help="one line per page")
    parser.add_argument("--took", type=int, default=0, help="never-seen runs timing `took`")
    args = parser.parse_args(argv)
    generator = CorpusGenerator(seed=args.size)
    rare = [w for w in generator.zh.words[1500:6000:900] if segment_for_index(w) == w][:4]
    client = make_client(args.es_url.split(","), request_timeout=60)
    new = ElasticsearchBackend(client, alias=args.new_alias)
    old = ExactOnly(client, alias=args.old_alias or args.new_alias)
    if not new.holds_all_words():
        sys.exit(f"{args.new_alias}: made without all_words (reindex it with this code)")
    rows = []
    mix = query_mix(rare)
    for query in pages_of(mix, args.pages):
        same = compare(old.search(query.search_query()), new.search(query.search_query()))
        rows.append((query, same))
        if args.verbose:
            total, facets, shared, order, _ = same
            print(
                f"{query.label:<20} {query.text[:24]:<24} p{query.page} {query.sort:<10} "
                f"total {'=' if total else 'DIFF'} facets {'=' if facets else 'DIFF'} "
                f"hits in both {shared:>2} order {'=' if order else 'DIFF'}"
            )
    count = len(rows)
    first = [same for query, same in rows if query.page == 1]
    print(f"\n{count} pages ({len(first)} first pages), {args.old_alias or args.new_alias} "
          f"(exact query) vs {args.new_alias} (all_words + rescore):")  # fmt: skip
    print(f"  totals identical     {sum(s[0] for _, s in rows)}/{count}")
    print(f"  facets identical     {sum(s[1] for _, s in rows)}/{count}")
    print(f"  same hits, same order {sum(s[3] for _, s in rows)}/{count}")
    print(f"  first pages: same order {sum(s[3] for s in first)}/{len(first)}, hits in both "
          f"{sum(s[2] for s in first)} of {sum(s[4] for s in first)}")  # fmt: skip
    if args.took:
        print_took(old, new, mix, args.took)
    client.close()


if __name__ == "__main__":
    main()
