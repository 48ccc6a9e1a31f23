"""The listing pages and the REST API, through HTTP."""

from __future__ import annotations

import io

from flask.testing import FlaskClient

from core.extensions import db
from listings.models import Listing
from listings.rules import ListingStatus
from search import all_backends
from search.indexer import drain
from tests import factories


def _sign_in(client: FlaskClient, email: str) -> None:
    response = client.post("/signin", data={"email": email, "password": factories.PASSWORD})
    assert response.status_code == 302


def _editor_form(number: str) -> dict:
    return {
        "title_zh": "一种石墨烯导热膜的制备方法",
        "summary_zh": "导热系数提升一倍。",
        "field": "materials",
        "trl": "6",
        "holder": "测试大学",
        "region": "上海市",
        "inventors": "王伟，李娜",
        "ipc_classes": "C01B 32/184",
        "transfer_modes": ["assignment"],
        "asking_price": "1,200,000.00",
        "ip_kind": ["cn_application"],
        "ip_number": [number],
        "ip_title": [""],
    }


def test_editor_refuses_wrong_check_character_keeps_input_and_saves_nothing(client, clock) -> None:
    seller = factories.seller(clock())
    _sign_in(client, seller.email)
    response = client.post(
        "/listings/new", data=_editor_form("201510123456.X"), headers={"Accept-Language": "en"}
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "check character" in page and 'value="201510123456.X"' in page
    assert "一种石墨烯导热膜的制备方法" in page
    assert db.session.query(Listing).count() == 0


def test_editor_creates_a_draft_with_price_in_fen(client, clock) -> None:
    seller = factories.seller(clock())
    _sign_in(client, seller.email)
    response = client.post("/listings/new", data=_editor_form("201510123456.1"))
    assert response.status_code == 302
    listing = db.session.query(Listing).one()
    assert (listing.asking_price_minor, listing.inventors) == (120_000_000, ["王伟", "李娜"])


def test_evidence_upload_and_access_only_for_owner_and_reviewers(client, clock) -> None:
    seller = factories.seller(clock())
    stranger = factories.seller(clock())
    _sign_in(client, seller.email)
    client.post("/listings/new", data=_editor_form("201510123456.1"))
    listing = db.session.query(Listing).one()
    client.post(
        f"/listings/{listing.id}/evidence",
        data={"kind": "certificate", "file": (io.BytesIO(factories.PDF_BYTES), "证书.pdf")},
        content_type="multipart/form-data",
    )
    evidence = listing.evidence[0]
    own = client.get(f"/evidence/{evidence.id}")
    assert own.status_code == 200 and own.headers["X-Content-Type-Options"] == "nosniff"
    client.post("/signout")
    assert client.get(f"/evidence/{evidence.id}").status_code == 302  # to sign-in
    _sign_in(client, stranger.email)
    assert client.get(f"/evidence/{evidence.id}").status_code == 404


def test_api_create_refuses_invalid_number_with_field_message(client, clock) -> None:
    seller = factories.seller(clock())
    token = factories.api_token(seller, "ci", now=clock())
    body = {
        "title_zh": "一种锂电池",
        "field": "energy",
        "trl": 4,
        "holder": "测试大学",
        "region": "上海市",
        "transfer_modes": ["assignment"],
        "ip_assets": [{"kind": "cn_application", "number": "201510123456.X"}],
    }
    auth = {"Authorization": f"Bearer {token}"}
    response = client.post(
        "/api/v1/listings/", json=body, headers={**auth, "Accept-Language": "en"}
    )
    assert response.status_code == 422
    payload = response.get_json()
    assert "check character" in payload["errors"]["ip_assets.0.number"][0]
    chinese = client.post(
        "/api/v1/listings/", json=body, headers={**auth, "Accept-Language": "zh-CN"}
    )
    assert "校验位" in chinese.get_json()["errors"]["ip_assets.0.number"][0]
    assert db.session.query(Listing).count() == 0
    body["ip_assets"][0]["number"] = "201510123456.1"
    created = client.post(
        "/api/v1/listings/", json=body, headers={"Authorization": f"Bearer {token}"}
    )
    assert created.status_code == 201 and created.get_json()["status"] == "draft"


def test_api_write_without_token_is_refused(client, clock) -> None:
    response = client.post("/api/v1/listings/", json={"title_zh": "x"})
    assert response.status_code == 401


def test_api_search_returns_items_total_facets_and_highlights(
    client, clock, upload_folder, app
) -> None:
    for backend in all_backends():  # the index file outlives each test's rollback
        backend.clear()
    seller = factories.seller(clock(), name="东海大学")
    factories.listing(
        seller,
        clock(),
        status=ListingStatus.PUBLISHED,
        folder=upload_folder,
        title_zh="一种钠离子电池负极材料的制备方法",
    )
    factories.listing(seller, clock(), status=ListingStatus.DRAFT, title_zh="一种钠离子电池隔膜")
    drain()
    payload = client.get("/api/v1/listings/?q=钠离子电池").get_json()
    assert payload["total"] == 1
    item = payload["items"][0]
    assert {"id", "title", "summary", "field", "status", "holder", "highlights"} <= set(item)
    assert "<mark>" in item["highlights"]["title"]
    assert payload["facets"]["field"] == {"energy": 1}


def test_openapi_document_lists_the_listing_endpoints(client) -> None:
    spec = client.get("/api/v1/openapi.json").get_json()
    assert "/api/v1/listings/" in spec["paths"]
    assert client.get("/api/v1/docs").status_code == 200


def test_healthz_reports_database_search_and_storage(client) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {
        "status": "ok",
        "database": "ok",
        "search": "ok",
        "search_backend": "embedded",
        "storage": "ok",
        "breakers": {name: "closed" for name in ("search", "stripe", "smtp", "redis", "storage")},
    }


def test_readyz_names_each_part_and_fails_when_one_does(app, client) -> None:
    ready = client.get("/readyz")
    assert ready.status_code == 200
    body = ready.get_json()
    assert {k: body[k] for k in ("status", "database", "search", "queue", "storage")} == {
        "status": "ok",
        "database": "ok",
        "search": "ok",
        "queue": "ok",
        "storage": "ok",
    }
    assert body["breakers"]["stripe"] == "closed"
    folder = app.config["UPLOAD_FOLDER"]
    app.config["UPLOAD_FOLDER"] = "/proc/no-uploads-here"
    try:
        broken = client.get("/readyz")
    finally:
        app.config["UPLOAD_FOLDER"] = folder
    assert broken.status_code == 503
    assert broken.get_json()["storage"] == "error" and broken.get_json()["status"] == "error"


def test_language_follows_the_browser_and_the_switch(client) -> None:
    english = client.get("/", headers={"Accept-Language": "en-GB,en"}).get_data(as_text=True)
    assert "Find technology" in english
    chinese = client.get("/", headers={"Accept-Language": "zh-CN"}).get_data(as_text=True)
    assert "找技术" in chinese
    client.get("/lang/en", headers={"Accept-Language": "zh-CN"})
    assert "Find technology" in client.get("/", headers={"Accept-Language": "zh-CN"}).get_data(
        as_text=True
    )


def test_csrf_protects_forms(app, db_session) -> None:
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        response = app.test_client().post("/signin", data={"email": "a@b.cn", "password": "x"})
        assert response.status_code == 400
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
