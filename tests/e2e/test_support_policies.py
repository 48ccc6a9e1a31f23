"""An administrator defines a support policy in the browser, computes a quarter, lowers a
line with a reason and approves; the enterprise sees its approved amount."""

from __future__ import annotations

import os
from datetime import UTC, datetime

import pytest
from flask import Flask
from playwright.sync_api import Page, expect

from accounts import services as accounts
from core.extensions import db
from core.uow import unit_of_work
from deals.models import Channel, ContractType, Deal, DealStatus, SaleMethod
from tests import factories
from tests.conftest import FrozenClock

pytestmark = pytest.mark.e2e


def _sign_in(page: Page, base: str, email: str) -> None:
    page.goto(f"{base}/signin")
    page.get_by_label("邮箱").fill(email)
    page.get_by_label("密码").fill(factories.PASSWORD)
    page.get_by_role("button", name="登录").click()


def _market(now: datetime) -> tuple[str, str]:
    """An administrator, a university and two enterprises with three completed deals."""
    uni = factories.seller(now, name="华东理工技术转移中心")
    buyers = [factories.enterprise(now, name=n) for n in ("上海新材科技有限公司", "浦江智能装备有限公司")]  # fmt: skip
    with unit_of_work():
        admin = accounts.create_platform_user(
            "policy-e2e@market.example", "政策管理员", factories.PASSWORD, now=now, admin=True
        )
        for buyer, price, day in ((buyers[0], 80_000_000, 5), (buyers[0], 30_000_000, 20), (buyers[1], 12_345_600, 12)):  # fmt: skip
            at = datetime(2026, 1, day, 3, tzinfo=UTC)
            db.session.add(
                Deal(
                    seller_org_id=uni.organisation_id, buyer_org_id=buyer.organisation_id,
                    seller_name="华东理工技术转移中心", buyer_name="企业", title="高镍正极材料改性技术",
                    method=SaleMethod.LISTED, channel=Channel.ONLINE,
                    contract_type=ContractType.TRANSFER, price_minor=price,
                    status=DealStatus.COMPLETED, created_at=at, completed_at=at,
                )
            )  # fmt: skip
    return admin.email, buyers[1].email


def test_an_administrator_computes_adjusts_and_approves_a_quarter(
    live_app: tuple[Flask, str], new_page, market_clock: FrozenClock
) -> None:
    app, base = live_app
    with app.app_context():
        admin_email, buyer_email = _market(market_clock.current)
    page = new_page("zh-CN")
    _sign_in(page, base, admin_email)
    page.goto(f"{base}/policies/")
    page.get_by_label("名称（中文）").fill("企业吸纳技术成果补贴")
    page.get_by_label("名称（英文）").fill("Subsidy for absorbing results")
    page.get_by_label("扶持对象所在地区（前缀）").fill("上海")
    page.locator("#f-rate_percent").fill("5")
    page.locator("#f-cap_per_deal_yuan").fill("30,000")
    page.locator("#f-cap_per_org_year_yuan").fill("50,000")
    page.locator("#f-valid_from").fill("2026-01-01")
    page.locator("#f-evidence").fill("技术合同登记证明；付款凭证")
    page.get_by_role("button", name="设立政策").click()
    page.get_by_role("link", name="企业吸纳技术成果补贴").click()
    page.locator("#f-period_start").fill("2026-01-01")
    page.locator("#f-period_end").fill("2026-03-31")
    page.get_by_role("button", name="计算").click()
    # 5 % of 800 000 = 40 000, capped at 30 000 a deal; 5 % of 300 000 = 15 000, but only
    # 20 000 of the year's 50 000 is left: 15 000; 5 % of 123 456 = 6 172.80. Total 51 172.80.
    expect(page.locator("[data-field=total]")).to_contain_text("51,172.80")
    line = page.locator("[data-line]").nth(1)
    line.locator("input[name=amount_yuan]").fill("5000")
    line.locator("input[name=reason]").fill("付款凭证尚未提交")
    line.get_by_role("button", name="调整").click()
    expect(page.get_by_text("金额已调整")).to_be_visible()
    page.get_by_role("button", name="批准").click()
    expect(page.get_by_text("该期间已审定")).to_be_visible()
    if shot := os.environ.get("POLICIES_SCREENSHOT"):
        page.screenshot(path=shot, full_page=True)

    buyer = new_page("zh-CN")
    _sign_in(buyer, base, buyer_email)
    buyer.goto(f"{base}/organisation/eligibility")
    expect(buyer.locator("[data-field=amount]")).to_have_count(1)
    expect(buyer.get_by_text("付款凭证尚未提交")).to_be_visible()
