"""Words for the audit page: what kind of record an entry is about (what was done reads
from the market-wide table, `core.audit_labels.action_label`)."""

from __future__ import annotations

from flask_babel import gettext

from core.domain import N_

OBJECT_TYPES: dict[str, str] = {
    "listing": N_("Listings"),
    "organisation": N_("Organisations"),
    "user": N_("People"),
    "deal": N_("Deals"),
    "auction": N_("Auctions"),
    "deposit": N_("Deposits"),
    "listed_sale": N_("Listed sales"),
    "negotiation": N_("Negotiations"),
    "notice": N_("Public notices"),
    "broker": N_("Brokers"),
    "mandate": N_("Mandates"),
    "introduction": N_("Introductions"),
    "need": N_("Technology needs"),
    "valuation_request": N_("Valuation requests"),
    "payment": N_("Payments"),
    "payout": N_("Payouts"),
    "policy": N_("Support policies"),
    "api_token": N_("API tokens"),
    "webhook_endpoint": N_("Webhooks"),
}


def object_type_label(code: str) -> str:
    """A kind of record in the reader's language; an unknown one as "Other records"."""
    source = OBJECT_TYPES.get(code)
    return gettext(source) if source else gettext("Other records")


# A record's state in the before/after of an entry, in words that fit any kind of record
# (the listing's and the organisation's own labels come first, on the page).
STATE_WORDS: dict[str, str] = {
    "accepted": N_("Accepted"),
    "accredited": N_("Accredited"),
    "active": N_("In force"),
    "agreed": N_("Agreed"),
    "applied": N_("Applied"),
    "approved": N_("Approved"),
    "auctioned": N_("Sent to auction"),
    "awaiting_payment": N_("Awaiting payment"),
    "awaiting_signature": N_("Awaiting signature"),
    "blocked": N_("Blocked"),
    "cancelled": N_("Cancelled"),
    "closed": N_("Closed"),
    "completed": N_("Completed"),
    "computed": N_("Computed"),
    "concluded": N_("Concluded"),
    "confirmed": N_("Confirmed"),
    "declined": N_("Declined"),
    "dismissed": N_("Dismissed"),
    "draft": N_("Draft"),
    "failed": N_("Failed"),
    "fallen": N_("Fallen"),
    "forfeited": N_("Forfeited"),
    "granted": N_("Granted"),
    "held": N_("Held"),
    "in_invalidation": N_("In an invalidation procedure"),
    "in_progress": N_("In progress"),
    "invalidated": N_("Invalidated"),
    "issued": N_("Issued"),
    "lapsed": N_("Lapsed"),
    "licensed": N_("Licensed"),
    "lodged": N_("Lodged"),
    "no_buyer": N_("Ended without a buyer"),
    "open": N_("Open"),
    "paid": N_("Paid"),
    "pending": N_("Pending"),
    "pending_review": N_("Awaiting review"),
    "pledged": N_("Pledged"),
    "proposed": N_("Proposed"),
    "published": N_("Published"),
    "receipt_submitted": N_("Receipt submitted"),
    "refunded": N_("Refunded"),
    "refused": N_("Refused"),
    "rejected": N_("Rejected"),
    "released": N_("Released"),
    "requested": N_("Requested"),
    "required": N_("Required"),
    "rights_registered": N_("Rights registered"),
    "running": N_("Running"),
    "scheduled": N_("Scheduled"),
    "signed": N_("Signed"),
    "sold": N_("Sold"),
    "submitted": N_("Submitted"),
    "superseded": N_("Superseded"),
    "terminated": N_("Terminated"),
    "upheld": N_("Upheld"),
    "verified": N_("Verified"),
    "withdrawn": N_("Withdrawn"),
}


def state_label(value: str) -> str:
    """A record's state in the reader's language; an unknown one as it is stored."""
    source = STATE_WORDS.get(value)
    return gettext(source) if source else value
