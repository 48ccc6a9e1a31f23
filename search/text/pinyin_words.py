"""The Chinese words a pinyin word stands for (wushui -> 污水), from CC-CEDICT's readings.

People without a Chinese input method type pinyin; titles are indexed with their
pinyin (search.text.pinyin), but a listing that says the word only in its summary,
or under a narrower or abbreviated form, is found only when the query also holds
the Chinese word itself. A query word is read as pinyin only when it is no English
word CC-CEDICT knows and spells a dictionary word's toneless reading; the words
jieba finds most frequent come first.
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Iterator
from pathlib import Path

from search.text import cedict
from search.text.cedict import cedict_rows
from search.text.once import once
from search.text.tables import WordTable, cached
from search.text.tokens import CJK, jieba

MAX_WORDS = 2  # the most frequent readings of one pinyin word
RARE_SHARE = 0.2  # a reading less frequent than this share of the first is left out
MIN_CHARS = 4  # shorter pinyin (an, li, mo) is too often something else
CACHE_VERSION = "2023-11-07.3"
_CACHE = Path(tempfile.gettempdir()) / f"marketplace-pinyin-words-{CACHE_VERSION}.marisa"
_TONE = re.compile(r"[1-5]")
_PINYIN = re.compile(r"[a-z]+")


def _readings() -> Iterator[tuple[str, str]]:
    """(toneless pinyin, simplified word) of CC-CEDICT's words of two characters or more.

    Names are left out: their readings are capitalised (Zhang1 San1).
    """
    for words, rest in cedict_rows():
        reading, _, _ = rest.partition("]")
        if len(words) != 2 or len(words[1]) < 2 or not all(CJK.match(c) for c in words[1]):
            continue
        if reading != reading.lower():
            continue
        key = _TONE.sub("", reading.replace("u:", "v")).replace(" ", "")
        if _PINYIN.fullmatch(key):
            yield key, words[1]


def _build() -> dict[str, list[str]]:
    words: dict[str, list[str]] = {}
    for key, word in _readings():
        if word not in words.setdefault(key, []):
            words[key].append(word)
    freq = jieba().FREQ
    table: dict[str, list[str]] = {}
    for key, found in words.items():
        if len(key) < MIN_CHARS:
            continue
        ranked = sorted(found, key=lambda w: -freq.get(w, 0))
        top = freq.get(ranked[0], 0)
        table[key] = [w for w in ranked[:MAX_WORDS] if freq.get(w, 0) >= top * RARE_SHARE]
    return table


def table_file() -> Path:
    """The file the table is kept in (search.text.prebuild looks for it)."""
    return _CACHE


def load_table() -> None:
    """Build the table's file if it is missing and map it, as the first pinyin query
    would (search.text.prebuild's child builds it ahead)."""
    _table()


@once
def _table() -> WordTable:
    """`_build`'s table, kept in a file of the temporary folder between processes, compact
    (search.text.tables)."""
    from search.text import prebuild

    prebuild.wait()  # a child building the file (flask serve): not twice
    return cached(_CACHE, _build)


def hanzi_of(word: str) -> tuple[str, ...]:
    """The Chinese words a lowercase query word spells in pinyin; () if none or English."""
    if len(word) < MIN_CHARS or not _PINYIN.fullmatch(word) or cedict.to_chinese(word):
        return ()
    return tuple(_table().get(word, ()))
