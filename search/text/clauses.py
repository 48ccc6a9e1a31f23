"""Query clauses: the words of a query with compound fallbacks and glossary translations.

A query is an AND of clauses; a clause matches when any of its alternatives
does, an alternative when all of its words do. A Chinese word also matches as
its dictionary sub-words (图像识别 when a listing holds 图像 and 识别, since the
index holds what `cut_for_search` makes of the listing), and a word or phrase of
the glossary (search.text.glossary) also matches as its translation, at
TRANSLATION_WEIGHT: a listing in the language of the query ranks first. A run of lone
characters jieba cut a word into (锂 硫 电池) is also a phrase, of words separated by
spaces, on the clause of the word beside it: never required, it ranks the listing that
holds the characters together first (search.text.compounds.lone_phrases).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass

from search.text import cedict
from search.text.compounds import compound_parts, jieba_pieces, lone_phrases, loose_parts
from search.text.english_forms import american, singular
from search.text.expansions import ABBREVIATIONS, ACRONYMS, FILLER, NARROWER, SPELLED_OUT
from search.text.glossary import PAIRS
from search.text.numbers import extract_numbers
from search.text.once import once
from search.text.pinyin_words import hanzi_of
from search.text.tokens import LATIN_WORD, fold_traditional, has_cjk, normalise, query_terms

TRANSLATION_WEIGHT = 0.3
DICTIONARY_WEIGHT = 0.4  # CC-CEDICT's, where our glossary has none: below the word
ABBREVIATION_WEIGHT = 0.9
CORRECTION_WEIGHT = 0.8  # a typo's correction: below the word as typed would score
LOOSE_WEIGHT = 0.6  # a Chinese word as its sub-words and leading characters (widened only)
NARROWER_WEIGHT = 0.5
PINYIN_WEIGHT = 0.8  # the Chinese word a pinyin word spells (it may mean another)
_GLOSSARY_SPAN = 4  # the longest run of query words looked up in the glossary
_MAX_ALTERNATIVES = 16  # per clause, so a long phrase cannot blow up the query
# Analysed queries remembered per process (query text, wide, corrections): the tables are
# static, so a query's clauses never change; a long sentence costs ~4 ms to analyse.
ANALYSIS_CACHE = 4096


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


def _word_options(word: str) -> list[tuple[str, ...]]:
    parts = compound_parts(word) or jieba_pieces(word)
    return [(word,), parts] if parts else [(word,)]


def _alternatives(words: Sequence[str], weight: float) -> list[Alternative]:
    """Words as alternatives: as they are, and with compound words as their sub-words."""
    combos: list[tuple[str, ...]] = [()]
    for word in words:
        combos = [c + option for c in combos for option in _word_options(word)]
        combos = combos[:_MAX_ALTERNATIVES]
    return [Alternative(tuple(dict.fromkeys(c)), weight) for c in combos]


def _glossary_key(words: Sequence[str]) -> str | None:
    """How a run of query words is looked up: Chinese joined, English singular and spaced.

    Not stemmed: separation and separator are different words with different translations.
    """
    if all(has_cjk(w) for w in words):
        return "".join(words)
    if all(LATIN_WORD.fullmatch(w) for w in words):
        return " ".join(singular(w) for w in words)
    return None


@once
def _glossary() -> dict[str, tuple[tuple[str, ...], ...]]:
    """Glossary keys to the query words of their translations (both directions)."""
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


def _narrower(word: str) -> list[tuple[str, float]]:
    """A class word's members, and their members one level down (藻类 -> 海藻 -> 海带)."""
    found: dict[str, float] = {}
    for member in NARROWER.get(word, ()):
        found.setdefault(member, NARROWER_WEIGHT)
    for member in list(found):
        for grandchild in NARROWER.get(member, ()):
            if grandchild != word:
                found.setdefault(grandchild, NARROWER_WEIGHT * NARROWER_WEIGHT)
    return list(found.items())


def _stand_ins(word: str, wide: bool) -> list[Alternative]:
    """What else one query word matches: abbreviations, acronyms, narrower terms, loose parts;
    and the glossary's translations of those (光伏 -> 太阳能电池 -> solar cell), weighed less."""
    found: list[Alternative] = []
    expansions = [
        *((e, ABBREVIATION_WEIGHT) for e in ABBREVIATIONS.get(word, ())),
        *((e, ABBREVIATION_WEIGHT) for e in ACRONYMS.get(word, ())),
        *((e, ABBREVIATION_WEIGHT) for e in (SPELLED_OUT.get(word, ()) if has_cjk(word) else ())),
        *_narrower(word),
    ]
    for expansion, weight in expansions:
        if words := tuple(query_terms(expansion)):
            found += _alternatives(words, weight)
            for translated in translations(words):
                found += _alternatives(translated, weight * TRANSLATION_WEIGHT)
    if wide and (parts := loose_parts(word)):
        found.append(Alternative(parts, LOOSE_WEIGHT))
    return found


