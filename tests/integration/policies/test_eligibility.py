"""Support policies on a fixed data set: the computation against figures worked out by hand,
approval and adjustment audited, each organisation seeing only its own lines."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from accounts import services as accounts
from accounts.models import OrganisationKind, User
from core.audit_models import AuditEntry
from core.domain import PermissionDenied, ValidationFailed
from core.extensions import db
from core.uow import unit_of_work
from deals.models import Channel, ContractType, Deal, DealRegistration, DealStatus, SaleMethod
from policies import services
from policies.export import run_csv
from policies.policy_rules import Beneficiary
from tests import factories
from tests.conftest import FrozenClock

SHANGHAI = ZoneInfo("Asia/Shanghai")


def _deal(seller: User, buyer: User, price: int, completed: datetime | None, **kw) -> Deal:
    deal = Deal(
        seller_org_id=seller.organisation_id, buyer_org_id=buyer.organisation_id,
        seller_name="卖方", buyer_name="买方", title="成果", method=SaleMethod.NEGOTIATED,
        channel=Channel.OFFLINE, contract_type=kw.get("contract_type", ContractType.TRANSFER),
        price_minor=price, status=DealStatus.COMPLETED if completed else DealStatus.PAID,
        created_at=datetime(2025, 1, 1, tzinfo=UTC), completed_at=completed,
    )  # fmt: skip
    db.session.add(deal)
    db.session.flush()
    return deal


@pytest.fixture
def market(db_session: object, clock: FrozenClock) -> dict:
    """Two universities, two enterprises (one in Jiangsu), an institute-buyer, and their deals.

    Completed in market time (Asia/Shanghai); 2025-12-31 16:30 UTC is 2026-01-01 00:30 there.
    """
    now = clock.current
    uni_a, uni_b = factories.seller(now), factories.seller(now)
    ent_sh, ent_js = factories.enterprise(now), factories.enterprise(now)
    inst = factories.seller(now, kind=OrganisationKind.INSTITUTE)
    with unit_of_work():
        ent_js.organisation.region = "江苏省苏州市"
        admin = accounts.create_platform_user("admin@market.example", "管理员", factories.PASSWORD, now=now, admin=True)  # fmt: skip
        at = lambda m, d, h=4: datetime(2025, m, d, h, tzinfo=UTC)  # noqa: E731
        deals = {
            "d1": _deal(uni_a, ent_sh, 30_000_000, at(10, 5)),  # 300 000 yuan
            "d2": _deal(uni_a, ent_sh, 40_000_000, at(11, 20)),  # 400 000 yuan
            "d3": _deal(uni_b, ent_sh, 5_000_000, at(12, 1)),  # 50 000 yuan
            "d4": _deal(uni_b, ent_js, 90_000_000, at(11, 1)),  # Jiangsu buyer: not in region
            "d5": _deal(uni_a, inst, 10_000_000, at(11, 2)),  # an institute buys: not an enterprise
            "d6": _deal(uni_b, ent_sh, 20_000_000, None),  # paid, not completed
            "d7": _deal(uni_b, ent_sh, 8_000_000, datetime(2025, 12, 31, 16, 30, tzinfo=UTC)),
            "d8": _deal(uni_a, ent_sh, 1_999_999, at(10, 9), contract_type=ContractType.SERVICE),
        }
    return {"admin": admin, "uni_a": uni_a, "uni_b": uni_b, "ent_sh": ent_sh, "ent_js": ent_js, **deals}  # fmt: skip


def _buyer_policy(admin: User, now: datetime):
    """5 % of the transaction amount to Shanghai enterprises, at most 18 000 yuan a deal,
    30 000 yuan a year; transfers and licences only."""
    with unit_of_work():
        return services.define(
            admin,
            services.NewPolicy(
                name_zh="企业吸纳技术补贴", name_en="Absorption subsidy",
                beneficiary=Beneficiary.BUYER, rate_bp=500, fixed_minor=None,
                cap_per_deal_minor=1_800_000, cap_per_org_year_minor=3_000_000,
                valid_from=date(2025, 1, 1), contract_types=("transfer", "licence"),
                region="上海市", evidence="技术合同登记证明；付款凭证",
            ),
            now=now,
        )  # fmt: skip


def _compute(admin: User, policy_id: int, first: date, last: date, now: datetime):
    with unit_of_work():
        return services.compute(admin, policy_id, first, last, now=now, tz=SHANGHAI)


def test_the_buyer_subsidy_matches_the_figures_worked_by_hand(market, clock) -> None:
    """Q4 2025, Shanghai enterprise: d1 5 % of 300 000 = 15 000; d2 5 % of 400 000 = 20 000,
    capped at 18 000 a deal, then at 30 000 - 15 000 = 15 000 left of the year; d3 2 500
    but the year is spent: 0. d4 (Jiangsu), d5 (institute), d6 (not completed), d8 (a
    service contract) do not qualify; d7 completed on 1 January 2026 in Shanghai: next period."""
    admin, now = market["admin"], clock.current
    policy = _buyer_policy(admin, now)
    run = _compute(admin, policy.id, date(2025, 10, 1), date(2025, 12, 31), now)
    (line,) = run.lines
    assert line.org_id == market["ent_sh"].organisation_id
    assert [(d.deal_id, d.basis_minor, d.award_minor) for d in line.deals] == [
        (market["d1"].id, 30_000_000, 1_500_000),
        (market["d2"].id, 40_000_000, 1_500_000),
        (market["d3"].id, 5_000_000, 0),
    ]
    assert line.computed_minor == line.amount_minor == 3_000_000

    q1 = _compute(admin, policy.id, date(2026, 1, 1), date(2026, 3, 31), now)
    assert [(d.deal_id, d.award_minor) for d in q1.lines[0].deals] == [(market["d7"].id, 400_000)]

    # A whole-year period overlapping both: every deal is already counted by this policy.
    year = _compute(admin, policy.id, date(2025, 1, 1), date(2026, 12, 31), now)
    assert year.lines == []


def test_the_seller_reward_pays_fixed_amounts_and_computing_again_replaces_the_lines(
    market, clock
) -> None:
    """10 000 yuan per deal to the selling university, at most 25 000 a year: uni_a has d1,
    d2, d5, d8 in October-November (10 000 + 10 000 + 5 000 + 0), uni_b d3, d4 (20 000)."""
    admin, now = market["admin"], clock.current
    with unit_of_work():
        policy = services.define(
            admin,
            services.NewPolicy(
                "高校院所转化奖励", None, Beneficiary.SELLER, None, 1_000_000, None, 2_500_000,
                valid_from=date(2025, 1, 1), valid_to=date(2025, 12, 31),
            ),
            now=now,
        )  # fmt: skip
    for _ in range(2):
        run = _compute(admin, policy.id, date(2025, 10, 1), date(2026, 6, 30), now)
    totals = {line.org_id: line.amount_minor for line in run.lines}
    assert totals == {
        market["uni_a"].organisation_id: 2_500_000,
        market["uni_b"].organisation_id: 2_000_000,
    }
    assert run.period_end == date(2025, 12, 31), "clipped to the policy's validity"
    assert "2025-10-01,2025-12-31,computed" in run_csv(run)


def test_adjusting_and_approving_are_audited_and_final(market, clock) -> None:
    admin, now = market["admin"], clock.current
    policy = _buyer_policy(admin, now)
    run = _compute(admin, policy.id, date(2025, 10, 1), date(2025, 12, 31), now)
    line_id = run.lines[0].id
    with pytest.raises(ValidationFailed), unit_of_work():
        services.adjust(admin, line_id, 3_000_001, "多报", now=now)
    with unit_of_work():
        services.adjust(admin, line_id, 1_500_000, "d2 付款凭证未提交", now=now)
        services.approve(admin, run.id, now=now)
    with pytest.raises(ValidationFailed), unit_of_work():
        services.adjust(admin, line_id, 0, "再改", now=now)
    with pytest.raises(ValidationFailed), unit_of_work():
        services.compute(admin, policy.id, date(2025, 10, 1), date(2025, 12, 31), now=now, tz=SHANGHAI)  # fmt: skip
    actions = db.session.scalars(
        select(AuditEntry.action).where(AuditEntry.action.like("policy%")).order_by(AuditEntry.id)
    ).all()
    assert actions == ["policy.define", "policy_run.compute", "policy_line.adjust", "policy_run.approve"]  # fmt: skip
    adjusted = db.session.scalar(
        select(AuditEntry).where(AuditEntry.action == "policy_line.adjust")
    )
    assert adjusted.reason == "d2 付款凭证未提交" and adjusted.before["amount_minor"] == 3_000_000
    assert "15000.00,d2 付款凭证未提交" in run_csv(run)


def test_an_organisation_sees_only_its_own_lines_and_only_administrators_compute(
    market, clock
) -> None:
    admin, now = market["admin"], clock.current
    policy = _buyer_policy(admin, now)
    _compute(admin, policy.id, date(2025, 10, 1), date(2025, 12, 31), now)
    mine = services.lines_of_my_organisation(market["ent_sh"])
    assert [line.org_id for line in mine] == [market["ent_sh"].organisation_id]
    assert services.lines_of_my_organisation(market["ent_js"]) == []
    with pytest.raises(PermissionDenied):
        services.compute(market["ent_sh"], policy.id, date(2025, 10, 1), date(2025, 12, 31), now=now, tz=SHANGHAI)  # fmt: skip
    with pytest.raises(PermissionDenied):
        services.policies_for(market["uni_a"])


def test_a_registered_technology_transaction_amount_is_the_basis_instead_of_the_price(
    market, clock
) -> None:
    """d7's contract is 80 000 of which 30 000 is the technology transaction (技术交易额):
    5 % of 30 000 = 1 500, not 5 % of the price."""
    admin, now = market["admin"], clock.current
    deal = market["d7"]
    db.session.add(
        DealRegistration(
            deal_id=deal.id, contract_number="2026310000000001", project_name="登记项目",
            contract_subtype="patent_assignment", technology_field="energy",
            seller_region_code="310000", buyer_region_code="310000",
            term_start=date(2026, 1, 1), term_end=date(2026, 12, 31),
            transaction_amount_minor=3_000_000, payment_method="lump_sum", updated_at=now,
        )
    )  # fmt: skip
    db.session.flush()
    policy = _buyer_policy(admin, now)
    q1 = _compute(admin, policy.id, date(2026, 1, 1), date(2026, 3, 31), now)
    assert [(d.deal_id, d.basis_minor, d.award_minor) for d in q1.lines[0].deals] == [
        (deal.id, 3_000_000, 150_000)
    ]
