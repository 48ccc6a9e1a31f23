"""Demo rights (issue 16): open licences (one withdrawn after a licence was granted), a
licence deal with two royalty reports (one late) whose inventors' pools follow each royalty,
a co-owned result with its 赋权 agreement signed off and consents, a pledged patent,
evaluations, and an inventors' reward on a completed transfer. All through the services.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import date, datetime, timedelta
from pathlib import Path

from sqlalchemy import exists, select

from accounts.models import User
from core.extensions import db
from core.service_kit import Upload
from deals import services as deals
from deals.models import ContractType, Deal, DealStatus
from licences import declarations, grants, licence_deals, offers, royalties, rules
from licences.deal_rules import OfferKind
from licences.rules import FeeKind, FeeTerms, LicenceKind, PaymentMethod
from listings import co_owners, evaluations, legal_status
from listings.co_owner_rules import HolderBasis
from listings.evaluation_rules import Advancement, Novelty
from listings.legal_rules import LegalStatus, Purpose
from listings.models import Listing
from listings.need_rules import market_today
from listings.rules import ListingStatus, SaleState
from rewards import services as rewards
from rewards.rules import CostCategory

MAX_BYTES = 5_000_000
Pdf = Callable[[str], bytes]


def _free(seller: User, *, skip: set[int], invention: bool = False) -> Listing | None:
    """A published listing of the seller that no demo deal or sale touches yet."""
    dealt = exists().where(Deal.listing_id == Listing.id)
    query = (
        select(Listing)
        .where(
            Listing.organisation_id == seller.organisation_id,
            Listing.status == ListingStatus.PUBLISHED,
            Listing.sale_state == SaleState.AVAILABLE,
            ~dealt,
        )
        .order_by(Listing.id.desc())
    )
    for listing in db.session.scalars(query):
        numbers = offers.patent_numbers(listing.id)
        if listing.id in skip or not numbers:
            continue
        if invention and rules.patent_type(numbers[0]) != "invention":
            continue
        skip.add(listing.id)
        return listing
    return None


def _free_of_any(sellers: list[User], skip: set[int]) -> tuple[User, Listing] | None:
    """The first seller with a free listing, and that listing."""
    for seller in sellers:
        listing = _free(seller, skip=skip)
        if listing is not None:
            return seller, listing
    return None


def _user_of(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == email))


def _upload(pdf: Pdf, text: str, name: str) -> Upload:
    return Upload(io.BytesIO(pdf(text)), name)


def load(*, sellers: list[User], buyers: list[User], reviewer: User, now: datetime, upload_folder: Path, pdf: Pdf) -> dict[str, int]:  # fmt: skip
    """Each right the market handles, once (the demo loads once)."""
    if len(sellers) < 3 or len(buyers) < 2:
        return {}
    used: set[int] = set()
    counts = {
        "open_licences": _open_licences(sellers, buyers, reviewer, now, used),
        "royalty_reports": _licence_with_royalties(sellers[0], buyers[0], reviewer, now, used),
        "co_owned": _co_owned(sellers, reviewer, now, upload_folder, pdf, used),
        "pledged": _pledged(sellers[1:] + sellers[:1], reviewer, now, used),
        "evaluations": _evaluations(sellers, now, upload_folder, pdf),
        "transfer_rewards": _transfer_reward(now),
    }
    return counts


def _declare(seller: User, listing: Listing, terms: FeeTerms, at: datetime) -> int:
    declaration = declarations.declare(
        seller,
        declarations.Declaration(listing.ip_assets[0].id, terms, PaymentMethod.BANK_TRANSFER, 5),
        storage=declarations.Storage(Path("."), MAX_BYTES),
        now=at,
    )
    return declaration.id


def _open_licences(sellers: list[User], buyers: list[User], reviewer: User, now: datetime, used: set[int]) -> int:  # fmt: skip
    """Two published open licences; the first was taken (notice, bank payment) then withdrawn."""
    start = now - timedelta(days=60)
    made = 0
    lump = FeeTerms(FeeKind.LUMP_SUM, lump_sum_minor=8_000_000)  # ¥80,000 once
    royalty = FeeTerms(FeeKind.ENTRY_PLUS_ROYALTY, entry_fee_minor=2_000_000, royalty_bp=250)
    for n, (seller, terms) in enumerate(((sellers[2], lump), (sellers[1], royalty))):
        listing = _free(seller, skip=used, invention=True)
        if listing is None:
            continue
        at = start + timedelta(days=n)
        declaration_id = _declare(seller, listing, terms, at)
        declarations.approve(reviewer, declaration_id, now=at + timedelta(days=1))
        made += 1
        if n == 0:
            licence = grants.give_notice(
                buyers[1], declaration_id,
                "我公司依据专利法第五十一条，书面通知贵方实施该专利的开放许可，并按公告条件支付许可使用费。",
                now=at + timedelta(days=5),
            )  # fmt: skip
            grants.record_payment(
                reviewer, licence.id, licence.amount_due_minor, grants.transfer_reference(licence.id),
                now=at + timedelta(days=7),
            )  # fmt: skip
            declarations.withdraw(seller, declaration_id, now=at + timedelta(days=30))
    return made


def _licence_with_royalties(seller: User, licensee: User, reviewer: User, now: datetime, used: set[int]) -> int:  # fmt: skip
    """An exclusive licence from ten months ago, quarterly: the first report on time, the
    second late; the institution's inventors get a pool from each royalty."""
    listing = _free(seller, skip=used)
    if listing is None:
        return 0
    granted = now - timedelta(days=300)
    rewards.set_inventors(
        seller, listing.id,
        [rewards.NewInventor("周建国", 5000), rewards.NewInventor("吴晓燕", 3000), rewards.NewInventor("孙浩", 2000)],
        now=granted,
    )  # fmt: skip
    exclusive = offers.OfferInput(
        OfferKind.EXCLUSIVE, fields=(listing.field,), territory=("上海", "江苏", "浙江"),
        term_years=5, price_minor=30_000_000, rate_bp=400, minimum_annual_minor=20_000_000,
        period_months=3, note="长三角地区独占实施，按季度报告净销售额。",
    )  # fmt: skip
    ordinary = offers.OfferInput(OfferKind.ORDINARY, term_years=3, price_minor=5_000_000, rate_bp=300, period_months=6)  # fmt: skip
    offers.set_offers(seller, listing.id, [exclusive, ordinary], now=granted)
    starts = market_today(granted + timedelta(days=10)).replace(day=1)
    data = licence_deals.LicenceInput(
        licensee_org_id=licensee.organisation_id or 0, kind=LicenceKind.EXCLUSIVE, starts_on=starts,
        term_years=5, price_minor=30_000_000, rate_bp=400, minimum_annual_minor=20_000_000,
        period_months=3, fields=(listing.field,), territory=("上海", "江苏", "浙江"),
    )  # fmt: skip
    licence = licence_deals.grant(seller, listing.id, data, now=granted)
    deals.advance(seller, licence.deal_id, DealStatus.SIGNED, now=granted + timedelta(days=3))
    first, second = royalties.periods_of(licence)[:2]
    _report(licensee, licence.deal_id, 0, 186_400_00, first.due_on - timedelta(days=6), now)
    _report(licensee, licence.deal_id, 1, 243_150_00, second.due_on + timedelta(days=12), now)
    return len(licence.reports)


