"""Demo trading: auctions, listed sales, negotiations with public notices, deals of both channels.

Everything goes through the services with moments in the past, so the audit
trail, deposits and deals are the ones the product itself would have made.
"""

from __future__ import annotations

import io
import random
from datetime import datetime, timedelta
from pathlib import Path

from accounts.models import User
from auctions import announcements, bidding, closing
from auctions import services as auctions
from core.extensions import db
from core.workdays import WorkCalendar
from deals import services as deals
from deals.documents import OfflineEntry, Upload, register_offline_deal_with_contract
from deals.models import ContractType, Deal, DealStatus, SaleMethod
from listings.models import Listing
from listings.need_rules import MARKET_TIMEZONE
from listings.rules import ListingStatus, SaleState
from payments import bank_rules, deposits
from trading import listed_sales, negotiations, notices
from trading.models import PublicityNotice

RECEIPT_MAX_BYTES = 1_000_000
# Running auctions: about how long ago bidding started, how long it still runs (from the load).
# Hours to days left (then on to the next business hour), so the demo still has three
# running when a person opens it.
RUNNING = (
    (timedelta(hours=22), timedelta(hours=5)),
    (timedelta(hours=9), timedelta(days=1, hours=15)),
    (timedelta(hours=3), timedelta(days=3)),
)


def load(
    rng: random.Random,
    *,
    sellers: list[User],
    buyers: list[User],
    reviewer: User,
    now: datetime,
    upload_folder: Path,
    pdf: bytes,
) -> dict[str, int]:
    """Auctions (finished and running), deals along their milestones, offline deals."""
    available = _available_listings(sellers)
    finished = []
    for i in range(4):
        start = _business_hour(now - timedelta(days=40 - 6 * i), back=True)
        ends = _business_hour(start + timedelta(days=1))  # a day and the night, or a day and a bit
        finished.append(
            _auction(rng, available.pop(), buyers, reviewer, start, ends - start, upload_folder, pdf, now=now)
        )  # fmt: skip
    for deal, target in zip(
        finished, (DealStatus.COMPLETED, DealStatus.PAID, DealStatus.SIGNED), strict=False
    ):
        advance_deal(deal, reviewer, target, now - timedelta(days=10))
    running = []
    for ago, left in RUNNING:
        start = _business_hour(now - ago, back=True)
        ends = _business_hour(now + left)
        running.append(
            _auction(rng, available.pop(), buyers, reviewer, start, ends - start, upload_folder, pdf, now=now)
        )  # fmt: skip
    # Announcements (拍卖公告): two published, bidding in two and ten days; one for review.
    for days, publish in ((2, True), (10, True), (10, False)):
        _announce(available.pop(), reviewer, now, days=days, publish=publish)
    offline = _offline_deals(sellers, buyers, reviewer, now, upload_folder, pdf)
    calendar = WorkCalendar()
    listed = [
        _listed_sale(rng, available.pop(), buyers, now - timedelta(days=3 + i), calendar)
        for i in range(3)
    ]
    published = [
        _negotiated(
            rng, available.pop(), buyers, reviewer, now - timedelta(days=days), objection=objection
        )
        for days, objection in ((20, False), (4, True), (2, False))
    ]
    notices.close_due_notices(now=now)
    return {
        "auctions_running": len(running),
        "auction_deals": len(finished),
        "offline_deals": offline,
        "listed_sales": len(listed),
        "notices": len(published),
    }


def _listed_sale(
    rng: random.Random,
    listing: Listing,
    buyers: list[User],
    start: datetime,
    calendar: WorkCalendar,
) -> int:
    """A listed sale (挂牌) in its period, with one or two intents registered."""
    seller = db.session.get(User, listing.created_by_id)
    assert seller is not None
    sale = listed_sales.start_listed_sale(
        seller,
        listing.id,
        asking_price_minor=listing.asking_price_minor or 500_000_00,
        now=start,
        calendar=calendar,
    )
    for buyer in rng.sample(buyers, rng.randint(1, 2)):
        listed_sales.register_intent(buyer, sale.id, now=start + timedelta(hours=5))
    return sale.id


