"""Pages, REST endpoints and the cron command of listed sales and negotiations, through HTTP."""

from __future__ import annotations

from core.extensions import db
from deals.models import Deal
from listings.rules import SaleState
from tests import factories
from tests.integration.sales.trading import (
    CALENDAR,
    hold_deposit,
    listed_sale,
    market,
    sign_in,
    sign_out,
)
from trading import closing, listed_sales, negotiations, panel
from trading.models import ListedSale, ListedSaleStatus, Negotiation, NegotiationStatus

EN = {"Accept-Language": "en"}


def test_seller_starts_a_listed_sale_through_the_form(client, clock, upload_folder):
    m = market(clock(), upload_folder)
    sign_in(client, m.seller)
    page = client.get(f"/listings/{m.listing.id}/sale/new", headers=EN)
    assert page.status_code == 200 and 'value="500000.00"' in page.get_data(as_text=True)
    bad = client.post(
        f"/listings/{m.listing.id}/sale/new",
        data={"asking_price": "abc", "working_days": "20"},
        headers=EN,
    )
    assert bad.status_code == 422 and "not an amount" in bad.get_data(as_text=True)
    low = client.post(
        f"/listings/{m.listing.id}/sale/new",
        data={"asking_price": "500,000", "working_days": "20", "deposit": "10"},
        headers=EN,
    )
    assert low.status_code == 422 and "of the asking price" in low.get_data(as_text=True)
    assert db.session.query(ListedSale).count() == 0
    done = client.post(
        f"/listings/{m.listing.id}/sale/new",
        data={"asking_price": "500,000", "working_days": "20", "deposit": ""},
    )
    assert done.status_code == 302
    sale = db.session.query(ListedSale).one()
    assert (sale.asking_price_minor, sale.deposit_minor) == (50_000_000, 5_000_000)


def test_someone_else_cannot_open_the_sale_form(client, clock, upload_folder):
    m = market(clock(), upload_folder)
    sign_in(client, m.buyer)
    assert client.get(f"/listings/{m.listing.id}/sale/new").status_code == 404


def test_buyer_registers_intent_on_the_sale_page_and_sees_the_deposit(client, clock, upload_folder):
    m = market(clock(), upload_folder)
    sale = listed_sale(m, clock())
    anonymous = client.get(f"/sales/{sale.id}", headers=EN)
    assert anonymous.status_code == 200 and "Sign in to register" in anonymous.get_data(
        as_text=True
    )
    sign_in(client, m.buyer)
    response = client.post(f"/sales/{sale.id}/intent")
    assert response.status_code == 302
    page = client.get(f"/sales/{sale.id}", headers=EN).get_data(as_text=True)
    assert "Intent registered" in page and "Deposit to pay" in page
    assert "Upload receipt" in page or "Pay the deposit" in page
    twice = client.post(f"/sales/{sale.id}/intent", headers=EN)
    assert twice.status_code == 409 and "already registered" in twice.get_data(as_text=True)


def test_intent_by_the_seller_gets_a_clear_message(client, clock, upload_folder):
    m = market(clock(), upload_folder)
    sale = listed_sale(m, clock())
    sign_in(client, m.seller)
    response = client.post(f"/sales/{sale.id}/intent", headers=EN)
    assert response.status_code == 403
    assert "cannot buy its own result" in response.get_data(as_text=True)
    assert sale.intents == []


def test_viewing_a_due_sale_has_the_job_runner_close_it(client, clock, upload_folder):
    m = market(clock(), upload_folder)
    sale = listed_sale(m, clock(), working_days=5)
    hold_deposit(m.buyer, sale, m, clock())
    clock.advance(days=7)
    page = client.get(f"/sales/{sale.id}", headers=EN)
    assert page.status_code == 200 and "Sold at the asking price" in page.get_data(as_text=True)
    assert db.session.query(Deal).count() == 1


def test_the_page_of_an_auctioned_sale_links_to_its_auction(client, clock, upload_folder):
    m = market(clock(), upload_folder)
    sale = listed_sale(m, clock(), working_days=5)
    hold_deposit(m.buyer, sale, m, clock())
    hold_deposit(m.other_buyer, sale, m, clock())
    clock.advance(days=7)
    page = client.get(f"/sales/{sale.id}", headers=EN)
    assert page.status_code == 200 and "Go to the auction" in page.get_data(as_text=True)
    assert sale.status == ListedSaleStatus.AUCTIONED


