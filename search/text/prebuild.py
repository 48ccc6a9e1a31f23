"""Search's word tables built by a child process while this one does other work.

jieba's dictionary, CC-CEDICT's tables and the pinyin words are built the first time a
machine needs them (search.text.dictionary, cedict, pinyin_words) and kept in files of
the temporary folder: about 5 s of CPU on a new checkout, where `make run` then spent
them indexing the demo market, after loading it. `flask serve` (marketplace.devserver)
starts their building in a forked child before it migrates and loads the demo (which
need no table), so both cores work; the first use of a table in this process waits for
the child (`wait`), then maps the files it wrote. Without the child (it failed, or was
never started) a table is built where it is first needed, as before.
"""

from __future__ import annotations

import contextlib
import os
import threading
from pathlib import Path

from core import forked

_building: tuple[int, int] | None = None  # (the child's pid, the pid of the process that forked it)
_waiting = threading.Lock()


def table_files() -> list[Path]:
    """The files the tables are kept in (some of them, enough to know they were built)."""
    from search.text import cedict, dictionary, pinyin_words, tokens

    return [
        *dictionary.table_files(tokens.domain_words()),
        *cedict.table_files(),
        pinyin_words.table_file(),
    ]


def start() -> bool:
    """Fork a child that builds the tables missing from the temporary folder; whether one
    was started. Call it before this process opens connections or starts threads."""
    global _building
    if _building is not None or all(path.exists() for path in table_files()):
        return False
    pid = forked.fork(_build_all)
    _building = (pid, os.getpid())
    return True


def _build_all() -> None:
    from search.text import cedict, pinyin_words, tokens

    tokens.jieba()
    cedict.load_tables()
    pinyin_words.load_table()


def wait() -> None:
    """Return once the child building the tables (if this process started one) is done."""
    global _building
    with _waiting:  # the server's threads wait for the child too; none reaps it twice
        if _building is not None and _building[1] == os.getpid():  # not in a process
            with contextlib.suppress(ChildProcessError):  # forked since (not its child)
                os.waitpid(_building[0], 0)
        _building = None
