"""Demo roadshows (路演): a past one with its registrations, interest and materials, and an
upcoming one of the broker's agency. Made through the services with moments in the past,
so the audit trail and the notifications are what the product makes."""

from __future__ import annotations

import io
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import select

from accounts.models import User
from core.row_lists import all_of
from core.service_kit import Upload
from events import interest, services
from events.rules import EventFormat, InterestKind, Schedule
from listings.models import Listing
from listings.rules import ListingStatus

STREAM = "https://live.example.com/tech-market/roadshow"
VENUE = "城市技术市场 一号路演厅"


def _published(count: int, skip: int) -> list[int]:
    query = select(Listing.id).where(Listing.status == ListingStatus.PUBLISHED).order_by(Listing.id)
    return all_of(query.offset(skip).limit(count))


def load(
    *, admin: User, broker: User, buyers: list[User], now: datetime, upload_folder: Path, pdf: bytes
) -> dict[str, int]:
    """A past roadshow (two weeks ago) and an upcoming one (in ten days, 10:00 market time)."""
    day = now.replace(hour=2, minute=0, second=0, microsecond=0)  # 10:00 in Shanghai
    past_start = day - timedelta(days=14)
    past = services.schedule(
        admin,
        services.NewEvent(
            "新能源与新材料成果路演", "New energy and materials roadshow",
            "高校院所新能源、新材料成果集中路演，企业现场及线上对接。",
            Schedule(EventFormat.HYBRID, past_start, past_start + timedelta(hours=3), 120, VENUE, STREAM),
            tuple(_published(3, 0)),
        ),
        now=past_start - timedelta(days=20),
    )  # fmt: skip
    for buyer in buyers[:2]:
        services.register(buyer, past.id, now=past_start - timedelta(days=5))
    pitched = [item.listing_id for item in past.agenda]
    during = past_start + timedelta(hours=1)
    interest.record_interest(buyers[0], past.id, pitched[0], InterestKind.INTRODUCTION, "希望经纪人引荐对接。", now=during)  # fmt: skip
    interest.record_interest(buyers[1], past.id, pitched[0], InterestKind.CONTACT, "", now=during)
    interest.record_interest(buyers[1], past.id, pitched[1], InterestKind.CONTACT, "", now=during)
    interest.add_material(
        admin, past.id, "路演资料汇编", Upload(io.BytesIO(pdf), "roadshow-slides.pdf"),
        folder=upload_folder / "events", max_bytes=10 * 1024 * 1024, now=past_start + timedelta(hours=4),
    )  # fmt: skip
    upcoming_start = day + timedelta(days=10)
    services.schedule(
        broker,
        services.NewEvent(
            "智能制造与信息技术成果线上路演", "Smart manufacturing and ICT online roadshow",
            "经纪机构组织的线上路演，面向境内外企业。",
            Schedule(EventFormat.ONLINE, upcoming_start, upcoming_start + timedelta(hours=2), 300, "", STREAM),
            tuple(_published(3, 3)),
        ),
        now=now,
    )  # fmt: skip
    return {"events": 2}
