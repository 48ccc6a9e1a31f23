"""English word formation, for looking English words up in CC-CEDICT: a word's singular,
the forms it may have as a gloss, and the scientific prefixes written with a Chinese word
of their own. Pure rules: no tables.
"""

from __future__ import annotations

import re
from collections.abc import Iterator


def singular(word: str) -> str:
    """An English word's singular surface form (batteries -> battery), not its stem."""
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def lemmas(word: str) -> Iterator[str]:
    """The forms an English word may have as a gloss: itself, singular, and without the
    ending of a verb form, a noun of action or an adjective (drying -> dry, cooled -> cool,
    fermentation -> ferment, sterilization -> sterilize, cultivation -> cultivate,
    stratospheric -> stratosphere, biological -> biology, degradable -> degrade); then
    the same of its American spelling (fibre -> fiber, sulphur -> sulfur), as CC-CEDICT
    glosses."""
    yield from _forms(word)
    if (us := american(word)) != word:
        yield from _forms(us)


# British spellings and their American forms, as rules of spelling (not words).
_AMERICAN = tuple(
    (re.compile(pattern), replacement)
    for pattern, replacement in (
        (r"^aluminium", "aluminum"),
        (r"sulph", "sulf"),
        (r"^(an)?ae(?=m|s)", r"\1e"),
        (r"^hae", "he"),
        (r"^oe(?=s|d)", "e"),
        (r"^paed", "ped"),
        (r"^foet", "fet"),
        (r"(?<=[a-z]{2})our(s|ed|ing|ful|less)?$", r"or\1"),
        (r"(?<=[a-z]{2}[bt])re(s|d)?$", r"er\1"),
        (r"(?<=[a-z])ys(e|es|ed|ing|er|ers)$", r"yz\1"),
        (r"(?<=[a-z]{3})is(e|es|ed|ing|er|ers|ation|ations)$", r"iz\1"),
        (r"^([a-z]*[aeiou][^aeiou]+[aeiou])ll(ing|ed|er|ers)$", r"\1l\2"),  # not spilled
        (r"(?<=[a-z]{3})ogue(s)?$", r"og\1"),
        (r"mould", "mold"),
        (r"^tyre", "tire"),
        (r"^grey", "gray"),
        (r"^programme", "program"),
        (r"^ageing$", "aging"),
    )
)


def american(word: str) -> str:
    """An English word in American spelling (colour -> color, analyse -> analyze,
    optimisation -> optimization, modelling -> modeling); the word if it has none."""
    for pattern, replacement in _AMERICAN:
        word = pattern.sub(replacement, word)
    return word


def _forms(word: str) -> Iterator[str]:
    yield singular(word)
    for ending, replacements in _ENDINGS:
        stem = word[: -len(ending)]
        if word.endswith(ending) and len(stem) >= 3:
            yield from (stem + r for r in replacements)
            if len(stem) > 3 and stem[-1] == stem[-2] and stem[-1] not in "lsz":
                yield stem[:-1]  # stopped -> stop, but not spilled -> spil
            return


_ENDINGS = (
    ("ization", ("ize",)),
    ("isation", ("ise", "ize")),
    ("ation", ("", "ate", "e")),
    ("ative", ("ate", "e", "")),
    ("ive", ("e", "")),
    ("ion", ("", "e")),
    ("ying", ("y",)),
    ("ing", ("", "e")),
    ("ied", ("y",)),
    ("ed", ("", "e")),
    ("ical", ("ic", "y", "")),
    ("ic", ("e", "y", "")),
    ("ous", ("", "e", "y")),
    ("able", ("", "e")),
    ("ment", ("",)),
    ("al", ("", "e")),
)


# Prefixes of scientific English and the Chinese they are written with (general word
# formation: nanocellulose = 纳米 + 纤维素, microplastic = 微 + 塑料), for English words
# CC-CEDICT lacks. Longest first where one starts another.
PREFIXES: tuple[tuple[str, str], ...] = (
    ("nano", "纳米"),
    ("micro", "微"),
    ("bio", "生物"),
    ("phyto", "植物"),
    ("poly", "聚"),
    ("photo", "光"),
    ("electro", "电"),
    ("thermo", "热"),
    ("magneto", "磁"),
    ("multi", "多"),
    ("ultra", "超"),
    ("super", "超"),
    ("semi", "半"),
    ("self", "自"),
    ("anti", "抗"),
    ("non", "非"),
    ("pre", "预"),
    ("mono", "单"),
    ("hexa", "六"),
    ("penta", "五"),
    ("tetra", "四"),
    ("tri", "三"),
    ("fluoro", "氟"),
    ("chloro", "氯"),
    ("immuno", "免疫"),
    ("neuro", "神经"),
    ("eco", "生态"),
    ("agro", "农业"),
    ("aero", "航空"),
    ("hetero", "异质"),
)
MIN_REST = 4  # letters after the prefix (a shorter rest is rarely a word of its own)


def split_prefix(word: str) -> tuple[str, str] | None:
    """A scientific prefix of `word`, in Chinese, and the rest of the word (nanocellulose ->
    纳米, cellulose); None when it starts with none or the rest is too short to be a word."""
    for prefix, chinese in PREFIXES:
        rest = word.removeprefix(prefix).removeprefix("-")
        if rest != word and len(rest) >= MIN_REST:
            return chinese, rest
    return None
