"""Words for the audit page: what kind of record an entry is about, and what was done.

The action words are a stop-gap, local to this page: a market-wide table of audit action
labels (`core.audit_labels.action_label`) replaces `action_label` here once it exists;
the page already prefers it when the template finds it.
"""

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

# The verb after the dot of `<object>.<verb>`, where it means the same for any object.
VERBS: dict[str, str] = {
    "create": N_("Created"),
    "update": N_("Updated"),
    "submit": N_("Submitted for review"),
    "publish": N_("Published"),
    "withdraw": N_("Withdrawn"),
    "confirm": N_("Confirmed"),
    "confirm_ownership": N_("Ownership confirmed"),
    "reject": N_("Rejected"),
    "refuse": N_("Refused"),
    "verify": N_("Verified"),
    "verified": N_("Verified"),
    "register": N_("Registered"),
    "sign_up": N_("Signed up"),
    "cancel": N_("Cancelled"),
    "close": N_("Closed"),
    "bid": N_("Bid placed"),
    "release": N_("Released"),
    "forfeit": N_("Forfeited"),
    "apply": N_("Applied"),
    "approve": N_("Approved"),
    "issue": N_("Issued"),
    "revoke": N_("Revoked"),
    "evidence_add": N_("Document added"),
    "evidence_remove": N_("Document removed"),
    "document_add": N_("Document added"),
    "password_change": N_("Password changed"),
}


def object_type_label(code: str) -> str:
    """A kind of record in the reader's language; an unknown one as "Other records"."""
    source = OBJECT_TYPES.get(code)
    return gettext(source) if source else gettext("Other records")


def action_label(code: str) -> str:
    """An action code in the reader's language; an unknown verb reads as a plain change."""
    source = VERBS.get(code.partition(".")[2])
    return gettext(source) if source else gettext("Changed")
