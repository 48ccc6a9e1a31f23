"""Where documents live: one interface, a folder on disk (the default) or an S3 bucket.

Keys are "<area>/<stored name>" ("evidence/3fa2….pdf"); areas are the folders under
UPLOAD_FOLDER that the use cases name (evidence, deals, deposits, payments, brokers).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from http import HTTPStatus
from pathlib import Path
from typing import IO, Protocol

from core.domain import N_, DomainError

CHUNK_BYTES = 1024 * 1024


class DocumentsUnavailable(DomainError):
    """The document storage did not answer in time, or failed just now (503)."""

    code = "documents_unavailable"
    status = HTTPStatus.SERVICE_UNAVAILABLE


def unavailable() -> DocumentsUnavailable:
    return DocumentsUnavailable(
        N_("Documents are briefly unavailable. Please try again in a minute.")
    )


@dataclass(frozen=True)
class ObjectInfo:
    """What the store knows of a kept object; `sha256` is None where it was not recorded."""

    key: str
    size: int
    sha256: str | None


class DocumentStore(Protocol):
    """The operations every backend offers (see tests/integration/core/test_storage_contract.py)."""

    def put(self, key: str, body: IO[bytes], *, content_type: str, sha256: str) -> None:
        """Keep `body` (read to its end) under `key`, replacing any object there; atomic."""

    def open(self, key: str) -> IO[bytes]:
        """The object's content to read (the caller closes it); FileNotFoundError if absent."""

    def info(self, key: str) -> ObjectInfo | None:
        """Size and checksum of the object under `key`, or None."""

    def delete(self, key: str) -> None:
        """Remove the object if it is there."""

    def keys(self) -> Iterator[str]:
        """Every key kept, in no particular order."""

    def download_url(self, key: str, *, content_type: str, disposition: str) -> str | None:
        """A short-lived URL that serves the object itself, or None (serve it through the app)."""


def sha256_of(stream: IO[bytes]) -> str:
    digest = hashlib.sha256()
    for chunk in iter(lambda: stream.read(CHUNK_BYTES), b""):
        digest.update(chunk)
    return digest.hexdigest()


class LocalStore:
    """Documents as files under `root` (UPLOAD_FOLDER): the embedded default."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def path(self, key: str) -> Path:
        """The file of `key`; keys are ours, but refuse anything that leaves the root."""
        path = (self.root / key).resolve()
        if not path.is_relative_to(self.root.resolve()) or path == self.root.resolve():
            raise FileNotFoundError(key)
        return path

    def put(self, key: str, body: IO[bytes], *, content_type: str, sha256: str) -> None:
        path = self.path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(f".{path.name}.part")
        with temporary.open("wb") as out:
            shutil.copyfileobj(body, out, CHUNK_BYTES)
        os.replace(temporary, path)  # atomic: a crash leaves no half file under the name

    def open(self, key: str) -> IO[bytes]:
        return self.path(key).open("rb")

    def info(self, key: str) -> ObjectInfo | None:
        try:
            with self.open(key) as stream:
                return ObjectInfo(key, os.fstat(stream.fileno()).st_size, sha256_of(stream))
        except FileNotFoundError:
            return None

    def delete(self, key: str) -> None:
        with contextlib.suppress(FileNotFoundError):
            self.path(key).unlink(missing_ok=True)

    def keys(self) -> Iterator[str]:
        if not self.root.is_dir():
            return
        for path in self.root.rglob("*"):
            if path.is_file() and not path.name.startswith("."):
                yield path.relative_to(self.root).as_posix()

    def download_url(self, key: str, *, content_type: str, disposition: str) -> str | None:
        return None
