"""Ending a binding sale early: by agreement, by a reviewer's ruling, or by the rules.

No party cancels a deal alone (DOMAIN: a binding sale is a contract). A party proposes
a cancellation by agreement and the other confirms, or asks the market for a ruling
(default, breach, an upheld objection) and a reviewer upholds it naming the party at
fault, or dismisses it; the rules cancel a deal whose winner has not signed within the
set working days. Only then is the deal cancelled and its listing offered again; the
party at fault forfeits its deposit, the other's is released (payments answers
`deals.signals.deal_cancelled`). Every step is audited on the deal and told to the
other party. Services flush; the caller's unit of work commits.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import inspect, select

from accounts.models import User
from accounts.services import is_signed_in, require_reviewer, rows_for_reviewer
from core.clock import as_utc
from core.domain import N_, NotFound, PermissionDenied, ValidationFailed
from core.extensions import db
from core.row_lists import all_of
from core.rules_kit import decision_reason
from core.service_kit import audit_action, flush_new, get_or_not_found
from core.workdays import WorkCalendar
from deals import cancellation_rules as rules
from deals import services, telling
from deals.cancellation_rules import Answer, CancellationKind, CancellationStatus, Grounds, Side
from deals.models import Deal, DealCancellation, DealStatus

LAPSE_JOB = "deals.lapse_unsigned"
# The reason a deal cancelled by the rules shows (translated where it is shown).
LAPSED_REASON = N_("The winner did not sign the contract within the set working days.")


def _text(value: str, field: str) -> str:
    text = decision_reason(value, field)
    if len(text) > 2000:
        raise ValidationFailed(N_("At most 2000 characters."), field=field)
    return text


def side_of_actor(actor: User | None, deal: Deal) -> Side | None:
    """The side the actor acts for in the deal, or None (a stranger, a reviewer)."""
    org_id = actor.acting_org_id if is_signed_in(actor) else None
    return rules.side_of(org_id, deal.seller_org_id, deal.buyer_org_id)


def _party_side(actor: User, deal: Deal) -> Side:
    side = side_of_actor(actor, deal)
    if side is None:
        raise PermissionDenied(N_("Only a party to the deal may ask to cancel it."))
    return side


def org_of(deal: Deal, side: Side | None) -> int | None:
    """The organisation on `side` of the deal."""
    if side is None:
        return None
    return deal.seller_org_id if side == Side.SELLER else deal.buyer_org_id


def pending_of(deal_id: int) -> DealCancellation | None:
    """The deal's pending proposal or request, if any."""
    return db.session.scalar(
        select(DealCancellation).where(
            DealCancellation.deal_id == deal_id,
            DealCancellation.status == CancellationStatus.PENDING,
        )
    )


def history_of(deal_id: int) -> list[DealCancellation]:
    """Every proposal, request and ruling of the deal, newest first."""
    return all_of(
        select(DealCancellation)
        .where(DealCancellation.deal_id == deal_id)
        .order_by(DealCancellation.id.desc())
    )


def _audit(row: DealCancellation, step: str, actor_id: int | None, now: datetime) -> None:
    after = {
        "cancellation_id": row.id,
        "kind": row.kind.value,
        "status": row.status.value,
        "grounds": row.grounds.value if row.grounds else None,
        "at_fault": row.at_fault.value if row.at_fault else None,
    }
    reason = row.decision_note if row.decided_at else row.statement
    audit_action(
        f"deal.cancellation_{step}", row.deal_id, actor_id, now, after=after, reason=reason
    )


def check_open(
    actor: User, deal_id: int, kind: CancellationKind, statement: str,
    grounds: Grounds | None = None,
) -> tuple[Deal, Side, str]:  # fmt: skip
    """Whether the actor may propose or request this cancellation (writes nothing).

    The deal's page asks this before its confirmation step; `propose` and
    `request_ruling` ask it again. Returns the locked deal, the actor's side, the text.
    """
    deal = services.locked_deal(actor, deal_id)
    side = _party_side(actor, deal)
    if kind == CancellationKind.RULING and not isinstance(grounds, Grounds):
        raise ValidationFailed(N_("Choose the grounds of the request."), field="grounds")
    text = _text(statement, "reason" if kind == CancellationKind.AGREEMENT else "statement")
    check_may_open(actor, deal)
    return deal, side, text


