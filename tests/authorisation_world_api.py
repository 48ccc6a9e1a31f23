"""What the authorisation matrix's world adds for the API of auctions, deposits and the inbox:
an announcement awaiting review, a listing free to auction, the buyer's saved search; and
the seller organisation's business licence."""

from __future__ import annotations

import io
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from accounts.models import OrganisationDocument, User
from auctions import services as auctions
from core.service_kit import Upload, store_document
from core.uow import unit_of_work
from listings.rules import ListingStatus
from search import alerts
from tests import authorisation_world_brokers as brokers_world
from tests import authorisation_world_evaluations as evaluations_world
from tests import authorisation_world_events as events_world
from tests import authorisation_world_licences as licences_world
from tests import authorisation_world_policies as policies_world
from tests import authorisation_world_rewards as rewards_world
from tests import authorisation_world_trade as trade_world
from tests import factories

if TYPE_CHECKING:
    from tests.authorisation_world import World

PRICE = 1_000_000


def extend(world: World, now: datetime, upload_folder: Path) -> World:
    """The world with the objects and values the API routes need (committed)."""
    seller, buyer = world.users["seller"], world.users["buyer"]
    reviewer = world.users["reviewer"]
    assert isinstance(seller, User) and isinstance(buyer, User) and isinstance(reviewer, User)

    def published(title: str) -> int:
        return factories.listing(
            seller,
            now,
            status=ListingStatus.PUBLISHED,
            reviewer=reviewer,
            folder=upload_folder,
            title_zh=title,
        ).id

    starts = now + timedelta(days=8)
    terms = auctions.AuctionInput(
        starting_price_minor=PRICE,
        increment_minor=50_000,
        starts_at=starts,
        ends_at=starts + timedelta(days=2),
    )
    with unit_of_work():
        pending = auctions.create_auction(
            seller, published("矩阵测试成果：公告待审"), terms, now=now
        )
        saved = alerts.save_search(
            buyer, name="电池", text="电池", filters={}, frequency="daily", now=now
        )
    world.ids.update(
        {
            "free_listing_id": published("矩阵测试成果：可拍卖"),
            "auction_starts_at": starts.isoformat(),
            "auction_ends_at": (starts + timedelta(days=2)).isoformat(),
            "object_type": "auction",
            "object_id": int(world.ids["auction_id"]),
        }
    )
    waiting = world.by_endpoint["auctions.decide_deposit"]
    for endpoint in ("approve_announcement", "refuse_announcement"):
        world.by_endpoint[f"auctions_api.{endpoint}"] = {"auction_id": pending.id}
    for endpoint in ("confirm", "reject"):
        world.by_endpoint[f"deposits_api.{endpoint}"] = dict(waiting)
    for endpoint in ("update", "delete"):
        world.by_endpoint[f"saved_searches_api.{endpoint}"] = {"saved_search_id": saved.id}
    licence = {"document_id": _licence(seller, now, upload_folder.parent / "organisations")}
    world.by_endpoint["accounts.organisation_document"] = licence
    world.by_endpoint["organisations_api.document_file"] = licence
    world = licences_world.extend(policies_world.extend(world, now), now, upload_folder)
    world = trade_world.extend(events_world.extend(world, now, upload_folder), now)
    world = evaluations_world.extend(world, now, upload_folder)
    world = brokers_world.extend(world, now, upload_folder)
    return rewards_world.extend(world, now, upload_folder)


def _licence(member: User, now: datetime, folder: Path) -> int:
    """The business licence of `member`'s organisation (as given at sign-up)."""
    assert member.organisation_id is not None
    with unit_of_work():
        document = store_document(
            OrganisationDocument(organisation_id=member.organisation_id, kind="business_licence"),
            Upload(io.BytesIO(factories.PDF_BYTES), "营业执照.pdf"),
            by=member.id, now=now, folder=folder, max_bytes=1_000_000,
        )  # fmt: skip
        return document.id
