"""Events (路演), their agenda of pitched listings, registrations, interest shown, materials."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.db_types import StoredFileMixin, UTCDateTime, enum_column
from core.extensions import Model
from events.rules import EventFormat, InterestKind


class Event(Model):
    """A roadshow scheduled by the market (no organiser organisation) or a broker agency."""

    __tablename__ = "market_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    title_en: Mapped[str | None] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    format: Mapped[EventFormat] = mapped_column(enum_column(EventFormat))
    venue: Mapped[str | None] = mapped_column(String(300))
    stream_url: Mapped[str | None] = mapped_column(String(500))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime())
    capacity: Mapped[int] = mapped_column()
    organiser_org_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"), index=True)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # The participants were reminded (events.jobs): stamped in the sweep's transaction.
    reminded_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    agenda: Mapped[list[AgendaItem]] = relationship(
        back_populates="event", cascade="all, delete-orphan", order_by="AgendaItem.position"
    )
    materials: Mapped[list[EventMaterial]] = relationship(
        back_populates="event", cascade="all, delete-orphan", order_by="EventMaterial.id"
    )

    def name(self, locale: str = "zh_CN") -> str:
        """The title in the reader's language, Chinese when there is no English one."""
        return (self.title_en if locale.startswith("en") else None) or self.title


class AgendaItem(Model):
    """A listing pitched at the event, in the agenda's order."""

    __tablename__ = "event_agenda"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("market_events.id", ondelete="CASCADE"))
    listing_id: Mapped[int] = mapped_column(ForeignKey("listings.id"), index=True)
    position: Mapped[int] = mapped_column()

    event: Mapped[Event] = relationship(back_populates="agenda")

    __table_args__ = (UniqueConstraint("event_id", "listing_id", name="uq_event_agenda_listing"),)


class Registration(Model):
    """A person's registration for an event, for their organisation; cancelled rows stay."""

    __tablename__ = "event_registrations"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("market_events.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"))
    registered_at: Mapped[datetime] = mapped_column(UTCDateTime())
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    __table_args__ = (UniqueConstraint("event_id", "user_id", name="uq_event_registrations_user"),)


class Interest(Model):
    """Interest shown in a pitched listing: a request for contact or for an introduction."""

    __tablename__ = "event_interests"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("market_events.id", ondelete="CASCADE"))
    listing_id: Mapped[int] = mapped_column(ForeignKey("listings.id"))
    org_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    kind: Mapped[InterestKind] = mapped_column(enum_column(InterestKind))
    note: Mapped[str | None] = mapped_column(String(2000))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())

    __table_args__ = (
        UniqueConstraint("event_id", "listing_id", "org_id", "kind", name="uq_event_interests"),
        Index("ix_event_interests_listing", "listing_id", "kind"),
    )


class EventMaterial(StoredFileMixin, Model):
    """A document of the event (slides, a brochure), kept after it for everyone to read."""

    __tablename__ = "event_materials"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(
        ForeignKey("market_events.id", ondelete="CASCADE"), index=True
    )
    title: Mapped[str] = mapped_column(String(200))

    event: Mapped[Event] = relationship(back_populates="materials")
