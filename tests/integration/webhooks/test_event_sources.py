"""The events of a whole auction reach each organisation's endpoint: the bidder's deposit
confirmed and its being outbid, the seller's bids and result, the winner's win, and the
deal both parties are in (an event of each party's own, with an id of its own)."""

from __future__ import annotations

from pathlib import Path

from auctions import bidding
from auctions import jobs as auction_jobs
from core.uow import unit_of_work
from tests.conftest import FrozenClock
from tests.integration.auctions.conftest import INC, START, hold_deposit, make_market
from tests.integration.webhooks.conftest import register
from tests.integration.webhooks.receiver import Receiver


def test_an_auction_tells_seller_bidders_and_winner_what_concerns_each(
    db_session: object, clock: FrozenClock, receiver: Receiver, upload_folder: Path
) -> None:
    market = make_market(clock(), upload_folder)
    seller_events = ["auction.bid", "auction.result", "deal.created"]
    register(market.seller, receiver, "seller", clock(), events=seller_events)
    first, second = market.bidder(held=False), market.bidder(held=False)
    bidder_events = [
        "deposit.confirmed", "auction.outbid", "auction.won", "auction.lost", "deal.created"
    ]  # fmt: skip
    register(first, receiver, "first", clock(), events=bidder_events)
    register(second, receiver, "second", clock(), events=bidder_events)
    for bidder in (first, second):
        hold_deposit(bidder, market.auction.id, market.reviewer, upload_folder, clock())

    with unit_of_work(writer=True):
        bidding.place_bid(first, market.auction.id, START, now=clock())
    with unit_of_work(writer=True):
        bidding.place_bid(second, market.auction.id, START + INC, now=clock())
    clock.advance(hours=49)
    auction_jobs.close_due_auctions()

    def types(name: str) -> list[str]:
        return [r.event["type"] for r in receiver.received if r.path == name]

    assert types("first") == ["deposit.confirmed", "auction.outbid", "auction.lost"]
    assert sorted(types("second")) == ["auction.won", "deal.created", "deposit.confirmed"]
    assert sorted(types("seller")) == [
        "auction.bid",
        "auction.bid",
        "auction.result",
        "deal.created",
    ]
    assert all(r.signed for r in receiver.received)
    (won,) = [r.event for r in receiver.received if r.event["type"] == "auction.won"]
    assert won["data"]["object"] == {"type": "auction", "id": market.auction.id}
    assert won["data"]["price_minor"] == START + INC
    deals = [r.event for r in receiver.received if r.event["type"] == "deal.created"]
    assert len({d["data"]["object"]["id"] for d in deals}) == 1  # the same deal...
    assert {d["data"]["organisation_id"] for d in deals} == {  # ...told to each party
        market.seller.organisation_id,
        second.organisation_id,
    }
