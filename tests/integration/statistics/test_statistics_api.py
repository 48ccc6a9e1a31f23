"""The city statistics by API: the same files as the pages' export buttons; the full version
for reviewers and administrators only, refused to anyone else in the one error shape."""

from __future__ import annotations

import csv
import io

from openpyxl import load_workbook

from accounts import services as accounts
from tests import factories

SPAN = "?from=2025-01-01&to=2025-12-31"
EN = {"Accept-Language": "en"}


def _auth(user: object, clock) -> dict[str, str]:  # type: ignore[no-untyped-def]
    return {"Authorization": f"Bearer {factories.api_token(user, 'stats', now=clock())}", **EN}  # type: ignore[arg-type]  # fmt: skip


def test_a_reviewer_gets_the_full_files_the_page_gives(client, world, clock) -> None:  # type: ignore[no-untyped-def]
    reviewer = factories.platform_reviewer(clock())
    sheet = client.get("/api/v1/statistics/full/export.xlsx" + SPAN, headers=_auth(reviewer, clock))
    assert sheet.status_code == 200
    assert 'filename="city-statistics-20250101-20251231.xlsx"' in sheet.headers["Content-Disposition"]  # fmt: skip
    book = load_workbook(io.BytesIO(sheet.data))
    assert list(book["Brokers"].iter_rows(values_only=True))[1] == ("经纪人王", 2, 2, 13_000)
    text = client.get("/api/v1/statistics/full/export.csv" + SPAN, headers=_auth(reviewer, clock))
    assert text.mimetype == "text/csv" and text.data.startswith(b"\xef\xbb\xbf")
    lines = list(csv.reader(io.StringIO(text.data.decode("utf-8-sig"))))
    assert ["Deals", "7"] in lines and ["Online", "5", "700000.00"] in lines
    client.post("/signin", data={"email": reviewer.email, "password": factories.PASSWORD})
    assert client.get("/review/statistics/export.csv" + SPAN, headers=EN).data == text.data


def test_the_figures_as_json_match_the_hand_computed_ones(client, world, clock) -> None:  # type: ignore[no-untyped-def]
    reviewer = _auth(factories.platform_reviewer(clock()), clock)
    full = client.get("/api/v1/statistics/full" + SPAN, headers=reviewer)
    assert full.status_code == 200, full.get_json()
    body = full.get_json()
    assert (body["from"], body["to"], body["public"]) == ("2025-01-01", "2025-12-31", False)
    assert (body["totals"]["deals"], body["totals"]["value_minor"]) == (7, 1_700_000_00)
    channel = [
        (r["key"], r["label"], r["deals"], r["value_minor"]) for r in body["tables"]["channel"]
    ]
    assert channel == [("offline", "Offline (physical market)", 2, 1_000_000_00), ("online", "Online", 5, 700_000_00)]  # fmt: skip
    assert body["brokers"][0]["broker"] == "经纪人王"
    public = client.get("/api/v1/statistics/" + SPAN, headers=EN).get_json()
    assert public["public"] is True and public["brokers"] == []
    assert [(r["deals"], r["value_minor"]) for r in public["tables"]["method"]] == [(3, 1_300_000_00), (4, 400_000_00)]  # fmt: skip
    assert all(r["deals"] is None for t in public["tables"].values() for r in t if r["suppressed"])
    refused = client.get("/api/v1/statistics/full", headers=_auth(factories.seller(clock()), clock))
    assert refused.status_code == 403 and set(refused.get_json()) == {"code", "message", "errors"}


def test_anyone_gets_the_public_file_without_brokers(client, world) -> None:  # type: ignore[no-untyped-def]
    public = client.get("/api/v1/statistics/export.xlsx" + SPAN, headers=EN)
    assert public.status_code == 200
    book = load_workbook(io.BytesIO(public.data))
    rows = list(book[book.sheetnames[2]].iter_rows(values_only=True))  # by pricing method
    assert [r[1:] for r in rows[1:]] == [(3, 1_300_000), (4, 400_000)]
    assert not any("Broker" in name or "经纪" in name for name in book.sheetnames)
    assert public.data[:2] == client.get("/statistics/export.xlsx" + SPAN).data[:2] == b"PK"
    csv_text = client.get("/api/v1/statistics/export.csv" + SPAN, headers=EN)
    assert csv_text.data == client.get("/statistics/export.csv" + SPAN, headers=EN).data


def test_the_full_files_are_refused_to_members_and_bad_periods_name_their_field(client, world, clock) -> None:  # type: ignore[no-untyped-def]  # fmt: skip
    assert client.get("/api/v1/statistics/full/export.csv").status_code == 401
    refused = client.get("/api/v1/statistics/full/export.xlsx", headers=_auth(factories.seller(clock()), clock))  # fmt: skip
    assert refused.status_code == 403 and set(refused.get_json()) == {"code", "message", "errors"}
    admin = accounts.create_platform_user("stats-api-admin@market.example", "管理员", factories.PASSWORD, now=clock(), admin=True)  # fmt: skip
    assert client.get("/api/v1/statistics/full/export.csv" + SPAN, headers=_auth(admin, clock)).status_code == 200  # fmt: skip
    reversed_ = client.get("/api/v1/statistics/export.csv?from=2025-02-01&to=2025-01-01")
    assert reversed_.status_code == 422 and list(reversed_.get_json()["errors"]) == ["to"]
    not_a_day = client.get("/api/v1/statistics/export.csv?from=2025-13-01")
    assert not_a_day.status_code == 422 and list(not_a_day.get_json()["errors"]) == ["from"]
