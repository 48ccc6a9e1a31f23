"""Ask a signed-in person who has not accepted the current terms to do so first.

Every page a browser opens (and every form it sends) leads to /terms/accept until they
accept, whether they just signed in or were signed in when the terms changed. Left
alone: the texts themselves, the accept page, signing out, the language switch, static
files, health checks, and the API (/api/…: tokens keep working, see accounts.terms), as
well as the pages' own background requests that ask for JSON or an event stream.
"""

from __future__ import annotations

from flask import Flask, redirect, request, session, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from accounts import sessions, terms

EXEMPT_ENDPOINTS = frozenset(
    {
        "static",
        "legal.terms",
        "legal.privacy",
        "accounts.accept_terms",
        "accounts.sign_out",
        "main.switch_language",
        "main.healthz",
        "main.readyz",
    }
)
_READS = ("GET", "HEAD")


def init_app(app: Flask) -> None:
    app.before_request(ask_for_new_terms)


def ask_for_new_terms() -> Response | None:
    """The accept page instead of the page asked for, when the person must accept first."""
    if request.endpoint is None or request.endpoint in EXEMPT_ENDPOINTS:
        return None
    if request.path.startswith("/api/") or not _opens_a_page():
        return None
    if not sessions.has_sign_in(session):
        return None  # a visitor: no user to load (nor Flask-Login's session check to run)
    if not current_user.is_authenticated or not terms.must_accept(current_user):
        return None
    back = request.full_path.rstrip("?") if request.method in _READS else None
    return redirect(url_for("accounts.accept_terms", next=back), 303)


def _opens_a_page() -> bool:
    """A page or a form, not a script's request for data (which names what it accepts)."""
    if request.method not in _READS or "Accept" not in request.headers:
        return True
    return any(
        kind in ("text/html", "application/xhtml+xml") for kind, _ in request.accept_mimetypes
    )
