"""jieba's segmentation over a compact dictionary: a MARISA trie in a file, mapped, not parsed.

jieba keeps its dictionary as a dict of every word and every prefix of a word: 580,000
str keys, about 60 MB in every process that cuts Chinese. `Segmenter` cuts as jieba
does without its HMM (`cut(HMM=False)`, `cut_for_search`, `tokenize`, the only modes
the search uses), over the same dictionary, with our domain words added as
`search.text.tokens` adds them, held as:

- a MARISA trie of the words whose frequency is not zero (what jieba's DAG keeps;
  jieba's prefix entries are the trie's own paths), and
- their frequencies, an array indexed by the trie's key ids,

both files of the temporary folder, mapped read-only: a few MB shared by every
process of the machine. Where the temporary folder cannot hold them (none is writable),
each process keeps its own copy in memory (about 4 MB) and the log says so. Each (word, frequency) and the total are jieba's own, and
the route is computed with the same arithmetic, so every cut is jieba's (checked in
tests/unit/search/test_dictionary.py). The files are built once, by jieba itself, in
a process of their own (`python -m search.text.dictionary PATH`), so a server never
holds jieba's dict.
"""

from __future__ import annotations

import hashlib
import logging
import mmap
import os
import re
import subprocess
import sys
import tempfile
from array import array
from collections.abc import Iterator, Sequence
from importlib.metadata import version
from math import log
from pathlib import Path
from typing import BinaryIO

import marisa_trie

logger = logging.getLogger(__name__)

FORMAT_VERSION = "1"
ROOT = Path(__file__).resolve().parents[2]

# jieba 0.42's own patterns (jieba/__init__.py): what is cut, what is a space, what is Latin.
_RE_HAN = re.compile("([\u4e00-\u9fd5a-zA-Z0-9+#&\\._%\\-]+)", re.U)
_RE_SKIP = re.compile("(\r\n|\\s)", re.U)
_RE_ENG = re.compile("[a-zA-Z0-9]", re.U)


class Frequencies:
    """The dictionary read as jieba's `FREQ`: a word's frequency, 0 for a prefix of a word."""

    def __init__(self, trie: marisa_trie.Trie, counts: memoryview) -> None:
        self._trie = trie
        self._counts = counts

    def get(self, word: str, default: int = 0) -> int:
        found = self._trie.get(word)
        if found is not None:
            return int(self._counts[found + 2])
        return 0 if word in self else default

    def __contains__(self, word: object) -> bool:
        return isinstance(word, str) and next(self._trie.iterkeys(word), None) is not None

    def __getitem__(self, word: str) -> int:
        if word not in self:
            raise KeyError(word)
        return self.get(word)

    def __len__(self) -> int:
        return len(self._trie)


class Segmenter:
    """jieba's `Tokenizer` without HMM, over the trie and frequencies of `load`."""

    def __init__(self, trie: marisa_trie.Trie, counts: memoryview) -> None:
        self._trie = trie
        self._counts = counts  # [total, longest word, frequency of key id 0, of id 1, ...]
        self.total = int(counts[0])
        self._longest = int(counts[1])
        self._logtotal = log(self.total)
        self.FREQ = Frequencies(trie, counts)

    def _route(self, sentence: str) -> list[tuple[float, int]]:
        """jieba's get_DAG and calc in one: for each start, the best (log probability, end).

        The same sums in the same order as jieba's calc, so the same floats and the same
        ties (broken by the longer word)."""
        size = len(sentence)
        route: list[tuple[float, int]] = [(0.0, 0)] * (size + 1)
        counts, logtotal, longest = self._counts, self._logtotal, self._longest
        words_at = self._trie.iter_prefixes_with_ids
        for idx in range(size - 1, -1, -1):
            best = None
            for word, key in words_at(sentence[idx : idx + longest]):
                end = idx + len(word)
                found = (log(counts[key + 2]) - logtotal + route[end][0], end - 1)
                if best is None or found > best:
                    best = found
            # No word starts here: the character alone, at jieba's frequency 1 (log 1 = 0).
            route[idx] = best or (log(1) - logtotal + route[idx + 1][0], idx)
        return route

    def _cut_block(self, sentence: str) -> Iterator[str]:
        """jieba's __cut_DAG_NO_HMM: the best route, single Latin characters joined."""
        route = self._route(sentence)
        x, size, buf = 0, len(sentence), ""
        while x < size:
            y = route[x][1] + 1
            word = sentence[x:y]
            if _RE_ENG.match(word) and len(word) == 1:
                buf += word
            else:
                if buf:
                    yield buf
                    buf = ""
                yield word
            x = y
        if buf:
            yield buf

    def cut(self, sentence: str, HMM: bool = False) -> Iterator[str]:
        """jieba's precise mode (`cut(sentence, HMM=False)`)."""
        if HMM:
            raise ValueError("Segmenter cuts without jieba's HMM only")
        for block in _RE_HAN.split(sentence):
            if not block:
                continue
            if _RE_HAN.match(block):
                yield from self._cut_block(block)
            else:
                for part in _RE_SKIP.split(block):
                    if _RE_SKIP.match(part):
                        yield part
                    else:
                        yield from part

    def cut_for_search(self, sentence: str, HMM: bool = False) -> Iterator[str]:
        """jieba's search mode: each word's dictionary bigrams and trigrams, then the word."""
        for word, _, _ in self.tokenize(sentence, mode="search", HMM=HMM):
            yield word

    def tokenize(
        self,
        sentence: str,
        mode: str = "default",
        HMM: bool = False,
    ) -> Iterator[tuple[str, int, int]]:
        """jieba's tokenize: (word, start, end); mode "search" adds the sub-words first."""
        trie = self._trie
        start = 0
        for word in self.cut(sentence, HMM=HMM):
            width = len(word)
            if mode != "default":
                if width > 2:
                    for i in range(width - 1):
                        if word[i : i + 2] in trie:
                            yield word[i : i + 2], start + i, start + i + 2
                if width > 3:
                    for i in range(width - 2):
                        if word[i : i + 3] in trie:
                            yield word[i : i + 3], start + i, start + i + 3
            yield word, start, start + width
            start += width

    def lcut(self, sentence: str, HMM: bool = False) -> list[str]:
        return list(self.cut(sentence, HMM=HMM))


