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

import functools
import logging
import re
import threading
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
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


# -- query clauses: compound fallback and cross-language expansion ------------------------------
#
# A query is an AND of clauses; a clause matches when any of its alternatives
# does, an alternative when all of its words do. A Chinese word also matches as
# its dictionary sub-words (图像识别 when a listing holds 图像 and 识别, since the
# index holds what `cut_for_search` makes of the listing), and a word or phrase of
# the glossary (search.glossary) also matches as its translation, at
# TRANSLATION_WEIGHT: a listing in the language of the query ranks first.

TRANSLATION_WEIGHT = 0.3
_GLOSSARY_SPAN = 4  # the longest run of query words looked up in the glossary
_MAX_ALTERNATIVES = 8  # per clause, so a long phrase cannot blow up the query


@dataclass(frozen=True)
class Alternative:
    """Words that must all match, and the weight of what they score."""

    words: tuple[str, ...]
    weight: float = 1.0


@dataclass(frozen=True)
class Clause:
    """One required part of a query: the words as typed, or any of their stand-ins."""

    alternatives: tuple[Alternative, ...]

    @property
    def words(self) -> tuple[str, ...]:
        """Every word of every alternative, first seen first (for highlighting)."""
        return tuple(dict.fromkeys(w for alt in self.alternatives for w in alt.words))


@functools.lru_cache(maxsize=65536)
def compound_parts(word: str) -> tuple[str, ...]:
    """The dictionary sub-words of a Chinese word that together cover it; () if none.

    图像识别 -> (图像, 识别). Sub-words come from `cut_for_search` (as the index
    holds them), single characters left out; a word they do not cover entirely
    (锂离子: only 离子) has no fallback, since matching part of it would be looser.
    """
    if len(word) < 3 or not has_cjk(word) or not all(_CJK.match(c) for c in word):
        return ()
    parts = [p for p in _jieba().cut_for_search(word, HMM=False) if p != word and len(p) >= 2]
    covered = [False] * len(word)
    for part in parts:
        start = word.find(part)
        while start != -1:
            covered[start : start + len(part)] = [True] * len(part)
            start = word.find(part, start + 1)
    return tuple(dict.fromkeys(parts)) if parts and all(covered) else ()


def _word_options(word: str) -> list[tuple[str, ...]]:
    parts = compound_parts(word)
    return [(word,), parts] if parts else [(word,)]


def _alternatives(words: Sequence[str], weight: float) -> list[Alternative]:
    """Words as alternatives: as they are, and with compound words as their sub-words."""
    combos: list[tuple[str, ...]] = [()]
    for word in words:
        combos = [c + option for c in combos for option in _word_options(word)]
        combos = combos[:_MAX_ALTERNATIVES]
    return [Alternative(tuple(dict.fromkeys(c)), weight) for c in combos]


def _glossary_key(words: Sequence[str]) -> str | None:
    """How a run of query words is looked up: Chinese joined, English stemmed and spaced."""
    if all(has_cjk(w) for w in words):
        return "".join(words)
    if all(_LATIN_WORD.fullmatch(w) for w in words):
        return " ".join(index_token(w) for w in words)
    return None


@functools.cache
def _glossary() -> dict[str, tuple[tuple[str, ...], ...]]:
    """Glossary keys to the query words of their translations (both directions)."""
    from search.glossary import PAIRS

    table: dict[str, list[tuple[str, ...]]] = {}

    def add(source: str, target: str) -> None:
        key = _glossary_key(query_terms(source)) if query_terms(source) else None
        words = tuple(query_terms(target))
        if key and words and words not in table.setdefault(key, []):
            table[key].append(words)

    for zh, en in PAIRS:
        for english in en.split("|"):
            add(zh, english)
            add(english, zh)
    return {key: tuple(values) for key, values in table.items()}


def translations(words: Sequence[str]) -> tuple[tuple[str, ...], ...]:
    """The glossary's translations of a run of query words, each as query words."""
    key = _glossary_key(words)
    return _glossary().get(key, ()) if key else ()


