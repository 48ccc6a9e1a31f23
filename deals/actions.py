"""What the caller may do now to a deal (API `allowed_actions`).

Each check is the one the use case runs before it writes (`core.api_actions`): the
next milestone in order (`rules.next_milestone`) by whom may record it
(`services.may_advance`); a cancellation by a party while none is pending.
"""

from __future__ import annotations

from datetime import datetime

from accounts.models import User
from core.api_actions import Check, unless_refused
from deals import cancellation, rules, services
from deals.models import Deal
from deals.rules import DealStatus


def _milestone(target: DealStatus) -> Check:
    def check(actor: User, deal: Deal, now: datetime) -> bool:
        rules.next_milestone(deal.status, target)
        return services.may_advance(actor, deal, target)

    return check


DEAL_ACTIONS: dict[str, Check] = {
    **{f"milestone_{target.value}": _milestone(target) for target in rules.MILESTONES[1:]},
    "propose_cancellation": unless_refused(cancellation.check_may_open),
    "request_ruling": unless_refused(cancellation.check_may_open),
}
