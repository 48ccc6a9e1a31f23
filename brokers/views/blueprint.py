"""The brokers blueprint, the label tables its templates share, and the pages' helpers."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import Blueprint, current_app, url_for
from flask_babel import lazy_gettext as _l
from werkzeug.routing import BuildError

from brokers.rules import (
    AccreditationStatus,
    BrokerLevel,
    IntroductionKind,
    IntroductionStatus,
    MandateSide,
    MandateStatus,
    Payer,
)
from core.storage import area_folder

bp = Blueprint("brokers", __name__, url_prefix="/brokers")

BROKER_LEVEL = {
    BrokerLevel.JUNIOR: (_l("Junior technology broker"), "初级技术经纪人"),
    BrokerLevel.INTERMEDIATE: (_l("Intermediate technology broker"), "中级技术经纪人"),
    BrokerLevel.SENIOR: (_l("Senior technology manager"), "高级技术经理人"),
}
ACCREDITATION = {
    AccreditationStatus.PENDING: (_l("Awaiting review"), "warning"),
    AccreditationStatus.ACCREDITED: (_l("Accredited"), "success"),
    AccreditationStatus.REFUSED: (_l("Refused"), "danger"),
}
MANDATE_STATUS = {
    MandateStatus.PROPOSED: (_l("Awaiting acceptance"), "warning"),
    MandateStatus.ACTIVE: (_l("In force"), "success"),
    MandateStatus.TERMINATED: (_l("Ended by notice"), "secondary"),
    MandateStatus.DECLINED: (_l("Declined"), "danger"),
    MandateStatus.WITHDRAWN: (_l("Withdrawn"), "dark"),
}
INTRODUCTION_STATUS = {
    IntroductionStatus.PROPOSED: (_l("Awaiting both parties"), "warning"),
    IntroductionStatus.ACCEPTED: (_l("Accepted by both"), "success"),
    IntroductionStatus.DECLINED: (_l("Declined"), "danger"),
}
MANDATE_SIDE = {MandateSide.SELLER: _l("For the seller"), MandateSide.BUYER: _l("For the buyer")}
PAYER = {Payer.SELLER: _l("The seller pays"), Payer.BUYER: _l("The buyer pays")}
INTRODUCTION_KIND = {
    IntroductionKind.BUYER_TO_LISTING: _l("A buyer introduced to a listing"),
    IntroductionKind.SELLER_TO_NEED: _l("A seller introduced to a need"),
}
DOCUMENT_KIND = {
    "certificate": _l("Broker certificate"),
    "identity": _l("Identity document"),
    "training": _l("Training record"),
    "other": _l("Other document"),
}
LANGUAGE = {
    "zh": _l("Chinese"),
    "en": _l("English"),
    "ja": _l("Japanese"),
    "ko": _l("Korean"),
    "de": _l("German"),
    "fr": _l("French"),
    "ru": _l("Russian"),
}


@bp.record_once
def _labels(state: Any) -> None:
    """Broker label tables as template globals (macros and the deal page see them too)."""
    state.app.jinja_env.globals.update(
        BROKER_LEVEL=BROKER_LEVEL,
        ACCREDITATION=ACCREDITATION,
        MANDATE_STATUS=MANDATE_STATUS,
        INTRODUCTION_STATUS=INTRODUCTION_STATUS,
        MANDATE_SIDE=MANDATE_SIDE,
        PAYER=PAYER,
        INTRODUCTION_KIND=INTRODUCTION_KIND,
        BROKER_DOCUMENT_KIND=DOCUMENT_KIND,
        LANGUAGE=LANGUAGE,
    )


@bp.app_template_filter("bps_percent")
def bps_percent(bps: int | None) -> str:
    """Basis points as a percentage without trailing zeros: 200 → "2", 150 → "1.5"."""
    if bps is None:
        return ""
    whole, rest = divmod(bps, 100)
    return str(whole) if rest == 0 else f"{whole}.{rest:02d}".rstrip("0")


def upload_folder() -> Path:
    """Where broker application documents are stored."""
    return area_folder("brokers")


def expiry_warning_days() -> int:
    """How many days before a certificate expires its broker is warned."""
    return int(current_app.config.get("BROKER_EXPIRY_WARNING_DAYS", 60))


def matches_url(kind: str, object_id: int) -> str:
    """The needs engineer's matches page of a listing or a need (a plain path if not there)."""
    endpoint, arg = (
        ("matching.listing_matches", "listing_id")
        if kind == "listing"
        else ("matching.need_matches", "need_id")
    )
    try:
        values: dict[str, Any] = {arg: object_id}
        return url_for(endpoint, **values)
    except BuildError:
        return f"/{'listings' if kind == 'listing' else 'needs'}/{object_id}/matches"
