"""The registration record (技术合同认定登记) and its CSV export: no database, no app."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime
from types import SimpleNamespace

import pytest

from deals import labels
from deals.documents import DOCUMENT_KINDS
from deals.models import Channel, ContractType, DealStatus, SaleMethod
from deals.registration import CSV_COLUMNS, OFFICIAL_CATEGORY, build_record, registration_csv


def _deal(**overrides: object) -> SimpleNamespace:
    values: dict[str, object] = {
        "id": 7,
        "title": "一种高镍三元正极材料的制备方法",
        "contract_type": ContractType.TRANSFER,
        "seller_org_id": 1,
        "buyer_org_id": 2,
        "seller_name": "测试大学",
        "buyer_name": "测试新能源有限公司",
        "price_minor": 123_456_789,
        "currency": "CNY",
        # 17:30 UTC on 1 March is 01:30 on 2 March in Shanghai.
        "signed_at": datetime(2026, 3, 1, 17, 30, tzinfo=UTC),
        "channel": Channel.ONLINE,
        "method": SaleMethod.AUCTION,
        "status": DealStatus.SIGNED,
        "listing_id": 3,
        "rights_registration_ref": None,
    }
    values.update(overrides)
    return SimpleNamespace(**values)


def _org(name: str, code: str, kind: str = "university") -> SimpleNamespace:
    return SimpleNamespace(name=name, credit_code=code, kind=SimpleNamespace(value=kind))


class _Listing(SimpleNamespace):
    def title(self, locale: str = "zh_CN") -> str:
        return self.title_zh


LISTING = _Listing(
    id=3,
    title_zh="一种高镍三元正极材料的制备方法",
    ip_assets=[
        SimpleNamespace(number="201510123456.1", kind="cn_application"),
        SimpleNamespace(number="ZL201610920041.1", kind="cn_application"),
    ],
)
SELLER = _org("测试大学", "12310000000000001X")
BUYER = _org("测试新能源有限公司", "91310000000000002Y", "enterprise")


def _record(**overrides: object):
    return build_record(_deal(**overrides), seller_org=SELLER, buyer_org=BUYER, listing=LISTING)


def test_record_names_both_sides_the_category_and_the_amounts() -> None:
    record = _record()
    assert record.official_category == "技术转让合同"
    assert record.contract_name == "“一种高镍三元正极材料的制备方法”技术转让合同"
    assert (record.seller.name, record.seller.credit_code) == ("测试大学", "12310000000000001X")
    assert (record.buyer.name, record.buyer.credit_code) == (
        "测试新能源有限公司",
        "91310000000000002Y",
    )
    assert record.contract_amount.minor == record.transaction_amount.minor == 123_456_789
    assert record.ip_numbers == ("201510123456.1", "ZL201610920041.1")
    assert record.transfer_offices == ("CNIPA",)
    assert record.ready_to_file


def test_signing_date_is_the_day_in_shanghai_also_from_a_naive_utc_time() -> None:
    assert _record().signed_on == date(2026, 3, 2)
    assert _record(signed_at=datetime(2026, 3, 1, 15, 59)).signed_on == date(2026, 3, 1)
    assert _record(signed_at=datetime(2026, 3, 1, 16, 0)).signed_on == date(2026, 3, 2)


def test_unsigned_or_cancelled_deals_are_not_ready_to_file() -> None:
    assert not _record(signed_at=None, status=DealStatus.AWAITING_SIGNATURE).ready_to_file
    assert not _record(status=DealStatus.CANCELLED).ready_to_file


def test_operator_placeholder_and_unregistered_buyer_have_no_credit_code() -> None:
    operator = _org("技术市场运营中心", "12310000000000009Z", "operator")
    record = build_record(
        _deal(buyer_org_id=None, listing_id=None, seller_name="线下卖方研究所"),
        seller_org=operator,
        buyer_org=None,
        listing=None,
    )
    assert record.seller == type(record.seller)(name="线下卖方研究所")
    assert record.buyer.credit_code is None
    assert (record.listing_title, record.ip_numbers) == (None, ())


@pytest.mark.parametrize("contract_type", list(ContractType))
def test_every_contract_type_has_a_registration_category(contract_type: ContractType) -> None:
    assert (
        _record(contract_type=contract_type).official_category == OFFICIAL_CATEGORY[contract_type]
    )


def test_csv_has_a_bom_a_header_and_one_row_per_record_with_yuan_amounts() -> None:
    records = [_record(), _record(id=8, price_minor=5, seller_name='=HYPERLINK("http://x")')]
    text = registration_csv(records, translate=str.upper)
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))
    assert rows[0] == [heading.upper() for heading, _ in CSV_COLUMNS]
    assert len(rows) == 3 and all(len(row) == len(CSV_COLUMNS) for row in rows)
    first = dict(zip(rows[0], rows[1], strict=True))
    assert first["CONTRACT AMOUNT (YUAN)"] == "1234567.89"
    assert first["TECHNOLOGY TRANSACTION AMOUNT (YUAN)"] == "1234567.89"
    assert first["SIGNING DATE"] == "2026-03-02"
    assert first["IP NUMBERS"] == "201510123456.1; ZL201610920041.1"
    second = dict(zip(rows[0], rows[2], strict=True))
    assert second["CONTRACT AMOUNT (YUAN)"] == "0.05"
    # A name that a spreadsheet would run as a formula is written as text.
    assert second["SELLER (REGISTERS)"] == '\'=HYPERLINK("http://x")'
    assert all(not cell.startswith("=") for cell in rows[2])


def test_csv_of_no_records_is_just_the_header() -> None:
    text = registration_csv([])
    assert text.removeprefix("\ufeff").count("\r\n") == 1


def test_every_value_of_the_ledger_has_a_label() -> None:
    assert set(labels.DEAL_STATUS) == set(DealStatus)
    assert set(labels.CONTRACT_TYPE) == set(ContractType)
    assert set(labels.SALE_METHOD) == set(SaleMethod)
    assert set(labels.CHANNEL) == set(Channel)
    assert set(labels.DOCUMENT_KIND) == set(DOCUMENT_KINDS)
    assert set(labels.MILESTONE_ACTION) == set(DealStatus) - {
        DealStatus.AWAITING_SIGNATURE,
        DealStatus.CANCELLED,
    }
