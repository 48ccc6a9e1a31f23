"""What the authorisation matrix's world adds for technology import/export records: the
buyer's organisation is abroad, so the world's deal is an export, with its record checked;
and the deal's registration form (技术合同认定登记) completed, its API body valid."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from accounts.models import Organisation, User
from core.extensions import db
from core.uow import unit_of_work
from deals import registration_details, trade_records
from deals.models import Deal
from deals.registration_rules import SUBTYPES, RegistrationDetails
from deals.trade_rules import TechCategory, TradeDetails
from tests.authorisation_bodies import BODIES

if TYPE_CHECKING:
    from tests.authorisation_world import World


def extend(world: World, now: datetime) -> World:
    """The world whose `deal_id` is a technology export with a cleared record."""
    seller, buyer, reviewer = world.users["seller"], world.users["buyer"], world.users["reviewer"]
    assert isinstance(seller, User) and isinstance(buyer, User) and isinstance(reviewer, User)
    deal_id = int(world.ids["deal_id"])
    with unit_of_work():
        org = db.session.get(Organisation, buyer.acting_org_id)
        assert org is not None
        org.country = "DE"
        details = TradeDetails(TechCategory.FREE, "", 700_000, "30% on signing, 70% on delivery")
        trade_records.save(seller, deal_id, details, now=now)
        trade_records.check(reviewer, deal_id, "", now=now)
        deal = db.session.get(Deal, deal_id)
        assert deal is not None
        form = RegistrationDetails("HT-MATRIX-1", "矩阵测试项目", next(iter(SUBTYPES[deal.contract_type])), "energy", "310104", "370102", date(2026, 1, 1), date(2026, 12, 31), 1, "lump_sum")  # fmt: skip
        registration_details.save_details(seller, deal_id, form, now=now)
    BODIES["deals_api.save_registration_form:PUT"] = {**form.__dict__, "term_start": "2026-01-01", "term_end": "2026-12-31"}  # fmt: skip
    BODIES["deals_api.save_trade_record:PUT"] = {"category": "free", "usd_minor": 700_000, "payment_terms": "30% on signing, 70% on delivery"}  # fmt: skip
    BODIES["deals_api.certify_trade_record:POST"] = {"certificate_number": "2026310000EXP000123"}  # fmt: skip
    BODIES["deals_api.record_registration_certificate:POST"] = {"certificate_number": "3101042026000123"}  # fmt: skip
    return world