def _pinyin(word: str, wide: bool) -> list[Alternative]:
    """The Chinese words a pinyin word spells, and their stand-ins, weighed less."""
    found: list[Alternative] = []
    for zh in hanzi_of(word):
        found.append(Alternative((zh,), PINYIN_WEIGHT))
        found += [
            Alternative(words, PINYIN_WEIGHT * TRANSLATION_WEIGHT)
            for words in translations(query_terms(zh))
        ]
        found += [
            Alternative(alt.words, alt.weight * PINYIN_WEIGHT) for alt in _stand_ins(zh, wide)
        ]
    return found


def _members(translated: Alternative) -> list[Alternative]:
    """The narrower terms of a translation (heavy metal -> 重金属 -> 镉, 铅), weighed less."""
    if len(translated.words) != 1:
        return []
    weight = translated.weight * NARROWER_WEIGHT
    return [
        Alternative(words, weight)
        for member in NARROWER.get(translated.words[0], ())
        if (words := tuple(query_terms(member)))
    ]


def _dictionary(word: str) -> list[Alternative]:
    """CC-CEDICT's translations of one word, as alternatives of low weight."""
    if has_cjk(word):  # a lone 汉字 has too many senses to translate
        targets: tuple[str, ...] = cedict.to_english(word) if len(word) > 1 else ()
        targets = targets or cedict.compose_english(word)
    elif LATIN_WORD.fullmatch(word):
        targets = cedict.to_chinese(word)
    else:
        targets = ()
    return [
        Alternative(words, DICTIONARY_WEIGHT)
        for target in targets
        if (words := tuple(query_terms(target)))
    ]


def _table_span(terms: Sequence[str], i: int) -> tuple[str, ...]:
    """The longest run of Chinese words from terms[i] that our tables know as one word
    (质子 交换 膜 -> 质子交换膜, spelled out as PEM); () if none."""
    for end in range(min(len(terms), i + _GLOSSARY_SPAN), i + 1, -1):
        run = terms[i:end]
        if all(has_cjk(w) for w in run) and "".join(run) in _TABLE_WORDS:
            return tuple(run)
    return ()


_TABLE_WORDS = frozenset((*ABBREVIATIONS, *SPELLED_OUT, *NARROWER))


def _longest_translated(terms: Sequence[str], i: int) -> tuple[int, list[Alternative]]:
    """The longest run of words from terms[i] our glossary translates, and its translations;
    (1, []) if none."""
    for end in range(min(len(terms), i + _GLOSSARY_SPAN), i, -1):
        if found := translations(terms[i:end]):
            return end - i, [Alternative(words, TRANSLATION_WEIGHT) for words in found]
    return 1, []


def _dictionary_phrase(terms: Sequence[str], i: int) -> tuple[int, list[Alternative]]:
    """The longest run of English words from terms[i] that CC-CEDICT translates as one
    (heavy metal -> 重金属), and its translations; (1, []) if none."""
    for end in range(min(len(terms), i + _GLOSSARY_SPAN), i + 1, -1):
        run = terms[i:end]
        if all(LATIN_WORD.fullmatch(w) for w in run):
            alternatives = [
                Alternative(words, DICTIONARY_WEIGHT)
                for target in cedict.to_chinese(" ".join(run))
                if (words := tuple(query_terms(target)))
            ]
            if alternatives:
                return end - i, alternatives
    return 1, []


_CODE = re.compile(r"(?<![\w-])([a-z]+)-([a-z0-9]{1,2})(?![\w-])")


def _codes(text: str) -> set[tuple[str, str]]:
    """The hyphenated codes of a query (CAR-T, PD-1, IL-6): one term, never two words."""
    return {(m[1], m[2]) for m in _CODE.finditer(normalise(text))}


def _code_clause(pair: tuple[str, str], wide: bool) -> Clause:
    """A code as one clause: both its parts, or what our tables expand it to; its
    parts are not translated on their own (CAR in CAR-T is no 汽车)."""
    alternatives = [Alternative(pair)]
    for key in dict.fromkeys(("-".join(pair), "".join(pair))):
        alternatives += _stand_ins(key, wide)
    unique: dict[tuple[str, ...], Alternative] = {}
    for alternative in alternatives:
        unique.setdefault(alternative.words, alternative)
    return Clause(tuple(unique.values())[:_MAX_ALTERNATIVES])


def required_terms(text: str) -> tuple[list[str], list[str]]:
    """(the words a query requires, the digits of its patent numbers).

    Traditional Chinese is folded to simplified; filler words (一种, 方法, "method
    for") are dropped unless the query has nothing else.
    """
    terms, numbers = _required_terms(text)
    return list(terms), list(numbers)


