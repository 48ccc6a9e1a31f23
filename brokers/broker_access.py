"""What every broker use case asks first, and what the other domains ask.

Who the actor is as a broker (`broker_of`), whether accredited today (`is_accredited`,
`require_accredited`) and whether acting under a mandate in force (`acts_for`): matching,
valuation and offline deals ask these. Certificates expire at the end of a Shanghai day.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select

from accounts.models import User
from accounts.services import is_signed_in
from brokers import rules
from brokers.models import Broker, Mandate
from brokers.rules import AccreditationStatus, MandateStatus
from core.domain import N_, NotFound, PermissionDenied
from core.extensions import db
from core.service_kit import get_or_not_found

MARKET_TZ = ZoneInfo("Asia/Shanghai")  # certificates expire at the end of a Shanghai day


def today_in_market(now: datetime, tz: ZoneInfo = MARKET_TZ) -> date:
    """The market's calendar date at `now`."""
    return now.astimezone(tz).date()


def signed_in(actor: User | None) -> User:
    """The actor, or PermissionDenied unless signed in."""
    if not is_signed_in(actor):
        raise PermissionDenied(N_("Please sign in to continue."))
    return actor


def broker_of(user: User | None) -> Broker | None:
    """The user's broker record (any state), if they ever applied."""
    if not is_signed_in(user):
        return None
    return db.session.scalar(select(Broker).where(Broker.user_id == user.id))


def own_broker(actor: User | None, missing: str) -> Broker:
    """The signed-in actor's broker record (any state), or NotFound(`missing`)."""
    broker = broker_of(signed_in(actor))
    if broker is None:
        raise NotFound(missing)
    return broker


def get_broker(broker_id: int) -> Broker:
    """A broker by id, or NotFound."""
    return get_or_not_found(Broker, broker_id, N_("No such broker."))


def broker_accredited(broker: Broker, *, now: datetime) -> bool:
    """Accredited by a reviewer and the certificate valid today."""
    return rules.is_accredited(broker.status, broker.expires_on, today_in_market(now))


@dataclass(frozen=True)
class Standing:
    """A broker's accreditation as their workbench shows it: valid today, the days left on
    the certificate (negative once expired) and whether it is time to warn of its expiry."""

    broker: Broker
    valid: bool
    days_left: int
    warn: bool


def standing_of(broker: Broker, *, now: datetime, warning_days: int) -> Standing:
    """The broker's standing today (the workbench and `GET /api/v1/brokers/me`)."""
    today = today_in_market(now)
    accredited = broker.status == AccreditationStatus.ACCREDITED
    return Standing(
        broker=broker,
        valid=broker_accredited(broker, now=now),
        days_left=rules.days_to_expiry(broker.expires_on, today),
        warn=accredited and rules.expiry_warning(broker.expires_on, today, warning_days),
    )


def is_accredited(user: User | None, *, now: datetime) -> bool:
    """Whether the user is an accredited broker whose certificate has not expired."""
    broker = broker_of(user)
    return broker is not None and broker_accredited(broker, now=now)


def require_accredited(actor: User | None, *, now: datetime) -> Broker:
    """The actor's broker record, or PermissionDenied unless accredited and unexpired."""
    broker = broker_of(actor)
    if broker is None or broker.status != AccreditationStatus.ACCREDITED:
        raise PermissionDenied(N_("Only accredited technology brokers may do this."))
    if not broker_accredited(broker, now=now):
        raise PermissionDenied(
            N_("Your broker certificate has expired: renew it before taking new mandates."),
            code="accreditation_expired",
        )
    return broker


def mandates_in_force(
    broker: Broker, *, now: datetime, listing_id: int | None = None, need_id: int | None = None
) -> list[Mandate]:
    """The broker's mandates in force now on a listing or a need (both None: all of them)."""
    query = select(Mandate).where(
        Mandate.broker_id == broker.id,
        Mandate.status.in_([MandateStatus.ACTIVE, MandateStatus.TERMINATED]),
    )
    if listing_id is not None:
        query = query.where(Mandate.listing_id == listing_id)
    if need_id is not None:
        query = query.where(Mandate.need_id == need_id)
    return [m for m in db.session.scalars(query.order_by(Mandate.id)) if m.in_force(now)]


def acts_for(
    actor: User | None,
    *,
    listing_id: int | None = None,
    need_id: int | None = None,
    now: datetime,
) -> bool:
    """Whether the actor is an accredited broker with a mandate in force on the listing or need."""
    if listing_id is None and need_id is None:
        return False
    broker = broker_of(actor)
    if broker is None or not broker_accredited(broker, now=now):
        return False
    return bool(mandates_in_force(broker, now=now, listing_id=listing_id, need_id=need_id))
