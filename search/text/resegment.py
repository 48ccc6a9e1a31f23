"""Query words jieba leaves as lone characters, joined again into words our tables know.

jieba's precise cut of a query knows no technical vocabulary beyond its own
dictionary: 可生物降解塑料 comes out as 可 / 生物 / 降解塑料, and each lone
character becomes a required prefix (可 matches 可以, 可靠 …) while the term
that carries the meaning (可生物降解, biodegradable) is lost to the glossary
and the abbreviation table. When a cut holds a lone character that is not a
filler word, the run is cut again by the fewest pieces over jieba's words and
the words of our tables and CC-CEDICT, a lone character costing as much as
LONE_COST words and a word jieba did not cut OTHER_COST: 可生物降解 / 塑料, while
jieba's 正极 / 材料 beside a lone 镍 stay as they are. A cut without lone
characters is kept as it is.
"""

from __future__ import annotations

from collections.abc import Sequence

from search.text.once import once

LONE_COST = 10  # a lone character (not a filler word) against one word
FILLER_COST = 2  # a lone filler or stop word: joined where a known word takes it (中和抗体)
OTHER_COST = 3  # a word jieba did not cut: joined only where it takes up a lone character
MAX_WORD = 8  # the longest word looked up


@once
def _domain() -> frozenset[str]:
    """Multi-character Chinese words of our tables."""
    from search.text.tokens import CJK, domain_words

    return frozenset(w for w in domain_words() if len(w) > 1 and all(CJK.match(c) for c in w))


def _known(word: str) -> bool:
    """A word of our tables or of CC-CEDICT (`word` is two or more Chinese characters)."""
    from search.text import cedict

    return word in _domain() or cedict.is_chinese_word(word)


def _lone(piece: str, filler: frozenset[str]) -> bool:
    from search.text.tokens import STOPWORDS, is_single_han

    return is_single_han(piece) and piece not in STOPWORDS and piece not in filler


def resegment(run: str, pieces: Sequence[str]) -> list[str]:
    """jieba's `pieces` of a Chinese `run`, or a cut with fewer lone characters (see module)."""
    from search.text.expansions import FILLER
    from search.text.tokens import is_single_han

    if not any(is_single_han(p) for p in pieces) or "".join(pieces) != run:
        return list(pieces)
    jieba_words = set(pieces)
    n = len(run)
    # best[i]: (cost, pieces) of the cheapest cut of run[:i]
    nothing: list[str] = []
    best: list[tuple[int, list[str]]] = [(0, nothing)] + [(1 << 30, nothing)] * n
    for end in range(1, n + 1):
        for start in range(max(0, end - MAX_WORD), end):
            word = run[start:end]
            if len(word) == 1:
                cost = LONE_COST if _lone(word, FILLER) else FILLER_COST
            elif word in jieba_words:
                cost = 1
            elif _known(word):
                cost = OTHER_COST
            else:
                continue
            total = best[start][0] + cost
            if total < best[end][0]:
                best[end] = (total, [*best[start][1], word])
    found = best[n][1]
    original = sum(
        (LONE_COST if _lone(p, FILLER) else FILLER_COST) if len(p) == 1 else 1 for p in pieces
    )
    return found if best[n][0] < original else list(pieces)
