"""What the caller may do now to a technology need (API `allowed_actions`).

Each check is the one the use case runs before it writes (`core.api_actions`).
"""

from __future__ import annotations

from datetime import datetime

from accounts.models import User
from listings import needs
from listings.models import TechNeed
from listings.need_rules import NeedAction


def _update(actor: User, need: TechNeed, now: datetime) -> None:
    needs.check_edit(actor, need)


def _close(actor: User, need: TechNeed, now: datetime) -> None:
    needs.check_transition(actor, need, NeedAction.CLOSE)


def _withdraw(actor: User, need: TechNeed, now: datetime) -> None:
    needs.check_transition(actor, need, NeedAction.WITHDRAW)


NEED_ACTIONS = {"update": _update, "close": _close, "withdraw": _withdraw}