@functools.lru_cache(maxsize=ANALYSIS_CACHE)
def _required_terms(text: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    rest, numbers = extract_numbers(fold_traditional(text))
    terms = query_terms(rest)
    required = [t for t in terms if t not in FILLER]
    return tuple(required if required or numbers else terms), tuple(numbers)


def query_clauses(
    text: str, *, wide: bool = False, corrections: dict[str, str] | None = None
) -> list[Clause]:
    """A user query as required clauses, with compound fallbacks and translations.

    The longest run of words found in the glossary becomes one clause (固态 电池
    -> also "solid state battery"); other words are clauses of their own, with
    their stand-ins (search.text.expansions) and, failing the glossary, CC-CEDICT's
    translations. `wide` adds looser stand-ins (the query is being widened);
    `corrections` maps a word as typed to its spelling correction.
    """
    fixed = tuple(sorted(corrections.items())) if corrections else ()
    return list(_query_clauses(text, wide, fixed))


@functools.lru_cache(maxsize=ANALYSIS_CACHE)
def _query_clauses(
    text: str, wide: bool, fixed_words: tuple[tuple[str, str], ...]
) -> tuple[Clause, ...]:
    """query_clauses, remembered (clauses are immutable; callers get a list of their own)."""
    corrections = dict(fixed_words)
    terms, numbers = required_terms(text)
    codes = _codes(text)
    phrases = lone_phrases(terms)
    clauses: list[Clause] = []
    phrase_end, phrase = 0, list[Alternative]()
    i = 0
    while i < len(terms):
        if i >= phrase_end:
            span, found = _dictionary_phrase(terms, i)
            phrase_end, phrase = (i + span, found) if found else (0, [])
        if (pair := tuple(terms[i : i + 2])) in codes:
            clauses.append(_code_clause(pair, wide))
            i += 2
            continue
        span, found = _longest_translated(terms, i)
        if span > 1 and i < phrase_end:  # our glossary's phrase overlaps CC-CEDICT's
            phrase_end, phrase = 0, []
        if span == 1 and i < phrase_end:
            # Each word of CC-CEDICT's phrase a clause of its own, with its own translations
            # and the phrase's: a listing holding the phrase's translation matches them all;
            # a widened query finds one holding the translation of a part (制动 of
            # regenerative braking -> 再生制动).
            alternatives = [*_alternatives(terms[i : i + 1], 1.0), *_dictionary(terms[i])]
            found = phrase
        elif span == 1 and (joined := _table_span(terms, i)):
            span, word = len(joined), "".join(joined)
            alternatives = [
                *_alternatives(joined, 1.0),
                *_stand_ins(word, wide),
                *_dictionary(word),
            ]
        else:
            alternatives = _alternatives(terms[i : i + span], 1.0)
        if span == 1:
            word = terms[i]
            if corrections and word in corrections:
                fixed = tuple(query_terms(corrections[word]))  # separator -> its sense token
                alternatives.append(Alternative(fixed, CORRECTION_WEIGHT))
            alternatives += _stand_ins(word, wide)
            if not has_cjk(word):
                if (spelt := american(word)) != word:  # fibre: also fiber, as typed
                    alternatives.append(Alternative((spelt,)))
                alternatives += _pinyin(word, wide)
            if not found:
                alternatives += _dictionary(corrections.get(word, word) if corrections else word)
        for translated in found:
            alternatives += _alternatives(translated.words, translated.weight)
            alternatives += _members(translated)
        alternatives += [Alternative((phrases[k],)) for k in range(i, i + span) if k in phrases]
        clauses.append(_clause_of(alternatives))
        i += span
    if wide and len(clauses) == 1:
        clauses += _pieces_of(clauses[0])
    clauses += [Clause((Alternative((digits,)),)) for digits in numbers]
    return tuple(clauses)


def _pieces_of(clause: Clause) -> list[Clause]:
    """A one-clause query widened: also each word of it as jieba cuts it (知识 and 图谱 of
    知识图谱, 凝胶 of 水凝胶), so documents holding part of it follow those holding all."""
    typed = clause.alternatives[0].words
    pieces = typed if len(typed) > 1 else jieba_pieces(typed[0])
    if not all(has_cjk(piece) for piece in pieces):  # CAR-T is no car
        return []
    return [Clause((Alternative((piece,), LOOSE_WEIGHT),)) for piece in pieces]


def _clause_of(alternatives: Sequence[Alternative]) -> Clause:
    """A clause of the alternatives: each set of words once, at its highest weight; the
    words as typed first, then the heaviest stand-ins, up to _MAX_ALTERNATIVES."""
    unique: dict[tuple[str, ...], Alternative] = {}
    for alternative in alternatives:
        known = unique.get(alternative.words)
        if known is None or (known.weight < alternative.weight and known is not alternatives[0]):
            unique[alternative.words] = alternative
    typed, *rest = unique.values()
    rest.sort(key=lambda alternative: -alternative.weight)
    return Clause((typed, *rest)[:_MAX_ALTERNATIVES])


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