def query_clauses(text: str) -> list[Clause]:
    """A user query as required clauses, with compound fallbacks and translations.

    The longest run of words found in the glossary becomes one clause (固态 电池
    -> also "solid state battery"); other words are clauses of their own.
    """
    terms = query_terms(text)
    clauses: list[Clause] = []
    i = 0
    while i < len(terms):
        span, found = 1, ()
        for end in range(min(len(terms), i + _GLOSSARY_SPAN), i, -1):
            if found := translations(terms[i:end]):
                span = end - i
                break
        alternatives = _alternatives(terms[i : i + span], 1.0)
        for words in found:
            alternatives += _alternatives(words, TRANSLATION_WEIGHT)
        unique: dict[tuple[str, ...], Alternative] = {}
        for alternative in alternatives:
            unique.setdefault(alternative.words, alternative)
        clauses.append(Clause(tuple(unique.values())))
        i += span
    return clauses


def clause_words(clauses: Sequence[Clause | str], translated: bool = True) -> list[str]:
    """The words a query may match on, for highlighting; without translations if asked.

    Snippets mark the words as typed and their sub-words; translations are marked
    only in a listing that matched through them alone (see `marks_nothing`).
    """
    words: list[str] = []
    for clause in clauses:
        if isinstance(clause, str):
            words.append(clause)
            continue
        for alternative in clause.alternatives:
            if translated or alternative.weight == 1.0:
                words += alternative.words
    return list(dict.fromkeys(words))


def marks_nothing(highlights: Iterable[str]) -> bool:
    """Whether no snippet marks a match (the listing matched through translations only)."""
    return not any("<mark>" in text for text in highlights)


def weighted_words(clauses: Sequence[Clause | str]) -> dict[float, list[str]]:
    """The words of a query by the weight they score with (a word's highest weight)."""
    best: dict[str, float] = {}
    for clause in clauses:
        alternatives = (Alternative((clause,)),) if isinstance(clause, str) else clause.alternatives
        for alternative in alternatives:
            for word in alternative.words:
                best[word] = max(best.get(word, 0.0), alternative.weight)
    by_weight: dict[float, list[str]] = {}
    for word, weight in best.items():
        by_weight.setdefault(weight, []).append(word)
    return dict(sorted(by_weight.items(), reverse=True))


def fts5_term(term: str) -> str:
    """One term as an FTS5 string; a lone Chinese character matches words that start with it.

    (The index holds words, so 锂 alone would otherwise not find 锂离子.)
    """
    quoted = '"' + term.replace('"', '""') + '"'
    return quoted + "*" if len(term) == 1 and has_cjk(term) else quoted


def _fts5_clause(clause: Clause | str) -> str:
    """A clause as FTS5: ("w" OR ("a" AND "b") OR ...), or just the quoted word."""
    if isinstance(clause, str):
        return fts5_term(clause)
    options = [
        " AND ".join(fts5_term(w) for w in alt.words)
        if len(alt.words) == 1
        else "(" + " AND ".join(fts5_term(w) for w in alt.words) + ")"
        for alt in clause.alternatives
    ]
    return options[0] if len(options) == 1 else "(" + " OR ".join(options) + ")"


def fts5_match(terms: Sequence[Clause | str]) -> str | None:
    """An FTS5 MATCH expression requiring every term or clause, words quoted; None if none."""
    if not terms:
        return None
    parts = [_fts5_clause(term) for term in terms]
    # FTS5 takes an implicit AND between words, not between parenthesised groups.
    return (" AND " if any(part.startswith("(") for part in parts) else " ").join(parts)


def fts5_any(words: Sequence[str]) -> str:
    """An FTS5 expression matching any of the words."""
    return " OR ".join(fts5_term(word) for word in words)


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


# -- analysis done in the app for Elasticsearch (and the suggestion keys of both backends) ------
#
# The bare Elasticsearch server has no stemmer and no Chinese analysis, so the
# app produces the final tokens: NFKC, lowercase, diacritics folded, Chinese cut
# by jieba, English Porter-stemmed (as FTS5's porter tokenizer does), joined by
# spaces for the built-in `whitespace` analyzer.

