"""A co-owned result (共有, 赋权): shares summing to 100 %, the 赋权 agreement signed off, every
co-owner's consent before a sale or licence (the missing ones named), the proceeds and
royalties split by share on the deal's ledger to the fen."""

from __future__ import annotations

import io
import re
from datetime import date
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from core.audit_models import AuditEntry
from core.domain import PermissionDenied, ValidationFailed
from core.extensions import db
from core.service_kit import Upload
from core.uow import unit_of_work
from deals import services as deals
from deals.models import DealStatus
from licences import royalties
from licences.rules import LicenceKind
from listings import co_owners
from listings import services as listings
from listings.co_owner_rules import ConsentMissing, HolderBasis
from listings.legal_rules import Purpose
from listings.rules import SaleState
from notifications.models import Notification
from payments import ledger
from payments.rules import Account, EntryKind
from tests import factories
from tests.conftest import FrozenClock
from tests.integration.licences.licensing import _grant
from tests.integration.licences.test_open_licence_pages import _sign_in
from tests.integration.licences.test_royalties import at


@pytest.fixture
def co_owned(world: dict, clock: FrozenClock) -> dict:
    """The patentee 50 %, 乙公司 30 % (an organisation), 王伟 20 % (a right of use)."""
    holders = [
        co_owners.HolderInput(5_000, HolderBasis.OWNERSHIP, org_id=world["patentee"].acting_org_id),
        co_owners.HolderInput(3_000, HolderBasis.OWNERSHIP, org_id=world["b"].acting_org_id),
        co_owners.HolderInput(2_000, HolderBasis.RIGHT_OF_USE, name="王伟", use_until=date(2037, 1, 1)),
    ]  # fmt: skip
    with unit_of_work():
        rows = co_owners.set_holders(world["patentee"], world["listing"].id, holders, now=clock.current)  # fmt: skip
    return {**world, "holders": rows}


def _attach(app: Flask, world: dict, now) -> None:  # type: ignore[no-untyped-def]
    folder = co_owners.agreement_folder(app.config["UPLOAD_FOLDER"])
    with unit_of_work():
        co_owners.attach_agreement(world["patentee"], world["listing"].id, Upload(io.BytesIO(factories.PDF_BYTES), "赋权协议.pdf"), folder=folder, max_bytes=1_000_000, now=now)  # fmt: skip


def test_nothing_is_licensed_or_offered_for_sale_before_every_consent(app: Flask, co_owned: dict, clock: FrozenClock) -> None:  # fmt: skip
    now, listing_id = clock.current, co_owned["listing"].id
    with pytest.raises(ConsentMissing, match="赋权"):
        _grant(co_owned, "a", LicenceKind.ORDINARY, now)
    _attach(app, co_owned, now)
    with pytest.raises(ConsentMissing, match="赋权"):  # attached, not signed off
        _grant(co_owned, "a", LicenceKind.ORDINARY, now)
    with pytest.raises(PermissionDenied), unit_of_work():
        co_owners.sign_off_agreement(co_owned["patentee"], listing_id, now=now)
    with unit_of_work():
        co_owners.sign_off_agreement(co_owned["reviewer"], listing_id, now=now)
    with pytest.raises(ConsentMissing) as refused:
        _grant(co_owned, "a", LicenceKind.ORDINARY, now)
    assert "乙公司" in str(refused.value) and "王伟" in str(refused.value)
    b, person = co_owned["holders"][1], co_owned["holders"][2]
    with pytest.raises(PermissionDenied), unit_of_work():  # nobody consents for 乙公司 but 乙公司
        co_owners.record_consent(co_owned["reviewer"], listing_id, b.id, Purpose.LICENCE, "同意书", now=now)  # fmt: skip
    with unit_of_work():
        co_owners.record_consent(co_owned["b"], listing_id, b.id, Purpose.LICENCE, "乙公司同意许可", now=now)  # fmt: skip
    with pytest.raises(ConsentMissing, match="王伟") as still:
        _grant(co_owned, "a", LicenceKind.ORDINARY, now)
    assert "乙公司" not in str(still.value)
    with unit_of_work():  # the researcher's written consent, recorded by a reviewer
        co_owners.record_consent(co_owned["reviewer"], listing_id, person.id, Purpose.LICENCE, "王伟签字同意书", now=now)  # fmt: skip
    assert _grant(co_owned, "a", LicenceKind.ORDINARY, now).deal_id
    with pytest.raises(ConsentMissing), unit_of_work():  # a sale needs consents to transfer
        listings.set_sale_state(listing_id, SaleState.LISTED_SALE, now=now, actor_id=co_owned["patentee"].id)  # fmt: skip
    audited = set(db.session.scalars(select(AuditEntry.action).where(AuditEntry.object_id == listing_id, AuditEntry.action.like("listing.%"))))  # fmt: skip
    assert {"listing.rights_holders", "listing.rights_agreement", "listing.rights_agreement_signed_off", "listing.co_owner_consent"} <= audited  # fmt: skip


