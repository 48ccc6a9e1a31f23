"""A reviewer's ownership decision on a listing, through the review pages."""

from __future__ import annotations

from flask.testing import FlaskClient

from core.extensions import db
from listings.models import Listing
from listings.rules import ListingStatus
from tests import factories
from tests.integration.sales.trading import sign_in

EN = {"Accept-Language": "en"}


def _submitted(clock, upload_folder) -> tuple[Listing, object]:
    seller = factories.seller(clock())
    reviewer = factories.platform_reviewer(clock())
    listing = factories.listing(
        seller, clock(), status=ListingStatus.SUBMITTED, folder=upload_folder
    )
    return listing, reviewer


def test_a_rejection_needs_a_reason_and_goes_back_to_draft_with_it(
    client: FlaskClient, clock, upload_folder
) -> None:
    listing, reviewer = _submitted(clock, upload_folder)
    sign_in(client, reviewer)
    refused = client.post(f"/review/listings/{listing.id}/reject", data={"reason": " "})
    assert refused.headers["Location"].endswith(f"/review/listings/{listing.id}")
    db.session.expire_all()
    assert db.session.get(Listing, listing.id).status == ListingStatus.SUBMITTED

    sent_back = client.post(
        f"/review/listings/{listing.id}/reject", data={"reason": "证书复印件不清晰"}, headers=EN
    )
    assert sent_back.headers["Location"].endswith("/review/")
    db.session.expire_all()
    assert db.session.get(Listing, listing.id).status == ListingStatus.DRAFT
    queue = client.get("/review/", headers=EN).get_data(as_text=True)
    assert "Sent back to the seller with your reason." in queue


def test_a_confirmation_keeps_the_reason_as_its_note_and_leads_back_to_the_queues(
    client: FlaskClient, clock, upload_folder
) -> None:
    listing, reviewer = _submitted(clock, upload_folder)
    sign_in(client, reviewer)
    confirmed = client.post(
        f"/review/listings/{listing.id}/confirm", data={"reason": "证书原件已核"}, headers=EN
    )
    assert confirmed.headers["Location"].endswith("/review/")
    db.session.expire_all()
    assert db.session.get(Listing, listing.id).status == ListingStatus.CONFIRMED
