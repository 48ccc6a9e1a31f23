"""Portfolio import through HTTP and the command line: bad rows named, drafts made once."""

from __future__ import annotations

import csv
import io
import time

from flask import Flask
from flask.testing import FlaskClient
from openpyxl import load_workbook

from core.extensions import db
from listings import portfolio
from listings.models import IPAsset, Listing, PortfolioImport
from listings.portfolio_rules import COLUMNS
from listings.rules import ListingStatus
from tests import factories


def _sign_in(client: FlaskClient, email: str) -> None:
    response = client.post("/signin", data={"email": email, "password": factories.PASSWORD})
    assert response.status_code == 302


def _row(number: str, title: str = "一种石墨烯导热膜的制备方法", **cells: str) -> list[str]:
    values = {
        "patent_number": number,
        "title": title,
        "inventors": "王伟；李娜",
        "ipc": "C01B 32/184",
        "filed_on": "2019-05-06",
        "granted_on": "2021-01-08",
        "legal_status": "有效",
        "field": "新材料",
        "abstract": "导热系数提升一倍。",
        "trl": "5",
        **cells,
    }
    return [values[c.key] for c in COLUMNS]


def _csv(rows: list[list[str]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([c.heading for c in COLUMNS])
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def _upload(client: FlaskClient, data: bytes, name: str = "portfolio.csv"):
    return client.post(
        "/my/listings/import",
        data={"file": (io.BytesIO(data), name)},
        content_type="multipart/form-data",
        headers={"Accept-Language": "en"},
    )


def _imported(org_id: int) -> dict[str, Listing]:
    rows = db.session.execute(
        db.select(IPAsset.number, Listing).join(Listing).where(Listing.organisation_id == org_id)
    )
    return {number: listing for number, listing in rows}


def test_bad_rows_are_named_and_the_good_ones_become_drafts(client, clock) -> None:
    seller = factories.seller(clock())
    _sign_in(client, seller.email)
    good = [factories.cn_application() for _ in range(3)]
    bad = factories.cn_application()
    wrong_check = bad[:-1] + ("0" if bad[-1] != "0" else "1")
    rows = [_row(good[0]), _row(wrong_check), _row(good[1], filed_on="2019-02-30"), _row(good[2])]
    response = _upload(client, _csv(rows))
    assert response.status_code == 302
    page = client.get(response.headers["Location"], headers={"Accept-Language": "en"})
    text = page.get_data(as_text=True)
    assert "Row 3" in text and "check character" in text
    assert "Row 4" in text and "Not a date" in text and "Row 2" not in text
    drafts = _imported(seller.organisation_id)
    assert set(drafts) == {good[0], good[2]}
    listing = drafts[good[0]]
    assert (
        listing.status == ListingStatus.DRAFT and listing.title_zh == "一种石墨烯导热膜的制备方法"
    )
    assert (listing.field, listing.trl, listing.ipc_classes) == ("materials", 5, ["C01B 32/184"])
    assert listing.holder == seller.organisation.name
    assert listing.ip_assets[0].granted_on.isoformat() == "2021-01-08"
    status = client.get(response.headers["Location"] + "/status").get_json()
    assert status | {"id": 0} == {
        "id": 0,
        "status": "done",
        "total": 2,
        "processed": 2,
        "created": 2,
        "updated": 0,
        "skipped": 0,
        "errors": 2,
        "percent": 100,
    }


def test_importing_again_updates_the_drafts_and_skips_what_is_no_longer_a_draft(
    client, clock, upload_folder
) -> None:
    seller = factories.seller(clock())
    _sign_in(client, seller.email)
    numbers = [factories.cn_application() for _ in range(3)]
    submitted = factories.listing(
        seller,
        clock(),
        status=ListingStatus.SUBMITTED,
        folder=upload_folder,
        ip_assets=(factories.listings.IPAssetInput(factories.IPKind.CN_APPLICATION, numbers[2]),),
    )
    assert _upload(client, _csv([_row(n) for n in numbers])).status_code == 302
    first = _imported(seller.organisation_id)
    ids = {n: first[n].id for n in numbers}
    clock.advance(hours=1)
    rows = [_row(n, title="改进的石墨烯导热膜", trl="7") for n in numbers]
    response = _upload(client, _csv(rows))
    again = _imported(seller.organisation_id)
    assert {n: again[n].id for n in numbers} == ids  # no duplicates
    assert db.session.query(Listing).filter_by(organisation_id=seller.organisation_id).count() == 3
    assert [again[n].title_zh for n in numbers[:2]] == ["改进的石墨烯导热膜"] * 2
    assert again[numbers[0]].trl == 7
    assert again[numbers[2]].status == ListingStatus.SUBMITTED
    assert again[numbers[2]].title_zh != "改进的石墨烯导热膜"
    status = client.get(response.headers["Location"] + "/status").get_json()
    assert (status["created"], status["updated"], status["skipped"]) == (0, 2, 1)
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert f"/listings/{submitted.id}" in page


def test_another_organisation_neither_sees_the_import_nor_matches_its_numbers(
    client, clock
) -> None:
    first, second = factories.seller(clock()), factories.seller(clock())
    number = factories.cn_application()
    _sign_in(client, first.email)
    location = _upload(client, _csv([_row(number)])).headers["Location"]
    client.post("/signout")
    _sign_in(client, second.email)
    assert client.get(location).status_code == 404
    assert client.get(location + "/status").status_code == 404
    _upload(client, _csv([_row(number)]))
    assert len(_imported(first.organisation_id)) == len(_imported(second.organisation_id)) == 1


def test_a_file_that_cannot_be_read_is_refused_whole_and_nothing_is_kept(client, clock) -> None:
    seller = factories.seller(clock())
    _sign_in(client, seller.email)
    response = _upload(client, b"\x00" * 10, name="portfolio.xlsx")
    assert response.status_code == 422 and "XLSX" in response.get_data(as_text=True)
    response = _upload(client, "专利号,申请日\n".encode(), name="p.csv")
    assert response.status_code == 422 and "Title" in response.get_data(as_text=True)
    assert db.session.query(PortfolioImport).count() == 0


def test_the_templates_download_with_bilingual_headings(client, clock) -> None:
    seller = factories.seller(clock())
    _sign_in(client, seller.email)
    text = client.get("/my/listings/import/template.csv").get_data().decode("utf-8-sig")
    assert text.startswith("专利号 / Patent number,专利名称 / Title")
    book = load_workbook(io.BytesIO(client.get("/my/listings/import/template.xlsx").get_data()))
    assert book.active["A1"].value == "专利号 / Patent number"


def test_the_command_line_imports_for_an_organisation(
    app: Flask, db_session, clock, tmp_path
) -> None:
    seller = factories.seller(clock())
    numbers = [factories.cn_application() for _ in range(2)]
    path = tmp_path / "portfolio.csv"
    path.write_bytes(_csv([_row(numbers[0]), _row("CN12345"), _row(numbers[1])]))
    runner = app.test_cli_runner()
    args = ["listings", "import", str(path), "--org", str(seller.organisation_id)]
    result = runner.invoke(args=args)
    assert result.exit_code == 0, result.output
    assert "row 3" in result.output and "2 created, 0 updated, 0 skipped, 1 errors" in result.output
    result = runner.invoke(args=args)
    assert "0 created, 2 updated" in result.output
    assert set(_imported(seller.organisation_id)) == set(numbers)


def test_five_thousand_rows_import_in_one_job(client, clock) -> None:
    seller = factories.seller(clock())
    _sign_in(client, seller.email)
    rows = [_row(factories.cn_application(year=2018), title=f"专利{i}") for i in range(5000)]
    started = time.perf_counter()
    response = _upload(client, _csv(rows))
    seconds = time.perf_counter() - started
    print(f"\n5,000-row portfolio import: {seconds:.1f} s")
    status = client.get(response.headers["Location"] + "/status").get_json()
    assert (status["status"], status["created"], status["errors"]) == ("done", 5000, 0)
    item = db.session.get(PortfolioImport, status["id"])
    assert item.rows == [] and item.finished_at is not None
    assert len(portfolio.pending_imports()) == 0
