"""What an audit action code (`listing.create`, `deal.cancel`) means to a person.

One table for every page that lists history. An action is `<object>.<verb>`; most verbs
mean the same whatever the object, so `VERBS` labels them once, and `ACTIONS` names the
few whose meaning depends on the object (a deposit "applied" to the price is not a
broker "applying" for accreditation). The labels are English source strings translated
at display time.
"""

from __future__ import annotations

from flask_babel import gettext

from core.domain import N_

ACTIONS: dict[str, str] = {
    "open_licence.declare": N_("Open licence declared"),
    "open_licence.publish": N_("Open licence published"),
    "open_licence.refuse": N_("Open licence declaration refused"),
    "open_licence.withdraw": N_("Open licence withdrawn"),
    "open_licence_grant.notice": N_("Notice of taking an open licence"),
    "open_licence_grant.paid": N_("Licence fee received"),
    "open_licence_grant.grant": N_("Open licence granted"),
    "patent_status.record": N_("Legal status recorded"),
    "pledgee_consent.record": N_("Pledgee's consent recorded"),
    "broker.apply": N_("Applied for accreditation"),
    "broker.accredited": N_("Accreditation granted"),
    "broker.refused": N_("Accreditation refused"),
    "broker.profile": N_("Profile updated"),
    "broker.rate": N_("Broker rated"),
    "deposit.apply": N_("Deposit applied to the price"),
    "deposit.move": N_("Deposit moved to the auction"),
    "deposit.release": N_("Deposit released"),
    "deposit.forfeit": N_("Deposit forfeited"),
    "deposit.require": N_("Deposit required"),
    "deposit.confirm": N_("Deposit receipt confirmed"),
    "deposit.hold_by_card": N_("Deposit held on a card"),
    "deposit.refund_made": N_("Deposit refunded"),
    "deal.cancel": N_("Deal cancelled"),
    "deal.create": N_("Deal created"),
    "deal.paid": N_("Paid in full"),
    "listing.sale_state": N_("Sale state changed"),
    "listing.import_create": N_("Imported from a portfolio"),
    "listing.import_update": N_("Updated from a portfolio import"),
    "need.post": N_("Need posted"),
    "valuation.formal": N_("Formal valuation report issued"),
    "valuation.indicative": N_("Indicative valuation saved"),
    "notice.publish": N_("Public notice published"),
    "notice.running": N_("Public notice running"),
    "notice.clean": N_("Public notice ended without an upheld objection"),
    "notice.fallen": N_("Public notice fell on an objection"),
    "organisation.verified": N_("Organisation verified"),
    "organisation.rejected": N_("Organisation verification refused"),
    "organisation.pending": N_("Organisation sent back for verification"),
    "organisation.register": N_("Organisation registered"),
    "payment.succeeded": N_("Payment received"),
    "payment.failed": N_("Payment failed"),
    "payment.refunded": N_("Payment refunded"),
    "payment.cancelled": N_("Card hold released"),
    "payment.requires_capture": N_("Card held"),
    "payment.pending": N_("Waiting for payment"),
    "payment.receipt_submitted": N_("Receipt submitted"),
    "payment.rejected": N_("Receipt rejected"),
    "payout.paid": N_("Payout made"),
    "payout.failed": N_("Payout failed"),
    "payout.blocked": N_("Payout blocked"),
    "payout.pending": N_("Payout waiting"),
    "user.sign_up": N_("Signed up"),
    "user.sign_out": N_("Signed out"),
    "user.create_platform": N_("Platform account created"),
    "user.password_change": N_("Password changed"),
    "valuation_request.request": N_("Valuation requested"),
}

VERBS: dict[str, str] = {
    "accept": N_("Accepted"),
    "accepted": N_("Accepted"),
    "active": N_("In force"),
    "adjust": N_("Adjusted"),
    "applied": N_("Applied by the rules"),
    "approve": N_("Approved"),
    "bid": N_("Bid placed"),
    "broker_commission": N_("Broker's commission recorded"),
    "cancellation_agreed": N_("Cancellation agreed"),
    "cancellation_applied": N_("Cancellation applied by the rules"),
    "cancellation_declined": N_("Cancellation declined"),
    "cancellation_dismissed": N_("Cancellation request dismissed"),
    "cancellation_proposed": N_("Cancellation proposed"),
    "cancellation_requested": N_("Cancellation requested from the market"),
    "cancellation_upheld": N_("Cancellation request upheld"),
    "cancellation_withdrawn": N_("Cancellation withdrawn"),
    "cancelled": N_("Cancelled"),
    "capture_before": N_("Card hold deadline recorded"),
    "capture_before_lapse": N_("Card hold captured before it lapsed"),
    "close": N_("Closed"),
    "closed": N_("Closed"),
    "completed": N_("Completed"),
    "compute": N_("Computed"),
    "confirm": N_("Confirmed"),
    "counter": N_("Counter-offer made"),
    "create": N_("Created"),
    "decline": N_("Declined"),
    "declined": N_("Declined"),
    "define": N_("Defined"),
    "delete": N_("Deleted"),
    "document_add": N_("Document added"),
    "evidence_add": N_("Ownership evidence added"),
    "evidence_remove": N_("Ownership evidence removed"),
    "failed": N_("Failed"),
    "feature": N_("Featured on the home page"),
    "finish": N_("Finished"),
    "frequency": N_("Alert frequency changed"),
    "hold_lapsed": N_("Card hold lapsed"),
    "intent": N_("Intention to buy registered"),
    "intent_withdraw": N_("Intention to buy withdrawn"),
    "issue": N_("Issued"),
    "issued": N_("Issued"),
    "objection": N_("Objection raised"),
    "objection_decide": N_("Objection decided"),
    "offer": N_("Offer made"),
    "open": N_("Opened"),
    "paid": N_("Paid"),
    "propose": N_("Proposed"),
    "proposed": N_("Proposed"),
    "publish": N_("Published"),
    "publish_announcement": N_("Announcement published"),
    "raise_max": N_("Maximum bid raised"),
    "refuse": N_("Refused"),
    "refuse_announcement": N_("Announcement refused"),
    "register": N_("Registered"),
    "register_offline": N_("Registered as closed offline"),
    "registration_certificate": N_("Registration certificate added"),
    "registration_details": N_("Registration details recorded"),
    "reject": N_("Rejected"),
    "reject_receipt": N_("Receipt rejected"),
    "reopen": N_("Reopened"),
    "request": N_("Requested"),
    "revoke": N_("Revoked"),
    "rights_registered": N_("Rights registered"),
    "rotate_secret": N_("Secret renewed"),
    "send_again": N_("Sent again"),
    "set": N_("Settings changed"),
    "signed": N_("Contract signed"),
    "start": N_("Started"),
    "submit": N_("Submitted for review"),
    "submit_receipt": N_("Receipt submitted"),
    "take": N_("Taken on"),
    "terminate": N_("Notice of termination given"),
    "terminated": N_("Terminated"),
    "update": N_("Updated"),
    "verified": N_("Verified"),
    "withdraw": N_("Withdrawn"),
}


def action_source(code: str) -> str | None:
    """The English source string of an action code, or None when no table has it."""
    if code in ACTIONS:
        return ACTIONS[code]
    return VERBS.get(code.partition(".")[2])


def action_label(code: str) -> str:
    """An action code in the reader's language; an unknown one reads as a plain change."""
    source = action_source(code)
    return gettext(source) if source else gettext("Changed")
