"""Demo valuations: indicative ones on several listings, one formal report, one open request."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta
from fractions import Fraction

from sqlalchemy import select

from accounts.models import User
from core.extensions import db
from core.row_lists import all_of
from listings.models import Listing
from listings.rules import ListingStatus
from valuation import income_rules, requests, services
from valuation.cost_rules import CostInputs
from valuation.income_rules import DiscountRate, IncomeInputs
from valuation.indicative_rules import IndicativeInputs

DISCOUNT = DiscountRate(
    risk_free_bps=250, technology_bps=500, market_bps=300, funding_bps=200, management_bps=250
)
# Revenue ramps up to its plateau R over the first years.
RAMP = (Fraction(2, 5), Fraction(7, 10), Fraction(9, 10), Fraction(1), Fraction(1))
LIFE = (10, 8)  # remaining legal life, economic life (years)


def _published(user: User, limit: int) -> list[Listing]:
    return all_of(
        select(Listing)
        .where(
            Listing.organisation_id == user.organisation_id,
            Listing.status == ListingStatus.PUBLISHED,
        )
        .order_by(Listing.id)
        .limit(limit)
    )


def inputs_for(listing: Listing, *, with_cost: bool = False) -> IndicativeInputs:
    """Plausible inputs whose income value lands near the listing's asking price."""
    industry = income_rules.industry_class_for(listing.field)
    royalty = income_rules.default_royalty_bps(industry)
    target = listing.asking_price_minor or 50_000_000  # ¥500,000 when negotiable
    # Value ≈ Σ R·ramp_t·royalty·(1 − tax)/(1 + r)^t: solve for the plateau revenue R.
    probe = IncomeInputs(
        revenues_minor=tuple(int(share * 100_000_000) for share in RAMP),
        royalty_bps=royalty,
        tax_bps=2500,
        discount_bps=DISCOUNT.total_bps,
        legal_life_years=LIFE[0],
        economic_life_years=LIFE[1],
    )
    per_million = income_rules.income_value(probe).value_minor or 1
    plateau = max(1, target * 100_000_000 // per_million // 1_000_000) * 1_000_000  # whole ¥10k
    income = replace(probe, revenues_minor=tuple(int(share * plateau) for share in RAMP))
    cost = None
    if with_cost or listing.trl <= 3:
        cost = CostInputs(
            labour_minor=target * 45 // 100,
            materials_minor=target * 15 // 100,
            overhead_minor=target * 10 // 100,
            opportunity_minor=target * 10 // 100,
            functional_obsolescence_bps=1500,
            economic_obsolescence_bps=1000,
        )
    return IndicativeInputs(
        income=income,
        discount=DISCOUNT,
        industry=industry,
        operating_margin_bps=royalty * 4 + 200,
        cost=cost,
        use_market=True,
    )


def load(*, sellers: list[User], buyers: list[User], now: datetime) -> dict[str, int]:
    """Indicative valuations on a few sellers' listings, a formal report and an open request."""
    reviewer = db.session.scalar(select(User).where(User.email == "reviewer@demo.market"))
    assert reviewer is not None, "the demo reviewer is created first"
    start = now - timedelta(days=20)
    indicative = 0
    targets = _published(sellers[0], 4) + [item for s in sellers[1:3] for item in _published(s, 1)]
    for n, listing in enumerate(targets):
        owner = next(s for s in sellers if s.organisation_id == listing.organisation_id)
        services.save_indicative(
            owner, listing.id, inputs_for(listing), now=start + timedelta(days=n, hours=3)
        )
        indicative += 1
    formal = 0
    if targets:
        listing = targets[0]
        at = start + timedelta(days=10)
        request = requests.request_valuation(
            sellers[0], listing.id, "挂牌前确定底价，供学校成果转化领导小组决策参考。", now=at
        )
        requests.take_request(reviewer, request.id, now=at + timedelta(hours=2))
        requests.issue_report(
            reviewer,
            request.id,
            inputs_for(listing, with_cost=True),
            "本报告以收益法（许可费节省法）为主，成本法为辅；平台可比交易不足时不采用市场法。\n"
            "折现率由无风险利率加技术、市场、资金和管理风险溢价构成。\n"
            "评估结论仅在评估基准日及所述用途下有效。",
            now=at + timedelta(days=2),
        )
        formal += 1
    requested = 0
    if buyers and len(targets) > 4:
        requests.request_valuation(
            buyers[0],
            targets[4].id,
            "拟独占许可，需要第三方价值参考。",
            now=now - timedelta(days=1),
        )
        requested += 1
    return {
        "valuations": indicative,
        "valuation_reports": formal,
        "valuation_requests": requested,
    }