# --- the files ---------------------------------------------------------------------------------


def cache_path(domain_words: Sequence[str]) -> Path:
    """Where the files of this jieba dictionary plus these domain words are kept."""
    digest = hashlib.sha256(
        "\n".join([FORMAT_VERSION, version("jieba"), *domain_words]).encode()
    ).hexdigest()[:16]
    return Path(tempfile.gettempdir()) / f"marketplace-jieba-{digest}"


def table_files(domain_words: Sequence[str]) -> tuple[Path, Path]:
    """The trie and the counts file of this dictionary (search.text.prebuild looks for them)."""
    return _files(cache_path(domain_words))


def _files(path: Path) -> tuple[Path, Path]:
    return path.with_suffix(".marisa"), path.with_suffix(".counts")


def load(domain_words: Sequence[str]) -> Segmenter:
    """The Segmenter of jieba's dictionary with `domain_words` added; built the first time.

    Kept in files of the temporary folder; in this process's memory, with a warning,
    when that folder cannot hold them (search must start all the same).
    """
    try:
        return _load_files(cache_path(domain_words))
    except (OSError, subprocess.CalledProcessError) as error:
        logger.warning(
            "search: jieba's dictionary cannot be kept in the temporary folder (%s); this "
            "process keeps its own copy in memory. Give TMPDIR a writable folder to share it.",
            _reason(error),
        )
        return _load_in_memory()


def _reason(error: Exception) -> str:
    if isinstance(error, subprocess.CalledProcessError) and error.stderr:
        lines = error.stderr.decode(errors="replace").strip().splitlines()
        return lines[-1] if lines else str(error)
    return str(error)


def _load_files(path: Path) -> Segmenter:
    trie_file, counts_file = _files(path)
    if not (trie_file.exists() and counts_file.exists()):
        probe = Path(f"{path}.{os.getpid()}.probe")
        probe.touch()  # an unwritable folder fails now, not after seconds of building
        probe.unlink()
        build_in_subprocess(path)
    trie = marisa_trie.Trie()
    trie.mmap(str(trie_file))
    with counts_file.open("rb") as handle:
        mapped = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
    return Segmenter(trie, memoryview(mapped).cast("q"))


def _load_in_memory() -> Segmenter:
    """The dictionary built by a process of its own and handed over on its standard output."""
    data = _run_builder("-").stdout
    size = int.from_bytes(data[:8], "little")
    trie = marisa_trie.Trie()
    trie.frombytes(data[8 : 8 + size])
    return Segmenter(trie, memoryview(bytes(data[8 + size :])).cast("q"))


def build_in_subprocess(path: Path) -> None:
    """Run `build` in a Python of its own: jieba's 60 MB dict never enters this process."""
    _run_builder(str(path))


def _run_builder(target: str) -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), *sys.path])}
    return subprocess.run(
        [sys.executable, "-m", "search.text.dictionary", target],
        cwd=ROOT,
        env=env,
        check=True,
        stdout=subprocess.PIPE if target == "-" else None,
        stderr=subprocess.PIPE,
    )


def _tables() -> tuple[marisa_trie.Trie, array[int]]:
    """jieba's dictionary with our domain words added (as tokens.add_domain_words adds them):
    the trie of its words and their counts ([total, longest word, frequency by key id...])."""
    import jieba

    from search.text.tokens import add_domain_words, domain_words

    jieba.setLogLevel(60)
    tokenizer = jieba.Tokenizer()
    try:
        tempfile.gettempdir()
    except FileNotFoundError:  # no temporary folder: jieba parses its dict without its cache
        tokenizer.tmp_dir = os.devnull
    tokenizer.initialize()
    add_domain_words(tokenizer, domain_words())
    words = [word for word, count in tokenizer.FREQ.items() if count]
    trie = marisa_trie.Trie(words)
    counts = array("q", [0]) * (len(trie) + 2)
    counts[0], counts[1] = tokenizer.total, max(len(word) for word in words)
    for word in words:
        counts[trie[word] + 2] = tokenizer.FREQ[word]
    return trie, counts


def build(path: Path) -> None:
    """The dictionary written as `path`.marisa and `path`.counts (atomically: readers
    never see half a file)."""
    trie, counts = _tables()
    suffix = f".{os.getpid()}.tmp"
    trie.save(str(path) + ".marisa" + suffix)
    with open(str(path) + ".counts" + suffix, "wb") as out:
        counts.tofile(out)
    for kind in (".marisa", ".counts"):
        os.replace(str(path) + kind + suffix, str(path) + kind)


def dump(out: BinaryIO) -> None:
    """The dictionary written to `out`: the trie's size in 8 bytes, the trie, the counts."""
    trie, counts = _tables()
    data = trie.tobytes()
    out.write(len(data).to_bytes(8, "little"))
    out.write(data)
    counts.tofile(out)
    out.flush()


if __name__ == "__main__":
    if sys.argv[1] == "-":
        dump(sys.stdout.buffer)
    else:
        build(Path(sys.argv[1]))
