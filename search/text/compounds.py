"""A Chinese query word as the smaller words the index holds of it, and lone characters as phrases.

jieba cuts the index's text and the query alike, but a long word of the query may stand in
the index as its sub-words (图像识别 as 图像 / 识别) or as jieba's own cut of a word it would
not make; these give the query's clauses those forms.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence

from search.text.tokens import CJK, has_cjk, is_single_han, jieba


@functools.lru_cache(maxsize=65536)
def compound_parts(word: str) -> tuple[str, ...]:
    """The dictionary sub-words of a Chinese word that together cover it; () if none.

    图像识别 -> (图像, 识别). Sub-words come from `cut_for_search` (as the index
    holds them), single characters left out; a word they do not cover entirely
    (锂离子: only 离子) has no fallback, since matching part of it would be looser.
    """
    if len(word) < 3 or not has_cjk(word) or not all(CJK.match(c) for c in word):
        return ()
    parts = [p for p in jieba().cut_for_search(word, HMM=False) if p != word and len(p) >= 2]
    covered = [False] * len(word)
    for part in parts:
        start = word.find(part)
        while start != -1:
            covered[start : start + len(part)] = [True] * len(part)
            start = word.find(part, start + 1)
    return tuple(dict.fromkeys(parts)) if parts and all(covered) else ()


@functools.lru_cache(maxsize=65536)
def jieba_pieces(word: str) -> tuple[str, ...]:
    """jieba's own cut of a word it would not make (可生物降解, joined again by
    search.text.resegment): what the index holds of it, lone characters and all."""
    if len(word) < 3 or not all(CJK.match(c) for c in word):
        return ()
    pieces = tuple(jieba().cut(word, HMM=False))
    return pieces if len(pieces) > 1 else ()


def loose_parts(word: str) -> tuple[str, ...]:
    """A Chinese word as its dictionary sub-words and the characters they leave out.

    锂电池 -> (锂, 电池): a lone character matches as the start of an indexed word, so
    this finds 锂离子电池; 可降解 -> (可, 降解) finds 可生物降解. Looser than
    `compound_parts`, hence only when a query is widened.
    """
    if len(word) < 3 or not all(CJK.match(c) for c in word):
        return ()
    parts = [p for p in jieba().cut_for_search(word, HMM=False) if p != word and len(p) >= 2]
    covered = [False] * len(word)
    for part in parts:
        start = word.find(part)
        covered[start : start + len(part)] = [True] * len(part)
    if not parts or all(covered):
        return ()
    singles = [c for c, seen in zip(word, covered, strict=True) if not seen]
    return tuple(dict.fromkeys([*singles, *parts]))


def lone_phrases(terms: Sequence[str]) -> dict[int, str]:
    """Runs of lone 汉字 as phrases with a word beside them, keyed by the term whose clause
    carries the phrase: 锂 硫 电池 -> "锂 硫 电池" (on 电池's clause), 燃料电池 车 ->
    "燃料电池 车" (on 燃料电池's).

    jieba cuts a word its dictionary lacks (锂硫电池) into lone characters, in a listing and
    in a query alike, and each lone character then matches as the start of any word, so a
    listing holding 锂 and 硫 apart ranked with one holding 锂硫电池. The phrase (its words
    one after another in the index) adds to the score of the listing that holds them
    together; it is never required. The word after a run is taken when it has no sub-words
    in the index before it (two characters), else the word before the run, else the run
    alone if it has two characters or more."""
    found: dict[int, str] = {}
    i = 0
    while i < len(terms):
        if not is_single_han(terms[i]):
            i += 1
            continue
        j = i
        while j < len(terms) and is_single_han(terms[j]):
            j += 1
        run = list(terms[i:j])
        if j < len(terms) and len(terms[j]) == 2 and _all_chinese(terms[j]):
            found[j] = " ".join((*run, terms[j]))
        elif i > 0 and _all_chinese(terms[i - 1]):
            found[i - 1] = " ".join((terms[i - 1], *run))
        elif len(run) > 1:
            found[j - 1] = " ".join(run)
        i = j
    return found


def _all_chinese(word: str) -> bool:
    return len(word) > 1 and all(CJK.match(c) for c in word)
