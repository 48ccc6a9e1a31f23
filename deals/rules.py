"""Pure rules of deals: the milestones and what each party may do."""

from __future__ import annotations

import enum
from datetime import datetime, timedelta

from core.domain import N_, DomainError


class SaleMethod(enum.StrEnum):
    """How the price was set (促进科技成果转化法 Art. 18)."""

    LISTED = "listed"  # 挂牌
    NEGOTIATED = "negotiated"  # 协议定价
    AUCTION = "auction"  # 拍卖


class Side(enum.StrEnum):
    """A side of a sale: the seller or the buyer (of a deal, a mandate, a commission)."""

    SELLER = "seller"
    BUYER = "buyer"


class Channel(enum.StrEnum):
    """Where the deal was closed."""

    ONLINE = "online"
    OFFLINE = "offline"


class ContractType(enum.StrEnum):
    """Contract types of technology-contract registration (技术合同认定登记)."""

    DEVELOPMENT_COMMISSIONED = "development_commissioned"
    DEVELOPMENT_COOPERATIVE = "development_cooperative"
    TRANSFER = "transfer"
    LICENCE = "licence"
    CONSULTING = "consulting"
    SERVICE = "service"


class DealStatus(enum.StrEnum):
    """awaiting signature → signed → paid → rights registered → completed, or cancelled."""

    AWAITING_SIGNATURE = "awaiting_signature"
    SIGNED = "signed"
    PAID = "paid"
    RIGHTS_REGISTERED = "rights_registered"
    COMPLETED = "completed"
    CANCELLED = "cancelled"


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


def overdue_step(
    status: DealStatus, reached_at: datetime | None, now: datetime, days: int
) -> DealStatus | None:
    """The milestone a signed deal has waited more than `days` days for since its last one,
    or None (not late; not signed yet: the signing deadline's rules apply; closed)."""
    if status not in (DealStatus.SIGNED, DealStatus.PAID, DealStatus.RIGHTS_REGISTERED):
        return None
    if reached_at is None or now - reached_at <= timedelta(days=days):
        return None
    return MILESTONES[MILESTONES.index(status) + 1]
