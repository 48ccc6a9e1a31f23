"""`flask serve` builds search's missing word tables in a forked child; their first use
waits for it rather than building them a second time."""

from __future__ import annotations

from pathlib import Path

import pytest

from search.text import prebuild


@pytest.fixture
def tables(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    files = [tmp_path / "words.marisa", tmp_path / "words.counts"]
    monkeypatch.setattr(prebuild, "table_files", lambda: files)

    def build_slowly() -> None:  # in the child: the files appear after a while
        import time

        time.sleep(0.3)
        for path in files:
            path.write_text("built")

    monkeypatch.setattr(prebuild, "_build_all", build_slowly)
    monkeypatch.setattr(prebuild, "_building", None)
    return files


def test_missing_tables_are_built_by_a_child_and_waited_for(tables: list[Path]) -> None:
    assert prebuild.start()
    assert not any(path.exists() for path in tables)  # this process went on meanwhile
    prebuild.wait()
    assert all(path.read_text() == "built" for path in tables)
    prebuild.wait()  # nothing left to wait for


def test_tables_already_built_start_no_child(tables: list[Path]) -> None:
    for path in tables:
        path.write_text("old")
    assert not prebuild.start()
    prebuild.wait()
    assert all(path.read_text() == "old" for path in tables)


def test_the_real_table_files_are_those_the_builders_keep() -> None:
    from search.text import cedict, dictionary, pinyin_words, tokens

    files = prebuild.table_files()
    assert set(dictionary.table_files(tokens.domain_words())) <= set(files)
    assert pinyin_words.table_file() in files
    assert set(cedict.table_files()) <= set(files)