def test_negotiation_pages_thread_offer_accept(client, clock, upload_folder):
    m = market(clock(), upload_folder)
    sign_in(client, m.buyer)
    opened = client.post(
        f"/listings/{m.listing.id}/negotiate",
        data={"amount": "400,000", "message": "我们有意受让。"},
    )
    assert opened.status_code == 302
    negotiation = db.session.query(Negotiation).one()
    # Opening again takes the buyer to the running negotiation.
    again = client.get(f"/listings/{m.listing.id}/negotiate")
    assert again.status_code == 302 and again.location.endswith(f"/negotiations/{negotiation.id}")
    own = client.post(f"/negotiations/{negotiation.id}/accept", headers=EN)
    assert own.status_code == 409 and "other side has to accept" in own.get_data(as_text=True)
    sign_out(client)
    sign_in(client, m.seller)
    page = client.get(f"/negotiations/{negotiation.id}", headers=EN).get_data(as_text=True)
    assert "我们有意受让。" in page and "¥400,000.00" in page and "Accept this offer" in page
    bad = client.post(f"/negotiations/{negotiation.id}/offer", data={"amount": "-5"}, headers=EN)
    assert bad.status_code == 422 and "cannot be negative" in bad.get_data(as_text=True)
    countered = client.post(
        f"/negotiations/{negotiation.id}/offer", data={"amount": "450000", "message": "底价"}
    )
    assert countered.status_code == 302
    assert negotiation.open_offer_minor == 45_000_000
    sign_out(client)
    sign_in(client, m.buyer)
    accepted = client.post(f"/negotiations/{negotiation.id}/accept")
    assert accepted.status_code == 302 and "/notices/" in accepted.location
    assert negotiation.status == NegotiationStatus.AGREED
    mine = client.get("/my/negotiations", headers=EN).get_data(as_text=True)
    assert "Agreed: in public notice" in mine


def test_strangers_do_not_see_a_negotiation(client, clock, upload_folder):
    m = market(clock(), upload_folder)
    negotiation = negotiations.open_negotiation(
        m.buyer, m.listing.id, amount_minor=1_000, now=clock()
    )
    sign_in(client, m.other_buyer)
    assert client.get(f"/negotiations/{negotiation.id}").status_code == 404


def test_api_sales_intents_and_negotiations(client, clock, upload_folder):
    m = market(clock(), upload_folder)
    seller = {"Authorization": f"Bearer {factories.api_token(m.seller, 'ci', now=clock())}"}
    buyer = {"Authorization": f"Bearer {factories.api_token(m.buyer, 'ci', now=clock())}"}
    assert client.post("/api/v1/sales/", json={}).status_code == 401
    created = client.post(
        "/api/v1/sales/",
        json={"listing_id": m.listing.id, "asking_price_minor": 50_000_000, "working_days": 10},
        headers=seller,
    )
    assert created.status_code == 201, created.get_json()
    sale_id = created.get_json()["id"]
    listed = client.get("/api/v1/sales/").get_json()
    assert [item["id"] for item in listed] == [sale_id]
    intent = client.post(f"/api/v1/sales/{sale_id}/intents", headers=buyer)
    assert intent.status_code == 201
    assert intent.get_json()["deposit_status"] == "required"
    refused = client.post(f"/api/v1/sales/{sale_id}/intents", headers={**seller, **EN})
    assert refused.status_code == 403 and refused.get_json()["code"] == "seller_cannot_buy"
    assert client.get(f"/api/v1/sales/{sale_id}").get_json()["intents_count"] == 1
    withdrawn = client.delete(f"/api/v1/sales/{sale_id}/intents", headers=buyer)
    assert withdrawn.status_code == 200 and withdrawn.get_json()["withdrawn_at"]


def test_api_negotiation_offer_accept(client, clock, upload_folder):
    m = market(clock(), upload_folder)
    seller = {"Authorization": f"Bearer {factories.api_token(m.seller, 'ci', now=clock())}"}
    buyer = {"Authorization": f"Bearer {factories.api_token(m.buyer, 'ci', now=clock())}"}
    opened = client.post(
        "/api/v1/sales/negotiations",
        json={"listing_id": m.listing.id, "amount_minor": 40_000_000, "message": "hi"},
        headers=buyer,
    )
    assert opened.status_code == 201
    negotiation_id = opened.get_json()["id"]
    bad = client.post(
        f"/api/v1/sales/negotiations/{negotiation_id}/offers",
        json={"amount_minor": 0},
        headers=seller,
    )
    assert bad.status_code == 422
    counter = client.post(
        f"/api/v1/sales/negotiations/{negotiation_id}/offers",
        json={"amount_minor": 45_000_000},
        headers=seller,
    )
    assert counter.status_code == 201 and counter.get_json()["messages"][-1]["kind"] == "counter"
    accepted = client.post(f"/api/v1/sales/negotiations/{negotiation_id}/accept", headers=buyer)
    assert accepted.status_code == 201
    assert accepted.get_json()["price_minor"] == 45_000_000
    notices = client.get("/api/v1/sales/notices").get_json()
    assert [n["id"] for n in notices["current"]] == [accepted.get_json()["id"]]
    mine = client.get("/api/v1/sales/negotiations", headers=buyer).get_json()
    assert mine[0]["status"] == "agreed"


