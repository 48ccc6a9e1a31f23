"""Small pieces shared by the HTML views of every domain (Flask only, no domain import)."""

from __future__ import annotations

from pathlib import Path

from werkzeug.wrappers import Response

from core.db_types import StoredFileMixin
from core.files import send_document
from core.storage import evidence_path


def send_stored(folder: Path, stored: StoredFileMixin) -> Response:
    """An uploaded document from `folder` under the name and type it was uploaded with."""
    return send_document(
        evidence_path(folder, stored.stored_name),
        content_type=stored.content_type,
        download_name=stored.original_name,
    )
