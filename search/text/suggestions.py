"""Suggestions as you type: the keys a title is suggested on, and their weights (both backends)."""

from __future__ import annotations

from collections.abc import Iterator

from search.text.tokens import STOPWORDS, WORD, has_cjk, jieba, normalise

SUGGESTION_SUFFIXES = 5  # word-start entry points per title besides its beginning
SUGGESTION_MAX_CHARS = 60


def suggestion_keys(title: str) -> list[str]:
    """What suggestions match a title on: the whole (normalised) title, then from later words.

    So typing 正极 offers 一种高镍三元正极材料的制备方法, and "sep" offers "Solid
    battery with a separator". A prefix of any key suggests the title; the first
    key is the title itself (ranked before the others).
    """
    text = " ".join(normalise(title).split())
    if not text:
        return []
    keys = [text[:SUGGESTION_MAX_CHARS]]
    words = jieba().tokenize(text, HMM=False) if has_cjk(text) else _word_positions(text)
    for word, start, _ in words:
        if len(keys) > SUGGESTION_SUFFIXES:
            break
        if start == 0 or not WORD.fullmatch(word) or word in STOPWORDS:
            continue
        key = text[start : start + SUGGESTION_MAX_CHARS]
        if len(key) >= 2 and key not in keys:
            keys.append(key)
    return keys


def _word_positions(text: str) -> Iterator[tuple[str, int, int]]:
    for match in WORD.finditer(text):
        yield match.group(), match.start(), match.end()


def suggestion_prefix(prefix: str) -> str:
    """What the user typed, normalised as suggestion keys are."""
    return " ".join(normalise(prefix).split())[:SUGGESTION_MAX_CHARS]


SUGGESTION_TITLE_START = 100_000  # added to the weight of a title's own beginning


def suggestion_weight(first_key: bool, days_since_2000: int) -> int:
    """The rank of a suggestion key: a title's beginning before later words, then newest first."""
    return (SUGGESTION_TITLE_START if first_key else 0) + max(0, min(days_since_2000, 99_999))
