"""Requests for formal valuation reports and their workflow: request, take, decline, withdraw, issue.

* the seller (a member of the listing's organisation) may request a formal report of its
  listing; a buyer (a member of another verified organisation) may request one of a
  published listing; the report is the buyer's: only the buyer, the valuer and the
  reviewers see it;
* a valuer (`valuation.valuers`) takes a request, then issues the signed report or
  declines with a reason; a valuer never values a listing of, or for, their own
  organisation.

The use cases flush and never commit: the caller's unit of work (`core.uow`) commits.
Those that lock a request (take, decline, withdraw, issue) are run in
`unit_of_work(writer=True)`, so that on SQLite racing valuers queue for the write lock.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from accounts.models import User
from accounts.services import is_signed_in
from core.domain import N_, NotFound, PermissionDenied, ValidationFailed
from core.extensions import db
from core.row_lists import all_of
from core.service_kit import audit_action, flush_new, get_or_not_found
from listings import services as listings
from listings.rules import ListingStatus
from notifications.services import notify_org
from valuation import indicative_rules, rules
from valuation.indicative_rules import IndicativeInputs
from valuation.models import Valuation, ValuationRequest
from valuation.queries import comparable_candidates, market_subject
from valuation.rules import BUYER, SELLER, Kind, Purpose, RequestAction, RequestStatus
from valuation.serialisation import result_to_dict
from valuation.services import record_valuation
from valuation.valuers import is_valuer, require_valuer


def _member_org(actor: User) -> int:
    org_id = actor.acting_org_id
    if org_id is None or actor.organisation is None or not actor.organisation.is_verified:
        raise PermissionDenied(
            N_("Only members of a verified organisation may request a valuation.")
        )
    return org_id


def request_valuation(
    actor: User,
    listing_id: int,
    purpose: str,
    *,
    now: datetime,
    purpose_kind: Purpose = Purpose.OTHER,
) -> ValuationRequest:
    """A seller (its listing) or a buyer (a published listing) asks for a formal report."""
    org_id = _member_org(actor)
    listing = listings.visible_listing(actor, listing_id)
    side = SELLER if listing.organisation_id == org_id else BUYER
    if side == BUYER and listing.status != ListingStatus.PUBLISHED:
        raise NotFound(N_("No such listing."))
    if side == SELLER and listing.status == ListingStatus.WITHDRAWN:
        raise ValidationFailed(N_("A withdrawn listing cannot be valued."), field="_form")
    purpose = (purpose or "").strip()
    if not purpose:
        raise ValidationFailed(
            N_("Say what the valuation is for (a sale, a licence, an investment, …)."),
            field="purpose",
        )
    if len(purpose) > 2000:
        raise ValidationFailed(N_("Keep the purpose under 2,000 characters."), field="purpose")
    open_one = db.session.scalar(
        select(ValuationRequest.id).where(
            ValuationRequest.listing_id == listing.id,
            ValuationRequest.requester_org_id == org_id,
            ValuationRequest.status.in_(rules.OPEN_REQUEST_STATUSES),
        )
    )
    if open_one is not None:
        raise rules.RequestNotAllowed(
            N_("Your organisation already has an open valuation request for this listing."),
            code="valuation_request_open",
        )
    request = flush_new(
        ValuationRequest(
            listing_id=listing.id,
            requester_org_id=org_id,
            requested_by_id=actor.id,
            side=side,
            purpose=purpose,
            purpose_kind=purpose_kind,
            status=RequestStatus.REQUESTED,
            created_at=now,
            updated_at=now,
        )
    )
    after = {"status": request.status.value, "listing_id": listing.id, "side": side, "purpose_kind": purpose_kind.value}  # fmt: skip
    audit_action("valuation_request.request", request.id, actor.id, now, after=after)
    return request


def get_request(request_id: int, *, lock: bool = False) -> ValuationRequest:
    """A valuation request by id (locked for update when `lock`), or NotFound.

    With `lock`, of two valuers racing for one request one wins, the other sees it in
    progress (on SQLite the caller's `unit_of_work(writer=True)` took the write lock first).
    """
    return get_or_not_found(
        ValuationRequest, request_id, N_("No such valuation request."), lock=lock
    )


def _conflicted(actor: User, request: ValuationRequest) -> bool:
    """A valuer's own organisation is the seller or the requester."""
    org = actor.acting_org_id
    return org is not None and org in (request.requester_org_id, request.listing.organisation_id)


def can_view_request(actor: User | None, request: ValuationRequest, *, now: datetime) -> bool:
    """The requesting organisation, reviewers, the assigned valuer, and valuers while it is open."""
    if not is_signed_in(actor):
        return False
    if actor.can_review or actor.acting_org_id == request.requester_org_id:
        return True
    if request.valuer_id == actor.id:
        return True
    return (
        request.status == RequestStatus.REQUESTED
        and is_valuer(actor, now=now)
        and not _conflicted(actor, request)
    )


def visible_request(actor: User | None, request_id: int, *, now: datetime) -> ValuationRequest:
    """A request the actor may see; others look like they do not exist."""
    request = get_request(request_id)
    if not can_view_request(actor, request, now=now):
        raise NotFound(N_("No such valuation request."))
    return request


def _move(
    actor: User,
    request: ValuationRequest,
    action: RequestAction,
    *,
    now: datetime,
    reason: str | None = None,
) -> None:
    before = request.status
    request.status = rules.next_request_status(request.status, action)
    request.updated_at = now
    audit_action(
        f"valuation_request.{action.value}",
        request.id,
        actor.id,
        now,
        before={"status": before.value},
        after={"status": request.status.value, "valuer_id": request.valuer_id},
        reason=reason,
    )


def check_take(actor: User, request: ValuationRequest, *, now: datetime) -> None:
    """Whether the actor (a valuer) may take `request` now (writes nothing)."""
    require_valuer(actor, now=now)
    if _conflicted(actor, request):
        raise PermissionDenied(
            N_("You may not value a listing of, or for, your own organisation."),
            code="valuer_conflict",
        )
    rules.next_request_status(request.status, RequestAction.TAKE)


def check_decline(actor: User, request: ValuationRequest, *, now: datetime) -> None:
    """Whether the actor may decline `request` now: only the valuer who took it."""
    require_valuer(actor, now=now)
    if request.valuer_id is None and request.status == RequestStatus.REQUESTED:
        raise rules.RequestNotAllowed(
            N_(
                "You have not taken this request: only the valuer who took it may decline "
                "it. Leave it open for another valuer."
            ),
            code="valuation_not_taken",
        )
    if request.valuer_id != actor.id:
        raise PermissionDenied(
            N_("Another valuer is working on this request: only they may decline it."),
            code="valuation_not_yours",
        )
    rules.next_request_status(request.status, RequestAction.DECLINE)


def check_withdraw(actor: User, request: ValuationRequest) -> None:
    """Whether the actor may withdraw `request` now: the organisation that asked."""
    if actor.acting_org_id != request.requester_org_id:
        raise PermissionDenied(N_("Only the organisation that asked may withdraw the request."))
    rules.next_request_status(request.status, RequestAction.WITHDRAW)


def check_report(actor: User, request: ValuationRequest, *, now: datetime) -> None:
    """Whether the actor may issue the report of `request` now: its valuer, while in progress."""
    _require_assigned(actor, request, now=now)
    if request.status != RequestStatus.IN_PROGRESS:
        rules.next_request_status(request.status, RequestAction.ISSUE)  # raises


def take_request(actor: User, request_id: int, *, now: datetime) -> ValuationRequest:
    """A valuer takes an open request: it is in progress, and theirs."""
    require_valuer(actor, now=now)
    request = get_request(request_id, lock=True)
    check_take(actor, request, now=now)
    request.valuer_id = actor.id
    _move(actor, request, RequestAction.TAKE, now=now)
    return request


def _require_assigned(actor: User, request: ValuationRequest, *, now: datetime) -> None:
    require_valuer(actor, now=now)
    if request.valuer_id is not None and request.valuer_id != actor.id:
        raise PermissionDenied(N_("Another valuer is working on this request."))


def decline_request(
    actor: User, request_id: int, reason: str, *, now: datetime
) -> ValuationRequest:
    """The valuer who took a request declines it, with a reason.

    An open request is not any one valuer's to decline: whoever does not want it leaves
    it for another valuer, and a request another valuer took is theirs alone.
    """
    request = get_request(request_id, lock=True)
    check_decline(actor, request, now=now)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed(N_("Give the reason for declining."), field="reason")
    request.decline_reason = reason[:2000]
    _move(actor, request, RequestAction.DECLINE, now=now, reason=request.decline_reason)
    listing = request.listing
    notify_org(
        request.requester_org_id,
        "valuation.declined",
        params={**listing.titles(), "reason": request.decline_reason},
        link=f"/valuation-requests/{request.id}",
        now=now,
    )
    return request


def withdraw_request(actor: User, request_id: int, *, now: datetime) -> ValuationRequest:
    """The requesting organisation withdraws its request before the report is issued."""
    request = get_request(request_id, lock=True)
    check_withdraw(actor, request)
    _move(actor, request, RequestAction.WITHDRAW, now=now)
    return request


def issue_report(
    actor: User,
    request_id: int,
    inputs: IndicativeInputs,
    opinion: str,
    *,
    now: datetime,
) -> Valuation:
    """The assigned valuer issues the signed formal report; the request is issued."""
    request = get_request(request_id, lock=True)
    check_report(actor, request, now=now)
    opinion = (opinion or "").strip()
    if not opinion:
        raise ValidationFailed(
            N_("Write the valuer's opinion: the method chosen and why."), field="opinion"
        )
    listing = request.listing
    result = indicative_rules.indicative_valuation(
        inputs, market_subject(listing, now=now), comparable_candidates(listing, now=now)
    )
    valuation = record_valuation(
        actor,
        listing,
        inputs,
        result_to_dict(result, inputs),
        kind=Kind.FORMAL,
        side=request.side,
        organisation_id=request.requester_org_id,
        now=now,
        request=request,
        opinion=opinion[:10_000],
    )
    _move(actor, request, RequestAction.ISSUE, now=now)
    notify_org(
        request.requester_org_id,
        "valuation.issued",
        params=listing.titles(),
        link=f"/valuations/{valuation.id}",
        now=now,
    )
    return valuation


def valuer_queue(actor: User, *, now: datetime) -> dict[str, list[ValuationRequest]]:
    """For a valuer: open requests anyone may take, and the ones they work on or finished."""
    require_valuer(actor, now=now)
    open_requests = [
        r
        for r in db.session.scalars(
            select(ValuationRequest)
            .where(ValuationRequest.status == RequestStatus.REQUESTED)
            .order_by(ValuationRequest.created_at, ValuationRequest.id)
        )
        if not _conflicted(actor, r)
    ]
    mine = all_of(
        select(ValuationRequest)
        .where(ValuationRequest.valuer_id == actor.id)
        .order_by(ValuationRequest.updated_at.desc(), ValuationRequest.id.desc())
    )
    return {"open": open_requests, "mine": mine}
