"""Search starts where the temporary folder cannot hold its tables: each process keeps its own.

A file stands where the folder should be, so writing fails even for root.
"""

from __future__ import annotations

import logging
import tempfile

import pytest

from search.text import dictionary
from search.text.tables import cached
from search.text.tokens import domain_words, jieba
from tests.unit.search.test_dictionary import AWKWARD


@pytest.fixture(autouse=True)
def _loggers_heard(monkeypatch: pytest.MonkeyPatch) -> None:
    """The migrations' logging.fileConfig (an app built earlier in the session) disables
    the loggers it finds; these must be heard."""
    for name in ("search.text.dictionary", "search.text.tables"):
        monkeypatch.setattr(logging.getLogger(name), "disabled", False)


def test_jiebas_dictionary_is_held_in_memory_cuts_the_same_and_the_log_says_why(
    tmp_path, monkeypatch, caplog
) -> None:
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("")
    monkeypatch.setattr(tempfile, "tempdir", str(blocked))
    with caplog.at_level(logging.WARNING, logger="search.text.dictionary"):
        own = dictionary.load(domain_words())
    assert "cannot be kept in the temporary folder" in caplog.text
    assert "Not a directory" in caplog.text  # and why
    shared = jieba()
    assert own.total == shared.total
    for text in [*AWKWARD, "新冠疫苗冷链运输用吹膜材料及其制备方法"]:
        assert own.lcut(text) == shared.lcut(text), text
        assert list(own.cut_for_search(text)) == list(shared.cut_for_search(text)), text


def test_a_word_table_is_held_in_memory_and_the_log_says_why(tmp_path, caplog) -> None:
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("")
    with caplog.at_level(logging.WARNING, logger="search.text.tables"):
        table = cached(blocked / "words.marisa", lambda: {"锂电池": ["lithium battery"]})
    assert table.get("锂电池") == ("lithium battery",)
    assert "words.marisa cannot be kept in the temporary folder" in caplog.text
