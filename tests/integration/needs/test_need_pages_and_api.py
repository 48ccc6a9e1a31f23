"""Technology need pages, matching pages and the REST API, through HTTP."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask.testing import FlaskClient

from core.extensions import db
from listings.models import TechNeed
from listings.need_rules import NeedStatus
from listings.rules import ListingStatus
from tests import factories

pytestmark = pytest.mark.usefixtures("fresh_search")


def _sign_in(client: FlaskClient, email: str) -> None:
    response = client.post("/signin", data={"email": email, "password": factories.PASSWORD})
    assert response.status_code == 302


def _form(**changes: object) -> dict:
    form: dict[str, object] = {
        "title": "寻求储能电站电池热失控预警技术",
        "problem": "储能电站需要在热失控发生前30分钟发出预警，误报率低于1%。",
        "field": "energy",
        "ipc_classes": "H01M 10/48; G01K",
        "budget_min": "500,000",
        "budget_max": "2000000",
        "deadline": "2026-12-31",
        "min_trl": "6",
        "region": "江苏省",
        "transfer_modes": ["assignment", "exclusive_licence"],
    }
    form.update(changes)
    return form


def test_an_enterprise_posts_a_need_from_the_form_and_finds_it_in_the_needs_search(
    client, clock
) -> None:
    buyer = factories.enterprise(clock())
    _sign_in(client, buyer.email)
    response = client.post("/needs/new", data=_form())
    assert response.status_code == 302
    need = db.session.query(TechNeed).one()
    assert (need.budget_min_minor, need.budget_max_minor) == (50_000_000, 200_000_000)
    assert need.ipc_classes == ["H01M 10/48", "G01K"] and need.min_trl == 6
    page = client.get(f"/needs/{need.id}").get_data(as_text=True)
    assert "寻求储能电站电池热失控预警技术" in page and "need-matches-link" in page
    found = client.get("/needs?q=热失控", headers={"Accept-Language": "en"})
    text = found.get_data(as_text=True)
    assert "1 need found" in text and "<mark>热失控</mark>" in text
    assert "Jiangsu" in text and "江苏省" not in text  # the region facet in the reader's words
    assert "热失控预警" in client.get("/needs?field=energy").get_data(as_text=True)
    filtered = client.get("/needs?field=biomed", headers={"Accept-Language": "en"})
    assert "No open needs match your search." in filtered.get_data(as_text=True)


def test_the_form_shows_field_errors_keeps_the_input_and_saves_nothing(client, clock) -> None:
    buyer = factories.enterprise(clock())
    _sign_in(client, buyer.email)
    response = client.post(
        "/needs/new",
        data=_form(budget_min="3,000,000", ipc_classes="nonsense"),
        headers={"Accept-Language": "en"},
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "is not an IPC class" in page
    assert "寻求储能电站电池热失控预警技术" in page
    response = client.post(
        "/needs/new", data=_form(budget_min="lots"), headers={"Accept-Language": "en"}
    )
    assert response.status_code == 422 and 'id="budget_min-error"' in response.get_data(
        as_text=True
    )
    assert db.session.query(TechNeed).count() == 0


def test_a_university_is_told_that_needs_are_posted_by_enterprises(client, clock) -> None:
    university = factories.seller(clock())
    _sign_in(client, university.email)
    response = client.post("/needs/new", data=_form(), headers={"Accept-Language": "en"})
    assert response.status_code == 422
    assert "Technology needs are posted by enterprises." in response.get_data(as_text=True)


def test_the_enterprise_closes_its_need_from_the_page_and_it_leaves_the_market(
    client, clock
) -> None:
    buyer = factories.enterprise(clock())
    need = factories.need(buyer, clock())
    _sign_in(client, buyer.email)
    assert client.post(f"/needs/{need.id}/close", data={"reason": "已解决"}).status_code == 302
    assert db.session.get(TechNeed, need.id).status == NeedStatus.CLOSED
    assert "已解决" in client.get(f"/needs/{need.id}").get_data(as_text=True)
    client.post("/signout")
    assert client.get(f"/needs/{need.id}").status_code == 404
    assert client.get("/needs?q=高镍").get_data(as_text=True).count("need-card") == 0


def test_my_needs_lists_them_with_an_empty_state_first(client, clock) -> None:
    buyer = factories.enterprise(clock())
    _sign_in(client, buyer.email)
    empty = client.get("/my/needs", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "You have not posted a technology need yet." in empty
    factories.need(buyer, clock())
    page = client.get("/my/needs", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "寻求高镍正极材料循环寿命提升技术" in page
    tabs = page[page.index('class="nav nav-pills') : page.index("</ul>", page.index("nav-pills"))]
    assert "Open" in tabs and "text-bg-success" not in tabs  # plain words, as on My listings


def test_match_pages_show_reasons_to_the_parties_and_refuse_others(
    client, clock, upload_folder: Path
) -> None:
    now = clock()
    university = factories.seller(now)
    listing = factories.listing(university, now, status=ListingStatus.PUBLISHED,
                                folder=upload_folder, title_zh="一种高镍三元正极材料的包覆方法")  # fmt: skip
    buyer = factories.enterprise(now, name="示范电池有限公司")
    need = factories.need(buyer, now)
    _sign_in(client, buyer.email)
    page = client.get(f"/needs/{need.id}/matches", headers={"Accept-Language": "en"})
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and "一种高镍三元正极材料的包覆方法" in text
    assert "IPC H01M shared" in text and "Price within budget" in text
    assert "Introduce" not in text  # the enterprise itself is no broker
    assert client.get(f"/listings/{listing.id}/matches").status_code == 403
    client.post("/signout")
    _sign_in(client, university.email)
    assert "listing-matches-link" in client.get(f"/listings/{listing.id}").get_data(as_text=True)
    text = client.get(f"/listings/{listing.id}/matches").get_data(as_text=True)
    assert "示范电池有限公司" in text and "寻求高镍正极材料循环寿命提升技术" in text
    assert client.get(f"/needs/{need.id}/matches").status_code == 403


def test_the_api_posts_searches_updates_closes_and_matches_needs(
    client, clock, upload_folder: Path
) -> None:
    buyer = factories.enterprise(clock())
    token = factories.api_token(buyer, "ci", now=clock())
    auth = {"Authorization": f"Bearer {token}"}
    body = {
        "title": "寻求工业视觉缺陷检测算法",
        "problem": "产线需要识别0.1毫米的表面划痕，检出率99%以上。",
        "field": "ict",
        "region": "上海市",
        "ipc_classes": ["G06T 7/00"],
        "budget_max_minor": 30_000_000,
        "deadline": "2026-09-30",
        "transfer_modes": ["non_exclusive_licence"],
    }
    assert client.post("/api/v1/needs/", json=body).status_code == 401
    created = client.post("/api/v1/needs/", json=body, headers=auth)
    assert created.status_code == 201, created.get_json()
    need_id = created.get_json()["id"]
    assert created.get_json()["status"] == "open"
    found = client.get("/api/v1/needs/?q=缺陷检测&field=ict").get_json()
    assert [item["id"] for item in found["items"]] == [need_id]
    assert found["facets"]["field"] == {"ict": 1}
    bad = client.put(f"/api/v1/needs/{need_id}", json={**body, "budget_min_minor": 90_000_000},
                     headers=auth)  # fmt: skip
    assert bad.status_code == 422 and bad.get_json()["code"] == "budget_range"
    updated = client.put(f"/api/v1/needs/{need_id}", json={**body, "title": "寻求视觉检测算法"},
                         headers=auth)  # fmt: skip
    assert updated.status_code == 200 and updated.get_json()["title"] == "寻求视觉检测算法"
    assert client.get(f"/api/v1/needs/{need_id}/matches", headers=auth).status_code == 200
    other = factories.api_token(factories.enterprise(clock()), "x", now=clock())
    refused = client.get(f"/api/v1/needs/{need_id}/matches",
                         headers={"Authorization": f"Bearer {other}"})  # fmt: skip
    assert refused.status_code == 403
    closed = client.post(f"/api/v1/needs/{need_id}/close", json={"reason": "done"}, headers=auth)
    assert closed.status_code == 200 and closed.get_json()["status"] == "closed"
    again = client.post(f"/api/v1/needs/{need_id}/withdraw", json={}, headers=auth)
    assert again.status_code == 409 and again.get_json()["code"] == "need_not_open"
    assert [n["id"] for n in client.get("/api/v1/needs/mine", headers=auth).get_json()] == [need_id]
    paths = client.get("/api/v1/openapi.json").get_json()["paths"]
    assert {"/api/v1/needs/", "/api/v1/needs/{need_id}/matches"} <= set(paths)
