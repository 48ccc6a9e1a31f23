"""Tables built once per process, and a speller that never makes queries wait for a rebuild."""

from __future__ import annotations

import threading
import time

from search.text import spelling
from search.text.once import once
from search.text.spelling import SpellerCache


def test_a_table_is_built_once_however_many_threads_ask_at_first() -> None:
    builds: list[int] = []

    @once
    def table() -> dict[str, int]:
        builds.append(1)
        time.sleep(0.05)  # long enough for every thread to arrive during the build
        return {"built": len(builds)}

    seen: list[dict[str, int]] = []
    threads = [threading.Thread(target=lambda: seen.append(table())) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(builds) == 1
    assert all(found is seen[0] for found in seen) and len(seen) == 8


def test_a_stale_speller_answers_at_once_while_its_successor_is_built(monkeypatch) -> None:
    loads: list[int] = []
    release = threading.Event()

    def load() -> dict[str, int]:
        loads.append(1)
        if len(loads) == 1:
            return {"battery": 3}
        release.wait(5)  # the rebuild is slow: the index is large
        return {"battery": 3, "separator": 2}

    cache = SpellerCache(load)
    first = cache.get()
    assert first.correct("batery") == "battery"
    monkeypatch.setattr(spelling, "VOCABULARY_TTL", 0.0)  # now stale
    started = time.perf_counter()
    assert cache.get() is first  # the old speller answers while the new one is read
    assert time.perf_counter() - started < 0.5
    release.set()
    deadline = time.monotonic() + 5
    while cache.get() is first and time.monotonic() < deadline:
        time.sleep(0.01)
    assert cache.get().correct("separater") == "separator"


def test_forgetting_the_vocabulary_reads_it_again_at_the_next_query() -> None:
    loads = iter([{"battery": 3}, {"membrane": 4}])
    cache = SpellerCache(lambda: next(loads))
    assert cache.get().correct("batery") == "battery"
    cache.forget()
    assert cache.get().correct("membrame") == "membrane"
