"""What the caller may do now to a listed sale, a negotiation or a public notice (API).

Each check is the one the use case itself runs before it writes (`core.api_actions`).
"""

from __future__ import annotations

from datetime import datetime

from accounts.models import User
from core.api_actions import unless_refused
from core.clock import as_utc
from trading import listed_sales, rules
from trading.guards import org_of
from trading.models import Negotiation, NoticeStatus, PublicityNotice
from trading.notice_queries import objection_of
from trading.queries import can_accept, negotiation_state


def _offer(actor: User, negotiation: Negotiation, now: datetime) -> None:
    rules.check_offer(negotiation_state(negotiation), org_of(actor), 1)


def _message(actor: User, negotiation: Negotiation, now: datetime) -> None:
    rules.check_message(negotiation_state(negotiation), org_of(actor), "-")


def _accept(actor: User, negotiation: Negotiation, now: datetime) -> bool:
    return can_accept(actor, negotiation)


def _withdraw(actor: User, negotiation: Negotiation, now: datetime) -> None:
    rules.check_withdraw(negotiation_state(negotiation), org_of(actor))


def _object(actor: User, notice: PublicityNotice, now: datetime) -> bool:
    running = notice.status == NoticeStatus.RUNNING
    rules.check_objection(running, as_utc(notice.ends_at), now, "-" * 10)  # any valid reasons
    return objection_of(actor, notice) is None  # one objection each


SALE_ACTIONS = {
    "register_intent": unless_refused(listed_sales.check_intent, timed=True),
    "withdraw_intent": unless_refused(listed_sales.check_withdrawal, timed=True),
    "withdraw": listed_sales.check_cancel,
    "relist": listed_sales.check_relist,
}
NEGOTIATION_ACTIONS = {
    "offer": _offer,
    "message": _message,
    "accept": _accept,
    "withdraw": _withdraw,
}
NOTICE_ACTIONS = {"object": _object}
