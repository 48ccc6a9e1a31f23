"""The rights page as people use it: the owner sets what the listing offers (scope and terms)
and grants a licence from it, names the rights holders and attaches the 赋权 agreement; a
reviewer signs it off; the co-owner records its consent; strangers see nothing."""

from __future__ import annotations

import io

from flask.testing import FlaskClient

from core.extensions import db
from licences import licence_deals, offers
from licences.deal_rules import OfferKind
from listings import co_owners
from listings.legal_rules import Purpose
from tests import factories
from tests.integration.licences.test_open_licence_pages import _sign_in

EN = {"Accept-Language": "en"}


def _code(user: object) -> str:
    return user.organisation.credit_code  # type: ignore[attr-defined]


def test_the_owner_offers_and_grants_a_licence_and_a_co_owner_consents(world: dict, client: FlaskClient) -> None:  # fmt: skip
    listing, patentee = world["listing"], world["patentee"]
    url = f"/listings/{listing.id}/rights"
    _sign_in(client, patentee)
    assert "What the listing offers" in client.get(url, headers=EN).get_data(as_text=True)
    assert 'href="/rewards"' in client.get(f"/listings/{listing.id}", headers=EN).get_data(as_text=True)  # fmt: skip
    form = {"exclusive-on": "1", "exclusive-fields": "energy", "exclusive-territory": ["上海", "江苏"], "exclusive-term": "5", "exclusive-price": "100,000", "exclusive-rate": "3.5", "exclusive-minimum": "20000", "exclusive-period": "6"}  # fmt: skip
    client.post(f"{url}/offers", data=form)
    [offer] = offers.offers_of(listing.id)
    assert (offer.kind, offer.fields, offer.territory, offer.term_years, offer.price_minor, offer.rate_bp, offer.minimum_annual_minor, offer.period_months) == (OfferKind.EXCLUSIVE, ["energy"], ["上海", "江苏"], 5, 10_000_000, 350, 2_000_000, 6)  # fmt: skip
    refused = client.post(f"{url}/licences", data={"kind": "ordinary", "licensee": _code(world["a"]), "starts_on": "2027-01-01", "price": "1000"}, headers=EN)  # fmt: skip
    assert refused.status_code == 302 and "#grant" in refused.headers["Location"]  # not offered
    granted = client.post(f"{url}/licences", data={"kind": "exclusive", "licensee": _code(world["a"]), "starts_on": "2027-01-01", "price": "50,000"})  # fmt: skip
    deal_id = int(granted.headers["Location"].split("/deals/")[1].split("#")[0])
    licence = licence_deals.licence_of(deal_id)
    assert licence is not None and (licence.fields, licence.territory, licence.rate_bp, licence.period_months) == (["energy"], ["上海", "江苏"], 350, 6)  # fmt: skip
    assert licence.deal.buyer_org_id == world["a"].acting_org_id and licence.deal.price_minor == 5_000_000  # fmt: skip

    # co-ownership: the owner names a co-owner by its credit code and attaches the agreement
    lines = f"{_code(patentee)}, 70, ownership\n{_code(world['b'])}, 30, ownership"
    client.post(f"{url}/holders", data={"holders": lines})
    holders = co_owners.holders_of(listing.id)
    assert [(h.org_id, h.share_bp) for h in holders] == [(patentee.acting_org_id, 7000), (world["b"].acting_org_id, 3000)]  # fmt: skip
    client.post(f"{url}/agreement", data={"agreement": (io.BytesIO(factories.PDF_BYTES), "赋权协议.pdf")}, content_type="multipart/form-data")  # fmt: skip
    assert "awaiting a reviewer" in client.get(url, headers=EN).get_data(as_text=True)
    _sign_in(client, world["reviewer"])
    client.post(f"{url}/agreement/sign-off")
    assert co_owners.agreement_of(listing.id).signed_off_at is not None  # type: ignore[union-attr]

    _sign_in(client, world["a"])  # a licensee, not a rights holder: sees nothing
    assert client.get(url).status_code == 404
    _sign_in(client, world["b"])
    page = client.get(url, headers=EN).get_data(as_text=True)
    assert "We consent" in page and "What the listing offers" not in page
    client.post(f"{url}/consents", data={"holder": str(holders[1].id), "purpose": "licence", "reference": "同意函 2027-1"})  # fmt: skip
    db.session.expire_all()
    assert co_owners.missing_consents(listing, Purpose.LICENCE) == []
    assert "同意函 2027-1" in client.get(url, headers=EN).get_data(as_text=True)
