"""Demo brokers: accredited brokers with mandates, introductions, a brokered deal, ratings.

Runs after the trading and needs demos, through the services with moments in the
past, so the audit trail, the commission and the ledger are what the product makes.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select

from accounts import services as accounts
from accounts.models import OrganisationKind, User
from accounts.rules import make_credit_code
from accounts.signup_checks import TERMS_VERSION
from brokers import accreditation, introductions, mandates, ratings
from brokers.models import Broker
from brokers.rules import BrokerLevel, CommissionKind, MandateSide, Payer
from core.extensions import db
from core.row_lists import all_of
from deals import services as deals
from deals.models import Deal, DealStatus
from listings.models import Listing, TechNeed
from listings.need_rules import NeedInput, NeedStatus
from listings.needs import post_need
from listings.rules import ListingStatus, SaleState
from marketplace.demo.trading import advance_deal
from trading import negotiations, notices

PASSWORDS = {"broker@demo.market": "Broker-demo-2026"}
BROKER_PASSWORD = "Broker-demo-2026"

# (email, person, level, fields, region, languages, certificate expiry in days from now)
BROKERS = (
    (
        "broker@demo.market",
        "周敏",
        BrokerLevel.SENIOR,
        ("energy", "materials"),
        "上海市",
        ("zh", "en"),
        400,
    ),
    (
        "broker2@demo.market",
        "陈立",
        BrokerLevel.INTERMEDIATE,
        ("biomed",),
        "江苏省",
        ("zh",),
        40,
    ),
    (
        "broker3@demo.market",
        "王芳",
        BrokerLevel.JUNIOR,
        ("ict", "equipment"),
        "浙江省",
        ("zh", "ja"),
        700,
    ),
)


def _agency(name: str, name_en: str, serial: int, reviewer: User, when: datetime) -> User:
    """A broker agency with its first member (the broker), verified by the reviewer."""
    email, person = BROKERS[serial][0], BROKERS[serial][1]
    user = accounts.sign_up(
        accounts.SignUp(
            email=email,
            name=person,
            password=BROKER_PASSWORD,
            organisation=accounts.NewOrganisation(
                name=name,
                name_en=name_en,
                kind=OrganisationKind.BROKER_AGENCY,
                credit_code=make_credit_code(f"91310000MA{serial:07d}"),
                region=BROKERS[serial][4],
            ),
            terms_version=TERMS_VERSION,
        ),
        now=when,
    )
    assert user.organisation_id is not None
    accounts.verify_organisation(reviewer, user.organisation_id, now=when)
    return user


def _apply(user: User, serial: int, when: datetime, now: datetime) -> Broker:
    _, _, level, fields, region, languages, days = BROKERS[serial]
    return accreditation.apply(
        user,
        accreditation.Application(
            level=level,
            certificate_number=f"沪技经字〔2025〕{1000 + serial:04d}号",
            issuing_body="上海市科学技术委员会",
            expires_on=(now + timedelta(days=days)).date(),
            region=region,
            expertise_fields=fields,
            languages=languages,
            bio="十年技术转移经验，专注高校专利与企业需求对接。" if serial == 0 else "",
        ),
        now=when,
    )


def _listings(sellers: list[User], limit: int) -> list[Listing]:
    """Available listings, the demo seller's (the first organisation) first."""
    rows = all_of(
        select(Listing)
        .where(
            Listing.status == ListingStatus.PUBLISHED,
            Listing.sale_state == SaleState.AVAILABLE,
            Listing.organisation_id.in_([s.acting_org_id for s in sellers]),
            Listing.asking_price_minor.is_not(None),
        )
        .order_by(Listing.id)
        .limit(200)
    )
    first = sellers[0].acting_org_id
    return sorted(rows, key=lambda item: (item.organisation_id != first, item.id))[:limit]


def _need_of(buyer: User, listing: Listing, when: datetime) -> TechNeed:
    existing = db.session.scalar(
        select(TechNeed)
        .where(
            TechNeed.organisation_id == buyer.acting_org_id,
            TechNeed.status == NeedStatus.OPEN,
        )
        .order_by(TechNeed.id)
        .limit(1)
    )
    if existing is not None:
        return existing
    return post_need(
        buyer,
        NeedInput(
            title="寻求与“" + listing.title()[:40] + "”相关的成熟技术",
            problem="我司产线需要提升性能与良率，寻求可转让或独占许可的专利技术。",
            field=listing.field,
            region=listing.region,
            ipc_classes=tuple(listing.ipc_classes[:2]),
            budget_min_minor=20_000_000,
            budget_max_minor=120_000_000,
            transfer_modes=("assignment", "exclusive_licence"),
        ),
        now=when,
    )


def _owner(listing: Listing, sellers: list[User]) -> User:
    return next(s for s in sellers if s.acting_org_id == listing.organisation_id)


