"""Pure rules of ending a binding sale early (DOMAIN: deals, both channels).

A sale concluded on the market is a contract. It ends early only by mutual agreement
(one party proposes, the other confirms), by a reviewer's ruling on a party's request
(the party at fault forfeits its deposit), or by the rules (the winner has not signed
within the set working days). No party cancels alone.
"""

from __future__ import annotations

import enum
from datetime import datetime

from core.domain import N_, DomainError, PermissionDenied, ValidationFailed
from core.workdays import WorkCalendar
from deals.rules import DealStatus, Side


class CancellationKind(enum.StrEnum):
    """How the cancellation is sought."""

    AGREEMENT = "agreement"  # one party proposes, the other confirms
    RULING = "ruling"  # a party asks, a reviewer rules
    RULES = "rules"  # the winner did not sign in time


class CancellationStatus(enum.StrEnum):
    """pending → agreed / declined / withdrawn (agreement), upheld / dismissed / withdrawn (ruling)."""

    PENDING = "pending"
    AGREED = "agreed"
    DECLINED = "declined"
    WITHDRAWN = "withdrawn"
    UPHELD = "upheld"
    DISMISSED = "dismissed"
    APPLIED = "applied"  # by the rules


class Grounds(enum.StrEnum):
    """Why a party asks the market to end the deal."""

    DEFAULT = "default"  # the other party does not perform (违约: does not sign, does not pay)
    BREACH = "breach"  # the other party breaks a term of the contract
    OBJECTION_UPHELD = "objection_upheld"  # an objection (异议) to the sale was upheld


class Answer(enum.StrEnum):
    """What a party may do to a pending cancellation."""

    AGREE = "agree"
    DECLINE = "decline"
    WITHDRAW = "withdraw"


# The statuses that mean the deal was really cancelled.
CANCELLING = frozenset(
    {CancellationStatus.AGREED, CancellationStatus.UPHELD, CancellationStatus.APPLIED}
)


class CancellationRefused(DomainError):
    code = "cancellation_refused"


def side_of(org_id: int | None, seller_org_id: int, buyer_org_id: int | None) -> Side | None:
    """The side `org_id` acts for in the deal, or None for anyone else."""
    if org_id is None:
        return None
    if org_id == seller_org_id:
        return Side.SELLER
    if org_id == buyer_org_id:
        return Side.BUYER
    return None


def other(side: Side) -> Side:
    """The other party."""
    return Side.BUYER if side == Side.SELLER else Side.SELLER


def check_open(deal_status: DealStatus, *, pending: bool) -> None:
    """A cancellation may be sought while the deal is live and nothing else is pending."""
    if deal_status in (DealStatus.CANCELLED, DealStatus.COMPLETED):
        raise DomainError(N_("This deal is closed."), code="deal_closed")
    if pending:
        raise CancellationRefused(
            N_("A cancellation of this deal is already pending: answer or withdraw it first."),
            code="cancellation_pending",
        )


def check_answer(
    kind: CancellationKind,
    status: CancellationStatus,
    requested_by: Side | None,
    answering: Side | None,
    answer: Answer,
) -> None:
    """The other party agrees to or declines a proposal; its author withdraws a pending one."""
    if status != CancellationStatus.PENDING:
        raise CancellationRefused(N_("This cancellation is no longer pending."), code="not_pending")
    if answering is None:
        raise PermissionDenied(N_("Only a party to the deal may answer."))
    if answer == Answer.WITHDRAW:
        if answering != requested_by:
            raise PermissionDenied(N_("Only the party that asked may withdraw."))
        return
    if kind != CancellationKind.AGREEMENT:
        raise CancellationRefused(
            N_("A reviewer rules on this request; the parties do not answer it."),
            code="awaits_ruling",
        )
    if answering == requested_by:
        raise PermissionDenied(N_("The other party must confirm: you cannot cancel alone."))


def check_ruling(
    kind: CancellationKind, status: CancellationStatus, upheld: bool, at_fault: Side | None
) -> None:
    """A reviewer rules once on a pending request; upholding it names the party at fault."""
    if kind != CancellationKind.RULING:
        raise CancellationRefused(
            N_("The parties answer a proposal by agreement; a reviewer does not rule on it."),
            code="not_a_request",
        )
    if status != CancellationStatus.PENDING:
        raise CancellationRefused(N_("This cancellation is no longer pending."), code="not_pending")
    if upheld and at_fault is None:
        raise ValidationFailed(N_("Name the party at fault."), field="at_fault")


def signing_deadline(created_at: datetime, calendar: WorkCalendar, working_days: int) -> datetime:
    """When the winner must have signed: `working_days` market working days after the sale."""
    return calendar.add_working_days(created_at, working_days)


def has_lapsed(
    deal_status: DealStatus,
    created_at: datetime,
    now: datetime,
    *,
    calendar: WorkCalendar,
    working_days: int,
    pending: bool,
) -> bool:
    """Whether the rules cancel the deal now: still unsigned past the signing deadline.

    A pending request for a ruling (or proposal) holds the rules back: a seller who
    never records the signature cannot make the winner forfeit while the winner's
    complaint waits for a reviewer.
    """
    if deal_status != DealStatus.AWAITING_SIGNATURE or pending:
        return False
    return now >= signing_deadline(created_at, calendar, working_days)