def check_may_open(actor: User, deal: Deal) -> Side:
    """Whether the actor may ask to cancel `deal` now, by agreement or a ruling; its side."""
    side = _party_side(actor, deal)
    rules.check_open(deal.status, pending=_pending(deal) is not None)
    return side


def _pending(deal: Deal) -> DealCancellation | None:
    """The deal's pending cancellation: as loaded with a list of deals, else read now."""
    if "pending_cancellation" not in inspect(deal).unloaded:
        return deal.pending_cancellation
    return pending_of(deal.id)


def _open(
    actor: User, deal_id: int, kind: CancellationKind, statement: str, *, now: datetime,
    grounds: Grounds | None = None,
) -> DealCancellation:  # fmt: skip
    deal, side, text = check_open(actor, deal_id, kind, statement, grounds)
    return flush_new(
        DealCancellation(
            deal_id=deal.id,
            kind=kind,
            status=CancellationStatus.PENDING,
            grounds=grounds,
            statement=text,
            requested_by_side=side,
            requested_by_id=actor.id,
            created_at=now,
        )
    )


def propose(actor: User, deal_id: int, reason: str, *, now: datetime) -> DealCancellation:
    """A party proposes to cancel by agreement; nothing changes until the other confirms."""
    row = _open(actor, deal_id, CancellationKind.AGREEMENT, reason, now=now)
    _audit(row, "proposed", actor.id, now)
    telling.proposed(row, actor, now=now)
    return row


def request_ruling(
    actor: User, deal_id: int, grounds: Grounds, statement: str, *, now: datetime
) -> DealCancellation:
    """A party asks the market to cancel for default, breach or an upheld objection.

    A reviewer rules on it from the queue; until then the deal stands (and the rules
    do not cancel it for want of a signature).
    """
    row = _open(actor, deal_id, CancellationKind.RULING, statement, now=now, grounds=grounds)
    _audit(row, "requested", actor.id, now)
    telling.requested(row, actor, now=now)
    return row


def _locked_row(deal: Deal, cancellation_id: int) -> DealCancellation:
    row = get_or_not_found(
        DealCancellation, cancellation_id, N_("No such cancellation."), lock=True
    )
    if row.deal_id != deal.id:
        raise NotFound(N_("No such cancellation."))
    return row


def check_answer(
    actor: User, deal_id: int, cancellation_id: int, choice: Answer
) -> tuple[Deal, DealCancellation]:
    """Whether the actor may give this answer (writes nothing): the locked deal and row."""
    deal = services.locked_deal(actor, deal_id)
    row = _locked_row(deal, cancellation_id)
    rules.check_answer(
        row.kind, row.status, row.requested_by_side, side_of_actor(actor, deal), choice
    )
    return deal, row


def answer(
    actor: User,
    deal_id: int,
    cancellation_id: int,
    choice: Answer,
    *,
    now: datetime,
    note: str = "",
) -> DealCancellation:
    """The other party agrees (the deal is cancelled, no fault) or declines; the author withdraws."""
    deal, row = check_answer(actor, deal_id, cancellation_id, choice)
    row.status = {
        Answer.AGREE: CancellationStatus.AGREED,
        Answer.DECLINE: CancellationStatus.DECLINED,
        Answer.WITHDRAW: CancellationStatus.WITHDRAWN,
    }[choice]
    row.decided_by_id = actor.id
    row.decided_at = now
    row.decision_note = (note or "").strip()[:2000] or None
    _audit(row, row.status.value, actor.id, now)
    if choice == Answer.AGREE:
        services.end_deal(
            deal, row.statement or "", at_fault_org_id=None, now=now, actor_id=actor.id
        )
        telling.cancelled(deal, row, now=now)
    else:
        telling.answered(row, actor, now=now)
    return row


