"""Help (/help): how each pricing method works, what TRL and the evaluation grades mean,
an FAQ and the market's contacts. The figures come from the configuration."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, current_app, render_template
from flask_babel import lazy_gettext as _l

from accounts.signup_checks import TERMS_VERSION

bp = Blueprint("help", __name__, url_prefix="/help")
legal = Blueprint("legal", __name__)

TOPICS = {
    "listed-sale": _l("Listed sale (挂牌)"),
    "negotiation": _l("Negotiation with public notice (协议定价 + 公示)"),
    "auction": _l("Auction (拍卖)"),
    "evaluation": _l("TRL and evaluation grades"),
    "faq": _l("Questions and answers"),
    "contacts": _l("Contact the market"),
}
CONTACT_KEYS = ("NAME", "PHONE", "EMAIL", "ADDRESS", "HOURS")


def _percent(bps: int) -> str:
    """Basis points as a percentage without a needless decimal: 1000 → "10", 250 → "2.5"."""
    return f"{bps / 100:g}"


def figures() -> dict[str, Any]:
    """The market's rules in numbers, as configured."""
    config = current_app.config
    return {
        "listing_days": config["LISTING_PERIOD_WORKING_DAYS"],
        "publicity_days": config["PUBLICITY_DAYS"],
        "release_days": config["DEPOSIT_RELEASE_WORKING_DAYS"],
        "signing_days": config["SIGNING_WORKING_DAYS"],
        "deposit_percent": _percent(config["DEFAULT_DEPOSIT_BPS"]),
        "announcement_days": config["AUCTION_ANNOUNCEMENT_DAYS"],
        "auction_min_hours": config["AUCTION_MIN_HOURS"],
        "auction_max_days": config["AUCTION_MAX_DAYS"],
        "max_increment_percent": _percent(config["AUCTION_MAX_INCREMENT_BPS"]),
        "platform_fee_percent": _percent(config["PLATFORM_FEE_BPS"]),
    }


def contacts() -> dict[str, str]:
    """The market's configured contacts (MARKET_CONTACT_*), the empty ones left out."""
    config = current_app.config
    values = {key.lower(): config.get(f"MARKET_CONTACT_{key}", "") for key in CONTACT_KEYS}
    return {key: value for key, value in values.items() if value}


@bp.route("/")
def index() -> str:
    """The help's contents."""
    return render_template("help/index.html", topics=TOPICS, topic=None, contacts=contacts())


@bp.route("/<topic>")
def page(topic: str) -> str:
    """One help page."""
    if topic not in TOPICS:
        abort(404)
    return render_template(
        f"help/{topic.replace('-', '_')}.html",
        topics=TOPICS,
        topic=topic,
        f=figures(),
        contacts=contacts(),
    )


def operator() -> dict[str, str]:
    """Who runs the market (MARKET_OPERATOR_*, MARKET_PRIVACY_*), the empty ones left out."""
    config = current_app.config
    names = ("OPERATOR_NAME", "OPERATOR_CREDIT_CODE", "PRIVACY_OFFICER", "PRIVACY_EMAIL")
    values = {name.lower(): config.get(f"MARKET_{name}", "") for name in names}
    return {key: value for key, value in values.items() if value}


def _legal_page(template: str) -> str:
    return render_template(
        template,
        version=TERMS_VERSION,
        contacts=contacts(),
        operator=operator(),
        f=figures(),
    )


@legal.route("/terms")
def terms() -> str:
    """The terms of use everyone accepts at sign-up (this version is recorded on the user)."""
    return _legal_page("legal/terms.html")


@legal.route("/privacy")
def privacy() -> str:
    """The privacy notice (个人信息保护法): what is collected, why, for how long, rights."""
    return _legal_page("legal/privacy.html")
