"""Serving stored documents (evidence, contracts, receipts) safely to the people allowed."""

from __future__ import annotations

import mimetypes
import unicodedata
from pathlib import Path
from urllib.parse import quote

from flask import abort, redirect, request, send_file
from werkzeug.datastructures import Headers
from werkzeug.wrappers import Response

from core.storage import DocumentStore, LocalStore, locate

# No CSP 'sandbox': Chrome's PDF viewer refuses sandboxed documents. Only PDFs and
# images whose type was sniffed on upload are stored, and they go out with nosniff.
_CSP = "default-src 'none'; img-src 'self'; object-src 'self'; style-src 'unsafe-inline'"


def send_document(
    folder: Path,
    stored_name: str,
    *,
    content_type: str,
    download_name: str,
    cache: str = "private, no-store",
) -> Response:
    """The document inline (or as a download with ?download=1), never cached, never active.

    The caller has decided that the person may have it; `cache` loosens Cache-Control for
    what is public and never changes under its name (a published listing's pictures). From a bucket it is streamed
    through, or (S3_DOWNLOADS=redirect) a redirect to a URL that expires within a minute.
    `download_name` is the uploader's; it is saved with the stored file's extension
    (`saved_as`).
    """
    as_attachment = request.args.get("download") == "1"
    download_name = saved_as(download_name, stored_name)
    store, key = locate(folder, stored_name)
    response: Response
    if isinstance(store, LocalStore):
        response = send_file(
            store.path(key),
            mimetype=content_type,
            download_name=download_name,
            as_attachment=as_attachment,
        )
    else:
        response = _from_bucket(store, key, content_type, download_name, as_attachment)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = _CSP
    response.headers["Cache-Control"] = cache
    return response


def send_receipt(folder: Path, stored_name: str, uploaded_as: str | None) -> Response:
    """A bank-transfer receipt (a deposit's, a payment's), named as its sender uploaded it.

    Its type comes from the stored name, whose extension is that of the type sniffed on
    upload (`core.storage.store_received`), never from the name the sender gave.
    """
    return send_document(
        folder,
        stored_name,
        content_type=mimetypes.guess_type(stored_name)[0] or "application/octet-stream",
        download_name=uploaded_as or "receipt",
    )


def saved_as(uploaded_as: str, stored_name: str) -> str:
    """The name a document is saved under: its uploader's, with the extension of the type
    it was found to be on upload (the stored name's), so a PDF sent as 回单.jpg is 回单.pdf."""
    extension = Path(stored_name).suffix
    name = Path(uploaded_as)
    if extension and name.suffix.lower() != extension.lower():
        name = name.with_suffix(extension) if name.suffix else Path(name.name + extension)
    return name.name


def _disposition(download_name: str, as_attachment: bool) -> str:
    """Content-Disposition as Werkzeug's send_file writes it (an ASCII name and a UTF-8 one)."""
    names: dict[str, str] = {"filename": download_name}
    try:
        download_name.encode("ascii")
    except UnicodeEncodeError:
        simple = unicodedata.normalize("NFKD", download_name).encode("ascii", "ignore")
        names = {
            "filename": simple.decode("ascii"),
            "filename*": "UTF-8''" + quote(download_name, safe="!#$&+^`|~"),
        }
    headers = Headers()
    headers.set("Content-Disposition", "attachment" if as_attachment else "inline", **names)
    return headers["Content-Disposition"]


def _from_bucket(
    store: DocumentStore, key: str, content_type: str, download_name: str, as_attachment: bool
) -> Response:
    disposition = _disposition(download_name, as_attachment)
    url = store.download_url(key, content_type=content_type, disposition=disposition)
    if url is not None:
        return redirect(url, code=303)
    info = store.info(key)
    if info is None:
        abort(404)
    try:
        body = store.open(key)
    except FileNotFoundError:
        abort(404)
    response = send_file(body, mimetype=content_type, conditional=False, etag=False)
    response.headers["Content-Disposition"] = disposition
    response.content_length = info.size
    return response