def test_the_proceeds_and_royalties_are_split_by_share(app: Flask, co_owned: dict, clock: FrozenClock) -> None:  # fmt: skip
    now, listing_id = clock.current, co_owned["listing"].id
    _attach(app, co_owned, now)
    with unit_of_work():
        co_owners.sign_off_agreement(co_owned["reviewer"], listing_id, now=now)
        co_owners.record_consent(co_owned["b"], listing_id, co_owned["holders"][1].id, Purpose.LICENCE, "同意", now=now)  # fmt: skip
        co_owners.record_consent(co_owned["reviewer"], listing_id, co_owned["holders"][2].id, Purpose.LICENCE, "同意书", now=now)  # fmt: skip
    licence = _grant(co_owned, "a", LicenceKind.ORDINARY, now, price_minor=1_000_001)
    with unit_of_work():
        deals.advance(co_owned["patentee"], licence.deal_id, DealStatus.SIGNED, now=now)
    legs = ledger.deal_legs(licence.deal_id)
    co_owner_legs = [(leg.org_id, -leg.amount_minor) for leg in legs if leg.account == Account.CO_OWNER_PAYABLE]  # fmt: skip
    # 1,000,001 less the 1 % fee (10,000) = 990,001: 30 % is 297,000.3, 20 % is 198,000.2
    assert co_owner_legs == [(co_owned["b"].acting_org_id, 297_000), (None, 198_000)]
    seller = sum(leg.amount_minor for leg in legs if leg.account == Account.SELLER_PAYABLE)
    assert -seller == 990_001 - 297_000 - 198_000  # the seller keeps the remainder's fen
    with unit_of_work():
        royalties.report(co_owned["a"], licence.deal_id, 0, 1_000_000, now=at(date(2027, 4, 2)))
    kinds = [t.kind for t in ledger.deal_transactions(licence.deal_id)]
    assert kinds.count(EntryKind.PROCEEDS_SPLIT) == 4  # two shares of the price, two of the royalty  # fmt: skip
    assert ledger.check_deal(licence.deal) == []


def test_shares_off_100_percent_are_refused_and_the_owner_is_a_holder(co_owned: dict, clock: FrozenClock) -> None:  # fmt: skip
    bad = [
        [co_owners.HolderInput(5_000, HolderBasis.OWNERSHIP, org_id=co_owned["patentee"].acting_org_id), co_owners.HolderInput(4_000, HolderBasis.OWNERSHIP, name="王伟")],
        [co_owners.HolderInput(10_000, HolderBasis.OWNERSHIP, org_id=co_owned["b"].acting_org_id)],
    ]  # fmt: skip
    for holders in bad:
        with pytest.raises(ValidationFailed), unit_of_work():
            co_owners.set_holders(co_owned["patentee"], co_owned["listing"].id, holders, now=clock.current)  # fmt: skip
    assert [h.share_bp for h in co_owners.holders_of(co_owned["listing"].id)] == [
        5_000,
        3_000,
        2_000,
    ]


def test_the_rights_through_the_api(client: FlaskClient, co_owned: dict, clock: FrozenClock, upload_folder: Path) -> None:  # fmt: skip
    url = f"/api/v1/rights/listings/{co_owned['listing'].id}"
    owner = {"Authorization": f"Bearer {factories.api_token(co_owned['patentee'], 'r', now=clock.current)}"}  # fmt: skip
    shown = client.get(url, headers=owner).get_json()
    assert [h["share_bp"] for h in shown["holders"]] == [5_000, 3_000, 2_000]
    assert shown["missing_for_licence"] == ["乙公司", "王伟"] and shown["agreement"] is None
    assert shown["allowed_actions"] == ["set_holders", "attach_agreement"]
    attached = client.post(f"{url}/agreement", data={"file": (io.BytesIO(factories.PDF_BYTES), "赋权协议.pdf")}, headers=owner, content_type="multipart/form-data")  # fmt: skip
    assert attached.status_code == 201 and attached.get_json()["agreement"]["signed_off_at"] is None
    wrong = {"holders": [{"org_id": co_owned["patentee"].acting_org_id, "share_bp": 6_000, "basis": "ownership"}]}  # fmt: skip
    assert client.put(f"{url}/holders", json=wrong, headers=owner).status_code == 422
    stranger = {"Authorization": f"Bearer {factories.api_token(co_owned['a'], 'r', now=clock.current)}"}  # fmt: skip
    assert client.get(url, headers=stranger).status_code == 404
    b = {"Authorization": f"Bearer {factories.api_token(co_owned['b'], 'r', now=clock.current)}"}
    given = client.post(f"{url}/consents", json={"holder_id": co_owned["holders"][1].id, "purpose": "licence", "reference": "乙公司同意"}, headers=b)  # fmt: skip
    assert given.status_code == 201 and given.get_json()["missing_for_licence"] == ["王伟"]


def test_the_co_owning_organisation_is_asked_for_its_consent(client: FlaskClient, co_owned: dict) -> None:  # fmt: skip
    listing_id = co_owned["listing"].id
    _sign_in(client, co_owned["b"])  # 乙公司's member
    inbox = client.get("/inbox", headers={"Accept-Language": "en"}).get_data(as_text=True)
    asked = re.search(r"names your organisation a co-owner of “[^”]+”: it is sold or licensed only once you consent\.</div>\s*</div>\s*<form method=\"post\" action=\"(/inbox/\d+/open)\"", inbox)  # fmt: skip
    assert asked is not None, "乙公司 is asked for its consent"
    rights = client.post(asked[1]).headers["Location"]
    assert rights == f"/listings/{listing_id}/rights" and client.get(rights).status_code == 200
    told = db.session.scalars(select(Notification.user_id).where(Notification.event == "co_owner.consent_asked"))  # fmt: skip
    assert set(told) == {co_owned["b"].id}, "only the co-owner: not the owner, not a person"
