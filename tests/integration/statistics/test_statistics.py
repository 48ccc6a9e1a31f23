"""The city statistics against figures computed by hand on the fixed market of conftest.py."""

from __future__ import annotations

import csv
import io
from datetime import date
from zoneinfo import ZoneInfo

from openpyxl import load_workbook

from accounts import services as accounts
from marketplace.statistics import report
from marketplace.statistics.rules import OTHER_KEY, Row, period
from tests import factories

TZ = ZoneInfo("Asia/Shanghai")
YEAR = period(date(2025, 1, 1), date(2025, 12, 31))
EN = {"Accept-Language": "en"}


def wan(yuan: int) -> int:
    return yuan * 100


def _sign_in(client, user) -> None:
    client.post("/signout")
    response = client.post("/signin", data={"email": user.email, "password": factories.PASSWORD})
    assert response.status_code == 302


def test_full_statistics_match_the_hand_computed_figures(world, clock) -> None:
    reviewer = factories.platform_reviewer(clock())
    result = report.full_report(reviewer, YEAR, TZ)
    t = result.tables
    assert result.totals == Row("total", 7, wan(1_700_000))
    assert t["channel"] == [Row("offline", 2, wan(1_000_000)), Row("online", 5, wan(700_000))]
    assert t["method"] == [
        Row("auction", 1, wan(100_000)),
        Row("listed", 3, wan(300_000)),
        Row("negotiated", 3, wan(1_300_000)),
    ]
    assert t["field"] == [
        Row("biomed", 1, wan(300_000)),
        Row("energy", 2, wan(300_000)),
        Row("materials", 1, wan(400_000)),
        Row("unknown", 3, wan(700_000)),
    ]
    assert t["ipc_section"] == [
        Row("A", 1, wan(300_000)),
        Row("C", 1, wan(400_000)),
        Row("H", 2, wan(300_000)),
        Row("unknown", 3, wan(700_000)),
    ]
    assert t["province"] == [Row("上海市", 1, wan(400_000)), Row("浙江省", 6, wan(1_300_000))]
    assert t["city"] == [Row("上海市", 1, wan(400_000)), Row("浙江省 / 杭州市", 6, wan(1_300_000))]
    assert t["organisation_kind"] == [
        Row("institute", 1, wan(400_000)),
        Row("university", 6, wan(1_300_000)),
    ]
    assert t["international"] == [
        Row("domestic", 6, wan(1_400_000)),
        Row("international", 1, wan(300_000)),
    ]
    assert t["month"] == [
        Row("2025-01", 1, wan(100_000)),
        Row("2025-02", 1, wan(200_000)),
        Row("2025-03", 2, wan(700_000)),
        Row("2025-06", 1, wan(600_000)),
        Row("2025-07", 2, wan(100_000)),
    ]
    assert t["year"] == [Row("2025", 7, wan(1_700_000))]
    f = result.figures
    assert (f["listings_published"], f["listings_sold"], f["needs_published"]) == (6, 4, 2)
    assert f["conversion"] == 4 / 6
    assert f["days_to_deal"] == 17.5  # (10 + 10 + 20 + 30) / 4: deals with a listing
    assert (f["deposits_held"], f["deposits_held_minor"]) == (2, wan(80_000))
    assert result.brokers == [
        {"broker": "经纪人王", "introductions": 2, "deals": 2, "commission_minor": wan(13_000)}
    ]


def test_public_statistics_fold_and_hide_small_groups(world) -> None:
    result = report.public_report(YEAR, TZ)
    t = result.tables
    assert result.totals == Row("total", 7, wan(1_700_000))
    # Offline has 2 deals: alone it would show, and online's figure would give it away.
    assert t["channel"] == [Row(OTHER_KEY, 7, wan(1_700_000))]
    # The single auction joins the next smallest group (listed, 3) in "Others".
    assert t["method"] == [Row("negotiated", 3, wan(1_300_000)), Row(OTHER_KEY, 4, wan(400_000))]
    assert t["field"] == [Row("unknown", 3, wan(700_000)), Row(OTHER_KEY, 4, wan(1_000_000))]
    assert t["international"] == [Row(OTHER_KEY, 7, wan(1_700_000))]
    assert t["year"] == [Row("2025", 7, wan(1_700_000))]
    assert result.brokers == []
    assert "deposits_held" not in result.figures and "commission_minor" not in result.figures
    assert result.figures["days_to_deal"] == 17.5