def test_openapi_document_lists_the_sales_endpoints(client, clock):
    paths = client.get("/api/v1/openapi.json").get_json()["paths"]
    assert "/api/v1/sales/{sale_id}/intents" in paths
    assert "/api/v1/sales/notices/{notice_id}/objections" in paths


def test_cli_close_sales_prints_the_count(app, db_session, clock, upload_folder):
    m = market(clock(), upload_folder)
    sale = listed_sale(m, clock(), working_days=5)
    clock.advance(days=7)
    result = app.test_cli_runner().invoke(args=["listings", "close-sales"])
    assert result.exit_code == 0, result.output
    assert "Closed 1 listed sale(s)." in result.output
    assert db.session.get(ListedSale, sale.id).status == ListedSaleStatus.NO_BUYER
    assert m.listing.sale_state == SaleState.AVAILABLE
    assert closing.close_due_sales(now=clock(), calendar=CALENDAR) == 0


def _panel_html(app, actor, listing, now) -> str:
    from flask import render_template_string

    with app.test_request_context("/", headers=EN):
        context = panel.sale_panel_context(actor, listing, now, calendar=CALENDAR)
        return render_template_string(
            '{% include "listings/_sale_panel.html" %}', sale_panel=context
        )


def test_sale_panel_renders_for_owner_buyer_and_visitor(app, client, clock, upload_folder):
    m = market(clock(), upload_folder)
    owner = _panel_html(app, m.seller, m.listing, clock())
    assert "Start a listed sale" in owner and f"/listings/{m.listing.id}/sale/new" in owner
    buyer = _panel_html(app, m.buyer, m.listing, clock())
    assert "Make an offer" in buyer and f"/listings/{m.listing.id}/negotiate" in buyer
    visitor = _panel_html(app, None, m.listing, clock())
    assert "Sign in to make an offer" in visitor
    sale = listed_sale(m, clock())
    listed_sales.register_intent(m.buyer, sale.id, now=clock())
    during = _panel_html(app, m.buyer, m.listing, clock())
    assert "Intent registered" in during and f"/sales/{sale.id}" in during
    clock.advance(days=40)
    after = _panel_html(app, m.seller, m.listing, clock())
    assert "ended without a buyer" in after and "List again on the same terms" in after


def test_api_seller_withdraws_a_sale_nobody_wants_and_lists_it_again_once(
    client, clock, upload_folder
):
    m = market(clock(), upload_folder)
    seller = {"Authorization": f"Bearer {factories.api_token(m.seller, 'ci', now=clock())}"}
    buyer = {"Authorization": f"Bearer {factories.api_token(m.buyer, 'ci', now=clock())}"}
    sale_id = listed_sale(m, clock()).id
    client.post(f"/api/v1/sales/{sale_id}/intents", headers=buyer)
    assert (
        "withdraw"
        not in client.get(f"/api/v1/sales/{sale_id}", headers=seller).get_json()["allowed_actions"]
    )
    busy = client.post(f"/api/v1/sales/{sale_id}/withdraw", headers={**seller, **EN})
    assert busy.status_code == 409 and busy.get_json()["code"] == "has_intents"
    client.delete(f"/api/v1/sales/{sale_id}/intents", headers=buyer)
    shown = client.get(f"/api/v1/sales/{sale_id}", headers=seller).get_json()
    assert shown["allowed_actions"] == ["withdraw"]
    assert client.post(f"/api/v1/sales/{sale_id}/withdraw", headers=buyer).status_code == 403

    withdrawn = client.post(f"/api/v1/sales/{sale_id}/withdraw", headers=seller)
    assert withdrawn.status_code == 200, withdrawn.get_json()
    assert withdrawn.get_json()["status"] == "withdrawn"
    assert withdrawn.get_json()["allowed_actions"] == ["relist"]
    key = {**seller, "Idempotency-Key": "relist-1"}
    again = client.post(f"/api/v1/sales/{sale_id}/relist", headers=key)
    assert again.status_code == 201 and again.get_json()["status"] == "open"
    replay = client.post(f"/api/v1/sales/{sale_id}/relist", headers=key)
    assert replay.status_code == 201 and replay.get_json()["id"] == again.get_json()["id"]
    twice = client.post(f"/api/v1/sales/{sale_id}/relist", headers={**seller, **EN})
    assert twice.status_code == 409 and twice.get_json()["code"] == "not_relistable"
    assert db.session.query(ListedSale).filter_by(listing_id=m.listing.id).count() == 2
