"""An upload as it arrives: checked while it streams into a spooled temporary file.

The type is sniffed from the first bytes, the size and SHA-256 counted on the way; at no
point is the whole file held in memory (past 1 MiB the spool is a file on disk).
"""

from __future__ import annotations

import hashlib
import tempfile
import unicodedata
from dataclasses import asdict, dataclass
from typing import IO

import filetype

from core.domain import N_, ValidationFailed

# What a certificate or register extract arrives as; the extension comes from the content.
ALLOWED_TYPES: dict[str, str] = {
    "application/pdf": "pdf",
    "image/png": "png",
    "image/jpeg": "jpg",
    "image/webp": "webp",
}
TYPE_OF_EXTENSION: dict[str, str] = {ext: mime for mime, ext in ALLOWED_TYPES.items()}

CHUNK_BYTES = 64 * 1024
SNIFF_BYTES = 8 * 1024  # filetype looks at the first 261; a little more costs nothing
SPOOL_BYTES = 1024 * 1024


@dataclass(frozen=True)
class StoredFile:
    """A file kept under `stored_name` in a document area."""

    stored_name: str
    original_name: str
    content_type: str
    size: int
    sha256: str

    def columns(self) -> dict[str, str | int]:
        """The values of a `StoredFileMixin` row's file columns."""
        return asdict(self)


@dataclass(frozen=True)
class Received:
    """A checked upload: its content (rewound), sniffed type, size and checksum."""

    body: IO[bytes]
    content_type: str
    size: int
    sha256: str

    @property
    def extension(self) -> str:
        return ALLOWED_TYPES[self.content_type]


def clean_display_name(name: str) -> str:
    """The uploader's file name for display only: no directories, no control characters."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    base = "".join(ch for ch in base if unicodedata.category(ch)[0] != "C").strip(". ")
    return base[:200] or "document"


def _too_large(max_bytes: int) -> ValidationFailed:
    return ValidationFailed(
        N_("The file is larger than %(limit)s MB."),
        field="file",
        limit=max_bytes // (1024 * 1024),
    )


def _sniffed_type(head: bytes) -> str:
    if not head:
        raise ValidationFailed(N_("The file is empty."), field="file")
    kind = filetype.guess(head)
    if kind is None or kind.mime not in ALLOWED_TYPES:
        raise ValidationFailed(
            N_("Only PDF, PNG, JPEG or WebP documents are accepted."), field="file"
        )
    return str(kind.mime)


def _read_head(stream: IO[bytes]) -> bytes:
    head = b""
    while len(head) < SNIFF_BYTES:
        chunk = stream.read(SNIFF_BYTES - len(head))
        if not chunk:
            break
        head += chunk
    return head


def receive(stream: IO[bytes], max_bytes: int) -> Received:
    """Check an upload while copying it; ValidationFailed (the spool discarded) if refused.

    The caller closes `body` once it is stored.
    """
    head = _read_head(stream)
    content_type = _sniffed_type(head)
    spool: IO[bytes] = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)  # noqa: SIM115
    digest = hashlib.sha256()
    size = 0
    chunk = head
    try:
        while chunk:
            size += len(chunk)
            if size > max_bytes:
                raise _too_large(max_bytes)
            digest.update(chunk)
            spool.write(chunk)
            chunk = stream.read(CHUNK_BYTES)
    except BaseException:
        spool.close()
        raise
    spool.seek(0)
    return Received(spool, content_type, size, digest.hexdigest())
