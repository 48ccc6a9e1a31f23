"""Events' use cases: schedule, cancel, register and cancel a registration; read them.

The market's administrators (`User.is_admin`) and accredited brokers (for their agency)
schedule events; members of verified organisations register. Every change is audited.
They flush; the caller's unit of work commits.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, or_, select

from accounts.models import User
from accounts.services import is_signed_in
from brokers.broker_access import require_accredited
from core.domain import N_, PermissionDenied, ValidationFailed
from core.extensions import db
from core.row_lists import all_of
from core.service_kit import audit_action, flush_new, get_or_not_found
from events.models import AgendaItem, Event, Registration
from events.rules import (
    MAX_AGENDA,
    EventFormat,
    EventRuleBroken,
    Schedule,
    check_may_register,
    check_schedule,
)
from listings.models import Listing
from listings.rules import ListingStatus

PAGE = 50


@dataclass(frozen=True)
class NewEvent:
    """An event as its organiser describes it."""

    title: str
    title_en: str | None
    description: str
    schedule: Schedule
    listing_ids: tuple[int, ...] = ()


def _organiser_org(actor: User, now: datetime) -> int | None:
    """None for the market's administrators; an accredited broker schedules for the agency."""
    if not is_signed_in(actor):
        raise PermissionDenied(N_("Please sign in to continue."))
    if actor.is_admin:
        return None
    return require_accredited(actor, now=now).organisation_id


def _agenda(listing_ids: tuple[int, ...]) -> list[AgendaItem]:
    ids = list(dict.fromkeys(listing_ids))
    if len(ids) > MAX_AGENDA:
        raise ValidationFailed(N_("An agenda holds at most 30 listings."), field="listing_ids")
    published = set(
        db.session.scalars(
            select(Listing.id).where(Listing.id.in_(ids), Listing.status == ListingStatus.PUBLISHED)
        )
    )
    if published != set(ids):
        raise ValidationFailed(N_("Only published listings can be pitched."), field="listing_ids")
    return [AgendaItem(listing_id=x, position=i) for i, x in enumerate(ids, start=1)]


def schedule(actor: User, data: NewEvent, *, now: datetime) -> Event:
    """Schedule an event with its agenda (the market's, or the broker's agency's)."""
    org_id = _organiser_org(actor, now)
    if not data.title.strip():
        raise ValidationFailed(N_("Give the event a title."), field="title")
    check_schedule(data.schedule, now)
    plan = data.schedule
    event = Event(
        title=data.title.strip(),
        title_en=(data.title_en or "").strip() or None,
        description=data.description.strip(),
        format=plan.format,
        venue=plan.venue.strip() if plan.format != EventFormat.ONLINE else None,
        stream_url=plan.stream_url.strip() if plan.format != EventFormat.OFFLINE else None,
        starts_at=plan.starts_at,
        ends_at=plan.ends_at,
        capacity=plan.capacity,
        organiser_org_id=org_id,
        created_by_id=actor.id,
        created_at=now,
    )
    event.agenda = _agenda(data.listing_ids)
    flush_new(event)
    after = {
        "title": event.title, "format": str(plan.format), "starts_at": plan.starts_at.isoformat(),
        "capacity": plan.capacity, "listing_ids": list(data.listing_ids),
    }  # fmt: skip
    audit_action("event.schedule", event.id, actor.id, now, after=after)
    return event


def get_event(event_id: int) -> Event:
    """An event by id, or NotFound (every event is public)."""
    return get_or_not_found(Event, event_id, N_("No such event."))


def may_manage(actor: User | None, event: Event) -> bool:
    """The market's administrators manage every event; an agency's members manage its own."""
    if not is_signed_in(actor):
        return False
    if actor.is_admin:
        return True
    return event.organiser_org_id is not None and actor.acting_org_id == event.organiser_org_id


def require_manager(actor: User | None, event_id: int) -> Event:
    """The event, or PermissionDenied unless the actor manages it."""
    event = get_event(event_id)
    if not may_manage(actor, event):
        raise PermissionDenied(N_("Only the event's organiser may do this."))
    return event


def cancel_event(actor: User, event_id: int, *, now: datetime) -> Event:
    """The organiser calls an upcoming event off (registrations stay, for the record)."""
    event = require_manager(actor, event_id)
    if event.cancelled_at is not None or event.starts_at <= now:
        raise EventRuleBroken(N_("Only an upcoming event can be cancelled."), code="not_upcoming")
    event.cancelled_at = now
    db.session.flush()
    audit_action("event.cancel", event.id, actor.id, now)
    return event


