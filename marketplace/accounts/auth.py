"""Flask-Login wiring and the decorators views use for sign-in."""

from __future__ import annotations

from flask import Flask
from flask_babel import lazy_gettext as _l

from marketplace.accounts.models import User
from marketplace.extensions import db, login_manager


def init_app(app: Flask) -> None:
    """Load users by id; send anonymous visitors to the sign-in page."""
    login_manager.init_app(app)
    login_manager.login_view = "accounts.sign_in"
    login_manager.login_message = _l("Please sign in to continue.")
    login_manager.login_message_category = "info"
    login_manager.session_protection = "strong"

    @login_manager.user_loader
    def load_user(user_id: str) -> User | None:
        return db.session.get(User, int(user_id))


def api_actor(*, allow_session: bool = True) -> User | None:
    """The caller of an API endpoint: a bearer token, else (for reads) the browser session.

    Writes take tokens only: the API is exempt from CSRF, so a cookie must not suffice.
    """
    from flask import request
    from flask_login import current_user

    from marketplace.accounts.services import user_for_api_token
    from marketplace.clock import now

    header = request.headers.get("Authorization", "")
    if header.startswith("Bearer "):
        return user_for_api_token(header.removeprefix("Bearer ").strip(), now=now())
    return current_user if allow_session and current_user.is_authenticated else None
