"""Copy the local document folder into the bucket: resumable, every copy verified.

An object already in the bucket with the same SHA-256 is skipped, so a migration that
stopped half-way is simply run again. Each copied object is read back and hashed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from enum import Enum

from core.storage.backends import DocumentStore, LocalStore, sha256_of
from core.storage.upload import TYPE_OF_EXTENSION

WORKERS = 8


class Outcome(Enum):
    COPIED = "copied"  # copied and read back with the same checksum
    SKIPPED = "skipped"  # already there with the same checksum
    FAILED = "failed"  # the copy could not be made or did not read back the same


@dataclass
class Summary:
    copied: int = 0
    skipped: int = 0
    failed: list[str] = field(default_factory=list)

    @property
    def verified(self) -> int:
        return self.copied + self.skipped

    def add(self, key: str, outcome: Outcome) -> None:
        if outcome is Outcome.COPIED:
            self.copied += 1
        elif outcome is Outcome.SKIPPED:
            self.skipped += 1
        else:
            self.failed.append(key)


def content_type_of(key: str) -> str:
    return TYPE_OF_EXTENSION.get(key.rsplit(".", 1)[-1].lower(), "application/octet-stream")


def copy_one(source: LocalStore, target: DocumentStore, key: str, present: bool) -> Outcome:
    """Copy `key` unless the target has it with the same checksum; verify what was copied."""
    with source.open(key) as stream:
        checksum = sha256_of(stream)
    if present:
        found = target.info(key)
        if found is not None and found.sha256 == checksum:
            return Outcome.SKIPPED
    try:
        with source.open(key) as stream:
            target.put(key, stream, content_type=content_type_of(key), sha256=checksum)
        with target.open(key) as copied:
            return Outcome.COPIED if sha256_of(copied) == checksum else Outcome.FAILED
    except Exception:  # one refused object must not stop the thousands after it
        return Outcome.FAILED


def migrate(
    source: LocalStore,
    target: DocumentStore,
    keys: list[str],
    progress: Callable[[str, Outcome], None] = lambda key, outcome: None,
) -> Summary:
    """Copy `keys` from `source` to `target` with a few workers; report each to `progress`."""
    present = set(target.keys())
    summary = Summary()

    def run(key: str) -> tuple[str, Outcome]:
        return key, copy_one(source, target, key, key in present)

    with ThreadPoolExecutor(WORKERS) as pool:
        results: Iterator[tuple[str, Outcome]] = pool.map(run, keys)
        for key, outcome in results:
            summary.add(key, outcome)
            progress(key, outcome)
    return summary
