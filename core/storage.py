"""Evidence files on disk: type sniffed from content, size-limited, stored under random names."""

from __future__ import annotations

import contextlib
import hashlib
import os
import secrets
import unicodedata
from dataclasses import asdict, dataclass
from pathlib import Path
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


@dataclass(frozen=True)
class StoredFile:
    """A file written under `stored_name` in the evidence folder."""

    stored_name: str
    original_name: str
    content_type: str
    size: int
    sha256: str

    def columns(self) -> dict[str, str | int]:
        """The values of a `StoredFileMixin` row's file columns."""
        return asdict(self)


def clean_display_name(name: str) -> str:
    """The uploader's file name for display only: no directories, no control characters."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    base = "".join(ch for ch in base if unicodedata.category(ch)[0] != "C").strip(". ")
    return base[:200] or "document"


def save_evidence(
    folder: Path, stream: IO[bytes], original_name: str, max_bytes: int
) -> StoredFile:
    """Check and store an upload; raise ValidationFailed (nothing written) if it is refused."""
    data = stream.read(max_bytes + 1)
    if not data:
        raise ValidationFailed(N_("The file is empty."), field="file")
    if len(data) > max_bytes:
        raise ValidationFailed(
            N_("The file is larger than %(limit)s MB."),
            field="file",
            limit=max_bytes // (1024 * 1024),
        )
    kind = filetype.guess(data)
    if kind is None or kind.mime not in ALLOWED_TYPES:
        raise ValidationFailed(
            N_("Only PDF, PNG, JPEG or WebP documents are accepted."), field="file"
        )
    folder.mkdir(parents=True, exist_ok=True)
    stored_name = f"{secrets.token_hex(16)}.{ALLOWED_TYPES[kind.mime]}"
    temporary = folder / f".{stored_name}.part"
    temporary.write_bytes(data)
    os.replace(
        temporary, folder / stored_name
    )  # atomic: a crash leaves no half file under the name
    return StoredFile(
        stored_name=stored_name,
        original_name=clean_display_name(original_name),
        content_type=kind.mime,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
    )


def evidence_path(folder: Path, stored_name: str) -> Path:
    """The path of a stored file; names are ours, but refuse anything that leaves the folder."""
    path = (folder / stored_name).resolve()
    if path.parent != folder.resolve():
        raise ValidationFailed(N_("No such document."))
    return path


def discard(folder: Path, stored_name: str) -> None:
    """Remove a stored file if it is there (after a rolled-back upload)."""
    with contextlib.suppress(ValidationFailed):
        evidence_path(folder, stored_name).unlink(missing_ok=True)
