"""Snippets with the matched words marked, as both backends show them."""

from __future__ import annotations

import functools
from collections.abc import Iterable, Sequence
from html import escape

from search.text.tokens import LATIN_WORD, SENSES, normalise

_SURFACES: dict[str, tuple[str, ...]] = {}
for _word, _token in SENSES.items():
    _SURFACES[_token] = (*_SURFACES.get(_token, ()), _word)
_SUFFIXES = ("ations", "ation", "ings", "ing", "ies", "ied", "es", "ed", "ly", "s", "y", "e")


@functools.lru_cache(maxsize=65536)
def crude_stem(word: str) -> str:
    """A rough English stem for highlighting only (the index uses the real Porter stemmer)."""
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word


@functools.lru_cache(maxsize=4096)
def _prepared(terms: tuple[str, ...]) -> tuple[tuple[str, ...], frozenset[str]]:
    """(the terms found as substrings, the stems of the English words): once per query,
    not once per snippet (a page highlights eight texts of twenty hits)."""
    surfaces = [t for term in terms for t in _SURFACES.get(term, (term,))]
    latin = [t for t in surfaces if LATIN_WORD.fullmatch(t)]
    others = tuple(t for t in surfaces if not LATIN_WORD.fullmatch(t))
    return others, frozenset(crude_stem(t) for t in latin)


def _spans(text: str, terms: Sequence[str]) -> list[tuple[int, int]]:
    """Character spans of `text` matching any term, merged and sorted."""
    substrings, latin_stems = _prepared(tuple(terms))
    lowered = normalise(text)
    if len(lowered) != len(text):  # NFKC changed the length: match on the text itself
        lowered = text.lower()
    spans: list[tuple[int, int]] = []
    for term in substrings:
        start = lowered.find(term)
        while start != -1:
            spans.append((start, start + len(term)))
            start = lowered.find(term, start + len(term))
    if latin_stems:
        for match in LATIN_WORD.finditer(lowered):
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


def marks_nothing(highlights: Iterable[str]) -> bool:
    """Whether no snippet marks a match (the listing matched through translations only)."""
    return not any("<mark>" in text for text in highlights)
