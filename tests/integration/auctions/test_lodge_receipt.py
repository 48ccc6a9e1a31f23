"""Lodging a deposit's receipt in one step (`payments.deposits.lodge_receipt`): the auction
decides who takes part, payments keeps the deposit and its receipt, both audited."""

from __future__ import annotations

import io
from datetime import datetime

import pytest
from sqlalchemy import func, select

from accounts.models import User
from core.audit_models import AuditEntry
from core.domain import NotFound, PermissionDenied
from core.extensions import db
from payments import deposits
from payments.bank_rules import deposit_reference
from payments.models import Deposit, DepositStatus
from tests import factories

from .conftest import Market


def _lodge(
    market: Market, actor: User, context_type: str, context_id: int, now: datetime, reference: str
) -> Deposit:
    return deposits.lodge_receipt(
        actor, context_type, context_id, stream=io.BytesIO(factories.PDF_BYTES),
        filename="回单.pdf", bank_reference=reference, folder=market.folder,
        max_bytes=1_000_000, now=now,
    )  # fmt: skip


def test_a_bidder_joins_and_hands_in_its_receipt_in_one_step(market: Market, clock) -> None:
    bidder = factories.enterprise(clock())
    reference = deposit_reference("auction", market.auction.id, bidder.acting_org_id)
    deposit = _lodge(market, bidder, "auction", market.auction.id, clock(), reference)
    assert deposit.org_id == bidder.acting_org_id
    assert deposit.status == DepositStatus.RECEIPT_SUBMITTED
    actions = db.session.scalars(
        select(AuditEntry.action)
        .where(AuditEntry.object_type == "deposit", AuditEntry.object_id == deposit.id)
        .order_by(AuditEntry.id)
    ).all()
    assert actions == ["deposit.require", "deposit.submit_receipt"]


def test_who_may_not_take_part_lodges_nothing(market: Market, clock) -> None:
    broker = factories.broker(clock(), reviewer=market.reviewer)
    audited = db.session.scalar(select(func.count(AuditEntry.id)))
    reference = deposit_reference("auction", market.auction.id, broker.acting_org_id)
    with pytest.raises(PermissionDenied) as lodged:
        _lodge(market, broker, "auction", market.auction.id, clock(), reference)
    assert lodged.value.code == "not_a_buyer"
    assert db.session.scalar(select(func.count(Deposit.id))) == 0
    assert db.session.scalar(select(func.count(AuditEntry.id))) == audited


def test_a_listed_sale_is_not_joined_by_lodging_a_receipt(market: Market, clock) -> None:
    buyer = factories.enterprise(clock())
    with pytest.raises(NotFound):
        _lodge(market, buyer, "listed_sale", 1, clock(), "LS-1-1")
