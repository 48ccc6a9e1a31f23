"""Licences as deals through the services and the API: a listing's offers, a licence
granted as a deal, conflicts refused (an exclusive licence, a standing open licence)."""

from __future__ import annotations

from datetime import date

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from core.audit_models import AuditEntry
from core.domain import PermissionDenied, ValidationFailed
from core.extensions import db
from core.uow import unit_of_work
from deals.models import Deal
from licences import licence_deals, offers
from licences.deal_rules import LicenceConflict, OfferKind
from licences.rules import LicenceKind, OpenLicenceError
from notifications.models import Notification
from tests import factories
from tests.conftest import FrozenClock
from tests.integration.licences.licensing import _grant, licence_input
from tests.integration.licences.test_open_licences import _published


def test_ordinary_licences_stand_side_by_side_but_not_inside_an_exclusive_one(world: dict, clock: FrozenClock) -> None:  # fmt: skip
    now = clock.current
    first = _grant(world, "a", LicenceKind.ORDINARY, now)
    second = _grant(world, "b", LicenceKind.ORDINARY, now)  # the listing is licensed twice
    assert first.deal.listing_id == second.deal.listing_id == world["listing"].id
    assert first.deal.contract_type == "licence" and first.deal.status == "awaiting_signature"
    assert first.ends_on == date(2029, 12, 31)
    assert world["listing"].sale_state == "available"  # licensing never sells the listing
    with pytest.raises(LicenceConflict):  # an exclusive one over the ordinary ones
        _grant(world, "a", LicenceKind.EXCLUSIVE, now, fields=("energy",))
    # A later term, after the ordinary licences end: the exclusive licence stands …
    exclusive = _grant(world, "a", LicenceKind.EXCLUSIVE, now, starts_on=date(2030, 1, 1), fields=("energy",), territory=("山东",))  # fmt: skip
    # … and nothing enters its scope and term, while elsewhere an ordinary licence may.
    with pytest.raises(LicenceConflict):
        _grant(world, "b", LicenceKind.ORDINARY, now, starts_on=date(2031, 6, 1), term_years=1)
    _grant(world, "b", LicenceKind.ORDINARY, now, starts_on=date(2031, 6, 1), term_years=1, territory=("江苏",))  # fmt: skip
    events = db.session.scalars(select(Notification.event).where(Notification.user_id == world["a"].id)).all()  # fmt: skip
    assert "licence.proposed" in events
    audited = db.session.scalars(select(AuditEntry.action).where(AuditEntry.object_id == exclusive.deal_id, AuditEntry.action.like("licence_deal.%"))).all()  # fmt: skip
    assert audited == ["licence_deal.grant"]


def test_no_exclusive_or_sole_licence_while_an_open_licence_stands(app: Flask, world: dict, clock: FrozenClock) -> None:  # fmt: skip
    now = clock.current
    _published(app, {**world, "invention": world["invention"]}, now)
    for kind in (LicenceKind.EXCLUSIVE, LicenceKind.SOLE):
        with pytest.raises(OpenLicenceError):
            _grant(world, "a", kind, now)
        with pytest.raises(OpenLicenceError), unit_of_work():  # nor offered any more
            offers.set_offers(world["patentee"], world["listing"].id, [offers.OfferInput(OfferKind(kind.value), term_years=5, rate_bp=100, period_months=3)], now=now)  # fmt: skip
    assert _grant(world, "a", LicenceKind.ORDINARY, now).kind == LicenceKind.ORDINARY


def test_only_the_owner_grants_what_the_listing_offers(world: dict, clock: FrozenClock) -> None:
    now = clock.current
    with pytest.raises(PermissionDenied), unit_of_work():
        licence_deals.grant(world["a"], world["listing"].id, licence_input(world["b"].acting_org_id, LicenceKind.ORDINARY), now=now)  # fmt: skip
    with unit_of_work():
        offers.set_offers(world["patentee"], world["listing"].id, [offers.OfferInput(OfferKind.TRANSFER, price_minor=9_000_000)], now=now)  # fmt: skip
    with pytest.raises(ValidationFailed):
        _grant(world, "a", LicenceKind.ORDINARY, now)
    with pytest.raises(ValidationFailed), unit_of_work():  # an unknown province
        offers.set_offers(world["patentee"], world["listing"].id, [offers.OfferInput(OfferKind.ORDINARY, territory=("火星",), term_years=5, rate_bp=100, period_months=3)], now=now)  # fmt: skip
    assert db.session.scalar(select(Deal.id).where(Deal.source_type == "licence")) is None


def test_offers_and_a_licence_through_the_api(client: FlaskClient, world: dict, clock: FrozenClock) -> None:  # fmt: skip
    listing_id = world["listing"].id
    shown = client.get(f"/api/v1/licensing/listings/{listing_id}/offers").get_json()
    assert "offers" in shown, shown
    assert [o["kind"] for o in shown["offers"]] == ["transfer", "exclusive", "sole", "ordinary"]
    auth = {"Authorization": f"Bearer {factories.api_token(world['patentee'], 'lic', now=clock.current)}"}  # fmt: skip
    body = {"offers": [{"kind": "ordinary", "fields_of_use": ["energy"], "territory": ["山东"], "term_years": 5, "rate_bp": 300, "minimum_annual_minor": 100_000, "period_months": 3}]}  # fmt: skip
    put = client.put(f"/api/v1/licensing/listings/{listing_id}/offers", json=body, headers=auth)
    assert put.status_code == 200 and put.get_json()["offers"][0]["territory"] == ["山东"]
    grant = {"licensee_org_id": world["a"].acting_org_id, "kind": "ordinary", "fields_of_use": ["energy"], "starts_on": "2027-01-01", "term_years": 2, "price_minor": 800_000, "rate_bp": 250, "minimum_annual_minor": 0, "period_months": 6}  # fmt: skip
    made = client.post(
        f"/api/v1/licensing/listings/{listing_id}/licences", json=grant, headers=auth
    )
    assert made.status_code == 201, made.get_json()
    deal_id = made.get_json()["deal_id"]
    assert made.get_json()["next_period"] == {"period": 0, "starts_on": "2027-01-01", "ends_on": "2027-06-30", "due_on": "2027-07-30"}  # fmt: skip
    refused = client.post(f"/api/v1/licensing/listings/{listing_id}/licences", json={**grant, "kind": "exclusive"}, headers=auth)  # fmt: skip
    assert refused.status_code == 422  # not offered any more
    licensee = {"Authorization": f"Bearer {factories.api_token(world['a'], 'lic', now=clock.current)}"}  # fmt: skip
    seen = client.get(f"/api/v1/licensing/licences/{deal_id}", headers=licensee).get_json()
    assert seen["licensee"] == "甲公司" and seen["allowed_actions"] == ["report_royalty"]
    outsider = {"Authorization": f"Bearer {factories.api_token(world['b'], 'lic', now=clock.current)}"}  # fmt: skip
    assert client.get(f"/api/v1/licensing/licences/{deal_id}", headers=outsider).status_code == 404
