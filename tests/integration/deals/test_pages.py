"""The deal pages through HTTP: my deals, a deal, the registration record, the reviewers' ledger."""

from __future__ import annotations

import csv
import io

from sqlalchemy import func, select

from core.extensions import db
from deals import cancellation, services
from deals.models import Channel, Deal, DealDocument, DealStatus
from listings.rules import IPKind
from tests import factories

ZH = {"Accept-Language": "zh-CN,zh;q=0.9"}
EN = {"Accept-Language": "en"}


def _offline_form(market, **overrides: object) -> dict:
    form: dict[str, object] = {
        "seller_name": "",
        "seller_credit_code": market.seller.organisation.credit_code,
        "buyer_name": "苏州测试科技有限公司",
        "buyer_credit_code": "",
        "title": "一种锂电池隔膜涂覆工艺",
        "listing_id": "",
        "method": "negotiated",
        "contract_type": "licence",
        "price": "1,234,567.89",
        "signed_on": "2026-02-27",
        "contract": (io.BytesIO(factories.PDF_BYTES), "技术许可合同.pdf"),
    }
    form.update(overrides)
    return form


def test_my_deals_lists_the_deal_for_both_sides_and_an_empty_state_for_others(
    client, market, sell, sign_in
) -> None:
    deal = sell()
    sign_in(market.seller)
    page = client.get("/my/deals", headers=EN).get_data(as_text=True)
    assert deal.title in page and "¥500,000.00" in page and "50.00万元" in page
    assert "宁德测试新能源有限公司" in page and "Awaiting signature" in page
    sign_in(market.buyer)
    assert deal.title in client.get("/my/deals?role=buyer", headers=EN).get_data(as_text=True)
    assert deal.title not in client.get("/my/deals?role=seller").get_data(as_text=True)
    sign_in(market.stranger)
    page = client.get("/my/deals", headers=EN).get_data(as_text=True)
    assert deal.title not in page and "No deals yet" in page


def test_deal_page_for_parties_and_reviewers_only(client, market, sell, sign_in) -> None:
    deal = sell()
    assert client.get(f"/deals/{deal.id}").status_code == 302  # to sign-in
    sign_in(market.stranger)
    assert client.get(f"/deals/{deal.id}").status_code == 404
    assert client.get(f"/deals/{deal.id}/registration").status_code == 404
    assert client.post(f"/deals/{deal.id}/milestones", data={"status": "signed"}).status_code == 404
    proposal = {"kind": "agreement", "reason": "mine", "confirmed": "1"}
    assert client.post(f"/deals/{deal.id}/cancellations", data=proposal).status_code == 404
    assert services.get_deal(deal.id).status == DealStatus.AWAITING_SIGNATURE
    for viewer in (market.buyer, market.reviewer):
        sign_in(viewer)
        assert client.get(f"/deals/{deal.id}").status_code == 200


def test_seller_walks_the_milestones_on_the_page(client, market, sell, sign_in) -> None:
    deal = sell()
    sign_in(market.buyer)
    page = client.get(f"/deals/{deal.id}", headers=EN).get_data(as_text=True)
    assert "Record the signed contract" not in page  # the seller records the signature
    sign_in(market.seller)
    page = client.get(f"/deals/{deal.id}", headers=EN).get_data(as_text=True)
    assert "Record the signed contract" in page and "Deal created" in page
    assert "deal.create" not in page  # the history names the step, not its audit code
    for status in ("signed", "paid"):
        response = client.post(f"/deals/{deal.id}/milestones", data={"status": status})
        assert response.status_code == 302
    refused = client.post(
        f"/deals/{deal.id}/milestones",
        data={"status": "rights_registered", "reference": ""},
        headers=EN,
    )
    assert refused.status_code == 422
    assert "registration number" in refused.get_data(as_text=True)
    out_of_order = client.post(
        f"/deals/{deal.id}/milestones", data={"status": "completed"}, follow_redirects=True
    )
    assert out_of_order.status_code == 200
    assert services.get_deal(deal.id).status == DealStatus.PAID
    client.post(
        f"/deals/{deal.id}/milestones",
        data={"status": "rights_registered", "reference": "2026-ZL-0042"},
    )
    page = client.get(f"/deals/{deal.id}", headers=EN).get_data(as_text=True)
    assert "2026-ZL-0042" in page and "Mark the deal completed" in page


def test_the_transfer_milestone_names_the_office_of_the_listed_patent(
    client, market, sell, sign_in
) -> None:
    deal = sell()
    sign_in(market.seller)
    page = client.get(f"/deals/{deal.id}", headers=EN).get_data(as_text=True)
    assert "Transfer registered with the patent office (CNIPA)" in page
    asset = market.listing.ip_assets[0]
    asset.kind, asset.number = IPKind.EP, "EP1234567B1"
    db.session.commit()
    for status in ("signed", "paid"):
        client.post(f"/deals/{deal.id}/milestones", data={"status": status})
    for headers, office, china in ((EN, "(EPO)", "CNIPA"), (ZH, "欧洲专利局", "国家知识产权局")):
        page = client.get(f"/deals/{deal.id}", headers=headers).get_data(as_text=True)
        assert page.count(office) == 2 and china not in page  # the timeline and the form
    assert "已在欧洲专利局办理转让登记" in page and "欧洲专利局转让登记号" in page
    data = {"status": "rights_registered", "reference": "EP-2026-0042"}
    client.post(f"/deals/{deal.id}/milestones", data=data)
    record = client.get(f"/deals/{deal.id}/registration", headers=EN).get_data(as_text=True)
    assert "Rights registration (EPO)" in record and "EP-2026-0042" in record


