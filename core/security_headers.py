"""Security headers on every response: a Content-Security-Policy with a per-request nonce.

Templates give each `<script>` the request's nonce (`nonce="{{ csp_nonce() }}"`); no
inline event handlers (tests/unit/test_templates_csp.py checks). A response that set
its own policy keeps it: stored documents go out with a stricter one (core/files.py).
Styles may be inline (style attributes in templates, the auction chart): a style cannot
run code, and a nonce would make browsers ignore 'unsafe-inline' for attributes too.
"""

from __future__ import annotations

import secrets

from flask import Flask, current_app, request
from werkzeug.wrappers import Response

NONCE_KEY = "market.csp_nonce"


def csp_nonce() -> str:
    """The nonce of the current request's scripts (made on first use, one per request)."""
    nonce: str | None = request.environ.get(NONCE_KEY)
    if nonce is None:
        nonce = request.environ[NONCE_KEY] = secrets.token_urlsafe(18)
    return nonce


def content_security_policy(nonce: str) -> str:
    """The site's policy: own scripts with the nonce, own origin only, never framed."""
    return "; ".join(
        (
            "default-src 'self'",
            f"script-src 'self' 'nonce-{nonce}'",
            "style-src 'self' 'unsafe-inline'",
            "img-src 'self' data:",
            "connect-src 'self'",
            "font-src 'self'",
            "object-src 'none'",
            "base-uri 'self'",
            "frame-ancestors 'none'",
        )
    )


def _add_headers(response: Response) -> Response:
    headers = response.headers
    headers.setdefault("Content-Security-Policy", content_security_policy(csp_nonce()))
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", "same-origin")
    hsts = current_app.config.get("HSTS")
    if hsts:
        headers.setdefault("Strict-Transport-Security", hsts)
    return response


def init_app(app: Flask) -> None:
    """Offer `csp_nonce()` to templates and add the headers to every response."""
    app.jinja_env.globals["csp_nonce"] = csp_nonce
    app.after_request(_add_headers)
