"""Tables of a word to words (CC-CEDICT's translations, pinyin's Chinese words), kept compact.

Built once from their source (seconds), they are kept as MARISA tries in files of the
temporary folder and mapped read-only: a few MB shared by every process of the machine
instead of some 30 MB of Python dicts of str in each (as they were, read from JSON).
"""

from __future__ import annotations

import contextlib
import logging
import os
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path

import marisa_trie

logger = logging.getLogger(__name__)

_SEPARATOR = "\x1f"  # in no word and no English gloss


class WordTable:
    """A read-only mapping of a word to a tuple of words."""

    def __init__(self, trie: marisa_trie.BytesTrie) -> None:
        self._trie = trie

    def get(self, key: str, default: tuple[str, ...] = ()) -> tuple[str, ...]:
        found = self._trie.get(key)
        if not found:
            return default
        value = found[0].decode("utf-8")
        return tuple(value.split(_SEPARATOR)) if value else ()

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and key in self._trie

    def __len__(self) -> int:
        return len(self._trie)


def cached(path: Path, build: Callable[[], Mapping[str, Iterable[str]]]) -> WordTable:
    """The table in file `path`, made by `build` the first time (atomically: another
    process never maps half a file)."""
    if not path.exists():
        table = build()
        trie = marisa_trie.BytesTrie(
            (key, _SEPARATOR.join(words).encode("utf-8")) for key, words in table.items()
        )
        partial = path.with_suffix(f".{os.getpid()}.tmp")
        try:
            trie.save(str(partial))
            partial.replace(path)
        except OSError as error:  # no writable temporary folder: this process keeps its own
            logger.warning(
                "search: %s cannot be kept in the temporary folder (%s); this process keeps "
                "its own copy in memory.",
                path.name,
                error,
            )
            with contextlib.suppress(OSError):
                partial.unlink()
            return WordTable(trie)
    trie = marisa_trie.BytesTrie()
    trie.mmap(str(path))
    return WordTable(trie)