_STEP2 = (
    ("ational", "ate"),
    ("tional", "tion"),
    ("enci", "ence"),
    ("anci", "ance"),
    ("izer", "ize"),
    ("bli", "ble"),
    ("alli", "al"),
    ("entli", "ent"),
    ("eli", "e"),
    ("ousli", "ous"),
    ("ization", "ize"),
    ("ation", "ate"),
    ("ator", "ate"),
    ("alism", "al"),
    ("iveness", "ive"),
    ("fulness", "ful"),
    ("ousness", "ous"),
    ("aliti", "al"),
    ("iviti", "ive"),
    ("biliti", "ble"),
    ("logi", "log"),
)
_STEP3 = (
    ("icate", "ic"),
    ("ative", ""),
    ("alize", "al"),
    ("iciti", "ic"),
    ("ical", "ic"),
    ("ful", ""),
    ("ness", ""),
)
_STEP4 = (
    "al",
    "ance",
    "ence",
    "er",
    "ic",
    "able",
    "ible",
    "ant",
    "ement",
    "ment",
    "ent",
    "ion",
    "ou",
    "ism",
    "ate",
    "iti",
    "ous",
    "ive",
    "ize",
)
# Longest suffix first: Porter considers only the longest suffix that matches.
_STEP2_BY_LENGTH = sorted(_STEP2, key=lambda pair: -len(pair[0]))
_STEP3_BY_LENGTH = sorted(_STEP3, key=lambda pair: -len(pair[0]))
_STEP4_BY_LENGTH = sorted(_STEP4, key=len, reverse=True)
_ASCII_WORD = re.compile(r"[a-z]+")


def _is_consonant(word: str, i: int) -> bool:
    char = word[i]
    if char in "aeiou":
        return False
    if char == "y":
        return i == 0 or not _is_consonant(word, i - 1)
    return True


def _measure(stem: str) -> int:
    """Porter's m: the number of vowel-consonant sequences in [C](VC)^m[V]."""
    m, previous_vowel = 0, False
    for i in range(len(stem)):
        vowel = not _is_consonant(stem, i)
        if previous_vowel and not vowel:
            m += 1
        previous_vowel = vowel
    return m


def _has_vowel(stem: str) -> bool:
    return any(not _is_consonant(stem, i) for i in range(len(stem)))


def _double_consonant(word: str) -> bool:
    return len(word) >= 2 and word[-1] == word[-2] and _is_consonant(word, len(word) - 1)


def _cvc(word: str) -> bool:
    """Ends consonant-vowel-consonant, the last not w, x or y (e.g. hop, not snow)."""
    return (
        len(word) >= 3
        and _is_consonant(word, len(word) - 1)
        and not _is_consonant(word, len(word) - 2)
        and _is_consonant(word, len(word) - 3)
        and word[-1] not in "wxy"
    )


@functools.lru_cache(maxsize=65536)
def porter_stem(word: str) -> str:
    """The Porter stem of a lowercase ASCII word (batteries, battery -> batteri).

    The algorithm of FTS5's porter tokenizer, so both backends stem alike.
    Words shorter than three letters or not plain a-z are returned unchanged.
    """
    if len(word) < 3 or not _ASCII_WORD.fullmatch(word):
        return word
    # Step 1a: plurals.
    if word.endswith("sses") or word.endswith("ies"):
        word = word[:-2]
    elif word.endswith("s") and not word.endswith("ss"):
        word = word[:-1]
    # Step 1b: -ed, -ing.
    if word.endswith("eed"):
        if _measure(word[:-3]) > 0:
            word = word[:-1]
    else:
        for suffix in ("ed", "ing"):
            if word.endswith(suffix) and _has_vowel(word[: -len(suffix)]):
                word = word[: -len(suffix)]
                if word.endswith(("at", "bl", "iz")):
                    word += "e"
                elif _double_consonant(word) and word[-1] not in "lsz":
                    word = word[:-1]
                elif _measure(word) == 1 and _cvc(word):
                    word += "e"
                break
    # Step 1c: y -> i.
    if word.endswith("y") and _has_vowel(word[:-1]):
        word = word[:-1] + "i"
    # Steps 2 and 3: double suffixes to single ones.
    for rules in (_STEP2_BY_LENGTH, _STEP3_BY_LENGTH):
        for suffix, replacement in rules:
            if word.endswith(suffix):
                if _measure(word[: -len(suffix)]) > 0:
                    word = word[: -len(suffix)] + replacement
                break
    # Step 4: strip suffixes.
    for suffix in _STEP4_BY_LENGTH:
        if word.endswith(suffix):
            stem = word[: -len(suffix)]
            if _measure(stem) > 1 and (suffix != "ion" or stem.endswith(("s", "t"))):
                word = stem
            break
    # Step 5: a final -e, a final -ll.
    if word.endswith("e"):
        stem = word[:-1]
        m = _measure(stem)
        if m > 1 or (m == 1 and not _cvc(stem)):
            word = stem
    if word.endswith("ll") and _measure(word) > 1:
        word = word[:-1]
    return word