def test_a_period_of_one_deal_shows_nothing_publicly_but_everything_to_reviewers(
    client, world, clock
) -> None:
    june = "?from=2025-06-01&to=2025-06-30"
    page = client.get("/statistics" + june, headers=EN).get_data(as_text=True)
    assert 'data-figure="deals">—<' in page and "600,000" not in page
    reviewer = factories.platform_reviewer(clock())
    _sign_in(client, reviewer)
    page = client.get("/review/statistics" + june, headers=EN).get_data(as_text=True)
    assert 'data-figure="deals">1<' in page and "¥600,000.00" in page


def test_public_page_shows_the_year_with_charts_and_tables(client, world) -> None:
    page = client.get("/statistics?from=2025-01-01&to=2025-12-31", headers=EN).get_data(
        as_text=True
    )
    assert 'data-figure="deals">7<' in page and "¥1,700,000.00" in page and "万" not in page
    chinese = client.get("/statistics?from=2025-01-01&to=2025-12-31").get_data(as_text=True)
    assert "170.00万元" in chinese  # the unit Chinese readers count in
    assert page.count('class="statistics-chart"') == len(report.TABLES)
    assert 'data-figure="conversion">66.7%<' in page
    assert "经纪人王" not in page and "Munich" not in page  # nobody named


def test_exports_read_back(client, world, clock) -> None:
    span = "?from=2025-01-01&to=2025-12-31"
    _sign_in(client, factories.platform_reviewer(clock()))
    response = client.get("/review/statistics/export.xlsx" + span, headers=EN)
    assert response.status_code == 200 and "attachment" in response.headers["Content-Disposition"]
    book = load_workbook(io.BytesIO(response.data))
    assert book.sheetnames[0] == "Summary" and len(book.sheetnames) == 2 + len(report.TABLES)
    channel = [tuple(r) for r in book["By channel"].iter_rows(values_only=True)]
    assert channel == [
        ("By channel", "Deals", "Value (yuan)"),
        ("Offline (physical market)", 2, 1_000_000),
        ("Online", 5, 700_000),
    ]
    brokers = list(book["Brokers"].iter_rows(values_only=True))
    assert brokers[1] == ("经纪人王", 2, 2, 13_000)
    text = client.get("/review/statistics/export.csv" + span, headers=EN).data.decode("utf-8-sig")
    lines = list(csv.reader(io.StringIO(text)))
    assert ["Deals", "7"] in lines and ["Online", "5", "700000.00"] in lines
    assert ["Deposits held now (yuan)", "80000.00"] in lines
    # The public export: the same folding as the page, no broker.
    public = load_workbook(io.BytesIO(client.get("/statistics/export.xlsx" + span).data))
    rows = list(public[public.sheetnames[2]].iter_rows(values_only=True))  # by pricing method
    assert [r[1:] for r in rows[1:]] == [(3, 1_300_000), (4, 400_000)]
    assert not any("Broker" in name or "经纪" in name for name in public.sheetnames)


def test_only_reviewers_and_administrators_see_the_full_version(client, world, clock) -> None:
    assert client.get("/review/statistics").status_code == 302  # to sign-in
    assert client.get("/review/statistics/export.csv").status_code == 302
    _sign_in(client, factories.seller(clock()))
    assert client.get("/review/statistics").status_code == 403
    assert client.get("/review/statistics/export.xlsx").status_code == 403
    admin = accounts.create_platform_user(
        "stats-admin@market.example", "管理员", factories.PASSWORD, now=clock(), admin=True
    )
    _sign_in(client, admin)
    assert client.get("/review/statistics?from=2025-01-01&to=2025-12-31").status_code == 200


def test_bad_periods_are_refused_with_a_400(client, world) -> None:
    assert client.get("/statistics?from=2025-13-01").status_code == 400
    assert client.get("/statistics?from=2025-02-01&to=2025-01-01").status_code == 400
    assert client.get("/statistics?from=1990-01-01&to=2025-01-01").status_code == 400
    assert client.get("/statistics?from=" + "9" * 500).status_code == 400
