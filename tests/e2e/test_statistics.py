"""An administrator reads the city statistics, exports the XLSX and it opens; the public
page shows the anonymised version."""

from __future__ import annotations

from pathlib import Path

from openpyxl import load_workbook
from playwright.sync_api import expect

from accounts.services import create_platform_user
from core.clock import now
from core.uow import unit_of_work
from tests.e2e.helpers import sign_in
from tests.factories import PASSWORD
from tests.statistics_world import build_world, more_deals

YEAR = "?from=2025-01-01&to=2025-12-31"


def test_administrator_reads_exports_and_public_sees_folded_figures(
    live_app, new_page, tmp_path: Path, screenshot_dir: Path | None
) -> None:
    app, base = live_app
    with app.app_context():
        more_deals(build_world(), 60)
        with unit_of_work():
            create_platform_user("admin-stats@e2e.test", "管理员", PASSWORD, now=now(), admin=True)
    admin = new_page("en")
    sign_in(admin, base, "admin-stats@e2e.test")
    admin.goto(f"{base}/review/statistics{YEAR}")
    expect(admin.locator('[data-figure="deals"]')).to_have_text("67")
    expect(admin.locator("svg.statistics-chart")).to_have_count(10)
    expect(admin.locator('[data-table="brokers"]')).to_contain_text("经纪人王")
    if screenshot_dir is not None:
        admin.set_viewport_size({"width": 1280, "height": 1500})
        admin.screenshot(path=str(screenshot_dir / "statistics.png"))
    with admin.expect_download() as download:
        admin.locator('[data-export="xlsx"]').click()
    saved = tmp_path / "statistics.xlsx"
    download.value.save_as(saved)
    book = load_workbook(saved)
    assert "Brokers" in book.sheetnames and len(book.sheetnames) == 12
    deals = sum(row[1] for row in book["By channel"].iter_rows(min_row=2, values_only=True))
    assert deals == 67

    public = new_page("en")
    public.goto(f"{base}/statistics{YEAR}")
    expect(public.locator('[data-figure="deals"]')).to_have_text("67")
    expect(public.locator('[data-table="brokers"]')).to_have_count(0)
    expect(public.get_by_text("经纪人王")).to_have_count(0)
