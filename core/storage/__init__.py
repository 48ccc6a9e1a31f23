"""Uploaded documents: checked as they stream in, kept in the configured store.

The use cases name a document by its area folder (UPLOAD_FOLDER/evidence, …/deposits)
and its random stored name; `document_store()` decides where that lives: files under
UPLOAD_FOLDER (STORAGE_BACKEND=local, the default) or objects in an S3 bucket
(STORAGE_BACKEND=s3, S3_BUCKET, S3_PREFIX, S3_ENDPOINT_URL, S3_REGION), behind the
"storage" breaker with a request's budget STORAGE_BUDGET_MS (core.storage.guard).
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import secrets
from collections.abc import Mapping
from pathlib import Path
from typing import IO, Any

from flask import current_app

from core.domain import N_, ValidationFailed
from core.storage.backends import DocumentStore, DocumentsUnavailable, LocalStore, ObjectInfo
from core.storage.upload import ALLOWED_TYPES, Received, StoredFile, clean_display_name, receive

__all__ = [
    "ALLOWED_TYPES",
    "DocumentStore",
    "DocumentsUnavailable",
    "LocalStore",
    "ObjectInfo",
    "Received",
    "StoredFile",
    "area_folder",
    "build_store",
    "clean_display_name",
    "discard",
    "document_exists",
    "document_store",
    "evidence_path",
    "locate",
    "receive",
    "save_evidence",
    "store_bytes",
    "store_received",
]

_EXTENSION = "document_store"


def build_store(config: Mapping[str, Any]) -> DocumentStore:
    """The store the configuration names (see config.py: STORAGE_BACKEND, S3_*)."""
    if config.get("STORAGE_BACKEND", "local") != "s3":
        return LocalStore(Path(config["UPLOAD_FOLDER"]))
    # boto3 only where S3 is used
    from core.storage.guard import GuardedStore
    from core.storage.s3 import S3Store, make_client

    if not config.get("S3_BUCKET"):
        raise RuntimeError("STORAGE_BACKEND=s3 needs S3_BUCKET")

    def store(timeout: float | None) -> S3Store:
        client = make_client(
            endpoint_url=config.get("S3_ENDPOINT_URL"),
            region=config.get("S3_REGION"),
            timeout=timeout,
        )
        return S3Store(
            client,
            config["S3_BUCKET"],
            prefix=config.get("S3_PREFIX", ""),
            encrypt=bool(config.get("S3_SERVER_SIDE_ENCRYPTION", True)),
            presigned_seconds=int(config.get("S3_PRESIGNED_SECONDS", 60)),
            redirect=config.get("S3_DOWNLOADS", "stream") == "redirect",
        )

    budget = int(config.get("STORAGE_BUDGET_MS", 3000)) / 1000.0
    return GuardedStore(quick=store(budget), patient=store(None), config=config)


def document_store() -> DocumentStore:
    """The app's store, built from its configuration on first use."""
    store = current_app.extensions.get(_EXTENSION)
    if store is None:
        store = current_app.extensions[_EXTENSION] = build_store(current_app.config)
    return store


def area_folder(area: str) -> Path:
    """The folder of a document area under UPLOAD_FOLDER (evidence, deals, events, …): the
    name the use cases give their documents by (`locate`)."""
    return Path(current_app.config["UPLOAD_FOLDER"]) / area


def locate(folder: Path, stored_name: str) -> tuple[DocumentStore, str]:
    """The store and key of a document of the area `folder`; names are ours, checked anyway."""
    if not stored_name or stored_name.startswith(".") or "/" in stored_name or "\\" in stored_name:
        raise ValidationFailed(N_("No such document."))
    store = document_store()
    if isinstance(store, LocalStore) and folder.parent.resolve() != store.root.resolve():
        store = LocalStore(folder.parent)  # an area outside UPLOAD_FOLDER stays where it is
    return store, f"{folder.name}/{stored_name}"


def save_evidence(
    folder: Path, stream: IO[bytes], original_name: str, max_bytes: int
) -> StoredFile:
    """Check and store an upload; raise ValidationFailed (nothing written) if it is refused."""
    received = receive(stream, max_bytes)
    with received.body:
        return store_received(folder, received, original_name)


def store_received(folder: Path, received: Received, original_name: str) -> StoredFile:
    """Keep an upload already checked (`receive` and the caller's own checks) under a new name."""
    stored_name = f"{secrets.token_hex(16)}.{received.extension}"
    store, key = locate(folder, stored_name)
    store.put(key, received.body, content_type=received.content_type, sha256=received.sha256)
    return StoredFile(
        stored_name=stored_name,
        original_name=clean_display_name(original_name),
        content_type=received.content_type,
        size=received.size,
        sha256=received.sha256,
    )


def store_bytes(folder: Path, body: bytes, *, content_type: str) -> str:
    """Keep a file the market made itself (a thumbnail) under a new name; returns the name."""
    stored_name = f"{secrets.token_hex(16)}.{ALLOWED_TYPES[content_type]}"
    store, key = locate(folder, stored_name)
    digest = hashlib.sha256(body).hexdigest()
    store.put(key, io.BytesIO(body), content_type=content_type, sha256=digest)
    return stored_name


def document_exists(folder: Path, stored_name: str) -> bool:
    store, key = locate(folder, stored_name)
    return store.info(key) is not None


def evidence_path(folder: Path, stored_name: str) -> Path:
    """The file of a document kept on disk (the local store; tests and tools)."""
    locate(folder, stored_name)
    path = (folder / stored_name).resolve()
    if path.parent != folder.resolve():
        raise ValidationFailed(N_("No such document."))
    return path


def discard(folder: Path, stored_name: str) -> None:
    """Remove a stored document if it is there (after a rolled-back upload, a replacement)."""
    with contextlib.suppress(ValidationFailed, FileNotFoundError):
        store, key = locate(folder, stored_name)
        try:
            store.delete(key)
        except Exception:  # an orphan object costs less than masking why the work failed
            current_app.logger.warning("could not remove document %s", key, exc_info=True)
