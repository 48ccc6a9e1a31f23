"""What brokers' jobs tell: accreditations about to expire, and open needs a new listing answers.

Both are told exactly once: an expiry warning stamps the expiry it warned of (a
renewal warns again), and a published listing is matched once, in the transaction
that marks its outbox event processed.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import or_, select

from accounts.models import User
from brokers import telling
from brokers.broker_access import today_in_market
from brokers.matching import needs_answered_by
from brokers.models import Broker
from brokers.rules import AccreditationStatus
from core.extensions import db
from core.row_lists import all_of
from listings.models import Listing
from listings.rules import ListingStatus
from notifications.models import Notification
from notifications.services import notify_org

EXPIRY_WARNING_DAYS = 30


def warn_expiring(*, now: datetime) -> int:
    """Brokers whose accreditation expires within EXPIRY_WARNING_DAYS hear it once; how many."""
    today = today_in_market(now)
    query = select(Broker).where(
        Broker.status == AccreditationStatus.ACCREDITED,
        Broker.expires_on >= today,
        Broker.expires_on <= today + timedelta(days=EXPIRY_WARNING_DAYS),
        or_(Broker.expiry_told_on.is_(None), Broker.expiry_told_on != Broker.expires_on),
    )
    if db.engine.dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True)
    brokers = all_of(query.order_by(Broker.id))
    for broker in brokers:
        telling.broker_expiring(broker, now=now)
        broker.expiry_told_on = broker.expires_on
    db.session.flush()
    return len(brokers)


def tell_needs_answered(listing_id: int, *, now: datetime) -> int:
    """Each enterprise with an open need the newly published listing answers hears once,
    of its best such need; how many enterprises (flushes)."""
    listing = db.session.get(Listing, listing_id)
    if listing is None or listing.status != ListingStatus.PUBLISHED:
        return 0
    link = f"/listings/{listing.id}"
    before = _told_before(link)  # a listing withdrawn and published again is not news twice
    told = set(before)
    for need, _ in needs_answered_by(listing, now=now):
        if need.organisation_id in told:
            continue
        told.add(need.organisation_id)
        notify_org(
            need.organisation_id, "need.match",
            params={
                "name": need.title, "title": listing.title("zh_CN"),
                "title_en": listing.title("en"),
            },
            link=link, now=now,
        )  # fmt: skip
    return len(told - before)


def _told_before(link: str) -> set[int]:
    """The organisations already told of the listing at `link` answering one of their needs."""
    orgs = db.session.scalars(
        select(User.organisation_id)
        .join(Notification, Notification.user_id == User.id)
        .where(Notification.event == "need.match", Notification.link == link)
        .distinct()
    )
    return {org for org in orgs if org is not None}
