"""Pinyin and initials of Chinese titles, indexed so people typing without an input method
find them: `lizidianchi` and `lzdc` find 锂离子电池, `shimoxi` 石墨烯.

From every place a word starts (jieba's cut and its sub-words, single characters too), the pinyin
of the next two to five characters of the same Chinese run is a token, and from three
characters on its initials too (shorter initials, such as dc, would be English words).
"""

from __future__ import annotations

import re

from search.text.tokens import jieba

MIN_CHARS, MAX_CHARS = 2, 5
MIN_INITIALS = 3
MAX_TOKENS = 160  # per title
_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]{2,}")


def _syllables(run: str) -> list[str]:
    from pypinyin import lazy_pinyin

    syllables = lazy_pinyin(run, errors="ignore")
    return syllables if len(syllables) == len(run) else []


def pinyin_tokens(title: str) -> str:
    """Space-separated pinyin tokens of a Chinese title (empty when it has no Chinese)."""
    tokens: list[str] = []
    for match in _RUN.finditer(title or ""):
        run = match.group()
        syllables = _syllables(run)
        if not syllables:
            continue
        starts = sorted(
            {start for _, start, _ in jieba().tokenize(run, HMM=False)}
            | {start for _, start, _ in jieba().tokenize(run, mode="search", HMM=False)}
        )
        for start in starts:
            for length in range(MIN_CHARS, min(MAX_CHARS, len(run) - start) + 1):
                parts = syllables[start : start + length]
                tokens.append("".join(parts))
                if length >= MIN_INITIALS:
                    tokens.append("".join(p[0] for p in parts))
    unique = [t for t in dict.fromkeys(tokens) if t.isascii() and t.isalpha()]
    return " ".join(unique[:MAX_TOKENS])
