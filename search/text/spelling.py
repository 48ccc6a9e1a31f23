"""Spelling corrections from the index's own vocabulary (SymSpell), on both backends.

A backend hands over its vocabulary of English tokens (as indexed: Porter stems)
with their document counts; a query word whose token the index does not hold is
corrected to the most frequent token within the edit budget of Elasticsearch's
fuzziness AUTO (1 edit up to 5 letters, else 2), the first letter right.
The page then says "did you mean": the correction written as the listing found
writes it (`surface_form`), not as a stem.
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable, Iterable, Mapping, Sequence

from search.text.porter import porter_stem
from search.text.tokens import LATIN_WORD, index_token, is_latin, normalise, protect_senses
from search.text.typos import auto_fuzziness

VOCABULARY_TTL = 600.0  # seconds a vocabulary is reused before it is read again
MIN_LETTERS = 3
_TOKEN = re.compile(r"[a-z]{3,40}0?")  # 0: a sense token (search.text.tokens.SENSES)


class Speller:
    """SymSpell over one vocabulary of indexed tokens."""

    def __init__(self, vocabulary: Mapping[str, int]) -> None:
        from symspellpy import SymSpell

        self.counts = {
            token: count
            for token, count in vocabulary.items()
            if _TOKEN.fullmatch(token) and porter_stem(token) == token
        }
        self._symspell = SymSpell(max_dictionary_edit_distance=2, prefix_length=7)
        for token, count in self.counts.items():
            self._symspell.create_dictionary_entry(token, count)

    def correct(self, word: str) -> str | None:
        """The token a misspelt query word stands for; None when it is known or unknown."""
        from symspellpy import Verbosity

        token = index_token(word)
        if not is_latin(word) or len(token) < MIN_LETTERS or token in self.counts:
            return None
        best: tuple[int, int, str] | None = None
        for typed in dict.fromkeys((token, word)):  # the stem, and the word (sense tokens)
            budget = auto_fuzziness(typed)
            if not budget:
                continue
            for found in self._symspell.lookup(typed, Verbosity.CLOSEST, max_edit_distance=budget):
                candidate = (found.distance, -found.count, str(found.term))
                if found.term[0] == typed[0] and (best is None or candidate < best):
                    best = candidate
        return best[2] if best else None


class SpellerCache:
    """A backend's Speller, rebuilt from its vocabulary at most every VOCABULARY_TTL seconds."""

    def __init__(self, load: Callable[[], Mapping[str, int]]) -> None:
        self._load = load
        self._speller: Speller | None = None
        self._since = 0.0
        self._lock = threading.Lock()

    def get(self) -> Speller:
        with self._lock:
            moment = time.monotonic()
            if self._speller is None or moment - self._since > VOCABULARY_TTL:
                self._speller = Speller(self._load())
                self._since = moment
            return self._speller


def corrections(speller: Speller, words: Iterable[str]) -> dict[str, str]:
    """Each misspelt word of a query and its correction (as an indexed token)."""
    found: dict[str, str] = {}
    for word in words:
        if (fixed := speller.correct(word)) is not None:
            found[word] = fixed
    return found


def surface_form(token: str, texts: Sequence[str]) -> str:
    """A word of `texts` indexed as `token` (battery for batteri); the token if none is."""
    for text in texts:
        for word in LATIN_WORD.findall(normalise(text)):
            if index_token(word) == token:
                return word
    return token


def did_you_mean(text: str, fixed: Mapping[str, str], texts: Sequence[str]) -> str:
    """The query as typed with its misspelt words replaced (what "did you mean" shows)."""
    result = text
    for word, token in fixed.items():
        result = re.sub(
            rf"\b{re.escape(word)}\b", surface_form(token, texts), result, flags=re.IGNORECASE
        )
    return result


def vocabulary_tokens(text: str) -> list[str]:
    """The distinct English tokens of a text as indexed (an Elasticsearch keyword field)."""
    tokens = (index_token(w) for w in LATIN_WORD.findall(normalise(protect_senses(text))))
    return sorted({t for t in tokens if _TOKEN.fullmatch(t)})
