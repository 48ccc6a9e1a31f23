"""Language choice (browser, then the reader's switch) and display filters."""

from __future__ import annotations

from datetime import UTC, date, datetime
from functools import lru_cache
from zoneinfo import ZoneInfo

import flask_babel
from babel import Locale
from babel.numbers import get_currency_name
from flask import Flask, current_app, has_app_context, has_request_context, request, session
from flask_babel import get_locale
from flask_login import current_user
from werkzeug.datastructures import LanguageAccept
from werkzeug.http import parse_accept_header

from core.audit_labels import action_label, reason_label
from core.clock import as_utc, now
from core.countries import country_name
from core.currencies import EXPONENTS, NoRate
from core.dates import DEFAULT_ZONE, format_day, format_when, zone_label
from core.extensions import babel
from core.money import Money, format_money, format_wan, to_yuan_text
from core.rates import table as rate_table
from core.regions import region_label

SUPPORTED = ("zh_CN", "en")


# Built once per process: Flask-Babel takes a Locale as it is (else it parses the name
# again on every request).
_LOCALES = {name: Locale.parse(name) for name in SUPPORTED}


def select_locale() -> Locale:
    """The reader's own choice first, then a signed-in person's English (set at sign-up,
    for people of an organisation abroad: English throughout, even on a Chinese browser),
    then the browser's Accept-Language, then Chinese.

    A request without cookies (an API client with a token) has neither a choice nor a
    signed-in person: only its Accept-Language is read, and no user is loaded for it."""
    if request.cookies:
        chosen = session.get("lang")
        if chosen in SUPPORTED:
            return _LOCALES[chosen]
        if current_user and current_user.is_authenticated and current_user.locale == "en":
            return _LOCALES["en"]
    return _LOCALES[browser_locale(request.headers.get("Accept-Language"))]


@lru_cache(maxsize=256)
def browser_locale(accept_language: str | None) -> str:
    """The locale an Accept-Language header asks for (zh_CN unless it prefers English);
    kept per header: browsers send a handful of them."""
    best = parse_accept_header(accept_language, LanguageAccept).best_match(["zh_CN", "zh", "en"])
    return "en" if best == "en" else "zh_CN"


def current_locale() -> str:
    """The active locale as text (zh_CN or en)."""
    return str(get_locale() or "zh_CN")


def _money(minor: int | None, currency: str = "CNY") -> str:
    return "" if minor is None else format_money(Money(minor, currency), current_locale())


def reader_currency() -> str:
    """The currency a reader sees converted figures in: their choice (`/currency/<code>`),
    else the US dollar for English readers and the yuan for Chinese ones."""
    chosen = session.get("currency") if has_request_context() else None
    if chosen in EXPONENTS:
        return str(chosen)
    return "USD" if current_locale().startswith("en") else "CNY"


def money_ref(minor: int | None, currency: str = "CNY", on: date | datetime | None = None) -> str:
    """The amount in the reader's currency at the reference rate of `on` (today when None),
    naming the rate's day: "≈ ¥7,123.40 (reference rate of 2 Dec 2026)". Empty when the
    reader's currency is the amount's own, or no rate is known."""
    target = reader_currency()
    if minor is None or currency == target or currency not in EXPONENTS:
        return ""
    day_ = _market_day(on)
    try:
        converted = rate_table(day_).convert(minor, currency, target, day_)
    except NoRate:
        return ""
    return flask_babel.gettext(
        "≈ %(amount)s (reference rate of %(day)s)",
        amount=format_money(Money(converted.amount_minor, target), current_locale()),
        day=day(converted.as_of),
    )


def _market_day(on: date | datetime | None) -> date:
    moment = (now() if has_app_context() else datetime.now(UTC)) if on is None else on
    if isinstance(moment, datetime):
        return as_utc(moment).astimezone(ZoneInfo(market_zone())).date()
    return moment


def money_wan(minor: int | None, currency: str = "CNY") -> str:
    """万元 for Chinese readers, the full amount for everyone else."""
    if minor is None:
        return ""
    if current_locale().startswith("zh") and currency == "CNY":
        return format_wan(Money(minor, currency))
    return _money(minor, currency)


def market_zone() -> str:
    """The market's time zone (config `BABEL_DEFAULT_TIMEZONE`): every time is shown in it."""
    if not has_app_context():
        return DEFAULT_ZONE
    return str(current_app.config.get("BABEL_DEFAULT_TIMEZONE") or DEFAULT_ZONE)


def market_tz() -> ZoneInfo:
    """The market's time zone (`market_zone`) as a ZoneInfo, for local days and times."""
    return ZoneInfo(market_zone())


def when(moment: datetime | None, _style: str | None = None) -> str:
    """A moment for the reader: one format per language, the market's zone, named.

    `_style` (the old 'short' / 'medium') is accepted and ignored: there is one format.
    """
    return "" if moment is None else format_when(moment, current_locale(), market_zone())


def day(value: date | datetime | str | None) -> str:
    """A calendar day for the reader ('2026年12月2日' / '2 Dec 2026'); ISO text is read first."""
    if not value:
        return ""
    if isinstance(value, str):
        value = date.fromisoformat(value[:10])
    return format_day(value, current_locale(), market_zone())


def clock_time(hour: int, minute: int = 0) -> str:
    """A time of day on the market's clock, the zone named: '08:00（北京时间）', '08:00 (UTC+8)'."""
    label = market_zone_label(datetime.now(UTC))
    text = f"{hour:02d}:{minute:02d}"
    return f"{text}（{label}）" if current_locale().startswith("zh") else f"{text} ({label})"


def market_zone_label(at: datetime) -> str:
    """The market's zone as the reader knows it (北京时间, UTC+8)."""
    return zone_label(current_locale(), market_zone(), at)


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
    app.jinja_env.filters["money_wan"] = money_wan
    app.jinja_env.filters["money_ref"] = money_ref
    app.jinja_env.filters["amount_text"] = lambda minor, currency="CNY": to_yuan_text(
        Money(minor, currency)
    )
    app.jinja_env.globals["price_currencies"] = tuple(EXPONENTS)
    app.jinja_env.globals["reader_currency"] = reader_currency
    app.jinja_env.filters["when"] = when
    app.jinja_env.filters["day"] = day
    app.jinja_env.globals["market_zone"] = market_zone
    app.jinja_env.globals["market_zone_label"] = market_zone_label
    app.jinja_env.globals["action_label"] = action_label
    app.jinja_env.globals["reason_label"] = reason_label
    app.jinja_env.globals["clock_time"] = clock_time
    app.jinja_env.globals["currency_name"] = lambda code: get_currency_name(
        code, locale="zh_Hans_CN" if current_locale().startswith("zh") else "en"
    )
    app.jinja_env.filters["country"] = lambda code: country_name(code or "", current_locale())
    app.jinja_env.filters["region"] = lambda text: region_label(text, current_locale())
    app.jinja_env.globals["current_locale"] = current_locale
    app.jinja_env.filters["zip"] = lambda first, *rest: zip(first, *rest, strict=False)
