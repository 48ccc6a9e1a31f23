"""Offline deals registered with their contract, and the documents of a deal."""

from __future__ import annotations

import io
from datetime import date

import pytest
from sqlalchemy import func, select

from core.audit import history
from core.domain import DomainError, NotFound, PermissionDenied, ValidationFailed
from core.extensions import db
from core.uow import unit_of_work
from deals import documents, registration
from deals.models import Channel, ContractType, Deal, DealDocument, DealStatus, SaleMethod
from listings.rules import SaleState
from tests import cancelling, factories

MAX_BYTES = 200_000


def _entry(**overrides: object) -> documents.OfflineEntry:
    values: dict[str, object] = {
        "seller_name": "上海测试研究院",
        "buyer_name": "苏州测试科技有限公司",
        "title": "一种锂电池隔膜涂覆工艺",
        "method": SaleMethod.NEGOTIATED,
        "contract_type": ContractType.LICENCE,
        "price_minor": 123_456_789,
        "signed_on": date(2026, 2, 27),
    }
    values.update(overrides)
    return documents.OfflineEntry(**values)  # type: ignore[arg-type]


def _pdf(name: str = "合同.pdf") -> documents.Upload:
    return documents.Upload(io.BytesIO(factories.PDF_BYTES), name)


def _files(folder) -> set[str]:
    return {p.name for p in folder.iterdir()} if folder.exists() else set()


def _deal_count() -> int:
    return db.session.scalar(select(func.count(Deal.id))) or 0


def _register(actor, entry, upload, folder, clock) -> Deal:
    return documents.register_offline_deal_with_contract(
        actor, entry, upload, folder=folder, max_bytes=MAX_BYTES, now=clock()
    )


def test_offline_deal_is_registered_with_its_contract_and_links_registered_parties(
    market, deals_folder, clock
) -> None:
    seller_code = market.seller.organisation.credit_code
    buyer_code = market.buyer.organisation.credit_code
    deal = _register(
        market.reviewer,
        _entry(
            seller_name="", seller_credit_code=seller_code, buyer_credit_code=buyer_code.lower()
        ),
        _pdf(),
        deals_folder,
        clock,
    )
    assert (deal.channel, deal.status) == (Channel.OFFLINE, DealStatus.SIGNED)
    assert deal.seller_org_id == market.seller.organisation_id
    assert deal.buyer_org_id == market.buyer.organisation_id
    assert deal.seller_name == "华东理工测试大学"  # the registered name fills an empty field
    assert deal.buyer_name == "苏州测试科技有限公司"  # a typed name is kept
    assert deal.registered_by_id == market.reviewer.id
    [contract] = deal.documents
    assert contract.kind == "contract" and contract.original_name == "合同.pdf"
    assert (deals_folder / contract.stored_name).read_bytes() == factories.PDF_BYTES
    record = registration.record_for(deal)
    assert record.signed_on == date(2026, 2, 27)  # midnight in Shanghai, whatever UTC says
    assert record.seller.credit_code == seller_code and record.buyer.credit_code == buyer_code
    actions = [entry.action for entry in history("deal", deal.id)]
    assert actions == ["deal.register_offline", "deal.document_add"]


def test_offline_deal_without_a_valid_contract_saves_nothing(market, deals_folder, clock) -> None:
    before = _files(deals_folder)
    for upload in (
        documents.Upload(io.BytesIO(b""), "empty.pdf"),
        documents.Upload(io.BytesIO(b"MZ not a pdf at all"), "contract.exe"),
        documents.Upload(io.BytesIO(factories.PDF_BYTES), ""),
    ):
        with pytest.raises(ValidationFailed) as refused:
            _register(
                market.reviewer,
                _entry(seller_credit_code=market.seller.organisation.credit_code),
                upload,
                deals_folder,
                clock,
            )
        assert refused.value.field == "file"
        db.session.rollback()
    assert _deal_count() == 0
    assert db.session.scalar(select(func.count(DealDocument.id))) == 0
    assert _files(deals_folder) == before


def test_offline_deal_is_for_reviewers_and_accredited_brokers_only(
    market, deals_folder, clock
) -> None:
    unaccredited = factories.broker(clock(), reviewer=market.reviewer, accredited=False)
    for outsider in (market.seller, unaccredited):
        with pytest.raises(PermissionDenied):
            _register(outsider, _entry(), _pdf(), deals_folder, clock)
        db.session.rollback()
    assert _deal_count() == 0
    broker = factories.broker(clock(), reviewer=market.reviewer, name="线下撮合经纪事务所")
    seller_code = market.seller.organisation.credit_code
    deal = _register(broker, _entry(seller_credit_code=seller_code), _pdf(), deals_folder, clock)
    assert deal.channel == Channel.OFFLINE and _deal_count() == 1