def _participant(actor: User | None) -> tuple[User, int]:
    if not is_signed_in(actor) or actor.acting_org_id is None:
        raise PermissionDenied(N_("Only members of a verified organisation may register."))
    org = actor.organisation
    if org is None or not org.is_verified:
        raise PermissionDenied(N_("Only members of a verified organisation may register."))
    return actor, actor.acting_org_id


def taken(event_id: int) -> int:
    """How many places are taken (registrations not cancelled)."""
    count = db.session.scalar(
        select(func.count(Registration.id)).where(
            Registration.event_id == event_id, Registration.cancelled_at.is_(None)
        )
    )
    return int(count or 0)


def registration_of(actor: User | None, event_id: int) -> Registration | None:
    """The actor's registration in force for the event, if any."""
    if not is_signed_in(actor):
        return None
    return db.session.scalar(
        select(Registration).where(
            Registration.event_id == event_id,
            Registration.user_id == actor.id,
            Registration.cancelled_at.is_(None),
        )
    )


def check_registrable(actor: User | None, event: Event, now: datetime) -> tuple[User, int]:
    """The participant and their organisation, or the refusal of their registration."""
    user, org_id = _participant(actor)
    if registration_of(user, event.id) is not None:
        raise EventRuleBroken(N_("You are already registered."), code="already_registered")
    check_may_register(
        starts_at=event.starts_at, cancelled=event.cancelled_at is not None,
        taken=taken(event.id), capacity=event.capacity, now=now,
    )  # fmt: skip
    return user, org_id


def stream_for(actor: User | None, event: Event) -> str | None:
    """The stream's link, for the event's registered participants and its organisers only."""
    if event.stream_url and (may_manage(actor, event) or registration_of(actor, event.id)):
        return event.stream_url
    return None


def register(actor: User, event_id: int, *, now: datetime) -> Registration:
    """Take a place at the event (again, after a cancellation), within its limit."""
    _participant(actor)
    event = get_or_not_found(Event, event_id, N_("No such event."), lock=True)
    user, org_id = check_registrable(actor, event, now)
    row = db.session.scalar(
        select(Registration).where(
            Registration.event_id == event.id, Registration.user_id == user.id
        )
    )
    if row is None:
        row = flush_new(
            Registration(event_id=event.id, user_id=user.id, org_id=org_id, registered_at=now)
        )
    else:
        row.cancelled_at, row.registered_at, row.org_id = None, now, org_id
        db.session.flush()
    audit_action("event.register", event.id, user.id, now, after={"user_id": user.id})
    return row


def cancel_registration(actor: User, event_id: int, *, now: datetime) -> Registration:
    """Give one's place back before the event starts."""
    event = get_event(event_id)
    row = registration_of(actor, event.id)
    if row is None:
        raise PermissionDenied(N_("You are not registered for this event."), code="not_registered")
    if now >= event.starts_at:
        raise EventRuleBroken(N_("The event has started."), code="started")
    row.cancelled_at = now
    db.session.flush()
    audit_action("event.unregister", event.id, actor.id, now, after={"user_id": actor.id})
    return row


def find_events(*, text: str = "", when: str = "", format: str = "", now: datetime) -> list[Event]:
    """Events by words (title, description, venue), upcoming or past, and format."""
    query = select(Event)
    words = text.strip()[:200]
    if words:
        like = f"%{words}%"
        query = query.where(
            or_(
                Event.title.ilike(like), Event.title_en.ilike(like),
                Event.description.ilike(like), Event.venue.ilike(like),
            )
        )  # fmt: skip
    if format in EventFormat._value2member_map_:
        query = query.where(Event.format == EventFormat(format))
    if when == "past":
        query = query.where(Event.ends_at < now).order_by(Event.starts_at.desc())
    elif when == "upcoming":
        query = query.where(Event.ends_at >= now).order_by(Event.starts_at)
    else:
        query = query.order_by(Event.starts_at.desc())
    return all_of(query.limit(PAGE))


def pitched_listings(event: Event) -> list[Listing]:
    """The agenda's listings, in its order."""
    listings = {x.id: x for x in db.session.scalars(
        select(Listing).where(Listing.id.in_([a.listing_id for a in event.agenda]))
    )}  # fmt: skip
    return [listings[a.listing_id] for a in event.agenda if a.listing_id in listings]


def check_may_schedule(actor: User, *, now: datetime) -> None:
    """PermissionDenied unless the actor may schedule events (the form's page asks too)."""
    _organiser_org(actor, now)
