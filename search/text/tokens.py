"""Words of text: normalisation, Chinese segmentation (jieba), query terms, index tokens.

Chinese has no spaces between words, so text is segmented with jieba before it
reaches a full-text index: documents with `cut_for_search` (a word and its
dictionary sub-words, so 锂离子 also finds 锂离子电池), queries with the precise
`cut`. English is lowercased and stemmed by the index (FTS5's porter tokenizer);
for Elasticsearch the app makes the final tokens itself (`analyse`).

User input never reaches an index as query syntax: terms are extracted as plain
words and quoted, so quotes, `*`, `AND`, `-` or parentheses are only text.
"""

from __future__ import annotations

import functools
import re
import threading
import unicodedata
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from search.text.numbers import extract_numbers
from search.text.porter import porter_stem
from search.text.resegment import resegment

if TYPE_CHECKING:
    from search.text.dictionary import Segmenter

_jieba_lock = threading.Lock()
_segmenter: Segmenter | None = None

# A run of word characters: CJK ideographs, letters, digits (underscore excluded).
WORD = re.compile(r"[^\W_]+", re.UNICODE)
CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
LATIN_WORD = re.compile(r"[a-z0-9]+")
_ASCII_WORD = re.compile(r"[a-z]+")
_DIGITS = re.compile(r"[0-9]{8}")

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


# English words the Porter stemmer would merge across senses (separation, separator -> separ):
# both the index and queries hold them as unstemmable tokens of their own sense.
SENSES: dict[str, str] = {
    **dict.fromkeys(("separator", "separators"), "separator0"),
    **dict.fromkeys(
        ("separation", "separations", "separating", "separated", "separate"), "separation0"
    ),
}
_SENSE_WORD = re.compile(r"(?<![a-z0-9])(" + "|".join(SENSES) + r")(?![a-z0-9])", re.IGNORECASE)


def protect_senses(text: str) -> str:
    """Text with the words of SENSES replaced by their sense tokens."""
    return _SENSE_WORD.sub(lambda m: SENSES[m.group().lower()], text)


@functools.lru_cache(maxsize=4096)
def fold_traditional(text: str) -> str:
    """Traditional Chinese folded to simplified, other text unchanged.

    Text written in traditional characters is taken as Taiwan's usage and gets its
    mainland words too (OpenCC tw2sp: 塑膠→塑料, 奈米→纳米, 軟體→软件); text already in
    simplified characters is left alone, where 晶片 means a wafer, not a chip."""
    if not has_cjk(text) or _opencc("t2s").convert(text) == text:
        return text
    return str(_opencc("tw2sp").convert(text))


@functools.cache
def _opencc(config: str) -> Any:
    import opencc

    return opencc.OpenCC(config)


def jieba() -> Segmenter:
    """jieba's segmentation over its dictionary and our domain words, loaded once per process
    (a compact, shared form of the dictionary: search.text.dictionary)."""
    global _segmenter
    if _segmenter is None:
        with _jieba_lock:
            if _segmenter is None:
                from search.text import prebuild
                from search.text.dictionary import load

                prebuild.wait()  # a child building the files (flask serve): not twice
                _segmenter = load(domain_words())
    return _segmenter


def add_domain_words(tokenizer: Any, words: list[str]) -> None:
    """Add to a jieba Tokenizer the words it would break into lone characters only: joining
    two words it knows (三元 正极) would hide them from queries for either."""
    missing = [
        word for word in words if all(len(piece) == 1 for piece in tokenizer.cut(word, HMM=False))
    ]
    for word in missing:
        tokenizer.add_word(word)


def domain_words() -> list[str]:
    """The Chinese words of our glossary and expansion tables, so jieba keeps them whole
    (新冠, 冷链, 吹膜 are not in its dictionary)."""
    from search.text.expansions import ABBREVIATIONS, ACRONYMS, DOMAIN_WORDS, NARROWER
    from search.text.glossary import PAIRS

    words = [zh for zh, _ in PAIRS] + list(DOMAIN_WORDS)
    for table in (ABBREVIATIONS, ACRONYMS, NARROWER):
        for key, values in table.items():
            words += [key, *values]
    return [w for w in dict.fromkeys(words) if len(w) > 1 and all(CJK.match(c) for c in w)]


def normalise(text: str) -> str:
    """NFKC-normalised (full-width letters and digits become ASCII), lowercased text."""
    return unicodedata.normalize("NFKC", text or "").lower()


def has_cjk(text: str) -> bool:
    """Whether the text contains Chinese characters."""
    return bool(CJK.search(text))


def segment_for_index(text: str) -> str:
    """Text as space-separated tokens for the index: Chinese cut for search, the rest as is.

    The index tokenizer (unicode61 + porter) then splits on the spaces, lowercases
    and stems; only Chinese needs our help.
    """
    text = protect_senses(unicodedata.normalize("NFKC", text or ""))
    if _DIGITS.search(text):  # CN105123456A also as 105123456, as queries ask for it
        words = set(WORD.findall(text))
        extra = [digits for digits in extract_numbers(text)[1] if digits not in words]
        text = " ".join((text, *extra))
    if not has_cjk(text):
        return text
    from search.text.cedict import inner_words

    tokens = [token for token in jieba().cut_for_search(text, HMM=False) if not token.isspace()]
    return " ".join((*tokens, *inner_words(tokens)))


def query_terms(text: str) -> list[str]:
    """The plain words of a user query, deduplicated, without stopwords or syntax.

    Chinese runs are cut with jieba's precise mode (the index holds the
    search-mode cut, which contains every precise-mode word).
    """
    terms: list[str] = []
    seen: set[str] = set()
    for run in WORD.findall(protect_senses(normalise(text))):
        pieces: Iterable[str] = (
            resegment(run, list(jieba().cut(run, HMM=False))) if has_cjk(run) else (run,)
        )
        for piece in pieces:
            for word in WORD.findall(piece):
                if word not in STOPWORDS and word not in seen:
                    seen.add(word)
                    terms.append(word)
    return terms


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
    return " ".join(index_token(word) for word in WORD.findall(segmented))


def is_single_han(term: str) -> bool:
    """A lone Chinese character: matched as a prefix of indexed words (锂 finds 锂离子)."""
    return len(term) == 1 and has_cjk(term)


def is_latin(term: str) -> bool:
    """A query term of letters a-z only: the terms that may be matched with typos."""
    return bool(_ASCII_WORD.fullmatch(term))
