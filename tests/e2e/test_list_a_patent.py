"""Journey 1: a university lists a patent with evidence; a reviewer confirms; buyers find it."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from accounts.rules import make_credit_code
from accounts.services import create_platform_user
from core.clock import now
from core.uow import unit_of_work
from tests.factories import PASSWORD, PDF_BYTES

pytestmark = pytest.mark.e2e


def _shot(page: Page, folder: Path | None, name: str) -> None:
    if folder is not None:
        page.screenshot(path=str(folder / f"{name}.png"), full_page=True)


def _sign_in(page: Page, base: str, email: str) -> None:
    page.goto(f"{base}/signin")
    page.get_by_label("邮箱").fill(email)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()


def test_university_lists_patent_reviewer_confirms_and_search_finds_it(
    live_app, new_page, tmp_path: Path, screenshot_dir: Path | None
) -> None:
    app, base = live_app
    with app.app_context(), unit_of_work():
        create_platform_user("reviewer@e2e.test", "审核员", PASSWORD, now=now())
    seller, reviewer = new_page(), new_page()

    # The university's TTO registers.
    seller.goto(f"{base}/signup")
    seller.get_by_label("您的姓名").fill("王老师")
    seller.get_by_label("邮箱").fill("tto@jcut.edu.cn")
    seller.get_by_label("密码").fill(PASSWORD)
    seller.get_by_label("单位注册名称").fill("江城理工大学")
    seller.get_by_label("统一社会信用代码").fill(make_credit_code("12420100123456789"))
    seller.get_by_label("所在地区").fill("湖北省武汉市")
    seller.get_by_label("营业执照或注册证明文件（选填）").set_input_files(
        files=[{"name": "营业执照.pdf", "mimeType": "application/pdf", "buffer": PDF_BYTES}]
    )
    seller.get_by_role("button", name="创建账户").click()
    expect(seller.locator("#consent-error")).to_contain_text("请阅读并同意用户协议和隐私政策")
    seller.get_by_label("密码").fill(PASSWORD)  # a refused form never sends the password back
    seller.get_by_label("营业执照或注册证明文件（选填）").set_input_files(
        files=[{"name": "营业执照.pdf", "mimeType": "application/pdf", "buffer": PDF_BYTES}]
    )
    seller.get_by_label("我已阅读并同意").check()
    seller.get_by_role("button", name="创建账户").click()
    expect(seller.get_by_text("待审核").first).to_be_visible()

    # A reviewer verifies the organisation, its business licence at hand.
    _sign_in(reviewer, base, "reviewer@e2e.test")
    reviewer.goto(f"{base}/review/")
    # The browser suite shares one market: other walks may leave organisations waiting too.
    row = reviewer.locator("#organisations .list-group-item").filter(has_text="江城理工大学")
    expect(row.locator('[data-field="licence"]')).to_contain_text("营业执照.pdf")
    row.get_by_role("button", name="通过认证").click()
    expect(reviewer.get_by_text("单位已通过认证").first).to_be_visible()

    # The TTO creates the listing with a patent, with a wrong check character first.
    seller.goto(f"{base}/listings/new")
    seller.get_by_label("标题（中文）").fill("一种钠离子电池硬碳负极材料的制备方法")
    seller.get_by_label("通俗摘要（中文）").fill(
        "以生物质为原料制备硬碳负极，首效提升至92%，成本降低30%。"
    )
    seller.locator("#f-field").select_option("energy")
    seller.get_by_label("转让", exact=True).check()
    seller.locator("#ip-number-0").fill("201510123456.X")
    seller.get_by_role("button", name="保存草稿").click()
    expect(seller.locator("#ip-number-0-error")).to_contain_text("校验位")
    seller.locator("#ip-number-0").fill("201510123456.1")
    seller.get_by_role("button", name="保存草稿").click()
    expect(seller.get_by_text("草稿已保存").first).to_be_visible()

    certificate = tmp_path / "专利证书.pdf"
    certificate.write_bytes(PDF_BYTES)
    seller.get_by_label("文件", exact=True).set_input_files(str(certificate))
    seller.get_by_role("button", name="上传").click()
    expect(seller.get_by_role("link", name="专利证书.pdf")).to_be_visible()
    _shot(seller, screenshot_dir, "listing-editor")
    seller.get_by_role("button", name="提交确权审核").click()
    expect(seller.get_by_text("确权审核中").first).to_be_visible()

    # The reviewer sees the evidence beside the claim and confirms ownership.
    reviewer.goto(f"{base}/review/")
    claim = reviewer.locator("main table tr").filter(
        has_text="一种钠离子电池硬碳负极材料的制备方法"
    )
    claim.get_by_role("link", name="审核").click()
    expect(reviewer.locator("#evidence-viewer")).to_be_visible()
    _shot(reviewer, screenshot_dir, "review-evidence")
    reviewer.get_by_role("button", name="确认权属").click()
    expect(reviewer.get_by_text("已确认权属").first).to_be_visible()

    # The TTO publishes; a visitor finds it by search.
    seller.goto(f"{base}/my/listings")
    seller.get_by_role("link", name="一种钠离子电池硬碳负极材料的制备方法").click()
    seller.get_by_role("button", name="发布到市场").click()
    expect(seller.get_by_text("已发布").first).to_be_visible()

    visitor = new_page()
    visitor.goto(f"{base}/search?q=硬碳负极")
    result = visitor.locator(".listing-card", has_text="钠离子电池硬碳负极材料")
    expect(result).to_be_visible()
    expect(result.locator("mark").first).to_be_visible()
    _shot(visitor, screenshot_dir, "search")
