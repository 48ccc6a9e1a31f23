"""What the authorisation matrix's world adds for events: the broker's agency's upcoming
roadshow (the buyer registered), another nobody registered for yet, and one under way that
the buyer attends, with the seller's listing on its agenda and a material kept."""

from __future__ import annotations

import io
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from accounts.models import User
from core.service_kit import Upload
from core.uow import unit_of_work
from events import interest, services
from events.rules import EventFormat, Schedule
from tests import factories

if TYPE_CHECKING:
    from tests.authorisation_world import World


def _event(broker: User, listing_id: int, starts: datetime, now: datetime) -> int:
    plan = Schedule(EventFormat.HYBRID, starts, starts + timedelta(hours=3), 50, "一号厅", "https://live.example.com/m")  # fmt: skip
    event = services.schedule(broker, services.NewEvent("矩阵路演", None, "", plan, (listing_id,)), now=now)  # fmt: skip
    return event.id


def extend(world: World, now: datetime, upload_folder: Path) -> World:
    """The world with `event_id` (upcoming, the buyer registered) and `material_id`."""
    broker, buyer = world.users["broker"], world.users["buyer"]
    assert isinstance(broker, User) and isinstance(buyer, User)
    listing_id = int(world.ids["listing_id"])
    earlier = now - timedelta(days=10)
    with unit_of_work():
        upcoming = _event(broker, listing_id, now + timedelta(days=5), now)
        services.register(buyer, upcoming, now=now)
        fresh = _event(broker, listing_id, now + timedelta(days=6), now)
        under_way = _event(broker, listing_id, now - timedelta(hours=1), earlier)
        services.register(buyer, under_way, now=earlier)
        material = interest.add_material(
            broker, upcoming, "路演资料", Upload(io.BytesIO(factories.PDF_BYTES), "slides.pdf"),
            folder=upload_folder.parent / "events", max_bytes=1_000_000, now=now,
        )  # fmt: skip
    world.ids.update({"event_id": upcoming, "material_id": material.id})
    for endpoint in ("events.register", "events_api.register"):
        world.by_endpoint[endpoint] = {"event_id": fresh}
    for endpoint in ("events.show_interest", "events_api.show_interest"):
        world.by_endpoint[endpoint] = {"event_id": under_way}
    return world
