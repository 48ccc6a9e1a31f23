"""Language choice (browser, then the reader's switch) and display filters."""

from __future__ import annotations

from datetime import datetime

import flask_babel
from flask import Flask, request, session
from flask_babel import format_datetime, get_locale

from core.clock import as_utc
from core.extensions import babel
from core.money import Money, format_money, format_wan

SUPPORTED = ("zh_CN", "en")


def select_locale() -> str:
    """The reader's own choice first, then the browser's Accept-Language, then Chinese."""
    chosen = session.get("lang")
    if chosen in SUPPORTED:
        return chosen
    best = request.accept_languages.best_match(["zh_CN", "zh", "en"])
    return "en" if best == "en" else "zh_CN"


def current_locale() -> str:
    """The active locale as text (zh_CN or en)."""
    return str(get_locale() or "zh_CN")


def _money(minor: int | None, currency: str = "CNY") -> str:
    return "" if minor is None else format_money(Money(minor, currency), current_locale())


def _money_wan(minor: int | None, currency: str = "CNY") -> str:
    """万元 for Chinese readers, the full amount for everyone else."""
    if minor is None:
        return ""
    if current_locale().startswith("zh") and currency == "CNY":
        return format_wan(Money(minor, currency))
    return _money(minor, currency)


def _when(moment: datetime | None, fmt: str = "medium") -> str:
    return "" if moment is None else format_datetime(as_utc(moment), fmt)


def init_app(app: Flask) -> None:
    """Bind Flask-Babel with our selector and register the display filters."""
    babel.init_app(
        app,
        locale_selector=select_locale,
        default_translation_directories=str(app.root_path + "/../translations"),
    )
    # Flask-Babel caches the locale on `g`; an app context that outlives a request
    # (tests, CLI) would otherwise keep the first reader's language.
    app.before_request(flask_babel.refresh)
    app.jinja_env.filters["money"] = _money
    app.jinja_env.filters["money_wan"] = _money_wan
    app.jinja_env.filters["when"] = _when
    app.jinja_env.globals["current_locale"] = current_locale
    app.jinja_env.filters["zip"] = lambda first, *rest: zip(first, *rest, strict=False)
