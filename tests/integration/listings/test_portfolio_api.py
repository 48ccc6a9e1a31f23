"""Portfolio import by API: the bad rows named by number in the request's language, the
good ones drafts; the import is the organisation's own; an unreadable file is a 422."""

from __future__ import annotations

import io

from flask.testing import FlaskClient

from tests import factories
from tests.integration.listings.test_portfolio_import import _csv, _imported, _row


def _auth(user: object, clock) -> dict[str, str]:  # type: ignore[no-untyped-def]
    token = factories.api_token(user, "导入", now=clock())  # type: ignore[arg-type]
    return {"Authorization": f"Bearer {token}", "Accept-Language": "en"}


def test_a_patent_list_is_imported_by_api(client: FlaskClient, clock) -> None:  # type: ignore[no-untyped-def]
    seller = factories.seller(clock())
    own, stranger = _auth(seller, clock), _auth(factories.seller(clock()), clock)
    good, bad = factories.cn_application(), factories.cn_application()
    rows = [_row(good), _row(bad, filed_on="2019-02-30")]
    sent = client.post("/api/v1/listings/imports", data={"file": (io.BytesIO(_csv(rows)), "专利清单.csv")}, headers=own)  # fmt: skip
    assert sent.status_code == 201, sent.get_json()
    body = sent.get_json()
    assert (body["total"], body["errors"]) == (1, 1)
    assert [(e["row"], e["column"]) for e in body["row_errors"]] == [(3, "filed_on")]
    assert "Not a date" in body["row_errors"][0]["message"]
    assert set(_imported(seller.organisation_id)) == {good}
    url = f"/api/v1/listings/imports/{body['id']}"
    shown = client.get(url, headers=own).get_json()
    assert (shown["status"], shown["created"], shown["percent"]) == ("done", 1, 100)
    assert [i["id"] for i in client.get("/api/v1/listings/imports", headers=own).get_json()["items"]] == [body["id"]]  # fmt: skip
    assert client.get(url, headers=stranger).status_code == 404
    template = client.get("/api/v1/listings/imports/template.csv", headers=own)
    assert template.status_code == 200 and template.mimetype == "text/csv"
    assert 'filename="portfolio-template.csv"' in template.headers["Content-Disposition"]
    client.post("/signin", data={"email": seller.email, "password": factories.PASSWORD})
    assert client.get("/my/listings/import/template.csv").data == template.data  # the page's own
    client.post("/signout")
    assert client.get("/api/v1/listings/imports/template.xlsx").status_code == 401
    unreadable = client.post("/api/v1/listings/imports", data={"file": (io.BytesIO(factories.PDF_BYTES), "清单.pdf")}, headers=own)  # fmt: skip
    assert unreadable.status_code == 422 and unreadable.get_json()["code"] == "invalid"
