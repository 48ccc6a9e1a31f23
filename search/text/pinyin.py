"""Pinyin and initials of Chinese titles, indexed so people typing without an input method
find them: `lizidianchi` and `lzdc` find 锂离子电池 (through 离子 + 电池).

A title's words (jieba's search-mode cut) give their full pinyin, and runs of two
or three adjacent words their joined pinyin and initials; initials shorter than
three letters are left out (dc would be direct current).
"""

from __future__ import annotations

from search.text.tokens import CJK, jieba

MIN_INITIALS = 3
MAX_RUN = 3


def _syllables(word: str) -> list[str]:
    from pypinyin import lazy_pinyin

    return lazy_pinyin(word, errors="ignore")


def pinyin_tokens(title: str) -> str:
    """Space-separated pinyin tokens of a Chinese title (empty when it has no Chinese)."""
    if not title or not CJK.search(title):
        return ""
    words = [
        (w, start, end)
        for w, start, end in jieba().tokenize(title, mode="search", HMM=False)
        if len(w) >= 2 and all(CJK.match(c) for c in w)
    ]
    syllables = {w: _syllables(w) for w, _, _ in words}
    tokens: list[str] = []
    for i, (word, _, end) in enumerate(words):
        run, parts = [word], list(syllables[word])
        tokens.append("".join(parts))
        cursor = end
        for later, start, later_end in words[i + 1 :]:
            if len(run) >= MAX_RUN:
                break
            if start != cursor:
                continue
            run.append(later)
            parts += syllables[later]
            cursor = later_end
            tokens.append("".join(parts))
            if len(parts) >= MIN_INITIALS:
                tokens.append("".join(p[0] for p in parts))
        if len(parts) >= MIN_INITIALS and len(run) == 1:
            tokens.append("".join(p[0] for p in parts))
    return " ".join(dict.fromkeys(t for t in tokens if t.isascii() and t.isalpha()))
