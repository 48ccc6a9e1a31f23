"""A listing's status transitions: submission, ownership review (确权), publication, withdrawal.

The use cases flush and never commit: the caller's unit of work (`core.uow`) commits.
"""

from __future__ import annotations

from datetime import datetime

from accounts.models import User
from accounts.services import require_reviewer
from core import outbox
from core.domain import N_, DomainError, ValidationFailed
from listings import legal_status
from listings.models import Listing
from listings.rules import ListingAction, SaleState, next_status
from listings.services import get_listing, record_change, require_owner, snapshot
from notifications.services import notify_org
from webhooks import events as webhook_events

PUBLISHED_TOPIC = "listing.published"  # consumed by search's saved-search alerts
NEEDS_TOPIC = "listing.published.needs"  # consumed by brokers: the open needs it answers


def submit(actor: User, listing_id: int, *, now: datetime) -> Listing:
    """Send a draft for ownership review: needs a verified organisation, an IP asset and evidence."""
    listing = get_listing(listing_id)
    require_owner(actor, listing)
    if not listing.organisation.is_verified:
        raise DomainError(
            N_("Your organisation must be verified by a reviewer before it can list."),
            code="organisation_not_verified",
        )
    if not listing.ip_assets:
        raise DomainError(N_("Add at least one IP asset before submitting."), code="no_ip_assets")
    if not listing.evidence:
        raise DomainError(
            N_("Attach ownership evidence (e.g. the patent certificate) before submitting."),
            code="no_evidence",
        )
    return _transition(actor, listing, ListingAction.SUBMIT, now=now)


def confirm_ownership(actor: User, listing_id: int, *, now: datetime, note: str = "") -> Listing:
    """A reviewer confirms the ownership (确权); recorded in the hash chain."""
    require_reviewer(actor)
    listing = _transition(
        actor,
        get_listing(listing_id),
        ListingAction.CONFIRM,
        now=now,
        reason=note.strip() or None,
        chained=True,
    )
    _tell_owner(listing, "listing.ownership_confirmed", now=now)
    return listing


def reject_ownership(actor: User, listing_id: int, reason: str, *, now: datetime) -> Listing:
    """A reviewer sends the listing back to draft with the reason; recorded in the hash chain."""
    require_reviewer(actor)
    if not reason.strip():
        raise ValidationFailed(N_("Give the reason for the decision."), field="reason")
    listing = _transition(
        actor,
        get_listing(listing_id),
        ListingAction.REJECT,
        now=now,
        reason=reason.strip(),
        chained=True,
    )
    _tell_owner(listing, "listing.ownership_refused", now=now, reason=reason.strip())
    return listing


def _tell_owner(listing: Listing, event: str, *, now: datetime, **params: str) -> None:
    """The owning organisation learns the reviewer's decision (notifications)."""
    notify_org(
        listing.organisation_id,
        event,
        params={**listing.titles(), **params},
        link=f"/listings/{listing.id}",
        now=now,
    )


def publish(actor: User, listing_id: int, *, now: datetime) -> Listing:
    """The owner publishes a confirmed listing: it becomes public and searchable."""
    listing = get_listing(listing_id)
    require_owner(actor, listing)
    legal_status.check_may_publish(listing)
    listing = _transition(actor, listing, ListingAction.PUBLISH, now=now)
    outbox.emit(PUBLISHED_TOPIC, listing.id, now=now)  # saved searches are matched once
    outbox.emit(NEEDS_TOPIC, listing.id, now=now)  # and open needs, once
    webhook_events.publish(
        listing.organisation_id,
        "listing.published",
        data=listing.titles(),
        link=f"/listings/{listing.id}",
        now=now,
    )
    return listing


def withdraw(actor: User, listing_id: int, *, now: datetime, reason: str = "") -> Listing:
    """The owner takes a listing off the market (not while it is being sold)."""
    listing = get_listing(listing_id)
    require_owner(actor, listing)
    if listing.sale_state not in (SaleState.AVAILABLE,):
        raise DomainError(
            N_("A listing cannot be withdrawn while it is on sale or sold."), code="on_sale"
        )
    return _transition(
        actor, listing, ListingAction.WITHDRAW, now=now, reason=reason.strip() or None
    )


def reopen(actor: User, listing_id: int, *, now: datetime) -> Listing:
    """Turn a withdrawn listing back into a draft (it must be reviewed again)."""
    listing = get_listing(listing_id)
    require_owner(actor, listing)
    return _transition(actor, listing, ListingAction.REOPEN, now=now)


def _transition(
    actor: User,
    listing: Listing,
    action: ListingAction,
    *,
    now: datetime,
    reason: str | None = None,
    chained: bool = False,
) -> Listing:
    before = snapshot(listing)
    listing.status = next_status(listing.status, action)
    stamp = {
        ListingAction.SUBMIT: "submitted_at",
        ListingAction.CONFIRM: "confirmed_at",
        ListingAction.PUBLISH: "published_at",
    }.get(action)
    if stamp:
        setattr(listing, stamp, now)
    listing.rejection_reason = reason if action == ListingAction.REJECT else None
    record_change(
        listing, actor, action.value, now=now, before=before, reason=reason, chained=chained
    )
    return listing