def test_unknown_or_invalid_credit_code_is_refused_on_its_field(
    market, deals_folder, clock
) -> None:
    unknown = factories.credit_code(999_999)
    with pytest.raises(ValidationFailed) as refused:
        _register(market.reviewer, _entry(buyer_credit_code=unknown), _pdf(), deals_folder, clock)
    assert refused.value.field == "buyer_credit_code"
    with pytest.raises(ValidationFailed) as refused:
        _register(market.reviewer, _entry(seller_credit_code="12345"), _pdf(), deals_folder, clock)
    assert refused.value.field == "seller_credit_code"
    db.session.rollback()
    assert _deal_count() == 0


def test_seller_not_on_the_platform_is_kept_under_the_operator_not_another_organisation(
    market, deals_folder, clock, request
) -> None:
    with pytest.raises(ValidationFailed) as refused:
        _register(market.reviewer, _entry(), _pdf(), deals_folder, clock)
    assert refused.value.field == "seller_org_id"
    db.session.rollback()
    operator = request.getfixturevalue("operator_org")
    deal = _register(market.reviewer, _entry(), _pdf(), deals_folder, clock)
    assert deal.seller_org_id == operator.id and deal.buyer_org_id is None
    record = registration.record_for(deal)
    assert record.seller.credit_code is None  # the operator's code is not the seller's
    assert record.seller.name == "上海测试研究院"


def test_signing_date_cannot_be_in_the_future(market, deals_folder, clock) -> None:
    with pytest.raises(ValidationFailed) as refused:
        _register(
            market.reviewer,
            _entry(
                seller_credit_code=market.seller.organisation.credit_code,
                signed_on=date(2026, 3, 3),
            ),
            _pdf(),
            deals_folder,
            clock,
        )
    assert refused.value.field == "signed_on"


def test_offline_deal_of_a_listing_marks_it_sold(market, deals_folder, clock) -> None:
    deal = _register(
        market.reviewer,
        _entry(seller_name="", title="", listing_id=market.listing.id),
        _pdf(),
        deals_folder,
        clock,
    )
    assert deal.seller_org_id == market.seller.organisation_id
    assert deal.title == market.listing.title_zh
    db.session.refresh(market.listing)
    assert market.listing.sale_state == SaleState.SOLD


def test_offline_deal_of_a_listing_in_another_sale_is_refused_and_saves_nothing(
    market, sell, deals_folder, clock
) -> None:
    sell()
    with pytest.raises(DomainError) as refused:
        _register(
            market.reviewer, _entry(listing_id=market.listing.id), _pdf(), deals_folder, clock
        )
    assert refused.value.code == "already_sold"
    db.session.rollback()
    assert _deal_count() == 1


def test_parties_and_reviewers_attach_documents_strangers_cannot(
    market, sell, deals_folder, clock
) -> None:
    deal = sell()
    for actor, kind in ((market.seller, "contract"), (market.buyer, "payment_receipt")):
        with unit_of_work():
            documents.attach_document(
                actor,
                deal.id,
                kind=kind,
                upload=_pdf(f"{kind}.pdf"),
                folder=deals_folder,
                max_bytes=MAX_BYTES,
                now=clock(),
            )
    with pytest.raises(NotFound):
        documents.attach_document(
            market.stranger,
            deal.id,
            kind="other",
            upload=_pdf(),
            folder=deals_folder,
            max_bytes=MAX_BYTES,
            now=clock(),
        )
    db.session.rollback()
    deal = db.session.get(Deal, deal.id)
    assert [d.kind for d in deal.documents] == ["contract", "payment_receipt"]
    document = deal.documents[0]
    assert documents.document_for_download(market.buyer, document.id).id == document.id
    assert documents.document_for_download(market.reviewer, document.id).id == document.id
    with pytest.raises(NotFound):
        documents.document_for_download(market.stranger, document.id)
    with pytest.raises(NotFound):
        documents.document_for_download(None, document.id)


def test_unknown_document_kind_and_cancelled_deal_are_refused(
    market, sell, deals_folder, clock
) -> None:

    deal = sell()
    before = _files(deals_folder)
    with pytest.raises(ValidationFailed) as refused:
        documents.attach_document(
            market.seller,
            deal.id,
            kind="selfie",
            upload=_pdf(),
            folder=deals_folder,
            max_bytes=MAX_BYTES,
            now=clock(),
        )
    assert refused.value.field == "kind"
    cancelling.by_agreement(market.seller, market.buyer, deal.id, "No budget.", now=clock())
    with pytest.raises(DomainError) as refused:
        documents.attach_document(
            market.seller,
            deal.id,
            kind="contract",
            upload=_pdf(),
            folder=deals_folder,
            max_bytes=MAX_BYTES,
            now=clock(),
        )
    assert refused.value.code == "deal_closed"
    assert _files(deals_folder) == before
