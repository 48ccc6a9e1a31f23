"""Auction test helpers: a running auction, bidders with held deposits, a committing app."""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import func, inspect, select, text

from accounts.models import OrganisationKind, User
from auctions import announcements, services
from auctions.models import Auction
from auctions.settings import DEFAULT_SETTINGS
from core.extensions import db
from core.uow import unit_of_work
from listings.models import Listing
from listings.rules import ListingStatus
from marketplace import create_app
from payments import deposits
from payments.bank_transfer import deposit_reference
from tests import factories

START = 1_000_000  # ¥10,000.00
INC = 50_000  # ¥500.00


@dataclass
class Market:
    """A seller's running auction, a reviewer, and helpers to add bidders."""

    seller: User
    reviewer: User
    listing: Listing
    auction: Auction
    folder: Path
    now: datetime

    def bidder(self, *, held: bool = True, name: str | None = None) -> User:
        """A verified enterprise; with its deposit confirmed unless `held` is False."""
        user = factories.seller(
            self.now, reviewer=self.reviewer, kind=OrganisationKind.ENTERPRISE, name=name
        )
        if held:
            hold_deposit(user, self.auction.id, self.reviewer, self.folder, self.now)
        return user


def hold_deposit(user: User, auction_id: int, reviewer: User, folder: Path, now: datetime) -> None:
    """Lodge, upload a receipt and have a reviewer confirm the deposit (committed)."""
    with unit_of_work():
        deposit = services.join_auction(user, auction_id, now=now)
        deposits.submit_receipt(
            user,
            deposit.id,
            stream=io.BytesIO(factories.PDF_BYTES),
            filename="回单.pdf",
            bank_reference=deposit_reference(deposit),
            folder=folder,
            max_bytes=1_000_000,
            now=now,
        )
        deposits.confirm_deposit(reviewer, deposit.id, now=now)


def announce(seller: User, reviewer: User, listing_id: int, data: services.AuctionInput) -> Auction:
    """Create the auction and publish its announcement just over the period before it starts.

    As if the seller had announced it on time: bidding opens at `data.starts_at` (committed).
    """
    at = announced_at(data.starts_at)
    with unit_of_work():
        auction = services.create_auction(seller, listing_id, data, now=at)
        announcements.approve(reviewer, auction.id, now=at)
    return auction


def announced_at(starts_at: datetime) -> datetime:
    """When an auction starting at `starts_at` was announced (the period and a minute before)."""
    return starts_at - DEFAULT_SETTINGS.announcement_period - timedelta(minutes=1)


def make_market(
    now: datetime,
    upload_folder: Path,
    *,
    hours: float = 48,
    reserve: int | None = None,
    starts_in: timedelta = timedelta(0),
) -> Market:
    """A published listing of a university, whose auction (announced in time) starts at
    `now + starts_in` and runs for `hours` (committed)."""
    then = announced_at(now + starts_in)
    reviewer = factories.platform_reviewer(then)
    seller = factories.seller(then, reviewer=reviewer)
    listing = factories.listing(
        seller, then, status=ListingStatus.PUBLISHED, folder=upload_folder, reviewer=reviewer
    )
    auction = announce(
        seller,
        reviewer,
        listing.id,
        services.AuctionInput(
            starting_price_minor=START,
            increment_minor=INC,
            starts_at=now + starts_in,
            ends_at=now + starts_in + timedelta(hours=hours),
            reserve_price_minor=reserve,
            deposit_bps=1000,
        ),
    )
    return Market(seller, reviewer, listing, auction, upload_folder.parent / "deposits", now)


@pytest.fixture
def market(db_session: object, clock, upload_folder: Path) -> Market:
    """A running 48-hour auction starting at ¥10,000 by ¥500."""
    return make_market(clock(), upload_folder)


# --- a committing app for threads ------------------------------------------------------


@pytest.fixture
def committing_app(app: Flask, tmp_path: Path) -> Iterator[Flask]:
    """A second app on the same database whose sessions really commit (threads need that).

    Everything it adds is deleted afterwards: every table's rows above the ids it
    found, children first, so the savepoint-isolated tests see the database as before.
    """
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    other = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": url,
            "SQLALCHEMY_ENGINE_OPTIONS": {"pool_size": 40, "max_overflow": 10}
            if url.startswith("postgresql")
            else {},
            "SEARCH_INDEX_PATH": str(tmp_path / "search.db"),
            "UPLOAD_FOLDER": str(tmp_path / "uploads"),
        }
    )
    with other.app_context():
        tables = [t for t in db.metadata.sorted_tables if "id" in t.c]
        existing = set(inspect(db.engine).get_table_names())
        tables = [t for t in tables if t.name in existing]
        marks = {
            t.name: db.session.scalar(select(func.coalesce(func.max(t.c.id), 0))) for t in tables
        }
        db.session.remove()
    try:
        yield other
    finally:
        with other.app_context():
            with db.engine.begin() as connection:
                for table in reversed(tables):
                    connection.execute(
                        text(f"DELETE FROM {table.name} WHERE id > :mark"),
                        {"mark": marks[table.name]},
                    )
            db.session.remove()
            db.engine.dispose()
