"""A university imports its patent portfolio: two bad rows are named, the rest become drafts."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from flask import Flask
from playwright.sync_api import expect

from listings.portfolio_rules import COLUMNS
from tests import factories
from tests.conftest import FrozenClock
from tests.e2e.helpers import sign_in

pytestmark = pytest.mark.e2e


def _portfolio(good: list[str], bad_check: str) -> bytes:
    rows = [
        [good[0], "一种钠离子电池硬碳负极材料的制备方法", "王伟；李娜", "H01M 4/587", "2019-05-06"],
        [bad_check, "一种柔性钙钛矿太阳能电池", "张强", "H10K 30/00", "2020-01-02"],
        [good[1], "Graphene heat-spreading film", "Li Na", "C01B 32/184", "2020-07-01"],
        [good[2], "一种水稻抗旱基因及其应用", "陈静", "C12N 15/82", "2020-02-31"],
    ]
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([c.heading for c in COLUMNS])
    for number, title, inventors, ipc, filed in rows:
        cells = {
            "patent_number": number,
            "title": title,
            "inventors": inventors,
            "ipc": ipc,
            "filed_on": filed,
            "field": "新材料",
        }
        writer.writerow([cells.get(c.key, "") for c in COLUMNS])
    return out.getvalue().encode("utf-8")


def test_a_university_imports_a_portfolio_and_sees_its_two_bad_rows_named(
    live_app: tuple[Flask, str],
    new_page,
    market_clock: FrozenClock,
    tmp_path: Path,
    screenshot_dir: Path | None,
) -> None:
    app, base = live_app
    with app.app_context():
        seller = factories.seller(market_clock.current, name="Portfolio Test University")
        email = seller.email
    good = [factories.cn_application() for _ in range(3)]
    extra = factories.cn_application()
    bad_check = extra[:-1] + ("0" if extra[-1] != "0" else "1")
    path = tmp_path / "portfolio.csv"
    path.write_bytes(_portfolio(good, bad_check))

    page = new_page("en")
    sign_in(page, base, email)
    page.goto(f"{base}/my/listings/import")
    page.get_by_label("Portfolio file (.csv or .xlsx)").set_input_files(str(path))
    page.get_by_role("button", name="Check and import").click()

    expect(page.locator(".progress-bar")).to_have_text("100%")
    errors = page.locator("#import-errors")
    expect(errors.get_by_role("row", name="Row 3")).to_contain_text("check character")
    expect(errors.get_by_role("row", name="Row 5")).to_contain_text("Not a date")
    expect(errors.locator("tbody tr")).to_have_count(2)
    if screenshot_dir is not None:
        page.screenshot(path=str(screenshot_dir / "portfolio-import.png"), full_page=True)

    page.get_by_role("link", name="See the drafts").click()
    expect(page.get_by_role("link", name="一种钠离子电池硬碳负极材料的制备方法")).to_be_visible()
    expect(page.get_by_role("link", name="Graphene heat-spreading film")).to_be_visible()
    expect(page.get_by_text("一种柔性钙钛矿太阳能电池")).to_have_count(0)
