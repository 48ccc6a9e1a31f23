"""Serving stored documents (evidence, contracts, receipts) safely to the people allowed."""

from __future__ import annotations

from pathlib import Path

from flask import request, send_file
from werkzeug.wrappers import Response

# No CSP 'sandbox': Chrome's PDF viewer refuses sandboxed documents. Only PDFs and
# images whose type was sniffed on upload are stored, and they go out with nosniff.
_CSP = "default-src 'none'; img-src 'self'; object-src 'self'; style-src 'unsafe-inline'"


def send_document(path: Path, *, content_type: str, download_name: str) -> Response:
    """The file inline (or as a download with ?download=1), never cached, never active content."""
    response = send_file(
        path,
        mimetype=content_type,
        download_name=download_name,
        as_attachment=request.args.get("download") == "1",
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = _CSP
    response.headers["Cache-Control"] = "private, no-store"
    return response