def check_rule(
    actor: User, deal_id: int, cancellation_id: int, *, upheld: bool, at_fault: Side | None,
    reason: str,
) -> tuple[Deal, DealCancellation, str]:  # fmt: skip
    """Whether the actor may give this ruling (writes nothing): the locked deal, row and note."""
    require_reviewer(actor)
    deal = services.locked_deal(actor, deal_id)
    row = _locked_row(deal, cancellation_id)
    note = _text(reason, "reason")
    rules.check_ruling(row.kind, row.status, upheld, at_fault)
    return deal, row, note


def rule(
    actor: User,
    deal_id: int,
    cancellation_id: int,
    *,
    upheld: bool,
    at_fault: Side | None,
    reason: str,
    now: datetime,
) -> DealCancellation:
    """A reviewer upholds a party's request, naming the party at fault, or dismisses it.

    Upheld: the deal is cancelled, the party at fault forfeits its deposit and the
    other's is released. Dismissed: nothing changes but the request's status.
    """
    deal, row, note = check_rule(
        actor, deal_id, cancellation_id, upheld=upheld, at_fault=at_fault, reason=reason
    )
    row.status = CancellationStatus.UPHELD if upheld else CancellationStatus.DISMISSED
    row.at_fault = at_fault if upheld else None
    row.decided_by_id = actor.id
    row.decided_at = now
    row.decision_note = note
    _audit(row, row.status.value, actor.id, now)
    telling.ruled(row, now=now)
    if upheld:
        services.end_deal(
            deal, note, at_fault_org_id=org_of(deal, at_fault), now=now, actor_id=actor.id
        )
        telling.cancelled(deal, row, now=now)
    return row


def pending_rulings(actor: User) -> list[DealCancellation]:
    """The reviewers' queue: requests waiting for a ruling, oldest first."""
    return rows_for_reviewer(
        actor,
        select(DealCancellation)
        .where(
            DealCancellation.kind == CancellationKind.RULING,
            DealCancellation.status == CancellationStatus.PENDING,
        )
        .order_by(DealCancellation.created_at, DealCancellation.id),
    )


def request_for_review(actor: User, cancellation_id: int) -> DealCancellation:
    """A request for a ruling, for the reviewers' page."""
    require_reviewer(actor)
    row = get_or_not_found(DealCancellation, cancellation_id, N_("No such cancellation."))
    if row.kind != CancellationKind.RULING:
        raise NotFound(N_("No such cancellation."))
    return row


def lapse_unsigned(*, now: datetime, calendar: WorkCalendar, working_days: int) -> int:
    """The rules: every online sale still unsigned past its deadline is cancelled, winner at fault.

    Deals with a pending proposal or request wait for it. Returns how many were cancelled.
    """
    # Working days are never fewer than calendar days: older than that is a cheap first cut.
    candidates = all_of(
        select(Deal.id)
        .where(
            Deal.status == DealStatus.AWAITING_SIGNATURE,
            Deal.source_type.is_not(None),
            Deal.created_at <= now - timedelta(days=working_days),
        )
        .order_by(Deal.id)
    )
    lapsed = 0
    for deal_id in candidates:
        deal = get_or_not_found(Deal, deal_id, N_("No such deal."), lock=True)
        if not rules.has_lapsed(
            deal.status, as_utc(deal.created_at), now, calendar=calendar,
            working_days=working_days, pending=pending_of(deal.id) is not None,
        ):  # fmt: skip
            continue
        row = flush_new(
            DealCancellation(
                deal_id=deal.id,
                kind=CancellationKind.RULES,
                status=CancellationStatus.APPLIED,
                at_fault=Side.BUYER,
                decided_at=now,
                decision_note=LAPSED_REASON,
                created_at=now,
            )
        )
        _audit(row, "applied", None, now)
        services.end_deal(
            deal, LAPSED_REASON, at_fault_org_id=deal.buyer_org_id, now=now, actor_id=None
        )
        telling.cancelled(deal, row, now=now)
        lapsed += 1
    return lapsed
