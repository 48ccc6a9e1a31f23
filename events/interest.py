"""Interest shown at an event, and the event's materials.

A participant asks for contact with a pitched listing's holder, or for an introduction:
the holder's members are told, and so are the brokers whose mandate on the listing is in
force (they make introductions, `brokers.introductions`). Materials (slides, brochures)
are uploaded by the organiser and stay readable after the event.
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime
from pathlib import Path

from sqlalchemy import func, select

from accounts.models import Organisation, User
from accounts.services import is_signed_in
from brokers.models import Broker, Mandate
from brokers.rules import MandateStatus
from core.domain import N_, NotFound, PermissionDenied, ValidationFailed
from core.extensions import db
from core.row_lists import all_of
from core.service_kit import Upload, audit_action, flush_new, get_or_not_found, store_document
from events.models import Event, EventMaterial, Interest, Registration
from events.rules import EventRuleBroken, InterestKind, check_may_show_interest
from events.services import get_event, require_manager
from listings.models import Listing
from notifications.services import notify, notify_org

MAX_NOTE = 2000


def _was_registered(user_id: int, event_id: int) -> bool:
    return (
        db.session.scalar(
            select(Registration.id).where(
                Registration.event_id == event_id,
                Registration.user_id == user_id,
                Registration.cancelled_at.is_(None),
            )
        )
        is not None
    )


def record_interest(
    actor: User, event_id: int, listing_id: int, kind: InterestKind, note: str, *, now: datetime
) -> Interest:
    """A participant's request for contact or an introduction about a pitched listing."""
    if not is_signed_in(actor) or actor.acting_org_id is None:
        raise PermissionDenied(N_("Only members of a verified organisation may do this."))
    event = get_event(event_id)
    if listing_id not in {a.listing_id for a in event.agenda}:
        raise NotFound(N_("This listing was not pitched at the event."))
    check_may_show_interest(
        starts_at=event.starts_at, registered=_was_registered(actor.id, event.id), now=now
    )
    listing = get_or_not_found(Listing, listing_id, N_("No such listing."))
    if listing.organisation_id == actor.acting_org_id:
        raise PermissionDenied(N_("This is your own listing."), code="own_listing")
    if len(note) > MAX_NOTE:
        raise ValidationFailed(N_("The text is too long."), field="note")
    duplicate = db.session.scalar(
        select(Interest.id).where(
            Interest.event_id == event.id, Interest.listing_id == listing.id,
            Interest.org_id == actor.acting_org_id, Interest.kind == kind,
        )
    )  # fmt: skip
    if duplicate is not None:
        raise EventRuleBroken(N_("Your organisation has already asked this."), code="duplicate")
    interest = flush_new(
        Interest(
            event_id=event.id, listing_id=listing.id, org_id=actor.acting_org_id,
            user_id=actor.id, kind=kind, note=note.strip() or None, created_at=now,
        )
    )  # fmt: skip
    after = {"listing_id": listing.id, "kind": str(kind), "org_id": actor.acting_org_id}
    audit_action("event.interest", event.id, actor.id, now, after=after)
    _tell(event, listing, interest, actor, now)
    return interest


def _mandated_brokers(listing_id: int, now: datetime) -> list[int]:
    """The users of the brokers whose mandate on the listing is in force."""
    mandates = db.session.scalars(
        select(Mandate).where(
            Mandate.listing_id == listing_id,
            Mandate.status.in_([MandateStatus.ACTIVE, MandateStatus.TERMINATED]),
        )
    )
    broker_ids = [m.broker_id for m in mandates if m.in_force(now)]
    if not broker_ids:
        return []
    return all_of(select(Broker.user_id).where(Broker.id.in_(broker_ids)))


def _tell(event: Event, listing: Listing, interest: Interest, actor: User, now: datetime) -> None:
    org = db.session.get(Organisation, interest.org_id)
    params = {
        **listing.titles(),
        "event": event.title, "event_en": event.name("en"),
        "org": org.name if org else "", "org_en": org.display_name("en") if org else "",
        "email": actor.email,
    }  # fmt: skip
    kind = f"event.{interest.kind}"  # event.contact, event.introduction
    link = f"/events/{event.id}"
    notify_org(listing.organisation_id, kind, params=params, link=link, now=now)
    if interest.kind == InterestKind.INTRODUCTION:
        brokers = _mandated_brokers(listing.id, now)
        notify(brokers, kind, params=params,
               link=f"/brokers/introductions/new?listing_id={listing.id}&buyer_org_id={org.id if org else ''}",
               now=now)  # fmt: skip


def interest_counts(event_id: int) -> dict[int, Counter[str]]:
    """{listing id: {kind: organisations that asked}} for the event's statistics."""
    rows = db.session.execute(
        select(Interest.listing_id, Interest.kind, func.count(Interest.id))
        .where(Interest.event_id == event_id)
        .group_by(Interest.listing_id, Interest.kind)
    )
    counts: dict[int, Counter[str]] = {}
    for listing_id, kind, number in rows:
        counts.setdefault(listing_id, Counter())[str(kind)] = int(number)
    return counts


def interests_of(actor: User | None, event_id: int) -> set[tuple[int, str]]:
    """(listing id, kind) already asked by the actor's organisation at this event."""
    if not is_signed_in(actor) or actor.acting_org_id is None:
        return set()
    rows = db.session.execute(
        select(Interest.listing_id, Interest.kind).where(
            Interest.event_id == event_id, Interest.org_id == actor.acting_org_id
        )
    )
    return {(listing_id, str(kind)) for listing_id, kind in rows}


def add_material(
    actor: User, event_id: int, title: str, upload: Upload, *,
    folder: Path, max_bytes: int, now: datetime,
) -> EventMaterial:  # fmt: skip
    """The organiser keeps a document with the event (before, during or after it)."""
    event = require_manager(actor, event_id)
    name = title.strip()[:200] or upload.filename[:200]
    if not upload.filename:
        raise ValidationFailed(N_("Choose a file to upload."), field="file")
    material = store_document(
        EventMaterial(event_id=event.id, title=name), upload,
        by=actor.id, now=now, folder=folder, max_bytes=max_bytes,
    )  # fmt: skip
    after = {"material_id": material.id, "title": name, "sha256": material.sha256}
    audit_action("event.material_add", event.id, actor.id, now, after=after)
    return material


def material(material_id: int) -> EventMaterial:
    """An event's document (every event's materials are public)."""
    return get_or_not_found(EventMaterial, material_id, N_("No such document."))