def test_a_party_proposes_on_the_page_the_other_confirms_each_step_confirmed_first(
    client, market, sell, sign_in
) -> None:
    deal = sell()
    url = f"/deals/{deal.id}/cancellations"
    sign_in(market.buyer)
    assert client.post(f"/deals/{deal.id}/cancel", data={"reason": "x"}).status_code in (404, 405)
    page = client.get(f"/deals/{deal.id}", headers=EN).get_data(as_text=True)
    assert "neither party can cancel it alone" in page and "Propose cancellation" in page
    blank = client.post(url, data={"kind": "agreement", "reason": " "}, headers=EN)
    assert blank.status_code == 422 and "Give the reason" in blank.get_data(as_text=True)
    asked = client.post(url, data={"kind": "agreement", "reason": "Budget withdrawn."}, headers=EN)
    confirmation = asked.get_data(as_text=True)
    assert asked.status_code == 200 and "Nothing is cancelled yet" in confirmation
    assert 'name="confirmed" value="1"' in confirmation and "Budget withdrawn." in confirmation
    assert cancellation.pending_of(deal.id) is None, "the confirmation page changes nothing"
    data = {"kind": "agreement", "reason": "Budget withdrawn.", "confirmed": "1"}
    assert client.post(url, data=data).status_code == 302
    pending = cancellation.pending_of(deal.id)
    assert (
        pending is not None and services.get_deal(deal.id).status == DealStatus.AWAITING_SIGNATURE
    )
    page = client.get(f"/deals/{deal.id}", headers=EN).get_data(as_text=True)
    assert "Nothing is cancelled unless the other party confirms" in page
    assert "Agree to cancel" not in page and "Withdraw" in page
    sign_in(market.seller)
    agree = f"{url}/{pending.id}/agree"
    assert "Agree to cancel" in client.get(f"/deals/{deal.id}", headers=EN).get_data(as_text=True)
    shown = client.post(agree, headers=EN).get_data(as_text=True)
    assert "This cannot be undone" in shown
    assert services.get_deal(deal.id).status == DealStatus.AWAITING_SIGNATURE
    assert client.post(agree, data={"confirmed": "1"}).status_code == 302
    assert services.get_deal(deal.id).status == DealStatus.CANCELLED
    page = client.get(f"/deals/{deal.id}", headers=EN).get_data(as_text=True)
    assert "Budget withdrawn." in page and "Agreed: deal cancelled" in page


def test_a_reviewer_rules_on_a_request_from_the_queue_after_confirming(
    client, market, sell, sign_in
) -> None:
    deal = sell()
    sign_in(market.buyer)
    request = {"kind": "ruling", "grounds": "breach", "statement": "No certificate."}
    client.post(f"/deals/{deal.id}/cancellations", data={**request, "confirmed": "1"})
    pending = cancellation.pending_of(deal.id)
    assert pending is not None
    assert client.get("/review/cancellations").status_code == 403
    sign_in(market.reviewer)
    queue = client.get("/review/cancellations", headers=EN).get_data(as_text=True)
    assert deal.title in queue and "Breach of a term of the contract" in queue
    assert "No certificate." in client.get(f"/review/cancellations/{pending.id}").get_data(
        as_text=True
    )
    ruling = {"outcome": "upheld", "at_fault": "seller", "reason": "Seller in breach."}
    url = f"/review/cancellations/{pending.id}/rule"
    unnamed = client.post(url, data={**ruling, "at_fault": ""}, headers=EN)
    assert unnamed.status_code == 422 and "Name the party at fault" in unnamed.get_data(
        as_text=True
    )
    shown = client.post(url, data=ruling, headers=EN).get_data(as_text=True)
    assert "The party at fault, the seller, forfeits its deposit" in shown
    assert services.get_deal(deal.id).status == DealStatus.AWAITING_SIGNATURE
    assert client.post(url, data={**ruling, "confirmed": "1"}).status_code == 302
    assert services.get_deal(deal.id).status == DealStatus.CANCELLED


