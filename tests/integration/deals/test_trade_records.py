"""Technology import/export records on a real database: a sale to a buyer abroad is an
export; a restricted technology is signed only once its licence is recorded; a reviewer's
check is audited; the certificate number, the printable page and the CSV follow."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from datetime import timedelta
from decimal import Decimal

import pytest
from argon2 import PasswordHasher
from flask.testing import FlaskClient
from sqlalchemy import select

from accounts import services as accounts
from accounts.models import Organisation
from core import rates
from core.audit_models import AuditEntry
from core.currencies import Rate
from core.dates import format_day
from core.domain import PermissionDenied
from core.extensions import db
from core.uow import unit_of_work
from deals import services, trade_records
from deals.models import Deal, DealStatus
from deals.trade_models import TradeRecord
from deals.trade_rules import (
    CheckOutcome,
    TechCategory,
    TradeDetails,
    TradeDirection,
    TradeRuleBroken,
)
from tests import factories
from tests.conftest import FrozenClock
from tests.integration.deals.conftest import Market


@pytest.fixture(autouse=True)
def quick_passwords(monkeypatch: pytest.MonkeyPatch) -> None:
    """Argon2id at its cheapest: nobody here is attacked."""
    monkeypatch.setattr(accounts, "_hasher", PasswordHasher(time_cost=1, memory_cost=8, parallelism=1))  # fmt: skip


TERMS = "30% on signing, 70% on delivery of the technical documents"


def _abroad(market: Market, country: str = "US") -> None:
    org = db.session.get(Organisation, market.buyer.organisation_id)
    assert org is not None
    org.country = country
    db.session.commit()


def test_a_restricted_export_is_signed_once_its_licence_is_recorded(market: Market, sell: Callable[..., Deal], clock: FrozenClock) -> None:  # fmt: skip
    _abroad(market)
    deal = sell()
    assert trade_records.direction_of(deal) == TradeDirection.EXPORT
    restricted = TradeDetails(TechCategory.RESTRICTED, "053101X", 7_000_000, TERMS)
    with unit_of_work():
        record = trade_records.save(market.seller, deal.id, restricted, now=clock())
    assert (record.seller_country, record.buyer_country, record.amount_minor) == ("CN", "US", 50_000_000)  # fmt: skip
    with pytest.raises(PermissionDenied), unit_of_work():
        trade_records.save(market.buyer, deal.id, restricted, now=clock())
    with unit_of_work():
        assert trade_records.check(market.reviewer, deal.id, "", now=clock()).check_outcome == CheckOutcome.LICENCE_REQUIRED  # fmt: skip
    with pytest.raises(TradeRuleBroken) as refused, unit_of_work():
        services.advance(market.seller, deal.id, DealStatus.SIGNED, now=clock())
    assert refused.value.code == "licence_required"
    with pytest.raises(TradeRuleBroken), unit_of_work():
        trade_records.certify(market.reviewer, deal.id, "TIE-1", now=clock())  # not cleared
    licensed = TradeDetails(TechCategory.RESTRICTED, "053101X", 7_000_000, TERMS, "2026-XK-0042")
    with unit_of_work():
        trade_records.save(market.seller, deal.id, licensed, now=clock())
        trade_records.check(market.reviewer, deal.id, "许可证已核对", now=clock())
        services.advance(market.seller, deal.id, DealStatus.SIGNED, now=clock())
        trade_records.certify(market.reviewer, deal.id, "TIE-2026-0042", now=clock())
    with pytest.raises(TradeRuleBroken) as registered, unit_of_work():  # what was registered stands
        trade_records.save(market.seller, deal.id, TradeDetails(TechCategory.FREE, "", 1, TERMS), now=clock())  # fmt: skip
    assert registered.value.code == "registered"
    checks = db.session.scalars(select(AuditEntry.action).where(AuditEntry.action == "deal.trade_check")).all()  # fmt: skip
    assert len(checks) == 2
    assert db.session.get(Deal, deal.id).status == DealStatus.SIGNED  # type: ignore[union-attr]


def test_a_prohibited_technology_is_not_exported(market: Market, sell: Callable[..., Deal], clock: FrozenClock) -> None:  # fmt: skip
    _abroad(market, "DE")
    deal = sell()
    with unit_of_work():
        trade_records.save(market.seller, deal.id, TradeDetails(TechCategory.PROHIBITED, "010101J", 1, TERMS), now=clock())  # fmt: skip
        assert trade_records.check(market.reviewer, deal.id, "", now=clock()).check_outcome == CheckOutcome.PROHIBITED  # fmt: skip
    with pytest.raises(TradeRuleBroken), unit_of_work():
        services.advance(market.seller, deal.id, DealStatus.SIGNED, now=clock())


def test_a_domestic_deal_has_no_record(
    market: Market, sell: Callable[..., Deal], clock: FrozenClock
) -> None:
    deal = sell()
    with pytest.raises(TradeRuleBroken) as refused, unit_of_work():
        trade_records.save(market.seller, deal.id, TradeDetails(TechCategory.FREE, "", 1, TERMS), now=clock())  # fmt: skip
    assert refused.value.code == "domestic"


def test_the_record_prints_and_exports(client: FlaskClient, market: Market, sell: Callable[..., Deal], clock: FrozenClock) -> None:  # fmt: skip
    _abroad(market, "JP")
    deal = sell()
    client.post("/signin", data={"email": market.seller.email, "password": factories.PASSWORD})
    assert "/trade-record" in client.get(f"/deals/{deal.id}").get_data(as_text=True)
    form = {"category": "free", "usd_amount": "70,000.00", "payment_terms": TERMS}
    assert client.post(f"/deals/{deal.id}/trade-record", data=form).status_code == 302
    page = client.get(f"/deals/{deal.id}/trade-record", headers={"Accept-Language": "en"}).get_data(as_text=True)  # fmt: skip
    assert "Technology export" in page and "US$70,000.00" in page and "@media print" in page
    rows = list(csv.DictReader(io.StringIO(client.get(f"/deals/{deal.id}/trade-record.csv").get_data(as_text=True))))  # fmt: skip
    assert rows[0]["direction"] == "export" and rows[0]["buyer_country"] == "JP"
    assert rows[0]["usd_amount"] == "70000.00" and rows[0]["payment_terms"] == TERMS
    client.post("/signout")
    client.post("/signin", data={"email": market.stranger.email, "password": factories.PASSWORD})
    assert client.get(f"/deals/{deal.id}/trade-record").status_code == 404


def test_the_dollar_amount_is_converted_at_the_rate_of_the_deals_day(client: FlaskClient, market: Market, sell: Callable[..., Deal], clock: FrozenClock) -> None:  # fmt: skip
    _abroad(market, "JP")
    deal = sell()  # ¥500,000.00
    day = trade_records.deal_day(deal)
    with unit_of_work():
        rates.keep(Rate("USD", Decimal("7.2"), day - timedelta(days=3)), by=None, now=clock(), source="import")  # fmt: skip
        rates.keep(Rate("USD", Decimal("7.0"), day + timedelta(days=5)), by=None, now=clock(), source="import")  # fmt: skip
    clock.advance(days=10)  # today's rate (7.0) is not the deal's day's (7.2)
    client.post("/signin", data={"email": market.seller.email, "password": factories.PASSWORD})
    en = {"Accept-Language": "en"}
    form = client.get(f"/deals/{deal.id}/trade-record", headers=en).get_data(as_text=True)
    assert 'name="usd_amount"' not in form and "US$69,444.44" in form
    # A figure typed by hand does not stand against the rate.
    typed = {"category": "free", "usd_amount": "1.00", "payment_terms": TERMS}
    assert client.post(f"/deals/{deal.id}/trade-record", data=typed).status_code == 302
    record = db.session.get(TradeRecord, deal.id)
    assert record is not None and record.usd_minor == 6_944_444 and not record.usd_manual
    rate_day = day - timedelta(days=3)
    assert record.usd_rate_on == rate_day
    page = client.get(f"/deals/{deal.id}/trade-record", headers=en).get_data(as_text=True)
    assert (
        "US$69,444.44" in page and f"at the reference rate of {format_day(rate_day, 'en')}" in page
    )
    rows = list(csv.DictReader(io.StringIO(client.get(f"/deals/{deal.id}/trade-record.csv").get_data(as_text=True))))  # fmt: skip
    assert (rows[0]["usd_amount"], rows[0]["usd_basis"], rows[0]["usd_rate_day"]) == ("69444.44", "reference_rate", rate_day.isoformat())  # fmt: skip


def test_without_a_rate_the_dollar_amount_is_entered_by_hand_and_says_so(client: FlaskClient, market: Market, sell: Callable[..., Deal], clock: FrozenClock) -> None:  # fmt: skip
    _abroad(market, "JP")
    deal = sell()
    client.post("/signin", data={"email": market.seller.email, "password": factories.PASSWORD})
    en = {"Accept-Language": "en"}
    form = client.get(f"/deals/{deal.id}/trade-record", headers=en).get_data(as_text=True)
    assert 'name="usd_amount"' in form and "There is no reference rate for the deal" in form
    blank = {"category": "free", "usd_amount": "", "payment_terms": TERMS}
    client.post(f"/deals/{deal.id}/trade-record", data=blank, headers=en)
    assert db.session.get(TradeRecord, deal.id) is None  # refused: neither a rate nor a figure
    typed = {**blank, "usd_amount": "70,000.00"}
    assert client.post(f"/deals/{deal.id}/trade-record", data=typed).status_code == 302
    page = client.get(f"/deals/{deal.id}/trade-record", headers=en).get_data(as_text=True)
    assert "US$70,000.00" in page and "entered by hand: there was no reference rate" in page
    zh = client.get(f"/deals/{deal.id}/trade-record", headers={"Accept-Language": "zh-CN"}).get_data(as_text=True)  # fmt: skip
    assert "手工填写" in zh
    rows = list(csv.DictReader(io.StringIO(client.get(f"/deals/{deal.id}/trade-record.csv").get_data(as_text=True))))  # fmt: skip
    assert (rows[0]["usd_basis"], rows[0]["usd_rate_day"]) == ("manual", "")
