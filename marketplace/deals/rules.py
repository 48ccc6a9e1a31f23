"""Pure rules of deals: the milestones and what each party may do."""

from __future__ import annotations

from marketplace.deals.models import DealStatus
from marketplace.domain import N_, DomainError

# signed → paid → rights registered → completed, in that order.
MILESTONES: tuple[DealStatus, ...] = (
    DealStatus.AWAITING_SIGNATURE,
    DealStatus.SIGNED,
    DealStatus.PAID,
    DealStatus.RIGHTS_REGISTERED,
    DealStatus.COMPLETED,
)


class MilestoneOutOfOrder(DomainError):
    code = "milestone_out_of_order"


def next_milestone(current: DealStatus, target: DealStatus) -> DealStatus:
    """`target` if it is the milestone right after `current`, else MilestoneOutOfOrder."""
    if current in (DealStatus.CANCELLED, DealStatus.COMPLETED):
        raise MilestoneOutOfOrder(N_("This deal is closed."))
    position = MILESTONES.index(current)
    if position + 1 >= len(MILESTONES) or MILESTONES[position + 1] != target:
        raise MilestoneOutOfOrder(
            N_("The next step of this deal is %(step)s."), step=MILESTONES[position + 1].value
        )
    return target


def check_cancellable(current: DealStatus) -> None:
    """A deal can be cancelled until it is completed."""
    if current in (DealStatus.CANCELLED, DealStatus.COMPLETED):
        raise DomainError(N_("This deal is closed."), code="deal_closed")