def _negotiated(
    rng: random.Random,
    listing: Listing,
    buyers: list[User],
    reviewer: User,
    start: datetime,
    *,
    objection: bool,
) -> int:
    """Offers and a counter-offer, an agreement and its public notice (公示)."""
    seller = db.session.get(User, listing.created_by_id)
    buyer = rng.choice(buyers)
    assert seller is not None
    asking = listing.asking_price_minor or 800_000_00
    negotiation = negotiations.open_negotiation(
        buyer,
        listing.id,
        amount_minor=asking * 7 // 10 // 100 * 100,
        message="我司希望以独占许可方式实施该技术，可否就价格进一步沟通？",
        now=start,
    )
    negotiations.make_offer(
        seller,
        negotiation.id,
        asking * 9 // 10 // 100 * 100,
        message="考虑到中试数据完备，我方报价如下。",
        now=start + timedelta(hours=3),
    )
    negotiations.accept(buyer, negotiation.id, now=start + timedelta(hours=6))
    notice = negotiation_notice(negotiation.id)
    if objection:
        notices.lodge_objection(
            reviewer,
            notice,
            "该成果的发明人之一已调离，请核实职务成果奖励方案是否已公示。",
            now=start + timedelta(days=1),
        )
    return notice


def _available_listings(sellers: list[User]) -> list[Listing]:
    seller_orgs = [s.acting_org_id for s in sellers]
    rows = (
        db.session.query(Listing)
        .filter(
            Listing.status == ListingStatus.PUBLISHED,
            Listing.sale_state == SaleState.AVAILABLE,
            Listing.organisation_id.in_(seller_orgs),
            Listing.asking_price_minor.is_not(None),
        )
        .order_by(Listing.id.desc())
        .limit(40)
    )
    return list(rows)