def load(
    *, sellers: list[User], buyers: list[User], reviewer: User, now: datetime
) -> dict[str, int]:
    """Three brokers (one soon to expire), one pending, mandates, introductions, a deal."""
    start = now - timedelta(days=90)
    users = [
        _agency("浦江技术经纪事务所", "Pujiang Technology Brokers", 0, reviewer, start),
        _agency("苏南技术转移服务中心", "Sunan Technology Transfer Centre", 1, reviewer, start),
        _agency("钱塘科技咨询有限公司", "Qiantang Tech Consulting Co., Ltd.", 2, reviewer, start),
    ]
    records = [_apply(user, n, start, now) for n, user in enumerate(users)]
    for record in records[:2]:
        accreditation.accredit(reviewer, record.id, now=start + timedelta(hours=4))
    # The third waits in the reviewers' queue.
    lead, second = users[0], users[1]
    lead_broker = records[0]
    picked = _listings(sellers, 3)
    buyer = buyers[0]
    counts = {"brokers": 3, "mandates": 0, "introductions": 0, "brokered_deals": 0}
    if not picked:
        return counts

    # 1. A university engages the lead broker (exclusive, 2 %, ¥20k–¥200k, seller pays);
    #    the broker introduces an enterprise, they agree a price, the notice runs clean.
    deal_listing = picked[0]
    seller = _owner(deal_listing, sellers)
    t = now - timedelta(days=60)
    mandate = mandates.propose_mandate(
        seller,
        mandates.MandateInput(
            broker_id=lead_broker.id,
            side=MandateSide.SELLER,
            listing_id=deal_listing.id,
            exclusive=True,
            starts_at=t,
            ends_at=t + timedelta(days=365),
            notice_days=30,
            commission_kind=CommissionKind.PERCENTAGE,
            rate_bps=200,
            min_minor=2_000_000,
            max_minor=20_000_000,
            payer=Payer.SELLER,
            scope_note="寻找产业化受让方，协助谈判与合同签署。",
        ),
        now=t,
    )
    mandates.accept_mandate(lead, mandate.id, now=t + timedelta(hours=2))
    counts["mandates"] += 1
    intro = introductions.introduce(
        lead,
        listing_id=deal_listing.id,
        buyer_org_id=buyer.acting_org_id,
        note="贵司的产品路线与该成果高度契合，建议尽快洽谈。",
        now=t + timedelta(days=2),
    )
    introductions.respond_to_introduction(buyer, intro.id, accept=True, now=t + timedelta(days=3))
    introductions.respond_to_introduction(
        seller, intro.id, accept=True, now=t + timedelta(days=3, hours=5)
    )
    counts["introductions"] += 1
    if intro.negotiation_id is not None:
        price = int((deal_listing.asking_price_minor or 50_000_000) * 0.9) // 100 * 100
        negotiations.make_offer(buyer, intro.negotiation_id, price, now=t + timedelta(days=5))
        notice = negotiations.accept(
            seller, intro.negotiation_id, now=t + timedelta(days=6), publicity_days=15
        )
        notices.close_notice(notice.id, now=t + timedelta(days=22))
        deal = deals.get_deal(notice_deal_id(notice.negotiation_id))
        counts["brokered_deals"] += 1
        advance_deal(deal, reviewer, DealStatus.COMPLETED, t + timedelta(days=30))
        ratings.rate_broker(
            buyer,
            deal.id,
            lead_broker.id,
            5,
            "撮合高效，合同条款把关细致。",
            now=t + timedelta(days=31),
        )
        ratings.rate_broker(
            seller, deal.id, lead_broker.id, 4, "沟通及时。", now=t + timedelta(days=32)
        )

    # 2. A buyer-side mandate on an enterprise's need, and a fresh introduction waiting.
    if len(picked) > 1 and len(buyers) > 1:
        other_buyer = buyers[1]
        need = _need_of(other_buyer, picked[1], now - timedelta(days=20))
        need_mandate = mandates.propose_mandate(
            lead,
            mandates.MandateInput(
                broker_id=lead_broker.id,
                side=MandateSide.BUYER,
                need_id=need.id,
                starts_at=now - timedelta(days=15),
                ends_at=now + timedelta(days=165),
                commission_kind=CommissionKind.FIXED,
                fixed_minor=3_000_000,
                payer=Payer.BUYER,
            ),
            now=now - timedelta(days=15),
        )
        mandates.accept_mandate(other_buyer, need_mandate.id, now=now - timedelta(days=14))
        counts["mandates"] += 1
        introductions.introduce(
            lead, listing_id=picked[1].id, need_id=need.id, now=now - timedelta(days=3)
        )
        counts["introductions"] += 1

    # 3. The soon-expiring broker holds a non-exclusive mandate and awaits a second one.
    if len(picked) > 2:
        owner = _owner(picked[2], sellers)
        for accept in (True, False):
            proposal = mandates.propose_mandate(
                owner,
                mandates.MandateInput(
                    broker_id=records[1].id,
                    side=MandateSide.SELLER,
                    listing_id=picked[2].id,
                    starts_at=now - timedelta(days=10),
                    ends_at=now + timedelta(days=120),
                    commission_kind=CommissionKind.PERCENTAGE,
                    rate_bps=150,
                    payer=Payer.SELLER,
                ),
                now=now - timedelta(days=10),
            )
            if accept:
                mandates.accept_mandate(second, proposal.id, now=now - timedelta(days=9))
            counts["mandates"] += 1
    return counts


def notice_deal_id(negotiation_id: int) -> int:
    """The deal a concluded negotiation became."""
    deal_id = db.session.scalar(
        select(Deal.id).where(Deal.source_type == "negotiation", Deal.source_id == negotiation_id)
    )
    assert deal_id is not None, "the notice did not conclude"
    return deal_id
