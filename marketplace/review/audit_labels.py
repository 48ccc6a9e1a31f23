"""Words for the audit page: what kind of record an entry is about (what was done reads
from the market-wide table, `core.audit_labels.action_label`)."""

from __future__ import annotations

from flask_babel import gettext

from core.audit_labels import in_context
from core.domain import NP_

KIND = "record kind"  # the words' msgctxt, written out in each NP_: extraction reads literals

OBJECT_TYPES: dict[str, str] = {
    "listing": NP_("record kind", "Listings"),
    "organisation": NP_("record kind", "Organisations"),
    "user": NP_("record kind", "People"),
    "deal": NP_("record kind", "Deals"),
    "auction": NP_("record kind", "Auctions"),
    "deposit": NP_("record kind", "Deposits"),
    "listed_sale": NP_("record kind", "Listed sales"),
    "negotiation": NP_("record kind", "Negotiations"),
    "notice": NP_("record kind", "Public notices"),
    "broker": NP_("record kind", "Brokers"),
    "mandate": NP_("record kind", "Mandates"),
    "introduction": NP_("record kind", "Introductions"),
    "need": NP_("record kind", "Technology needs"),
    "valuation_request": NP_("record kind", "Valuation requests"),
    "payment": NP_("record kind", "Payments"),
    "payout": NP_("record kind", "Payouts"),
    "policy": NP_("record kind", "Support policies"),
    "api_token": NP_("record kind", "API tokens"),
    "webhook_endpoint": NP_("record kind", "Webhooks"),
    "reference_rate": NP_("record kind", "Reference rates"),
}


def object_type_label(code: str) -> str:
    """A kind of record in the reader's language; an unknown one as "Other records"."""
    return in_context(KIND, OBJECT_TYPES.get(code), gettext("Other records"))


STATE = "record state"  # the words' msgctxt, written out in each NP_: extraction reads literals

# A record's state in the before/after of an entry, in words that fit any kind of record
# (the listing's and the organisation's own labels come first, on the page).
STATE_WORDS: dict[str, str] = {
    "accepted": NP_("record state", "Accepted"),
    "accredited": NP_("record state", "Accredited"),
    "active": NP_("record state", "In force"),
    "agreed": NP_("record state", "Agreed"),
    "applied": NP_("record state", "Applied"),
    "approved": NP_("record state", "Approved"),
    "auctioned": NP_("record state", "Sent to auction"),
    "awaiting_payment": NP_("record state", "Awaiting payment"),
    "awaiting_signature": NP_("record state", "Awaiting signature"),
    "blocked": NP_("record state", "Blocked"),
    "cancelled": NP_("record state", "Cancelled"),
    "clean": NP_("record state", "No objection"),
    "closed": NP_("record state", "Closed"),
    "completed": NP_("record state", "Completed"),
    "computed": NP_("record state", "Computed"),
    "concluded": NP_("record state", "Concluded"),
    "confirmed": NP_("record state", "Confirmed"),
    "declined": NP_("record state", "Declined"),
    "dismissed": NP_("record state", "Dismissed"),
    "done": NP_("record state", "Done"),
    "draft": NP_("record state", "Draft"),
    "failed": NP_("record state", "Failed"),
    "fallen": NP_("record state", "Fallen"),
    "forfeited": NP_("record state", "Forfeited"),
    "granted": NP_("record state", "Granted"),
    "held": NP_("record state", "Held"),
    "in_invalidation": NP_("record state", "In an invalidation procedure"),
    "in_progress": NP_("record state", "In progress"),
    "invalidated": NP_("record state", "Invalidated"),
    "issued": NP_("record state", "Issued"),
    "lapsed": NP_("record state", "Lapsed"),
    "licensed": NP_("record state", "Licensed"),
    "lodged": NP_("record state", "Lodged"),
    "no_buyer": NP_("record state", "Ended without a buyer"),
    "open": NP_("record state", "Open"),
    "paid": NP_("record state", "Paid"),
    "pending": NP_("record state", "Pending"),
    "pending_review": NP_("record state", "Awaiting review"),
    "pledged": NP_("record state", "Pledged"),
    "proposed": NP_("record state", "Proposed"),
    "published": NP_("record state", "Published"),
    "receipt_submitted": NP_("record state", "Receipt submitted"),
    "refunded": NP_("record state", "Refunded"),
    "refused": NP_("record state", "Refused"),
    "requires_capture": NP_("record state", "Card held, to be captured"),
    "rejected": NP_("record state", "Rejected"),
    "released": NP_("record state", "Released"),
    "requested": NP_("record state", "Requested"),
    "required": NP_("record state", "Required"),
    "rights_registered": NP_("record state", "Rights registered"),
    "running": NP_("record state", "Running"),
    "scheduled": NP_("record state", "Scheduled"),
    "signed": NP_("record state", "Signed"),
    "sold": NP_("record state", "Sold"),
    "submitted": NP_("record state", "Submitted"),
    "succeeded": NP_("record state", "Succeeded"),
    "superseded": NP_("record state", "Superseded"),
    "terminated": NP_("record state", "Terminated"),
    "upheld": NP_("record state", "Upheld"),
    "verified": NP_("record state", "Verified"),
    "withdrawn": NP_("record state", "Withdrawn"),
}


def state_label(value: str) -> str:
    """A record's state in the reader's language; an unknown one as it is stored."""
    return in_context(STATE, STATE_WORDS.get(value), value)
