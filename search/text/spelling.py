"""Spelling corrections from the index's own vocabulary (SymSpell), on both backends.

A backend hands over its vocabulary: the English words of its titles and summaries
with their document counts; a query word the index does not hold (nor any word of
the same stem) is corrected to the most frequent word within the edit budget of
Elasticsearch's fuzziness AUTO (1 edit up to 5 letters, else 2), the first letter
right. The page then says "did you mean" with the query so corrected.
"""

from __future__ import annotations

import logging
import re
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence

from search.text import cedict
from search.text.tokens import LATIN_WORD, index_token, is_latin, normalise
from search.text.typos import auto_fuzziness

log = logging.getLogger(__name__)

VOCABULARY_TTL = 600.0  # seconds a vocabulary is reused before it is read again
MIN_LETTERS = 3
_WORD = re.compile(r"[a-z]{3,40}")


class Speller:
    """SymSpell over one vocabulary: the English words of the index's titles and summaries."""

    def __init__(self, vocabulary: Mapping[str, int]) -> None:
        from symspellpy import SymSpell

        self.counts = {word: n for word, n in vocabulary.items() if _WORD.fullmatch(word)}
        self.tokens = {index_token(word) for word in self.counts}
        self._symspell = SymSpell(max_dictionary_edit_distance=2, prefix_length=7)
        for word, count in self.counts.items():
            self._symspell.create_dictionary_entry(word, count)

    def correct(self, word: str) -> str | None:
        """The word a misspelt query word stands for; None when it is known or unknown.

        Words, not stems, are compared: desalinaton is one letter from desalination,
        though four from its stem desalin.
        """
        from symspellpy import Verbosity

        if not is_latin(word) or len(word) < MIN_LETTERS:
            return None
        if word in self.counts or index_token(word) in self.tokens:
            return None
        if cedict.to_chinese(word):  # a word of the dictionary (lens), not a typo (lets)
            return None
        budget = auto_fuzziness(word)
        if not budget:
            return None
        for found in self._symspell.lookup(word, Verbosity.CLOSEST, max_edit_distance=budget):
            if found.term[0] == word[0]:
                return str(found.term)
        return None


class SpellerCache:
    """A backend's Speller, read again from its vocabulary every VOCABULARY_TTL seconds.

    Only the first build makes queries wait (one thread builds, the others wait for it).
    A stale speller keeps answering while one background thread builds its successor:
    a build takes seconds on a large index, and every English query with few results
    waited for it behind the lock, ten minutes after ten minutes.
    """

    def __init__(self, load: Callable[[], Mapping[str, int]]) -> None:
        self._load = load
        self._speller: Speller | None = None
        self._since = 0.0
        self._lock = threading.Lock()
        self._refreshing = False
        self._generation = 0  # bumped by forget(): a refresh begun before is thrown away

    def forget(self) -> None:
        """Read the vocabulary again at the next query (the index was emptied or rebuilt)."""
        with self._lock:
            self._speller = None
            self._generation += 1

    def get(self) -> Speller:
        speller = self._speller
        if speller is None:
            with self._lock:
                if self._speller is None:
                    self._speller, self._since = Speller(self._load()), time.monotonic()
                return self._speller
        if time.monotonic() - self._since > VOCABULARY_TTL:
            self._refresh_in_background()
        return speller

    def _refresh_in_background(self) -> None:
        with self._lock:
            if self._refreshing:
                return
            self._refreshing = True
            generation = self._generation
        threading.Thread(
            target=self._refresh, args=(generation,), name="speller-refresh", daemon=True
        ).start()

    def _refresh(self, generation: int) -> None:
        try:
            fresh = Speller(self._load())
            with self._lock:
                if generation == self._generation:
                    self._speller, self._since = fresh, time.monotonic()
        except Exception:
            log.exception("spelling: the vocabulary could not be read again; the old one stays")
            with self._lock:
                self._since = time.monotonic()  # try again after another TTL, not at once
        finally:
            with self._lock:
                self._refreshing = False


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


def vocabulary_words(texts: Iterable[str]) -> Counter[str]:
    """The English words of texts (lowercase, three letters or more), by how many texts hold them."""
    counts: Counter[str] = Counter()
    for text in texts:
        counts.update({w for w in LATIN_WORD.findall(normalise(text)) if _WORD.fullmatch(w)})
    return counts
