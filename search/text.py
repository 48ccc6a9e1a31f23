"""Text analysis shared by the search backends: segmentation, query terms, highlighting.

Chinese has no spaces between words, so text is segmented with jieba before it
reaches a full-text index: documents with `cut_for_search` (a word and its
dictionary sub-words, so 锂离子 also finds 锂离子电池), queries with the precise
`cut`. English is lowercased and stemmed by the index (FTS5's porter tokenizer);
highlighting compares crude stems so 'batteries' marks 'battery'.

User input never reaches an index as query syntax: terms are extracted as plain
words and quoted, so quotes, `*`, `AND`, `-` or parentheses are only text.
"""

from __future__ import annotations

import logging
import re
import threading
import unicodedata
from collections.abc import Iterable, Sequence
from html import escape

_jieba_lock = threading.Lock()
_jieba_ready = False

# A run of word characters: CJK ideographs, letters, digits (underscore excluded).
_WORD = re.compile(r"[^\W_]+", re.UNICODE)
_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_LATIN_WORD = re.compile(r"[a-z0-9]+")

# Dropped from queries (never from documents): they match almost everything or are
# query operators of some engine; a user typing "battery AND cathode" means both words.
STOPWORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "by",
        "for",
        "from",
        "in",
        "is",
        "it",
        "near",
        "not",
        "of",
        "on",
        "or",
        "the",
        "to",
        "with",
        "的",
        "了",
        "和",
        "与",
        "及",
        "或",
        "在",
        "是",
        "其",
        "之",
        "等",
        "用",
        "对",
    ]
)


def _jieba():  # type: ignore[no-untyped-def]
    """jieba, initialised once per process and quietly (it logs its dictionary load)."""
    global _jieba_ready
    import jieba

    if not _jieba_ready:
        with _jieba_lock:
            if not _jieba_ready:
                jieba.setLogLevel(logging.WARNING)
                jieba.initialize()
                _jieba_ready = True
    return jieba


def normalise(text: str) -> str:
    """NFKC-normalised (full-width letters and digits become ASCII), lowercased text."""
    return unicodedata.normalize("NFKC", text or "").lower()


def has_cjk(text: str) -> bool:
    """Whether the text contains Chinese characters."""
    return bool(_CJK.search(text))


def segment_for_index(text: str) -> str:
    """Text as space-separated tokens for the index: Chinese cut for search, the rest as is.

    The index tokenizer (unicode61 + porter) then splits on the spaces, lowercases
    and stems; only Chinese needs our help.
    """
    text = unicodedata.normalize("NFKC", text or "")
    if not has_cjk(text):
        return text
    tokens = _jieba().cut_for_search(text, HMM=False)
    return " ".join(token for token in tokens if not token.isspace())


def query_terms(text: str) -> list[str]:
    """The plain words of a user query, deduplicated, without stopwords or syntax.

    Chinese runs are cut with jieba's precise mode (the index holds the
    search-mode cut, which contains every precise-mode word).
    """
    terms: list[str] = []
    seen: set[str] = set()
    for run in _WORD.findall(normalise(text)):
        pieces: Iterable[str] = _jieba().cut(run, HMM=False) if has_cjk(run) else (run,)
        for piece in pieces:
            for word in _WORD.findall(piece):
                if word not in STOPWORDS and word not in seen:
                    seen.add(word)
                    terms.append(word)
    return terms


def fts5_term(term: str) -> str:
    """One term as an FTS5 string; a lone Chinese character matches words that start with it.

    (The index holds words, so 锂 alone would otherwise not find 锂离子.)
    """
    quoted = '"' + term.replace('"', '""') + '"'
    return quoted + "*" if len(term) == 1 and has_cjk(term) else quoted


def fts5_match(terms: Sequence[str]) -> str | None:
    """An FTS5 MATCH expression requiring every term, each quoted as a string; None if no terms."""
    if not terms:
        return None
    return " ".join(fts5_term(term) for term in terms)


_SUFFIXES = ("ations", "ation", "ings", "ing", "ies", "ied", "es", "ed", "ly", "s", "y", "e")


def crude_stem(word: str) -> str:
    """A rough English stem for highlighting only (the index uses the real Porter stemmer)."""
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word


def _spans(text: str, terms: Sequence[str]) -> list[tuple[int, int]]:
    """Character spans of `text` matching any term, merged and sorted."""
    lowered = normalise(text)
    if len(lowered) != len(text):  # NFKC changed the length: match on the text itself
        lowered = text.lower()
    spans: list[tuple[int, int]] = []
    latin_stems = {crude_stem(t) for t in terms if _LATIN_WORD.fullmatch(t)}
    for term in terms:
        if _LATIN_WORD.fullmatch(term):
            continue
        start = lowered.find(term)
        while start != -1:
            spans.append((start, start + len(term)))
            start = lowered.find(term, start + len(term))
    if latin_stems:
        for match in _LATIN_WORD.finditer(lowered):
            word = match.group()
            if crude_stem(word) in latin_stems or word in latin_stems:
                spans.append(match.span())
    spans.sort()
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def highlight(text: str, terms: Sequence[str], max_chars: int | None = None) -> str:
    """HTML-escaped `text` with matched terms in <mark>…</mark>, in the original spelling.

    With `max_chars`, a window of about that many characters around the first
    match, with an ellipsis where text was cut.
    """
    text = text or ""
    spans = _spans(text, terms) if terms else []
    start, end = 0, len(text)
    if max_chars is not None and len(text) > max_chars:
        first = spans[0][0] if spans else 0
        start = max(0, min(first - max_chars // 4, len(text) - max_chars))
        end = start + max_chars
    out: list[str] = ["…"] if start > 0 else []
    cursor = start
    for span_start, span_end in spans:
        if span_end <= start or span_start >= end:
            continue
        span_start, span_end = max(span_start, start), min(span_end, end)
        out.append(escape(text[cursor:span_start]))
        out.append("<mark>" + escape(text[span_start:span_end]) + "</mark>")
        cursor = span_end
    out.append(escape(text[cursor:end]))
    if end < len(text):
        out.append("…")
    return "".join(out)
