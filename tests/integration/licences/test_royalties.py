"""Royalties of a licence deal: reported per period after it ends, computed (rate × net
sales, the year topped up to its minimum), posted on the deal's ledger, reminded and
flagged late by the sweep, shown to both parties on the deal page and by the API."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select

from core.audit_models import AuditEntry
from core.domain import PermissionDenied, ValidationFailed
from core.extensions import db
from core.uow import unit_of_work
from deals import services as deals
from deals.models import DealStatus
from licences import royalties
from licences.deal_models import LicenceDeal
from licences.rules import LicenceKind
from notifications.models import Notification
from payments import ledger
from payments.rules import Account, EntryKind
from tests import factories
from tests.conftest import FrozenClock
from tests.integration.licences.licensing import _grant


def at(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 4, 0, tzinfo=UTC)  # noon in Shanghai


@pytest.fixture
def signed(world: dict, clock: FrozenClock) -> LicenceDeal:
    # 3 % of net sales, at least 200,000 分 a year, reported quarterly from 2027-01-01
    licence = _grant(world, "a", LicenceKind.ORDINARY, clock.current)
    with unit_of_work():
        deals.advance(world["patentee"], licence.deal_id, DealStatus.SIGNED, now=clock.current)
    return licence


def _report(world: dict, licence: LicenceDeal, index: int, sales: int, day: date):  # type: ignore[no-untyped-def]
    with unit_of_work():
        return royalties.report(world["a"], licence.deal_id, index, sales, now=at(day))


def _events(user: object) -> list[str]:
    return list(db.session.scalars(select(Notification.event).where(Notification.user_id == user.id)))  # type: ignore[attr-defined]  # fmt: skip


def test_a_years_royalties_are_rate_times_sales_topped_up_to_the_minimum(world: dict, signed: LicenceDeal) -> None:  # fmt: skip
    with pytest.raises(ValidationFailed):  # the first quarter has not ended
        _report(world, signed, 0, 1_000_000, date(2027, 3, 31))
    with pytest.raises(PermissionDenied), unit_of_work():  # the licensor does not report
        royalties.report(world["patentee"], signed.deal_id, 0, 1, now=at(date(2027, 4, 2)))
    first = _report(world, signed, 0, 1_234_567, date(2027, 4, 2))
    assert (first.rate_part_minor, first.royalty_minor, first.late) == (37_037, 37_037, False)  # 37,037.01 → 37,037  # fmt: skip
    with pytest.raises(royalties.RoyaltyRefused):  # period 2 before period 1: refused
        _report(world, signed, 2, 1_000, date(2027, 10, 2))
    _report(world, signed, 1, 1_000_000, date(2027, 8, 15))  # due 2027-07-30: late
    _report(world, signed, 2, 0, date(2027, 10, 2))
    last = _report(world, signed, 3, 500, date(2028, 1, 2))
    # 37,037 + 30,000 + 0 + 15 = 67,052 < 200,000: the year's last quarter tops it up
    assert (last.rate_part_minor, last.top_up_minor, last.royalty_minor) == (15, 132_948, 132_963)
    reports = signed.reports
    assert [r.late for r in reports] == [False, True, False, False]
    assert sum(r.royalty_minor for r in reports) == 200_000
    posted = [t for t in ledger.deal_transactions(signed.deal_id) if t.kind == EntryKind.ROYALTY]
    assert [t.key for t in posted] == [f"deal-{signed.deal_id}-royalty-{i}" for i in (0, 1, 3)]  # nothing due: no posting  # fmt: skip
    owed = sum(leg.amount_minor for t in posted for leg in t.legs if leg.account == Account.BUYER_RECEIVABLE)  # fmt: skip
    assert owed == 200_000 and ledger.check_deal(signed.deal) == []
    assert "royalty.reported" in _events(world["patentee"])
    audited = db.session.scalars(select(AuditEntry.action).where(AuditEntry.object_id == signed.deal_id, AuditEntry.action == "royalty.report")).all()  # fmt: skip
    assert len(audited) == 4


def test_the_sweep_reminds_before_the_due_day_and_flags_a_late_report_once(world: dict, signed: LicenceDeal) -> None:  # fmt: skip
    with unit_of_work():  # period 1 ends 2027-03-31, due 2027-04-30: too early to remind
        assert royalties.sweep(now=at(date(2027, 4, 22))) == 0
    with unit_of_work():
        assert royalties.sweep(now=at(date(2027, 4, 23))) == 1
        assert royalties.sweep(now=at(date(2027, 4, 24))) == 0  # once
    assert "royalty.reminder" in _events(world["a"]) and "royalty.reminder" not in _events(world["patentee"])  # fmt: skip
    with unit_of_work():
        assert royalties.sweep(now=at(date(2027, 5, 1))) == 1
        assert royalties.sweep(now=at(date(2027, 5, 2))) == 0
    assert "royalty.late" in _events(world["a"]) and "royalty.late" in _events(world["patentee"])
    assert signed.late_told_for == 0 and signed.reminded_for == 0


def test_both_parties_see_the_royalty_history(client: FlaskClient, world: dict, signed: LicenceDeal, clock: FrozenClock) -> None:  # fmt: skip
    _report(world, signed, 0, 1_000_000, date(2027, 4, 2))
    licensee = {"Authorization": f"Bearer {factories.api_token(world['a'], 'r', now=clock.current)}"}  # fmt: skip
    url = f"/api/v1/licensing/licences/{signed.deal_id}"
    early = client.post(f"{url}/royalty-reports", json={"period": 1, "net_sales_minor": 5}, headers=licensee)  # fmt: skip
    assert early.status_code == 422  # the clock says 2026: the second quarter of 2027 has not ended
    body = client.get(url, headers=licensee).get_json()
    assert [(r["period"], r["royalty_minor"]) for r in body["royalties"]] == [(0, 30_000)]
    assert body["next_period"]["period"] == 1
    licensor = {"Authorization": f"Bearer {factories.api_token(world['patentee'], 'r', now=clock.current)}"}  # fmt: skip
    assert client.get(url, headers=licensor).get_json()["allowed_actions"] == []
    client.post("/signin", data={"email": world["patentee"].email, "password": factories.PASSWORD})
    page = client.get(f"/deals/{signed.deal_id}").get_data(as_text=True)
    assert 'id="royalties"' in page and "royalty-row" in page and "¥300.00" in page
