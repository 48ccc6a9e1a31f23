"""What the caller may do now to a technology need (API `allowed_actions`).

Each check is the one the use case runs before it writes (`core.api_actions`).
"""

from __future__ import annotations

from core.api_actions import unless_refused
from listings import needs
from listings.need_rules import NeedAction

NEED_ACTIONS = {
    "update": unless_refused(needs.check_edit),
    "close": unless_refused(needs.check_transition, NeedAction.CLOSE),
    "withdraw": unless_refused(needs.check_transition, NeedAction.WITHDRAW),
}