def _report(licensee: User, deal_id: int, index: int, sales: int, day: date, now: datetime) -> None:  # fmt: skip
    at = min(datetime(day.year, day.month, day.day, 2, 0, tzinfo=now.tzinfo), now - timedelta(hours=1))  # fmt: skip
    royalties.report(licensee, deal_id, index, sales, now=at)


def _co_owned(sellers: list[User], reviewer: User, now: datetime, upload_folder: Path, pdf: Pdf, used: set[int]) -> int:  # fmt: skip
    """A result the university holds with another institute and its researcher (赋权)."""
    found = _free_of_any(sellers, used)
    if found is None:
        return 0
    owner, listing = found
    partner = next(s for s in sellers if s.organisation_id != owner.organisation_id)
    at = now - timedelta(days=40)
    holders = [
        co_owners.HolderInput(5000, HolderBasis.OWNERSHIP, org_id=owner.organisation_id),
        co_owners.HolderInput(3000, HolderBasis.OWNERSHIP, org_id=partner.organisation_id),
        co_owners.HolderInput(
            2000,
            HolderBasis.RIGHT_OF_USE,
            name="刘志强（成果完成人）",
            use_until=market_today(at).replace(year=market_today(at).year + 12),
        ),
    ]
    rows = co_owners.set_holders(owner, listing.id, holders, now=at)
    upload = _upload(pdf, "Rights agreement (fuquan) signed by the university", "职务科技成果赋权协议.pdf")  # fmt: skip
    co_owners.attach_agreement(owner, listing.id, upload, folder=co_owners.agreement_folder(upload_folder), max_bytes=MAX_BYTES, now=at)  # fmt: skip
    co_owners.sign_off_agreement(reviewer, listing.id, now=at + timedelta(days=2))
    co_owners.record_consent(partner, listing.id, rows[1].id, Purpose.LICENCE, "共有人同意许可函（2026）第3号", now=at + timedelta(days=3))  # fmt: skip
    co_owners.record_consent(reviewer, listing.id, rows[2].id, Purpose.LICENCE, "成果完成人刘志强书面同意书", now=at + timedelta(days=4))  # fmt: skip
    return 1


