"""What auctions tell people: outbid, won, and the seller's result (notifications)."""

from __future__ import annotations

from datetime import datetime

from auctions.models import Auction
from core.extensions import db
from listings.models import Listing
from notifications.services import notify_org
from notifications.watches import notify_watchers


def _about(auction: Auction) -> dict[str, object]:
    listing = db.session.get(Listing, auction.listing_id)
    title = listing.title("zh_CN") if listing else ""
    title_en = listing.title("en") if listing else ""
    return {"title": title, "title_en": title_en, "currency": auction.currency}


def _link(auction_id: int) -> str:
    return f"/auctions/{auction_id}"


def bid_placed(
    auction_id: int, outbid_org_id: int | None, price_minor: int, *, now: datetime
) -> None:
    """A bid stands: the organisation that lost the lead, and the watchers, learn it (flushes)."""
    auction = db.session.get(Auction, auction_id)
    if auction is None:
        return
    params = {**_about(auction), "price_minor": price_minor}
    link = _link(auction_id)
    told = notify_org(outbid_org_id, "auction.outbid", params=params, link=link, now=now)
    notify_watchers(
        "auction", auction_id, "watch.auction_bid", params=params, link=link, now=now,
        told=[n.user_id for n in told],
    )  # fmt: skip


def closed(auction: Auction, *, sold: bool, now: datetime) -> None:
    """The winner learns it won; the seller learns the result (flushes)."""
    about = _about(auction)
    link = _link(auction.id)
    price = auction.current_price_minor or auction.starting_price_minor
    if sold and auction.leader_org_id is not None:
        won = {**about, "price_minor": price}
        notify_org(auction.leader_org_id, "auction.won", params=won, link=link, now=now)
    outcome_zh, outcome_en = ("成交", "sold") if sold else ("流拍", "no sale")
    result = {**about, "outcome": outcome_zh, "outcome_en": outcome_en}
    notify_org(auction.seller_org_id, "auction.result", params=result, link=link, now=now)
    notify_watchers(
        "auction", auction.id, "watch.auction_closed", params=result, link=link, now=now
    )


def announced(auction: Auction, *, now: datetime) -> None:
    """Those watching the listing learn it is to be auctioned (flushes)."""
    params = {**_about(auction), "how": "拍卖", "how_en": "by auction"}
    notify_watchers(
        "listing", auction.listing_id, "watch.listing_for_sale",
        params=params, link=_link(auction.id), now=now,
    )  # fmt: skip