def test_documents_are_uploaded_and_served_to_parties_only(client, market, sell, sign_in) -> None:
    deal = sell()
    sign_in(market.seller)
    response = client.post(
        f"/deals/{deal.id}/documents",
        data={"kind": "contract", "file": (io.BytesIO(factories.PDF_BYTES), "合同.pdf")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    document = db.session.scalar(select(DealDocument))
    assert document is not None and document.deal_id == deal.id
    sign_in(market.buyer)
    served = client.get(f"/deals/documents/{document.id}")
    assert served.status_code == 200 and served.data == factories.PDF_BYTES
    assert served.headers["X-Content-Type-Options"] == "nosniff"
    sign_in(market.stranger)
    assert client.get(f"/deals/documents/{document.id}").status_code == 404


def test_registration_record_page_is_printable_and_names_both_sides(
    client, market, sell, sign_in
) -> None:
    deal = sell(price_minor=123_456_789)
    services.advance(market.seller, deal.id, DealStatus.SIGNED, now=market.listing.created_at)
    sign_in(market.seller)
    response = client.get(f"/deals/{deal.id}/registration", headers=ZH)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "技术转让合同" in page  # the registration category, as the register names it
    assert "华东理工测试大学" in page and "宁德测试新能源有限公司" in page
    assert market.seller.organisation.credit_code in page
    assert market.buyer.organisation.credit_code in page
    assert "¥1,234,567.89" in page and "123.46万元" in page
    assert market.listing.ip_assets[0].number in page
    assert "@media print" in page


def test_reviewers_ledger_filters_and_totals_both_channels(
    client, market, sell, sign_in, clock
) -> None:
    sell()
    sign_in(market.seller)
    assert client.get("/review/deals").status_code == 403
    assert client.get("/review/deals/registrations.csv").status_code == 403
    assert client.get("/review/deals/offline").status_code == 403
    sign_in(market.reviewer)
    response = client.post(
        "/review/deals/offline",
        data=_offline_form(market),
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    page = client.get("/review/deals", headers=EN).get_data(as_text=True)
    assert page.count('data-total-count="online">1<') == 1
    assert page.count('data-total-count="offline">1<') == 1
    assert "¥1,234,567.89" in page and "¥500,000.00" in page
    offline_only = client.get("/review/deals?channel=offline", headers=EN).get_data(as_text=True)
    assert "一种锂电池隔膜涂覆工艺" in offline_only and market.listing.title_zh not in offline_only
    none = client.get("/review/deals?status=completed", headers=EN).get_data(as_text=True)
    assert "No deal matches these filters" in none


def test_registration_csv_has_a_bom_a_header_and_one_row_per_deal_in_yuan(
    client, market, sell, sign_in
) -> None:
    online = sell(price_minor=50_000_001)
    sign_in(market.reviewer)
    client.post(
        "/review/deals/offline", data=_offline_form(market), content_type="multipart/form-data"
    )
    response = client.get("/review/deals/registrations.csv", headers=EN)
    assert response.status_code == 200
    assert (
        response.mimetype == "text/csv" and "attachment" in response.headers["Content-Disposition"]
    )
    assert response.data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))
    header, body = rows[0], rows[1:]
    assert header[0] == "Deal number" and "Contract amount (yuan)" in header
    assert len(body) == db.session.scalar(select(func.count(Deal.id))) == 2
    by_id = {row[0]: dict(zip(header, row, strict=True)) for row in body}
    assert by_id[str(online.id)]["Contract amount (yuan)"] == "500000.01"
    assert by_id[str(online.id)]["Technology transaction amount (yuan)"] == "500000.01"
    offline = next(row for key, row in by_id.items() if key != str(online.id))
    assert offline["Contract amount (yuan)"] == "1234567.89"
    assert offline["Contract type (registration category)"] == "技术许可合同"
    assert offline["Seller credit code"] == market.seller.organisation.credit_code
    assert offline["Signing date"] == "2026-02-27" and offline["Channel"] == Channel.OFFLINE.value
    only_online = client.get("/review/deals/registrations.csv?channel=online")
    assert len(only_online.data.decode("utf-8-sig").strip().splitlines()) == 2


def test_offline_form_without_contract_keeps_the_input_and_saves_nothing(
    client, market, sign_in
) -> None:
    sign_in(market.reviewer)
    form = _offline_form(market)
    del form["contract"]
    response = client.post(
        "/review/deals/offline", data=form, content_type="multipart/form-data", headers=EN
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Attach the signed contract" in page
    assert 'value="1,234,567.89"' in page and 'value="苏州测试科技有限公司"' in page
    assert db.session.scalar(select(func.count(Deal.id))) == 0


def test_offline_form_shows_every_field_error_at_once(client, market, sign_in) -> None:
    sign_in(market.reviewer)
    form = _offline_form(market, price="12.345", method="", buyer_credit_code="NOT-A-CODE")
    response = client.post(
        "/review/deals/offline", data=form, content_type="multipart/form-data", headers=EN
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "two decimals" in page and 'id="method-error"' in page
    assert "Choose the contract file again" in page
    assert db.session.scalar(select(func.count(Deal.id))) == 0
    fixed = _offline_form(market, buyer_credit_code="NOT-A-CODE")
    response = client.post(
        "/review/deals/offline", data=fixed, content_type="multipart/form-data", headers=EN
    )
    assert response.status_code == 422
    assert 'id="buyer_credit_code-error"' in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(Deal.id))) == 0