def _pledged(sellers: list[User], reviewer: User, now: datetime, used: set[int]) -> int:
    """A granted patent pledged to a bank for a loan (质押融资), the pledgee's consent to license it."""
    found = _free_of_any(sellers, used)
    if found is None:
        return 0
    listing = found[1]
    asset = listing.ip_assets[0]
    at = now - timedelta(days=30)
    source = "国家知识产权局专利权质押登记公告"
    legal_status.record_status(reviewer, asset.id, legal_status.NewStatus(LegalStatus.GRANTED, market_today(at) - timedelta(days=400), "国家知识产权局授权公告"), now=at)  # fmt: skip
    legal_status.record_status(reviewer, asset.id, legal_status.NewStatus(LegalStatus.PLEDGED, market_today(at), source, "上海银行科技金融支行"), now=at)  # fmt: skip
    legal_status.record_consent(reviewer, asset.id, Purpose.LICENCE, "上海银行同意许可函（沪银科〔2026〕12号）", now=at + timedelta(days=2))  # fmt: skip
    return 1


def _evaluations(sellers: list[User], now: datetime, upload_folder: Path, pdf: Pdf) -> int:
    """An accredited agency's broker evaluates a few results it does not act for."""
    evaluator = _user_of("broker2@demo.market")
    if evaluator is None:
        return 0
    findings = (
        evaluations.Findings(
            6,
            Novelty.NEW_IN_CHINA,
            Advancement.DOMESTIC_LEADING,
            "中试样机连续运行 1,000 小时，关键指标优于国内同类产品；查新未见相同报道。",
        ),
        evaluations.Findings(
            4,
            Novelty.NEW_WORLDWIDE,
            Advancement.INTERNATIONAL_ADVANCED,
            "实验室验证完成，核心性能达到国际先进水平，尚需工程化放大。",
        ),
        evaluations.Findings(
            7,
            Novelty.NEW_IN_CHINA,
            Advancement.DOMESTIC_ADVANCED,
            "已在示范线应用，稳定性经第三方检测确认。",
        ),
    )
    done = 0
    at = now - timedelta(days=12)
    for seller, found in zip(sellers, findings, strict=False):
        listing = _free(seller, skip=set())
        if listing is None or not evaluations.may_evaluate(evaluator, listing, now=at):
            continue
        evidence = [_upload(pdf, "Novelty search and test report", "科技查新报告.pdf")]
        evaluations.record_evaluation(evaluator, listing.id, found, evidence, folder=evaluations.evaluation_folder(str(upload_folder)), max_bytes=MAX_BYTES, now=at + timedelta(days=done))  # fmt: skip
        done += 1
    return done


def _transfer_reward(now: datetime) -> int:
    """The first completed transfer of a university: inventors named, costs recorded, pool set."""
    query = (
        select(Deal)
        .where(
            Deal.status == DealStatus.COMPLETED,
            Deal.contract_type == ContractType.TRANSFER,
            Deal.listing_id.is_not(None),
        )
        .order_by(Deal.id)
    )
    for deal in db.session.scalars(query):
        admin = db.session.scalar(select(User).where(User.organisation_id == deal.seller_org_id).order_by(User.id).limit(1))  # fmt: skip
        if admin is None or admin.organisation is None or admin.organisation.kind not in rewards.REWARDING_KINDS:  # fmt: skip
            continue
        at = now - timedelta(days=2)
        named = [rewards.NewInventor("郑海涛", 6000), rewards.NewInventor("何丽", 4000)]
        rewards.set_inventors(admin, deal.listing_id or 0, named, now=at)
        costs = {CostCategory.FEES: deal.price_minor // 100, CostCategory.MAINTENANCE: 1_200_000}
        rewards.award(admin, deal.id, costs, now=at)
        return 1
    return 0
