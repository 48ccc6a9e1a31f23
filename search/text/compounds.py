"""A Chinese query word as the smaller words the index holds of it.

jieba cuts the index's text and the query alike, but a long word of the query may stand in
the index as its sub-words (图像识别 as 图像 / 识别) or as jieba's own cut of a word it would
not make; these give the query's clauses those forms.
"""

from __future__ import annotations

import functools

from search.text.tokens import CJK, has_cjk, jieba


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
