"""A document sent to the API (multipart) as the keywords of the use case that keeps it.

The API's twin of `core.forms.document_upload`: the same keywords, read from the
`files` flask-smorest gives a multipart endpoint instead of from the posted form.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from flask import current_app

from core.api_kit import upload_of


def document_args(
    files: Mapping[str, Any], folder: Path, part: str = "file", *, packed: bool = False
) -> dict[str, Any]:
    """The file `part` of `files` as a storing use case's keyword arguments: the file
    (`upload` when `packed`, else `stream` and `filename`), the `folder` it is kept in
    and the most bytes it may have (MAX_EVIDENCE_BYTES)."""
    upload = upload_of(files, part)
    if packed:
        sent: dict[str, Any] = {"upload": upload}
    else:
        sent = {"stream": upload.stream, "filename": upload.filename}
    return {**sent, "folder": folder, "max_bytes": current_app.config["MAX_EVIDENCE_BYTES"]}