def _auction(
    rng: random.Random,
    listing: Listing,
    buyers: list[User],
    reviewer: User,
    start: datetime,
    duration: timedelta,
    upload_folder: Path,
    pdf: bytes,
    *,
    now: datetime,
) -> Deal | None:
    """An auction announced, deposits confirmed and bids placed; closed (with its deal)
    if it ended before `now`, still running otherwise."""
    seller = db.session.get(User, listing.created_by_id)
    assert seller is not None
    price = listing.asking_price_minor or 100_000_00
    increment = max(price // 50 // 100_00 * 100_00, 1_000_00)
    announced = start - timedelta(days=8)  # the announcement ran its 7 days and more
    auction = auctions.create_auction(
        seller,
        listing.id,
        auctions.AuctionInput(
            starting_price_minor=price,
            increment_minor=increment,
            starts_at=start,
            ends_at=start + duration,
            reserve_price_minor=price + increment,
        ),
        now=announced - timedelta(hours=3),
    )
    announcements.approve(reviewer, auction.id, now=announced)
    bidders = rng.sample(buyers, 2)
    folder = deposits.receipt_folder(upload_folder)
    for bidder in bidders:
        rng.randrange(10**10)  # the bank's serial number once drawn here: the same demo data
        lodged_at = start + timedelta(minutes=20)
        owed = auctions.join_auction(bidder, auction.id, now=lodged_at)
        deposit = deposits.submit_receipt(
            bidder,
            owed.id,
            stream=io.BytesIO(pdf),
            filename="保证金汇款回单.pdf",
            bank_reference=bank_rules.deposit_reference(
                "auction", auction.id, bidder.acting_org_id or 0
            ),
            folder=folder,
            max_bytes=RECEIPT_MAX_BYTES,
            now=lodged_at,
        )
        deposits.confirm_deposit(reviewer, deposit.id, now=start + timedelta(minutes=40))
    # Bids from an hour in until ten minutes ago (or an hour before the end), evenly spread.
    first, last = (
        start + timedelta(hours=1),
        min(now - timedelta(minutes=10), start + duration - timedelta(hours=1)),
    )
    count = rng.randint(3, 6)
    amount = price
    for step in range(count):
        bidding.place_bid(
            bidders[step % 2], auction.id, amount, now=first + (last - first) * step / count
        )
        amount += increment * rng.randint(1, 3)
    if start + duration > now:
        return None
    closing.close_auction(auction.id, now=start + duration + timedelta(minutes=1))
    return (
        db.session.query(Deal).filter_by(source_type="auction", source_id=auction.id).one_or_none()
    )


def _announce(listing: Listing, reviewer: User, now: datetime, *, days: int, publish: bool) -> None:
    """An auction announced for `days` ahead, at 09:30 market time: published, or waiting
    for the reviewer."""
    seller = db.session.get(User, listing.created_by_id)
    assert seller is not None
    price = listing.asking_price_minor or 100_000_00
    starts_at = (now + timedelta(days=days)).replace(hour=1, minute=30, second=0, microsecond=0)
    created = starts_at - timedelta(days=8)  # the announcement period (7 days) and a day
    auction = auctions.create_auction(
        seller,
        listing.id,
        auctions.AuctionInput(
            starting_price_minor=price,
            increment_minor=max(price // 50 // 100_00 * 100_00, 1_000_00),
            starts_at=starts_at,
            ends_at=starts_at + timedelta(days=2),
            deposit_deadline=starts_at - timedelta(days=1),
        ),
        now=min(created, now - timedelta(days=1)),
    )
    if publish:
        announcements.approve(
            reviewer, auction.id, now=min(created + timedelta(hours=4), now - timedelta(hours=20))
        )


def _business_hour(moment: datetime, *, back: bool = False) -> datetime:
    """The nearest whole hour between 09:00 and 17:00 market time after `moment` (before it,
    with `back`): auctions open and close when people are at their desks."""
    step = timedelta(hours=-1 if back else 1)
    hour = moment.replace(minute=0, second=0, microsecond=0) + (timedelta(0) if back else step)
    while not 9 <= hour.astimezone(MARKET_TIMEZONE).hour <= 17:
        hour += step
    return hour


def advance_deal(deal: Deal | None, reviewer: User, target: DealStatus, when: datetime) -> None:
    """Take a deal (if any) milestone by milestone up to `target`, as the reviewer at `when`."""
    if deal is None:
        return
    for step in (
        DealStatus.SIGNED,
        DealStatus.PAID,
        DealStatus.RIGHTS_REGISTERED,
        DealStatus.COMPLETED,
    ):
        reference = f"CNIPA-ZL-{deal.id:06d}" if step == DealStatus.RIGHTS_REGISTERED else None
        deals.advance(reviewer, deal.id, step, now=when, reference=reference)
        if step == target:
            return


def _offline_deals(
    sellers: list[User],
    buyers: list[User],
    reviewer: User,
    now: datetime,
    upload_folder: Path,
    pdf: bytes,
) -> int:
    entries = [
        (
            "一种秸秆生物炭土壤改良剂的制备技术",
            SaleMethod.NEGOTIATED,
            ContractType.TRANSFER,
            680_000_00,
        ),
        ("工业废水膜生物反应器工艺包", SaleMethod.LISTED, ContractType.LICENCE, 1_250_000_00),
        ("高速电主轴热误差补偿技术服务", SaleMethod.NEGOTIATED, ContractType.SERVICE, 320_000_00),
    ]
    for position, (title, method, contract_type, price) in enumerate(entries):
        seller, buyer = sellers[position % len(sellers)], buyers[position % len(buyers)]
        assert seller.organisation is not None and buyer.organisation is not None
        register_offline_deal_with_contract(
            reviewer,
            OfflineEntry(
                seller_name=seller.organisation.name,
                buyer_name=buyer.organisation.name,
                title=title,
                method=method,
                contract_type=contract_type,
                price_minor=price,
                signed_on=(now - timedelta(days=30 + 9 * position)).date(),
                seller_credit_code=seller.organisation.credit_code,
                buyer_credit_code=buyer.organisation.credit_code,
            ),
            Upload(io.BytesIO(pdf), f"技术合同-{position + 1}.pdf"),
            folder=upload_folder / "deals",
            max_bytes=RECEIPT_MAX_BYTES,
            now=now - timedelta(days=20),
        )
    return len(entries)


def negotiation_notice(negotiation_id: int) -> int:
    """The id of the public notice of an agreed negotiation."""
    notice = db.session.query(PublicityNotice).filter_by(negotiation_id=negotiation_id).one()
    return notice.id
