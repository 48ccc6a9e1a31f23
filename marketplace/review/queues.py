"""The reviewers' queues as `/review/` shows them, built once for the page and the API
(`GET /api/v1/review/`): listings whose ownership awaits a decision, bank refunds owed,
auction announcements to publish, organisations to verify."""

from __future__ import annotations

from dataclasses import dataclass

from accounts import services as accounts
from accounts.models import Organisation, User
from auctions import announcements
from auctions.models import Auction
from core.domain import N_
from listings import services as listings
from listings.models import Listing
from payments import bank_refunds
from payments.models import Deposit


@dataclass(frozen=True)
class Queue:
    """One queue of the page: its stable key, its heading (N_), the API operation that lists
    it (an endpoint name) and its rows."""

    key: str
    title: str
    endpoint: str
    rows: list[object]


@dataclass(frozen=True)
class ReviewQueues:
    """What waits for the market's reviewers, in the page's order."""

    listings: list[Listing]
    refunds: list[Deposit]
    auctions: list[tuple[Auction, Listing]]
    organisations: list[Organisation]

    def queues(self) -> list[Queue]:
        """Each queue with its heading and the API operation listing its rows."""
        return [
            Queue("ownership", N_("Ownership to confirm"), "listings_api.submitted", list(self.listings)),
            Queue("bank_refunds", N_("Bank refunds owed"), "deposits_api.refunds", list(self.refunds)),
            Queue("announcements", N_("Auction announcements to publish"), "auctions_api.announcements_queue", list(self.auctions)),
            Queue("organisations", N_("Organisations to verify"), "organisations_api.pending", list(self.organisations)),
        ]  # fmt: skip


def review_queues(actor: User) -> ReviewQueues:
    """The reviewers' queues (reviewers and administrators; PermissionDenied else)."""
    accounts.require_reviewer(actor)
    return ReviewQueues(
        listings=listings.ownership_queue(actor),
        refunds=bank_refunds.refunds_owed(actor),
        auctions=announcements.review_queue(actor),
        organisations=accounts.organisation_queue(actor),
    )
