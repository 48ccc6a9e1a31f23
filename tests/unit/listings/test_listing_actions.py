"""What a caller may do to a listing now (the API's `allowed_actions`), by state and role."""

from __future__ import annotations

from listings.rules import ListingStatus, SaleState, listing_actions

S = ListingStatus


def test_the_owner_edits_and_submits_a_draft_and_a_reviewer_does_nothing_to_it() -> None:
    owner = listing_actions(S.DRAFT, SaleState.AVAILABLE, owner=True, reviewer=False)
    assert owner == [
        "update",
        "add_evidence",
        "remove_evidence",
        "add_image",
        "remove_image",
        "submit",
    ]
    assert listing_actions(S.DRAFT, SaleState.AVAILABLE, owner=False, reviewer=True) == []


def test_only_a_reviewer_decides_a_submitted_listing() -> None:
    assert listing_actions(S.SUBMITTED, SaleState.AVAILABLE, owner=True, reviewer=False) == []
    reviewer = listing_actions(S.SUBMITTED, SaleState.AVAILABLE, owner=False, reviewer=True)
    assert reviewer == ["confirm", "reject"]


def test_a_listing_on_sale_cannot_be_withdrawn() -> None:
    assert listing_actions(S.PUBLISHED, SaleState.AVAILABLE, owner=True, reviewer=False) == [
        "withdraw"
    ]
    for state in (SaleState.LISTED_SALE, SaleState.IN_AUCTION, SaleState.SOLD):
        assert listing_actions(S.PUBLISHED, state, owner=True, reviewer=False) == []


def test_a_stranger_may_do_nothing_in_any_state() -> None:
    for status in ListingStatus:
        assert listing_actions(status, SaleState.AVAILABLE, owner=False, reviewer=False) == []
