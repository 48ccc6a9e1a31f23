"""Who may take part in an auction: buying organisations only, as in a listed sale."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from auctions import services
from core.audit_models import AuditEntry
from core.domain import PermissionDenied
from core.extensions import db
from payments.models import Deposit
from tests import factories

from .conftest import Market


def test_a_broker_agency_cannot_join_an_auction_so_owes_no_deposit(market: Market, clock) -> None:
    broker = factories.broker(clock(), reviewer=market.reviewer)
    audited = db.session.scalar(select(func.count(AuditEntry.id)))
    with pytest.raises(PermissionDenied) as joined:
        services.join_auction(broker, market.auction.id, now=clock())
    assert joined.value.code == "not_a_buyer"
    assert db.session.scalar(select(func.count(Deposit.id))) == 0
    assert db.session.scalar(select(func.count(AuditEntry.id))) == audited


def test_an_enterprise_joins_an_auction_and_owes_its_deposit(market: Market, clock) -> None:
    bidder = factories.enterprise(clock())
    deposit = services.join_auction(bidder, market.auction.id, now=clock())
    assert deposit.org_id == bidder.acting_org_id
