"""Technology-contract registration: the form completed, the certificate recorded, the batch."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime

import pytest
from openpyxl import load_workbook

from core.audit import history
from core.domain import DomainError, PermissionDenied, ValidationFailed
from core.uow import unit_of_work
from deals import registration_details, registration_export, services
from deals.models import ContractType, Deal, SaleMethod
from deals.registration_rules import RegistrationDetails


def _offline(
    market, clock, *, title: str, signed: datetime, price: int, kind: ContractType
) -> Deal:
    with unit_of_work():
        return services.register_offline_deal(
            market.reviewer,
            services.OfflineDeal(
                seller_name=market.seller.organisation.name,
                buyer_name=market.buyer.organisation.name,
                title=title,
                method=SaleMethod.NEGOTIATED,
                contract_type=kind,
                price_minor=price,
                signed_on=signed,
                seller_org_id=market.seller.organisation_id,
                buyer_org_id=market.buyer.organisation_id,
            ),
            now=clock(),
        )


def _details(**overrides: object) -> RegistrationDetails:
    values: dict[str, object] = {
        "contract_number": "HT-2026-001",
        "project_name": "高镍正极材料专利权转让",
        "contract_subtype": "patent_right",
        "technology_field": "energy",
        "seller_region_code": "310104",
        "buyer_region_code": "350902",
        "term_start": date(2026, 2, 1),
        "term_end": date(2028, 1, 31),
        "transaction_amount_minor": 40_000_000,
        "payment_method": "instalments",
        **overrides,
    }
    return RegistrationDetails(**values)  # type: ignore[arg-type]


@pytest.fixture
def contracts(market, clock) -> list[Deal]:
    """Three contracts: two signed in February 2026 (Shanghai), one in March."""
    transfer = _offline(
        market,
        clock,
        title="高镍正极",
        signed=datetime(2026, 2, 1, 2, tzinfo=UTC),
        price=50_000_000,
        kind=ContractType.TRANSFER,
    )
    # 23:30 on 28 February in Shanghai is 15:30 UTC: still February's batch.
    service = _offline(
        market,
        clock,
        title="电池检测服务",
        signed=datetime(2026, 2, 28, 15, 30, tzinfo=UTC),
        price=1_234_567,
        kind=ContractType.SERVICE,
    )
    _offline(
        market,
        clock,
        title="三月的许可",
        signed=datetime(2026, 3, 1, 1, tzinfo=UTC),
        price=9_900,
        kind=ContractType.LICENCE,
    )
    with unit_of_work():
        registration_details.save_details(market.seller, transfer.id, _details(), now=clock())
        registration_details.record_certificate(
            market.reviewer, transfer.id, "2026 3101 0400 0123", now=clock()
        )
    return [transfer, service]


def test_the_february_batch_has_exactly_the_february_contracts(market, contracts) -> None:
    rows = registration_export.rows_for_period(date(2026, 2, 1), date(2026, 2, 28))
    body = registration_export.export_csv(rows).decode("utf-8-sig")
    table = list(csv.reader(io.StringIO(body)))
    seller = market.seller.organisation
    buyer = market.buyer.organisation
    assert table[0][:4] == ["合同编号", "项目名称", "合同类别", "合同子类"]
    assert table[1] == [
        "HT-2026-001",
        "高镍正极材料专利权转让",
        "技术转让合同",
        "专利权转让",
        "新能源",
        seller.name,
        seller.credit_code,
        "310104",
        buyer.name,
        buyer.credit_code,
        "350902",
        "2026-02-01",
        "2026-02-01",
        "2028-01-31",
        "500000.00",
        "400000.00",
        "分期支付",
        "2026310104000123",
        str(contracts[0].id),
        "已登记",
    ]
    assert table[2] == [
        "",
        "“电池检测服务”技术服务合同",
        "技术服务合同",
        "",
        "",
        seller.name,
        seller.credit_code,
        "",
        buyer.name,
        buyer.credit_code,
        "",
        "2026-02-28",
        "",
        "",
        "12345.67",
        "",
        "",
        "",
        str(contracts[1].id),
        "待补全",
    ]
    assert len(table) == 3


def test_the_seller_completes_the_form_the_buyer_may_not_and_amounts_are_bounded(
    market, contracts, clock
) -> None:
    service = contracts[1]
    with pytest.raises(PermissionDenied):
        registration_details.save_details(
            market.buyer, service.id, _details(contract_subtype="service"), now=clock()
        )
    with pytest.raises(ValidationFailed) as refused:
        registration_details.save_details(
            market.seller,
            service.id,
            _details(contract_subtype="service", transaction_amount_minor=1_234_568),
            now=clock(),
        )
    assert refused.value.field == "transaction_amount"
    # Registered: the seller can no longer change what the office registered.
    with pytest.raises(DomainError, match="registered"):
        registration_details.save_details(
            market.seller, contracts[0].id, _details(contract_number="HT-X"), now=clock()
        )


def test_only_a_reviewer_records_the_certificate_and_it_is_audited(
    market, contracts, clock
) -> None:
    with pytest.raises(PermissionDenied):
        registration_details.record_certificate(market.seller, contracts[0].id, "X1", now=clock())
    with pytest.raises(DomainError, match="Complete the registration form"):
        registration_details.record_certificate(market.reviewer, contracts[1].id, "X1", now=clock())
    entries = [
        e for e in history("deal", contracts[0].id) if e.action.startswith("deal.registration")
    ]
    assert [e.action for e in entries] == [
        "deal.registration_details",
        "deal.registration_certificate",
    ]
    assert entries[1].actor_id == market.reviewer.id
    assert entries[1].after["certificate_number"] == "2026310104000123"


def test_a_reviewer_records_the_number_on_the_page_and_downloads_the_xlsx_batch(
    client, sign_in, market, contracts
) -> None:
    sign_in(market.reviewer)
    deal_id = contracts[0].id
    response = client.post(
        f"/review/deals/{deal_id}/registration/certificate",
        data={"certificate_number": "2026-SH-0456"},
    )
    assert response.status_code == 302
    page = client.get(f"/deals/{deal_id}/registration").get_data(as_text=True)
    assert "2026-SH-0456" in page
    response = client.get("/review/deals/registration-batch.xlsx?from=2026-02-01&to=2026-02-28")
    sheet = load_workbook(io.BytesIO(response.get_data())).active
    assert sheet.max_row == 3
    assert [c.value for c in sheet[2]][17] == "2026-SH-0456"
    assert float(sheet.cell(row=2, column=16).value) == 400000.0
    assert (
        client.get("/review/deals/registration-batch.csv?from=2026-03-01&to=2027-03-05").status_code
        == 422
    )
    sign_in(market.seller)
    assert (
        client.get("/review/deals/registration-batch.csv?from=2026-02-01&to=2026-02-28").status_code
        == 403
    )


def test_the_seller_completes_the_form_on_the_registration_page(
    client, sign_in, market, contracts
) -> None:
    deal_id = contracts[1].id
    form = {
        "contract_number": "FW-2026-07",
        "project_name": "电池检测服务",
        "contract_subtype": "service",
        "technology_field": "energy",
        "seller_region_code": "310104",
        "buyer_region_code": "350902",
        "term_start": "2026-03-01",
        "term_end": "2026-12-31",
        "transaction_amount": "12,000.00",
        "payment_method": "lump_sum",
    }
    sign_in(market.buyer)
    client.post(f"/deals/{deal_id}/registration/details", data=form)
    assert registration_details.details_of([deal_id]) == {}
    sign_in(market.seller)
    response = client.post(f"/deals/{deal_id}/registration/details", data=form)
    assert response.status_code == 302
    saved = registration_details.details_of([deal_id])[deal_id]
    assert (saved.contract_number, saved.transaction_amount_minor) == ("FW-2026-07", 1_200_000)
    page = client.get(f"/deals/{deal_id}/registration").get_data(as_text=True)
    assert "FW-2026-07" in page and "技术服务" in page