def fold_diacritics(text: str) -> str:
    """Text without combining marks (é -> e), as FTS5's remove_diacritics does."""
    if text.isascii():
        return text
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(char for char in decomposed if not unicodedata.combining(char))
    return unicodedata.normalize("NFC", stripped)


@functools.lru_cache(maxsize=262144)
def index_token(word: str) -> str:
    """One lowercase word as the Elasticsearch fields hold it: folded and stemmed."""
    return porter_stem(fold_diacritics(word))


def analyse(text: str) -> str:
    """Text as space-separated final tokens, for a field with the `whitespace` analyzer.

    Chinese is cut for search (words and their sub-words), everything lowercased,
    punctuation dropped, English stemmed: what FTS5 makes of `segment_for_index`.
    """
    segmented = segment_for_index(fold_diacritics(text or "")).lower()
    return " ".join(index_token(word) for word in _WORD.findall(segmented))


def is_single_han(term: str) -> bool:
    """A lone Chinese character: matched as a prefix of indexed words (锂 finds 锂离子)."""
    return len(term) == 1 and has_cjk(term)


def is_latin(term: str) -> bool:
    """A query term of letters a-z only: the terms that may be matched with typos."""
    return bool(_ASCII_WORD.fullmatch(term))


def auto_fuzziness(term: str) -> int:
    """Edits allowed for a term, as Elasticsearch's fuzziness AUTO: 0 to 2 chars 0, to 5 1, else 2."""
    return 0 if len(term) <= 2 else 1 if len(term) <= 5 else 2


def edit_distance(a: str, b: str, limit: int = 2) -> int:
    """Damerau (optimal string alignment) distance, giving up past `limit` (returns limit + 1)."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        current = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                current[j] = min(current[j], previous2[j - 2] + 1)
        if min(current) > limit:
            return limit + 1
        previous2, previous = previous, current
    return previous[-1]


def fuzzy_words(text: str, terms: Sequence[str], prefix_length: int = 1) -> list[str]:
    """Words of `text` that match a Latin term only with typos (for highlighting those hits).

    Compares Porter stems with the edit budget of fuzziness AUTO, the first
    `prefix_length` characters exact, as the Elasticsearch query does.
    """
    stems = {index_token(t) for t in terms if is_latin(t)}
    stems = {s for s in stems if auto_fuzziness(s)}
    if not stems:
        return []
    found: list[str] = []
    for word in set(_LATIN_WORD.findall(normalise(text))):
        stem = index_token(word)
        if stem in stems:
            continue
        for target in stems:
            if stem[:prefix_length] == target[:prefix_length] and edit_distance(
                stem, target, auto_fuzziness(target)
            ) <= auto_fuzziness(target):
                found.append(word)
                break
    return found


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
    words = _jieba().tokenize(text, HMM=False) if has_cjk(text) else _word_positions(text)
    for word, start, _ in words:
        if len(keys) > SUGGESTION_SUFFIXES:
            break
        if start == 0 or not _WORD.fullmatch(word) or word in STOPWORDS:
            continue
        key = text[start : start + SUGGESTION_MAX_CHARS]
        if len(key) >= 2 and key not in keys:
            keys.append(key)
    return keys


def _word_positions(text: str) -> Iterator[tuple[str, int, int]]:
    for match in _WORD.finditer(text):
        yield match.group(), match.start(), match.end()


def suggestion_prefix(prefix: str) -> str:
    """What the user typed, normalised as suggestion keys are."""
    return " ".join(normalise(prefix).split())[:SUGGESTION_MAX_CHARS]


SUGGESTION_TITLE_START = 100_000  # added to the weight of a title's own beginning


def suggestion_weight(first_key: bool, days_since_2000: int) -> int:
    """The rank of a suggestion key: a title's beginning before later words, then newest first."""
    return (SUGGESTION_TITLE_START if first_key else 0) + max(0, min(days_since_2000, 99_999))
