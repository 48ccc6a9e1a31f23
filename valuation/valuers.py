"""Who is a valuer: platform reviewers and accredited brokers, and what a report's signature says.

A valuer (a platform reviewer, or a broker for whom `brokers.broker_access.is_accredited`
is true) takes requests for formal reports and issues them (`valuation.requests`).
"""

from __future__ import annotations

from datetime import datetime

from flask_babel import gettext

from accounts.models import User
from accounts.services import is_signed_in
from brokers.broker_access import broker_of, is_accredited
from core.domain import N_, PermissionDenied

# Broker levels as they are written on a certificate.
_BROKER_LEVELS = {
    "junior": "初级技术经纪人",
    "intermediate": "中级技术经纪人",
    "senior": "高级技术经理人",
}
REVIEWER_CREDENTIAL = "平台评估审核员 · Platform reviewer"
# What the stored credential's words say, in the reader's language (reports keep what was signed).
_CREDENTIAL_WORDS = {
    REVIEWER_CREDENTIAL: N_("Platform valuation reviewer"),
    "初级技术经纪人": N_("Junior technology broker"),
    "中级技术经纪人": N_("Intermediate technology broker"),
    "高级技术经理人": N_("Senior technology manager"),
    "技术经纪人": N_("Technology broker"),
}


def _broker_accredited(user: User, now: datetime) -> bool:
    """Whether the user is an accredited technology broker today."""
    return bool(is_accredited(user, now=now))


def valuer_role(user: User | None, *, now: datetime) -> str | None:
    """'reviewer' or 'broker' when the user may issue formal reports, else None."""
    if not is_signed_in(user):
        return None
    if user.can_review:
        return "reviewer"
    return "broker" if _broker_accredited(user, now) else None


def is_valuer(user: User | None, *, now: datetime) -> bool:
    """Whether the user may take requests and issue formal reports."""
    return valuer_role(user, now=now) is not None


def require_valuer(actor: User | None, *, now: datetime) -> User:
    """The actor, or PermissionDenied unless a reviewer or an accredited broker."""
    if actor is None or not is_valuer(actor, now=now):
        raise PermissionDenied(
            N_("Only platform reviewers and accredited brokers may issue valuation reports.")
        )
    return actor


def credential_of(user: User, *, now: datetime) -> str:
    """The accreditation written under the signature of a report."""
    if user.can_review:
        return REVIEWER_CREDENTIAL
    broker = broker_of(user)
    if broker is None:
        return ""
    level = _BROKER_LEVELS.get(str(getattr(broker.level, "value", broker.level)), "技术经纪人")
    return f"{level} · {broker.certificate_number} · {broker.issuing_body}"


def credential_label(stored: str | None) -> str:
    """A report's stored credential in the reader's language, one language only."""
    if not stored:
        return ""
    if stored in _CREDENTIAL_WORDS:
        return gettext(_CREDENTIAL_WORDS[stored])
    level, sep, rest = stored.partition(" · ")
    if level in _CREDENTIAL_WORDS:
        return gettext(_CREDENTIAL_WORDS[level]) + sep + rest
    return stored
