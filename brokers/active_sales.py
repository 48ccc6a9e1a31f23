"""The sale a listing is in right now, for matching: a buyer's broker wants these listings first.

A published listing whose sale state is not `available` is in one of three sales: a listed
sale (挂牌) taking intents to buy, a negotiated price in public notice (公示) open to
objections, or an auction announced or bidding. `active_sales` finds each listing's running
sale and the deadline a buyer has to act by; a listing whose sale is not running (an
auction still waiting for review, a listed sale past its period and not yet closed) or
is closed to the asking organisation (an auction restricted to others) has none.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from auctions.models import Auction, AuctionStatus
from core.clock import as_utc
from core.domain import N_
from core.extensions import db
from trading.models import ListedSale, ListedSaleStatus, PublicityNotice
from trading.rules import NoticeStatus

LISTED_SALE = "listed_sale"
PUBLIC_NOTICE = "public_notice"
AUCTION_SCHEDULED = "auction_scheduled"
AUCTION_RUNNING = "auction_running"
# What a buyer reads about each kind of sale; %(deadline)s is when it must act by.
SALE_LABELS: dict[str, str] = {
    LISTED_SALE: N_("In a listed sale: register an intent to buy by %(deadline)s"),
    PUBLIC_NOTICE: N_("Price agreed with a buyer, in public notice until %(deadline)s"),
    AUCTION_SCHEDULED: N_("Auction announced: deposit by %(deadline)s, bidding from %(starts)s"),
    AUCTION_RUNNING: N_("Auction open: bidding closes %(deadline)s"),
}


@dataclass(frozen=True)
class ActiveSale:
    """A running sale of a listing: its kind, its id, its price, and the deadline to act by."""

    kind: str
    sale_id: int  # of the listed sale, the public notice or the auction
    deadline: datetime
    price_minor: int | None
    currency: str
    starts_at: datetime | None = None  # when bidding opens (an announced auction)

    def text(
        self,
        translate: Callable[[str], str] = lambda s: s,
        when: Callable[[datetime | None], str] = lambda m: f"{m:%Y-%m-%d %H:%M} UTC" if m else "",
    ) -> str:
        """The sale in the reader's words, its dates formatted by `when`."""
        params = {"deadline": when(self.deadline), "starts": when(self.starts_at)}
        return translate(SALE_LABELS[self.kind]) % params


def active_sales(
    listing_ids: Iterable[int], *, now: datetime, for_org_id: int | None = None
) -> dict[int, ActiveSale]:
    """The running sale of each of `listing_ids` that has one (and that `for_org_id` may join)."""
    ids = list(set(listing_ids))
    if not ids:
        return {}
    found: dict[int, ActiveSale] = {}
    for sale in db.session.scalars(
        select(ListedSale).where(
            ListedSale.listing_id.in_(ids), ListedSale.status == ListedSaleStatus.OPEN
        )
    ):
        if as_utc(sale.ends_at) > now:
            found[sale.listing_id] = ActiveSale(
                LISTED_SALE, sale.id, as_utc(sale.ends_at), sale.asking_price_minor, sale.currency
            )
    for notice in db.session.scalars(
        select(PublicityNotice).where(
            PublicityNotice.listing_id.in_(ids), PublicityNotice.status == NoticeStatus.RUNNING
        )
    ):
        if as_utc(notice.ends_at) > now:
            found[notice.listing_id] = ActiveSale(
                PUBLIC_NOTICE, notice.id, as_utc(notice.ends_at), notice.price_minor,
                notice.currency,
            )  # fmt: skip
    for auction in db.session.scalars(
        select(Auction).where(
            Auction.listing_id.in_(ids),
            Auction.status.in_((AuctionStatus.SCHEDULED, AuctionStatus.RUNNING)),
        )
    ):
        running = _auction_sale(auction, now, for_org_id)
        if running is not None:
            found[auction.listing_id] = running
    return found


def _auction_sale(auction: Auction, now: datetime, for_org_id: int | None) -> ActiveSale | None:
    ends = as_utc(auction.ends_at)
    restricted = auction.restricted_to_org_ids
    if ends <= now or (restricted and for_org_id not in restricted):
        return None
    if auction.status == AuctionStatus.RUNNING:
        price = auction.current_price_minor or auction.starting_price_minor
        return ActiveSale(AUCTION_RUNNING, auction.id, ends, price, auction.currency)
    deposit_by = as_utc(auction.deposit_deadline) if auction.deposit_deadline else ends
    return ActiveSale(
        AUCTION_SCHEDULED, auction.id, deposit_by, auction.starting_price_minor, auction.currency,
        starts_at=as_utc(auction.starts_at),
    )  # fmt: skip
