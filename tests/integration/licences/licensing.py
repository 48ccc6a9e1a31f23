"""What the licensing tests share: a published listing offering every kind, two enterprises,
and a licence granted by the patentee (the fixture `world` is in conftest.py)."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

from core.uow import unit_of_work
from licences import licence_deals, offers
from licences.deal_models import LicenceDeal
from licences.deal_rules import OfferKind
from licences.rules import LicenceKind
from listings.rules import ListingStatus
from tests import factories

START = date(2027, 1, 1)


def licence_input(org_id: int, kind: LicenceKind, **kw: object) -> licence_deals.LicenceInput:
    values: dict = dict(licensee_org_id=org_id, kind=kind, starts_on=START, term_years=3, price_minor=1_000_000, rate_bp=300, minimum_annual_minor=200_000, period_months=3)  # fmt: skip
    values.update(kw)
    return licence_deals.LicenceInput(**values)


def _grant(world: dict, who: str, kind: LicenceKind, now: datetime, **kw: object) -> LicenceDeal:
    with unit_of_work():
        return licence_deals.grant(world["patentee"], world["listing"].id, licence_input(world[who].acting_org_id, kind, **kw), now=now)  # fmt: skip


def build_world(now: datetime, upload_folder: Path) -> dict:
    reviewer = factories.platform_reviewer(now)
    patentee = factories.seller(now, reviewer=reviewer)
    listing = factories.listing(patentee, now, status=ListingStatus.PUBLISHED, reviewer=reviewer, folder=upload_folder)  # fmt: skip
    all_kinds = [offers.OfferInput(kind, term_years=None if kind == OfferKind.TRANSFER else 5, rate_bp=None if kind == OfferKind.TRANSFER else 300, period_months=None if kind == OfferKind.TRANSFER else 3, price_minor=5_000_000) for kind in OfferKind]  # fmt: skip
    with unit_of_work():
        offers.set_offers(patentee, listing.id, all_kinds, now=now)
    return {
        "reviewer": reviewer, "patentee": patentee, "listing": listing,
        "invention": listing.ip_assets[0].id,
        "a": factories.enterprise(now, name="甲公司"), "b": factories.enterprise(now, name="乙公司"),
    }  # fmt: skip
