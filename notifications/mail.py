"""Email: a notification rendered in its reader's language, sent over SMTP.

Text and HTML parts, a Message-ID derived from the notification (a receiver can
drop a repeat), and a signed one-click unsubscribe for the event type (RFC 8058:
`List-Unsubscribe` with `List-Unsubscribe-Post`).
"""

from __future__ import annotations

import re
import smtplib
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from email.message import EmailMessage
from email.utils import formataddr, make_msgid
from typing import Any
from urllib.parse import urlsplit

from flask import current_app, render_template
from flask_babel import force_locale, gettext
from itsdangerous import BadSignature, URLSafeSerializer

from accounts.models import User
from core.breaker import State, breaker
from core.dates import format_day, format_when
from core.i18n import market_zone
from core.money import Money, format_money
from notifications import rules
from notifications.models import Notification

UNSUBSCRIBE_SALT = "notifications.unsubscribe"
SMTP_TIMEOUT_SECONDS = 10


_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
_ISO_MOMENT = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}.*")


def _readable(value: Any, locale: str) -> Any:
    """An ISO day or moment kept in the params as the reader's date (market zone, named)."""
    if isinstance(value, str) and _ISO_DAY.fullmatch(value):
        return format_day(date.fromisoformat(value), locale, market_zone())
    if isinstance(value, str) and _ISO_MOMENT.fullmatch(value):
        return format_when(datetime.fromisoformat(value), locale, market_zone())
    return value


def localised_params(params: Mapping[str, Any], locale: str) -> dict[str, Any]:
    """The message's parameters for one reader: `x_en` stands for `x` in English,
    `x_minor` (with `currency`) becomes money `x` in the reader's format, and an ISO
    day or moment the reader's date."""
    english = locale.startswith("en")
    values: dict[str, Any] = {}
    for key, value in params.items():
        if key.endswith("_en"):
            continue
        if key.endswith("_minor") and isinstance(value, int):
            currency = str(params.get("currency", "CNY"))
            values[key.removesuffix("_minor")] = format_money(Money(value, currency), locale)
            continue
        values[key] = _readable((params.get(f"{key}_en") or value) if english else value, locale)
    return values


def message_of(notification: Notification, locale: str) -> str:
    """The notification's sentence in `locale`."""
    kind = rules.event_type(notification.event)
    with force_locale(locale):
        return gettext(kind.subject, **localised_params(notification.params, locale))


def unsubscribe_token(user_id: int, event: str) -> str:
    return _serializer().dumps([user_id, event])


def read_unsubscribe_token(token: str) -> tuple[int, str] | None:
    """(user id, event) of a valid token, None for a forged or mangled one."""
    try:
        user_id, event = _serializer().loads(token)
    except (BadSignature, ValueError, TypeError):
        return None
    if not isinstance(user_id, int) or not isinstance(event, str):
        return None
    return user_id, event


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.secret_key or "", salt=UNSUBSCRIBE_SALT)


def _absolute(path: str) -> str:
    return current_app.config["SITE_URL"].rstrip("/") + path


def _url(endpoint: str, **values: Any) -> str:
    """An absolute URL on SITE_URL, built without a request (the job runner has none)."""
    site = urlsplit(current_app.config["SITE_URL"])
    adapter = current_app.url_map.bind(
        site.netloc, script_name=site.path or "/", url_scheme=site.scheme or "http"
    )
    return adapter.build(endpoint, values, force_external=True)


def compose(
    user: User, notifications: Sequence[Notification], *, weekly: bool = False
) -> EmailMessage:
    """One email to `user`: a single notification, or a (daily or weekly) digest of several."""
    config = current_app.config
    locale = user.locale or "zh_CN"
    with force_locale(locale):
        items = [
            {
                "text": message_of(n, locale),
                "url": _absolute(n.link) if n.link else None,
                "label": gettext(rules.event_type(n.event).label),
            }
            for n in notifications
        ]
        single = len(notifications) == 1
        digest = (
            gettext("Your week on the technology market")
            if weekly
            else gettext("Your day on the technology market")
        )
        subject = items[0]["text"] if single and not weekly else digest
        events = sorted({n.event for n in notifications})
        unsubscribe = [
            {
                "label": gettext(rules.event_type(e).label),
                "url": _url("notifications.unsubscribe", token=unsubscribe_token(user.id, e)),
            }
            for e in events
        ]
        context = {
            "user": user,
            "items": items,
            "unsubscribe": unsubscribe,
            "inbox_url": _url("notifications.inbox"),
            "preferences_url": _url("notifications.preferences"),
        }
        text = render_template("notifications/email.txt", **context)
        html = render_template("notifications/email.html", **context)
    message = EmailMessage()
    message["Subject"] = subject[:200]
    message["From"] = formataddr((config["MAIL_FROM_NAME"], config["MAIL_FROM"]))
    message["To"] = formataddr((user.name, user.email))
    domain = config["MAIL_FROM"].rpartition("@")[2] or "localhost"
    message["Message-ID"] = (
        f"<notification-{notifications[0].id}@{domain}>"
        if single and not weekly
        else make_msgid("digest", domain)
    )
    if single and not weekly:
        message["List-Unsubscribe"] = f"<{unsubscribe[0]['url']}>"
        message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    message.set_content(text)
    message.add_alternative(html, subtype="html")
    return message


class MailPaused(OSError):
    """Not tried: the SMTP server failed just now (its breaker is open); try again later."""


def paused() -> bool:
    """Whether sending is briefly off (the "smtp" breaker is open): jobs leave mail queued."""
    return breaker("smtp").state is State.OPEN


def send(message: EmailMessage) -> None:
    """Hand one message to the SMTP server of the configuration (raises on failure).

    Only jobs send (a request never waits for SMTP). Behind the "smtp" breaker: while it
    is open, MailPaused at once; an answer, even a refusal, means the server is there.
    """
    gate = breaker("smtp")
    if not gate.allow():
        raise MailPaused("the SMTP server failed just now; not tried")
    try:
        _deliver(message)
    except (smtplib.SMTPResponseException, smtplib.SMTPRecipientsRefused):
        gate.success()
        raise
    except OSError:  # refused, cut, timed out (smtplib's errors are OSErrors too)
        gate.failure()
        raise
    gate.success()


def _deliver(message: EmailMessage) -> None:
    config = current_app.config
    timeout = float(config.get("MAIL_TIMEOUT_SECONDS", SMTP_TIMEOUT_SECONDS))
    with smtplib.SMTP(config["MAIL_SERVER"], int(config["MAIL_PORT"]), timeout=timeout) as smtp:
        if config.get("MAIL_USE_TLS"):
            smtp.starttls()
        if config.get("MAIL_USERNAME"):
            smtp.login(config["MAIL_USERNAME"], config.get("MAIL_PASSWORD") or "")
        smtp.send_message(message)
